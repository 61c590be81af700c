// A commission's own day (examiner): its exams in order, the next candidate, the exam's progress
// and the mark, live over /hubs/exam-day.
"use strict";

(() => {
  const commissionId = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] || "");
  const params = new URLSearchParams(location.search);
  const sessionId = params.get("session") || "2024";
  const centreId = params.get("centre") || "";
  const date = params.get("date") || new Date().toISOString().slice(0, 10);
  const tokenKey = `btsccst-token-commission-${sessionId}-${commissionId}`;
  const statusLabels = {
    CONVOKED: "Convoqué", PRESENT: "Présent", IN_PREPARATION: "En préparation", IN_EXAM: "En interrogation",
    DONE: "Terminé", ABSENT: "Absent", ABSENT_EXCUSED: "Absent excusé",
  };
  const actions = [
    { kind: "candidate-present", label: "Présent", when: ["CONVOKED", "ABSENT", "ABSENT_EXCUSED"] },
    { kind: "preparation-started", label: "Préparation", when: ["PRESENT"], prep: true },
    { kind: "exam-started", label: "Début", when: ["PRESENT", "IN_PREPARATION"] },
    { kind: "exam-done", label: "Fin", when: ["IN_EXAM"] },
  ];
  const waiting = ["CONVOKED", "PRESENT", "IN_PREPARATION"];
  const el = id => document.getElementById(id);
  const text = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]);
  let connection = null;

  el("commission-id").textContent = commissionId;
  el("session-id").textContent = sessionId;
  el("centre-id").textContent = centreId;
  el("day-date").textContent = date.split("-").reverse().join("/");

  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("token")) {
    sessionStorage.setItem(tokenKey, fragment.get("token"));
    history.replaceState(null, "", location.pathname + location.search);
  }

  function setConnection(state, label) {
    el("connection").dataset.state = state;
    el("connection").textContent = label;
  }

  function showLogin(message) {
    el("day").hidden = true;
    el("login").hidden = false;
    el("login-error").textContent = message || "";
    setConnection("disconnected", "Non connecté");
  }

  el("login-form").addEventListener("submit", e => {
    e.preventDefault();
    sessionStorage.setItem(tokenKey, el("token-input").value.trim());
    start();
  });
  el("dev-form").addEventListener("submit", async e => {
    e.preventDefault();
    const response = await fetch("/api/dev/tokens", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ role: "examiner", name: el("examiner-input").value.trim() }),
    });
    if (!response.ok) { el("login-error").textContent = "Jeton de développement indisponible sur ce serveur."; return; }
    sessionStorage.setItem(tokenKey, (await response.json()).token);
    start();
  });

  function render(day) {
    el("login").hidden = true;
    el("day").hidden = false;
    el("closed-banner").hidden = !day.closed;
    const exams = day.rooms.flatMap(r => r.commissions).filter(c => c.commissionId === commissionId)
      .flatMap(c => c.exams).sort((a, b) => (a.prepStart || a.examStart).localeCompare(b.prepStart || b.examStart) || a.examStart.localeCompare(b.examStart));
    const next = exams.find(e => waiting.includes(e.status));
    el("next-candidate").textContent = next
      ? `${next.candidateNumber} ${next.lastName} ${next.firstName} — ${next.unit} à ${next.examStart} (${statusLabels[next.status]})`
      : "aucun";
    el("empty").hidden = exams.length > 0;
    el("exams").querySelector("tbody").innerHTML = exams.map(e => {
      const buttons = day.closed ? "" : actions.filter(a => a.when.includes(e.status) && (!a.prep || e.prepStart))
        .map(a => `<button type="button" data-kind="${a.kind}">${a.label}</button>`).join(" ");
      const mark = e.status === "DONE" || e.status === "IN_EXAM" ? ` <button type="button" data-mark>Saisir la note</button>` : "";
      return `<tr data-candidate="${text(e.candidateNumber)}" data-unit="${text(e.unit)}" class="${e === next ? "next" : ""}">
        <td class="time">${text(e.prepStart ? `${e.prepStart} (prép.) · ` : "")}${text(e.examStart)}–${text(e.examEnd)}</td>
        <td class="number">${text(e.candidateNumber)}</td><td class="name">${text(e.lastName)} ${text(e.firstName)}</td>
        <td class="unit">${text(e.unit)}</td><td>${text(e.room)}</td>
        <td class="status" data-status="${text(e.status)}">${text(statusLabels[e.status] || e.status)}</td>
        <td class="late">${e.lateMinutes ? `+${e.lateMinutes} min` : ""}</td><td class="buttons">${buttons}${mark}</td></tr>`;
    }).join("");
  }

  async function send(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: { "Authorization": `Bearer ${sessionStorage.getItem(tokenKey)}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new Error(json?.detail || `Erreur ${response.status}`);
    return json;
  }

  function message(value, ok) {
    el("action-message").textContent = value;
    el("action-message").className = ok ? "ok" : "error";
  }

  el("exams").addEventListener("click", async e => {
    const button = e.target.closest("button");
    if (!button) return;
    const row = button.closest("tr");
    const number = row.dataset.candidate, unit = row.dataset.unit;
    try {
      if (button.hasAttribute("data-mark")) {
        const result = prompt(`Note de ${number} en ${unit} (0 à 20, NV en E4/U61/U62) :`);
        if (!result) return;
        await send("PUT", `/api/sessions/${encodeURIComponent(sessionId)}/candidates/${encodeURIComponent(number)}/results/${encodeURIComponent(unit)}`, { result });
        message(`Note ${result} saisie pour ${number} en ${unit}.`, true);
        return;
      }
      render(await send("POST", `/api/sessions/${encodeURIComponent(sessionId)}/centres/${encodeURIComponent(centreId)}/days/${date}/events`,
        { kind: button.dataset.kind, candidateNumber: number, unit }));
      message(`${button.textContent} : candidat ${number} (${unit}) enregistré.`, true);
    } catch (error) { message(error.message, false); }
  });

  async function connectForever(c) {
    while (c === connection) {
      try {
        if (c.state === signalR.HubConnectionState.Disconnected) await c.start();
        if (c.state === signalR.HubConnectionState.Connected) {
          const day = await c.invoke("Watch", sessionId, centreId, date);
          if (c !== connection) return;
          render(day);
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
    if (!sessionStorage.getItem(tokenKey)) { showLogin(); return; }
    const previous = connection;
    connection = null;
    if (previous) await previous.stop();
    const c = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/exam-day", { accessTokenFactory: () => sessionStorage.getItem(tokenKey) || "" })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(1000 * (ctx.previousRetryCount + 1), 5000) })
      .build();
    connection = c;
    c.on("dayChanged", day => { if (c === connection) render(day); });
    c.onreconnecting(() => { if (c === connection) setConnection("reconnecting", "Reconnexion…"); });
    c.onreconnected(() => connectForever(c));
    c.onclose(() => { if (c === connection) { setConnection("reconnecting", "Reconnexion…"); connectForever(c); } });
    setConnection("connecting", "Connexion…");
    await connectForever(c);
  }

  start();
})();
