// What the live pages share: who the user is — signed in by their personal access link (an HttpOnly
// cookie the page never sees; writes then carry the antiforgery token of /api/access/me), or, for
// scripts and tests, a bearer token given once in the address fragment #token=… (kept per page in
// sessionStorage; the fragment never reaches the server) — the sign-in notice, the API calls
// (errors carry the problem's French detail), and a SignalR connection that watches again after
// every reconnection, forever, until the server refuses the access or ends it ("accessEnded").
"use strict";

window.BtsLivePage = (() => {
  const el = id => document.getElementById(id);

  /**
   * watch(connection) asks the hub for the snapshot; onSnapshot and onUpdate draw it and the pushes
   * (both default to render); refusal(error) says whether the server refused the token (the French
   * words to show) and gone(error) whether what is watched does not exist (the badge's words): either
   * stops the retries. beforeStart runs before each connection. showStage (default true) puts the
   * session's stage (GET …/stage, the session of ?session=) in the page's header, read again with
   * each snapshot and, at most every 5 s, after the pushes.
   */
  function create({ tokenKey, mainId, hubPath, updateMethod, watch, render, onSnapshot = render, onUpdate = render,
                    refusal = hubRefusal, gone = () => null, beforeStart = () => { }, showStage = true }) {
    let connection = null;
    let looping = null; // the connection a connectForever loop is serving: one loop at a time

    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get("token")) {
      sessionStorage.setItem(tokenKey, fragment.get("token"));
      history.replaceState(null, "", location.pathname + location.search);
    }

    const token = () => sessionStorage.getItem(tokenKey) || "";
    let signedIn = null; // { me, antiforgery } of the cookie's access, when there is no bearer token

    /** The cookie's access, asked of the server (the page cannot read an HttpOnly cookie); null when signed out. */
    async function cookieAccess() {
      const response = await fetch("/api/access/me", { credentials: "same-origin" });
      if (response.status === 401 || response.status === 403) return null;
      if (!response.ok) throw new Error(`Erreur ${response.status}`);
      const body = await response.json();
      return body.me.via === "cookie" ? body : null;
    }

    function claims() {
      if (!token()) return signedIn ? { role: signedIn.me.role, name: signedIn.me.name, scope: signedIn.me.scope } : {};
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

    /** The credential of a request the page sends itself: the bearer token, or the cookie's antiforgery token for a write. */
    function authHeaders() {
      return token() ? { "Authorization": `Bearer ${token()}` } : signedIn?.antiforgery ? { "X-CSRF-TOKEN": signedIn.antiforgery } : {};
    }

    async function api(method, url, body) {
      const response = await fetch(url, {
        method,
        headers: {
          ...authHeaders(),
          ...(body ? { "Content-Type": "application/json" } : {}),
        },
        credentials: "same-origin",
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await response.json().catch(() => null);
      if (!response.ok) throw Object.assign(new Error(json?.detail || `Erreur ${response.status}`), { status: response.status });
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

    /** The page's access ended (revoked, signed out): back to the sign-in notice, connection closed. */
    function accessEnded(message) {
      signedIn = null;
      sessionStorage.removeItem(tokenKey);
      const c = connection;
      connection = null;
      if (c) c.stop();
      showLogin(message);
    }

    // The session's stage in the header, on every live page (the workspace shows it in its own glance): read with
    // each snapshot, and after pushes at most every 5 s (a trailing read, so the last push is always followed).
    const stageSession = new URLSearchParams(location.search).get("session") || "2024";
    let stageReadAt = 0;
    let stageTimer = null;
    function refreshStage(now) {
      if (!showStage) return;
      if (now) { readStage(); return; }
      if (!stageTimer) stageTimer = setTimeout(readStage, Math.max(0, 5000 - (Date.now() - stageReadAt)));
    }
    async function readStage() {
      clearTimeout(stageTimer);
      stageTimer = null;
      stageReadAt = Date.now();
      const stage = await api("GET", `/api/sessions/${encodeURIComponent(stageSession)}/stage`).catch(() => null);
      if (!stage) return;
      let line = el("session-stage");
      if (!line) {
        line = Object.assign(document.createElement("p"), { id: "session-stage", className: "session-stage" });
        document.querySelector("header")?.append(line);
      }
      line.dataset.stage = stage.stage;
      line.textContent = `Étape de la session ${stageSession} : ${stage.label}`;
    }

    el("sign-out")?.addEventListener("click", async () => {
      await fetch("/api/access/sign-out", { method: "POST", credentials: "same-origin",
        headers: authHeaders() }).catch(() => null);
      accessEnded("Vous êtes déconnecté. Ouvrez un nouveau lien personnel pour revenir.");
    });

    // Starts the connection if it is down and watches, every second until that works, the token is
    // refused or the connection is replaced. A failed Watch on a live connection is retried as it is
    // (starting it again would throw).
    async function connectForever(c) {
      if (looping === c) return;
      looping = c;
      try {
        while (c === connection) {
          try {
            if (c.state === signalR.HubConnectionState.Disconnected) await c.start();
            if (c.state === signalR.HubConnectionState.Connected) {
              const snapshot = await watch(c);
              if (c !== connection) return;
              el("login").hidden = true;
              el(mainId).hidden = false;
              onSnapshot(snapshot);
              refreshStage(true);
              setConnection("connected", "En direct");
              return;
            }
          } catch (e) {
            if (c !== connection) return;
            const refused = refusal(e);
            if (refused) {
              sessionStorage.removeItem(tokenKey);
              signedIn = null;
              showLogin(refused);
              return;
            }
            const missing = gone(e);
            if (missing) {
              setConnection("disconnected", missing);
              return;
            }
          }
          setConnection("reconnecting", "Serveur injoignable, nouvel essai…");
          await new Promise(r => setTimeout(r, 1000));
        }
      } finally {
        if (looping === c) looping = null;
      }
    }

    async function start() {
      if (!token()) {
        try { signedIn = await cookieAccess(); } catch { signedIn = null; }
        if (!signedIn) { showLogin(); return; }
      }
      if (el("sign-out")) el("sign-out").hidden = !signedIn;
      beforeStart();
      const previous = connection;
      connection = null;
      if (previous) await previous.stop();
      const c = new signalR.HubConnectionBuilder()
        .withUrl(hubPath, token() ? { accessTokenFactory: token } : {})
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(1000 * (ctx.previousRetryCount + 1), 5000) })
        .build();
      connection = c;
      c.on(updateMethod, update => { if (c === connection) { onUpdate(update); refreshStage(false); } });
      c.on("accessEnded", message => { if (c === connection) accessEnded(message); });
      c.onreconnecting(() => { if (c === connection) setConnection("reconnecting", "Reconnexion…"); });
      c.onreconnected(() => connectForever(c));
      c.onclose(() => { if (c === connection) { setConnection("reconnecting", "Reconnexion…"); connectForever(c); } });
      setConnection("connecting", "Connexion…");
      await connectForever(c);
    }

    return {
      start, api, authHeaders, token, claims, useToken, useDevToken, showLogin,
      /** The live connection, for pages that invoke more than Watch on it. */
      connection: () => connection,
      /** Watches again on the current connection (e.g. after the page changed what it watches). */
      rewatch: () => connection ? connectForever(connection) : Promise.resolve(),
    };
  }

  /** A hub's refusal of the token or of the watch (HubException, 401, 403) as the words to show; null otherwise. */
  function hubRefusal(e) {
    const why = String(e && e.message || e);
    return /HubException|401|403/.test(why) ? `Accès refusé : ${why.replace(/^.*HubException:\s*/, "")}` : null;
  }

  /** Hands a fetched file (a blob) to the browser to save under its name. */
  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  return { create, saveBlob };
})();
