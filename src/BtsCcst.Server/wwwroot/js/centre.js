// Live centre day: rooms → commissions → exams with their status, pushed over /hubs/exam-day.
// With the centre manager's token, each exam has its buttons and the day can be closed.
"use strict";

(() => {
  const centreId = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] || "");
  const params = new URLSearchParams(location.search);
  const sessionId = params.get("session") || "2024";
  const date = params.get("date") || new Date().toISOString().slice(0, 10);
  const tokenKey = `btsccst-token-day-${sessionId}-${centreId}`;
  const statusLabels = {
    CONVOKED: "Convoqué", PRESENT: "Présent", IN_PREPARATION: "En préparation", IN_EXAM: "En interrogation",
    DONE: "Terminé", ABSENT: "Absent", ABSENT_EXCUSED: "Absent excusé",
  };
  const el = id => document.getElementById(id);
  const text = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]);
  const frDate = d => d.split("-").reverse().join("/");
  let current = null;

  el("centre-id").textContent = centreId;
  el("session-id").textContent = sessionId;
  el("day-date").textContent = frDate(date);

  const dayUrl = `/api/sessions/${encodeURIComponent(sessionId)}/centres/${encodeURIComponent(centreId)}/days/${date}`;
  const page = BtsLivePage.create({
    tokenKey, mainId: "day", hubPath: "/hubs/exam-day", updateMethod: "dayChanged",
    watch: c => c.invoke("Watch", sessionId, centreId, date),
    render: day => render(day),
  });
  const isManager = () => { const c = page.claims(); return c.role === "centre-manager" && c.scope === centreId; };
  el("dev-token").addEventListener("click", () =>
    page.useDevToken({ role: "centre-manager", name: `responsable ${centreId}`, scope: centreId }));

  const actions = [
    { kind: "candidate-present", label: "Présent", when: ["CONVOKED", "ABSENT", "ABSENT_EXCUSED"] },
    { kind: "candidate-absent", label: "Absent", when: ["CONVOKED", "ABSENT_EXCUSED"] },
    { kind: "candidate-excused", label: "Excusé", when: ["CONVOKED", "ABSENT"] },
    { kind: "candidate-late", label: "Retard", when: ["CONVOKED", "PRESENT"] },
    { kind: "preparation-started", label: "Préparation", when: ["PRESENT"], prep: true },
    { kind: "exam-started", label: "Début", when: ["PRESENT", "IN_PREPARATION"] },
    { kind: "exam-done", label: "Fin", when: ["IN_EXAM"] },
  ];

  function examRow(exam, closed) {
    const times = `${exam.prepStart ? `${exam.prepStart} (prép.) · ` : ""}${exam.examStart}–${exam.examEnd}`;
    const late = exam.lateMinutes ? `+${exam.lateMinutes} min` : "";
    const buttons = isManager() && !closed
      ? actions.filter(a => a.when.includes(exam.status) && (!a.prep || exam.prepStart))
        .map(a => `<button type="button" data-kind="${a.kind}">${a.label}</button>`).join(" ")
      : "";
    return `<tr data-candidate="${text(exam.candidateNumber)}" data-unit="${text(exam.unit)}">
      <td class="time">${text(times)}</td><td class="number">${text(exam.candidateNumber)}</td>
      <td class="name">${text(exam.lastName)} ${text(exam.firstName)}</td><td class="unit">${text(exam.unit)}</td>
      <td class="status" data-status="${text(exam.status)}">${text(statusLabels[exam.status] || exam.status)}</td>
      <td class="late">${text(late)}</td><td class="buttons">${buttons}</td></tr>`;
  }

  function render(day) {
    current = day;
    el("login").hidden = true;
    el("day").hidden = false;
    el("centre-name").textContent = day.centreName ? `— ${day.centreName}` : "";
    el("closed-banner").hidden = !day.closed;
    el("actions").hidden = !isManager();
    el("close-day").hidden = day.closed;
    const list = day.unavailabilities || [];
    el("unavailabilities").hidden = list.length === 0;
    el("unavailability-list").innerHTML = list.map(u => `<li>${text(u.description)}</li>`).join("");
    el("empty").hidden = day.rooms.length > 0;
    el("rooms").innerHTML = day.rooms.map(room => `
      <section class="room" data-room="${text(room.room)}">
        <h2>Salle ${text(room.room)}</h2>
        ${room.commissions.map(c => `
          <div class="commission" data-commission="${text(c.commissionId)}">
            <h3>Commission ${text(c.commissionId)} <span class="hint">(${text(c.examinerIds.join(", "))})</span></h3>
            <table class="exams"><thead><tr><th>Horaire</th><th class="number">N°</th><th class="name">Candidat</th><th>Unité</th><th>Statut</th><th>Retard</th><th></th></tr></thead>
            <tbody>${c.exams.map(e => examRow(e, day.closed)).join("")}</tbody></table>
          </div>`).join("")}
      </section>`).join("");
  }

  const api = (method, path, body) => page.api(method, dayUrl + path, body);

  function message(textValue, ok) {
    el("action-message").textContent = textValue;
    el("action-message").className = ok ? "ok" : "error";
  }

  el("rooms").addEventListener("click", async e => {
    const button = e.target.closest("button[data-kind]");
    if (!button) return;
    const row = button.closest("tr");
    const body = { kind: button.dataset.kind, candidateNumber: row.dataset.candidate, unit: row.dataset.unit };
    if (body.kind === "candidate-excused") {
      const reason = prompt("Motif de l'absence excusée (justificatif présenté) :");
      if (!reason) return;
      body.reason = reason;
    }
    if (body.kind === "candidate-late") {
      const minutes = parseInt(prompt("Retard en minutes :") || "", 10);
      if (!minutes) return;
      body.minutes = minutes;
    }
    try {
      render(await api("POST", "/events", body));
      message(`${button.textContent} : candidat ${body.candidateNumber} (${body.unit}) enregistré.`, true);
    } catch (error) { message(error.message, false); }
  });

  el("close-day").addEventListener("click", async () => {
    if (!confirm("Clore la journée ? ABS et ABSJ seront saisis pour les absents ; la journée ne changera plus.")) return;
    try {
      const closing = await api("POST", "/close");
      const line = e => `<li>${text(e.candidateNumber)} ${text(e.unit)}${e.result ? ` : ${text(e.result)}` : ""}${e.problem ? ` — ${text(e.problem)}` : ""}</li>`;
      el("closing-body").innerHTML = `
        <h3>Saisis (ABS / ABSJ) : ${closing.entered.length}</h3><ul id="closing-entered">${closing.entered.map(line).join("")}</ul>
        <h3>Non renseignés : ${closing.nonRenseignes.length}</h3><ul id="closing-non-renseignes">${closing.nonRenseignes.map(line).join("")}</ul>
        ${closing.refused.length ? `<h3>Refusés : ${closing.refused.length}</h3><ul>${closing.refused.map(line).join("")}</ul>` : ""}`;
      el("closing").hidden = false;
      message("Journée close.", true);
    } catch (error) { message(error.message, false); }
  });

  page.start();
})();
