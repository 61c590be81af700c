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

  el("commission-id").textContent = commissionId;
  el("session-id").textContent = sessionId;
  el("centre-id").textContent = centreId;
  el("day-date").textContent = date.split("-").reverse().join("/");

  const page = BtsLivePage.create({
    tokenKey, mainId: "day", hubPath: "/hubs/exam-day", updateMethod: "dayChanged",
    watch: c => c.invoke("Watch", sessionId, centreId, date),
    render: day => render(day),
  });
  el("dev-form").addEventListener("submit", e => {
    e.preventDefault();
    page.useDevToken({ role: "examiner", name: el("examiner-input").value.trim() });
  });

  function render(day) {
    el("login").hidden = true;
    el("day").hidden = false;
    el("closed-banner").hidden = !day.closed;
    // A repair that takes a member away or brings a replacement names the commission "{id}-R{n}": still this commission's day.
    const exams = day.rooms.flatMap(r => r.commissions).filter(c => c.commissionId === commissionId || c.commissionId.startsWith(`${commissionId}-R`))
      .flatMap(c => c.exams).sort((a, b) => (a.prepStart || a.examStart).localeCompare(b.prepStart || b.examStart) || a.examStart.localeCompare(b.examStart));
    const next = exams.find(e => !e.withdrawn && waiting.includes(e.status));
    el("next-candidate").textContent = next
      ? `${next.candidateNumber} ${next.lastName} ${next.firstName} — ${next.unit} à ${next.examStart} (${statusLabels[next.status]})`
      : "aucun";
    el("empty").hidden = exams.length > 0;
    el("exams").querySelector("tbody").innerHTML = exams.map(e => {
      // An exam a repair took out of the plan stays, greyed, until the day is closed.
      const buttons = e.withdrawn ? `<span class="withdrawn-note">retiré du planning</span>`
        : day.closed ? "" : actions.filter(a => a.when.includes(e.status) && (!a.prep || e.prepStart))
          .map(a => `<button type="button" data-kind="${a.kind}">${a.label}</button>`).join(" ");
      const mark = !e.withdrawn && (e.status === "DONE" || e.status === "IN_EXAM") ? ` <button type="button" data-mark>Saisir la note</button>` : "";
      return `<tr data-candidate="${text(e.candidateNumber)}" data-unit="${text(e.unit)}" class="${e === next ? "next" : e.withdrawn ? "withdrawn" : ""}"${e.withdrawn ? " data-withdrawn" : ""}>
        <td class="time">${text(e.prepStart ? `${e.prepStart} (prép.) · ` : "")}${text(e.examStart)}–${text(e.examEnd)}</td>
        <td class="number">${text(e.candidateNumber)}</td><td class="name">${text(e.lastName)} ${text(e.firstName)}</td>
        <td class="unit">${text(e.unit)}</td><td>${text(e.room)}</td>
        <td class="status" data-status="${text(e.status)}">${text(statusLabels[e.status] || e.status)}</td>
        <td class="late">${e.lateMinutes ? `+${e.lateMinutes} min` : ""}</td><td class="buttons">${buttons}${mark}</td></tr>`;
    }).join("");
  }

  const send = (method, url, body) => page.api(method, url, body);

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

  page.start();
})();
