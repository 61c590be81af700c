// Opens a personal access link: the code is in the fragment (#code=…, never sent to a server's logs);
// it is posted once, the server sets the sign-in cookie, and the page goes to the person's home page.
"use strict";

(async () => {
  const el = id => document.getElementById(id);
  const code = new URLSearchParams(location.hash.slice(1)).get("code") || "";
  // The code leaves the address bar (and the history) before anything else.
  history.replaceState(null, "", location.pathname);
  if (!code) {
    el("status").textContent = "";
    el("error").hidden = false;
    el("error").textContent = "Ce lien d'accès est incomplet : ouvrez le lien reçu tel quel, ou demandez-en un nouveau à l'organisateur.";
    return;
  }
  const response = await fetch("/api/access/sign-in", {
    method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin", body: JSON.stringify({ code }),
  }).catch(() => null);
  const body = response ? await response.json().catch(() => null) : null;
  if (!response || !response.ok) {
    el("status").textContent = "";
    el("error").hidden = false;
    el("error").textContent = body?.detail || "Serveur injoignable : réessayez dans un instant.";
    return;
  }
  el("status").textContent = `Bienvenue, ${body.displayName}.`;
  el("home").href = body.home;
  el("next").hidden = false;
  location.replace(body.home);
})();
