// The organiser's access page: the session's people, links issued for one person or a whole role
// (shown once, with a CSV for a mail merge, or sent by e-mail), and the accesses, revocable.
"use strict";

(() => {
  const el = id => document.getElementById(id);
  const sessionId = new URLSearchParams(location.search).get("session") || "2024";
  const base = `/api/sessions/${encodeURIComponent(sessionId)}`;
  const text = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]);
  const roleLabels = { "jury-president": "Président de jury", "jury-member": "Membre de jury", "examiner": "Examinateur", "centre-manager": "Responsable de centre", "organiser": "Organisateur" };
  const statusLabels = { issued: "Lien non ouvert", active: "Connecté", expired: "Expiré", revoked: "Révoqué", "signed-out": "Déconnecté", replaced: "Remplacé" };
  const when = d => d ? new Date(d).toLocaleString("fr-FR") : "—";
  let antiforgery = null;
  el("session-id").textContent = sessionId;
  el("workspace-link").href = `/workspace?session=${encodeURIComponent(sessionId)}`;

  async function api(method, url, body) {
    const response = await fetch(url, {
      method, credentials: "same-origin",
      headers: { ...(antiforgery ? { "X-CSRF-TOKEN": antiforgery } : {}), ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) throw Object.assign(new Error(json?.detail || `Erreur ${response.status}`), { status: response.status });
    return json;
  }

  async function load() {
    const [people, accesses] = await Promise.all([api("GET", `${base}/people`), api("GET", `${base}/accesses`)]);
    el("people").querySelector("tbody").innerHTML = people.map(p => `<tr data-person="${text(p.personId)}">
      <td>${text(p.displayName)}</td><td>${text(roleLabels[p.role] || p.role)}</td><td>${text(p.scope)}</td><td>${text(p.email)}</td>
      <td>${["jury-president", "examiner", "centre-manager"].includes(p.role) ? `<button type="button" data-issue="${text(p.personId)}">Émettre un lien</button>` : ""}</td></tr>`).join("");
    el("issued").querySelector("tbody").innerHTML = accesses.map(a => `<tr data-access="${text(a.accessId)}" data-person="${text(a.personId)}">
      <td>${text(a.name)}</td><td>${text(roleLabels[a.role] || a.role)}</td><td>${text(a.scope)}</td><td class="status">${text(statusLabels[a.status] || a.status)}</td>
      <td>${when(a.issuedAt)}</td><td>${when(a.lastUsedAt)}</td>
      <td>${["issued", "active"].includes(a.status) ? `<button type="button" data-revoke="${text(a.accessId)}">Révoquer</button>` : ""}</td></tr>`).join("");
  }

  async function issue(request) {
    el("message").textContent = "";
    try {
      const send = el("send").checked;
      // An empty field means the default; anything else goes as typed, so that the server refuses 0 or 61 in words.
      const days = el("validity").value.trim();
      const result = await api("POST", `${base}/accesses`, { ...request, validityDays: days === "" ? 7 : Number(days), send });
      showLinks(result.accesses);
      el("message").textContent = `${result.accesses.length} lien(s) émis.` + (result.mailing ? " Envoi par courriel en cours…" : "");
      if (result.mailing) followMailing(result.mailing);
      await load();
    } catch (e) { el("message").textContent = e.message; }
  }

  function showLinks(links) {
    el("links").hidden = false;
    el("links").querySelector("tbody").innerHTML = links.map(l => `<tr data-person="${text(l.personId)}"><td>${text(l.name)}</td><td>${text(l.email)}</td>
      <td>${text(roleLabels[l.role] || l.role)}</td><td>${text(l.scope)}</td><td><input class="link" readonly value="${text(l.link)}" size="40"></td></tr>`).join("");
    const field = v => /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    const csv = "name,email,role,scope,link\n" + links.map(l => [l.name, l.email, l.role, l.scope || "", l.link].map(v => field(String(v))).join(",")).join("\n") + "\n";
    el("csv").href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    el("download").hidden = false;
  }

  async function followMailing(jobId) {
    for (;;) {
      const job = await api("GET", `${base}/accesses/mailings/${jobId}`).catch(() => null);
      if (!job) return;
      const failures = job.failures.map(f => `${f.name} <${f.email}> : ${f.reason}`).join(" ; ");
      el("message").textContent = `Courriels : ${job.sent} envoyé(s), ${job.failures.length} en échec, ${job.skipped} déjà envoyé(s) sur ${job.total}.`
        + (failures ? ` Échecs : ${failures}` : "") + (job.done ? "" : " Envoi en cours…");
      if (job.done) { await load(); return; }
      await new Promise(r => setTimeout(r, 1000));
    }
  }

  document.addEventListener("click", async e => {
    const t = e.target;
    if (t.dataset.issue) await issue({ personId: t.dataset.issue });
    else if (t.dataset.role) await issue({ role: t.dataset.role });
    else if (t.dataset.revoke) {
      try { await api("POST", `${base}/accesses/${t.dataset.revoke}/revoke`); await load(); } catch (err) { el("message").textContent = err.message; }
    }
  });
  el("sign-out").addEventListener("click", async () => {
    await api("POST", "/api/access/sign-out").catch(() => null);
    location.reload();
  });

  (async () => {
    const response = await fetch("/api/access/me", { credentials: "same-origin" });
    const body = response.ok ? await response.json() : null;
    if (!body || body.me.role !== "organiser") {
      el("login").hidden = false;
      if (body) el("login-error").textContent = "Cette page est réservée à l'organisateur.";
      return;
    }
    antiforgery = body.antiforgery;
    el("sign-out").hidden = body.me.via !== "cookie";
    el("accesses").hidden = false;
    try { await load(); } catch (e) { el("message").textContent = e.message; }
  })();
})();
