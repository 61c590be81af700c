// What the live pages share: the user's token (kept per page in sessionStorage, or given once in the
// address fragment #token=…, which never reaches the server), the login form, the API calls with the
// token (errors carry the problem's French detail), and a SignalR connection that watches again after
// every reconnection, forever, until the server refuses the token.
"use strict";

window.BtsLivePage = (() => {
  const el = id => document.getElementById(id);

  function create({ tokenKey, mainId, hubPath, updateMethod, watch, render }) {
    let connection = null;

    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get("token")) {
      sessionStorage.setItem(tokenKey, fragment.get("token"));
      history.replaceState(null, "", location.pathname + location.search);
    }

    const token = () => sessionStorage.getItem(tokenKey) || "";

    function claims() {
      try {
        const payload = token().split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
        return JSON.parse(decodeURIComponent(escape(atob(payload))));
      } catch { return {}; }
    }

    function setConnection(state, label) {
      el("connection").dataset.state = state;
      el("connection").textContent = label;
    }

    function showLogin(message) {
      el(mainId).hidden = true;
      el("login").hidden = false;
      el("login-error").textContent = message || "";
      setConnection("disconnected", "Non connecté");
    }

    async function api(method, url, body) {
      const response = await fetch(url, {
        method,
        headers: { "Authorization": `Bearer ${token()}`, ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await response.json().catch(() => null);
      if (!response.ok) throw new Error(json?.detail || `Erreur ${response.status}`);
      return json;
    }

    /** A development token from the embedded server (loopback only), then the page starts with it. */
    async function useDevToken(request) {
      const response = await fetch("/api/dev/tokens", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request),
      });
      if (!response.ok) { el("login-error").textContent = "Jeton de développement indisponible sur ce serveur."; return; }
      useToken((await response.json()).token);
    }

    function useToken(value) {
      sessionStorage.setItem(tokenKey, value);
      start();
    }

    el("login-form").addEventListener("submit", e => {
      e.preventDefault();
      useToken(el("token-input").value.trim());
    });

    async function connectForever(c) {
      while (c === connection) {
        try {
          if (c.state === signalR.HubConnectionState.Disconnected) await c.start();
          if (c.state === signalR.HubConnectionState.Connected) {
            const snapshot = await watch(c);
            if (c !== connection) return;
            el("login").hidden = true;
            el(mainId).hidden = false;
            render(snapshot);
            setConnection("connected", "En direct");
            return;
          }
        } catch (e) {
          if (c !== connection) return;
          const why = String(e && e.message || e);
          if (/HubException/.test(why) || /401|403/.test(why)) {
            if (/401/.test(why)) sessionStorage.removeItem(tokenKey);
            showLogin(`Accès refusé : ${why.replace(/^.*HubException:\s*/, "")}`);
            return;
          }
        }
        setConnection("reconnecting", "Serveur injoignable, nouvel essai…");
        await new Promise(r => setTimeout(r, 1000));
      }
    }

    async function start() {
      if (!token()) { showLogin(); return; }
      const previous = connection;
      connection = null;
      if (previous) await previous.stop();
      const c = new signalR.HubConnectionBuilder()
        .withUrl(hubPath, { accessTokenFactory: token })
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(1000 * (ctx.previousRetryCount + 1), 5000) })
        .build();
      connection = c;
      c.on(updateMethod, update => { if (c === connection) render(update); });
      c.onreconnecting(() => { if (c === connection) setConnection("reconnecting", "Reconnexion…"); });
      c.onreconnected(() => connectForever(c));
      c.onclose(() => { if (c === connection) { setConnection("reconnecting", "Reconnexion…"); connectForever(c); } });
      setConnection("connecting", "Connexion…");
      await connectForever(c);
    }

    return { start, api, claims, useToken, useDevToken, showLogin };
  }

  return { create };
})();
