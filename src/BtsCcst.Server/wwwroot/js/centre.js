// Live centre day: rooms → commissions → exams with their status, pushed over /hubs/exam-day.
// With the centre manager's token, each exam has its buttons, the day can be repaired after its events
// (a proposal shown as a diff, then accepted or refused) and closed.
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
  // Rooms are named by the plan ("Salle 1") or by the centre: "Salle" only when the name does not say it.
  const roomLabel = r => /^salle\b/i.test(String(r)) ? String(r) : `Salle ${r}`;
  let current = null;
  // The hub's words without the transport's ("… HubException: ") nor the file they come from ("(centres.csv)").
  const plainWords = e => String(e && e.message || e).replace(/^.*HubException:\s*/, "").replace(/\s*\(centres\.csv\)/, "");
  const notFound = e => /n'existe pas|n'accueille pas/.test(String(e && e.message || e));

  el("centre-id").textContent = centreId;
  el("session-id").textContent = sessionId;
  el("day-date").textContent = frDate(date);

  const dayUrl = `/api/sessions/${encodeURIComponent(sessionId)}/centres/${encodeURIComponent(centreId)}/days/${date}`;
  const page = BtsLivePage.create({
    tokenKey, mainId: "day", hubPath: "/hubs/exam-day", updateMethod: "dayChanged",
    watch: c => c.invoke("Watch", sessionId, centreId, date),
    render: day => render(day),
    // An unknown centre or a day without exams is not a refusal: say so and keep the token (a wrong link, not a wrong person).
    refusal: e => notFound(e) ? null : /HubException|401|403/.test(String(e && e.message || e)) ? `Accès refusé : ${plainWords(e)}` : null,
    gone: e => notFound(e) ? `Introuvable : ${plainWords(e)}` : null,
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
    const buttons = exam.withdrawn
      ? `<span class="withdrawn-note">retiré du planning</span>`
      : isManager() && !closed
        ? actions.filter(a => a.when.includes(exam.status) && (!a.prep || exam.prepStart))
          .map(a => `<button type="button" data-kind="${a.kind}">${a.label}</button>`).join(" ")
        : "";
    return `<tr data-candidate="${text(exam.candidateNumber)}" data-unit="${text(exam.unit)}"${exam.withdrawn ? ` class="withdrawn" data-withdrawn title="Retiré du planning par une réparation"` : ""}>
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
        <h2>${text(roomLabel(room.room))}</h2>
        ${room.commissions.map(c => `
          <div class="commission" data-commission="${text(c.commissionId)}">
            <h3><a class="commission-link" href="${commissionUrl(c.commissionId)}">Commission ${text(c.commissionId)}</a> <span class="hint">(${examinerLinks(c.examinerIds)})</span></h3>
            <table class="exams"><thead><tr><th>Horaire</th><th class="number">N°</th><th class="name">Candidat</th><th>Unité</th><th>Statut</th><th>Retard</th><th></th></tr></thead>
            <tbody>${c.exams.map(e => examRow(e, day.closed)).join("")}</tbody></table>
          </div>`).join("")}
      </section>`).join("");
    renderNow(day);
    if (isManager()) fillEventForms(day);
    defaultFrom(day);
    syncRepair(day);
  }

  const api = (method, path, body) => page.api(method, dayUrl + path, body);

  const calendarUrl = id => `/api/sessions/${encodeURIComponent(sessionId)}/examiners/${encodeURIComponent(id)}/calendar.ics`;
  const commissionUrl = id => `/commission/${encodeURIComponent(id)}?session=${encodeURIComponent(sessionId)}&centre=${encodeURIComponent(centreId)}&date=${date}`;
  /** Examiners as links to their calendars. */
  const examinerLinks = ids => ids.map(id => `<a class="examiner" data-examiner="${text(id)}" href="${calendarUrl(id)}" title="Calendrier de ${text(id)}">${text(id)}</a>`).join(", ");

  // ——— "Maintenant": in each room, who is examined, who prepares, who comes next ———
  const who = e => `${text(e.candidateNumber)} ${text(e.lastName)} (${text(e.unit)}, ${e.prepStart && e.status !== "IN_EXAM" ? `prép. ${text(e.prepStart)}, ` : ""}${text(e.examStart)})`;
  function renderNow(day) {
    el("now").hidden = day.rooms.length === 0;
    el("now-time").textContent = isToday ? `(${clockNow()})` : "";
    el("now-rooms").querySelector("tbody").innerHTML = day.rooms.map(room => {
      const exams = room.commissions.flatMap(c => c.exams).filter(e => !e.withdrawn)
        .sort((a, b) => (a.prepStart || a.examStart).localeCompare(b.prepStart || b.examStart));
      const inExam = exams.filter(e => e.status === "IN_EXAM");
      const inPrep = exams.filter(e => e.status === "IN_PREPARATION");
      const next = exams.find(e => e.status === "CONVOKED" || e.status === "PRESENT");
      return `<tr data-room="${text(room.room)}"><td>${text(roomLabel(room.room))}</td>
        <td class="in-exam">${inExam.map(who).join("<br>") || "—"}</td><td class="in-prep">${inPrep.map(who).join("<br>") || "—"}</td>
        <td class="next">${next ? who(next) : "—"}</td></tr>`;
    }).join("");
  }

  // ——— The manager records an examiner's absence or a room's closure ———
  function fillEventForms(day) {
    const examiners = [...new Set(day.rooms.flatMap(r => r.commissions.flatMap(c => c.examinerIds)))].sort();
    const keep = (select, values) => {
      const chosen = select.value;
      select.innerHTML = values.map(v => `<option value="${text(v)}">${text(v)}</option>`).join("");
      if (values.includes(chosen)) select.value = chosen;
    };
    keep(el("absence-examiner"), examiners);
    keep(el("closure-room"), day.rooms.map(r => r.room));
  }
  el("absence-all-day").addEventListener("change", () => {
    el("absence-from").disabled = el("absence-to").disabled = el("absence-all-day").checked;
  });
  async function recordEvent(body, done) {
    try {
      render(await api("POST", "/events", body));
      message(done, true);
    } catch (error) { message(error.message, false); }
  }
  el("absence-form").addEventListener("submit", e => {
    e.preventDefault();
    const allDay = el("absence-all-day").checked;
    const body = { kind: "examiner-absent", examinerId: el("absence-examiner").value, reason: el("absence-reason").value || null };
    if (!allDay) {
      body.from = el("absence-from").value || null;
      body.to = el("absence-to").value || null;
      if (!body.from && !body.to) { message("Indiquez l'heure de début ou de fin de l'absence, ou cochez « toute la journée ».", false); return; }
    }
    const span = allDay ? "toute la journée" : `${body.from ? `de ${body.from}` : ""}${body.to ? ` jusqu'à ${body.to}` : " jusqu'à la fin de la journée"}`;
    recordEvent(body, `Absence de ${body.examinerId} (${span}) enregistrée : demandez une réparation pour en tenir compte.`);
  });
  el("closure-form").addEventListener("submit", e => {
    e.preventDefault();
    const body = { kind: "room-unavailable", room: el("closure-room").value, from: el("closure-from").value, to: el("closure-to").value,
      reason: el("closure-reason").value || null };
    recordEvent(body, `${roomLabel(body.room)} indisponible de ${body.from} à ${body.to} : enregistré ; demandez une réparation pour en tenir compte.`);
  });

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

  // ——— Repair of the day: propose from a time, see the diff, accept or refuse ———

  const repairStates = {
    PROPOSED: "proposée, en attente de décision", ACCEPTED: "acceptée", REJECTED: "refusée", FAILED: "impossible",
  };
  const changeKinds = {
    moved: "Déplacée", commission: "Autre commission", room: "Autre salle", withdrawn: "Retirée du planning", added: "Ajoutée",
  };
  let repair = null;        // the proposal shown
  let repairVersion = 0;    // bumped by each request of this screen, so that an older answer does not overwrite a newer one
  let repairBusy = false;   // a proposal, acceptance or refusal of this screen is under way
  let loadingRepair = null; // the repair being read (GET)
  const mayRepair = () => isManager();
  const maySeeRepairs = () => isManager() || page.claims().role === "organiser";
  const repairPath = id => `/repairs/${encodeURIComponent(id)}`;
  const frDateTime = iso => new Date(iso).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" });
  const plural = (n, one, many) => `${n} ${n > 1 ? many : one}`;

  // "À partir de": now when the day is today (on this computer's clock), empty otherwise. Left as filled, it
  // follows the clock: the server then repairs from its own "now" (a minute's skew would make it refuse the time).
  const pad = n => String(n).padStart(2, "0");
  const clockNow = () => { const now = new Date(); return `${pad(now.getHours())}:${pad(now.getMinutes())}`; };
  const isToday = (() => { const now = new Date(); return date === `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`; })();
  let prefilled = isToday ? clockNow() : null;
  if (prefilled) el("repair-from").value = prefilled;
  // Another day (a rehearsal, or a day prepared ahead): from the first exam not begun yet, until the manager changes it.
  let fromTouched = false;
  el("repair-from").addEventListener("input", () => { fromTouched = true; });
  function defaultFrom(day) {
    if (isToday || fromTouched) return;
    const waiting = day.rooms.flatMap(r => r.commissions.flatMap(c => c.exams))
      .filter(e => !e.withdrawn && (e.status === "CONVOKED" || e.status === "PRESENT")).map(e => e.prepStart || e.examStart).sort();
    if (waiting.length) el("repair-from").value = waiting[0];
  }

  /** The page of the commission an examiner sits in on this day after the repair (else their calendar). */
  function commissionsOf(id) {
    const change = repair?.changes.find(c => c.after && c.after.date === date && c.after.examinerIds.includes(id));
    const commission = change?.after.commissionId
      || current?.rooms.flatMap(r => r.commissions).find(c => c.examinerIds.includes(id))?.commissionId;
    return commission ? commissionUrl(commission) : calendarUrl(id);
  }

  function repairError(value) {
    el("repair-error").textContent = value || "";
  }

  /** An exam's place in the diff: times (and the date when it is another day), room, commission. */
  function slot(s) {
    if (!s) return "—";
    const times = `${s.prepStart ? `${s.prepStart} (prép.) · ` : ""}${s.examStart}–${s.examEnd}`;
    const day = s.date !== date ? `le ${frDate(s.date)}, ` : "";
    return `<span class="slot-time">${text(day)}${text(times)}</span><br><span class="slot-room">${text(roomLabel(s.room))}</span>
      · <span class="slot-commission">commission ${text(s.commissionId)} (${examinerLinks(s.examinerIds)})</span>`;
  }

  function changeRow(c) {
    return `<tr data-candidate="${text(c.candidateNumber)}" data-unit="${text(c.unit)}" data-kind="${text(c.kind)}">
      <td class="name">${text(c.candidateNumber)} ${text(c.lastName)} ${text(c.firstName)}</td><td class="unit">${text(c.unit)}</td>
      <td class="before">${slot(c.before)}</td><td class="after">${slot(c.after)}</td>
      <td class="kind">${text(changeKinds[c.kind] || c.kind)}</td><td class="why">${text(c.description.replace(/^Candidat [^—]*— /, ""))}</td></tr>`;
  }

  function showRepair(proposal) {
    repair = proposal;
    el("repair").hidden = false;
    el("repair-proposal").hidden = false;
    el("repair-id").textContent = proposal.repairId;
    el("repair-state").textContent = repairStates[proposal.state] || proposal.state;
    el("repair-state").dataset.state = proposal.state;
    const decided = proposal.decidedBy
      ? ` ${proposal.state === "ACCEPTED" ? "Acceptée" : "Refusée"} par ${proposal.decidedBy.name} le ${frDateTime(proposal.decidedAt)}.` : "";
    el("repair-summary").textContent =
      `Demandée par ${proposal.requestedBy.name} le ${frDateTime(proposal.requestedAt)}, à partir de ${proposal.from} ; `
      + `calculée en ${proposal.seconds.toLocaleString("fr-FR", { maximumFractionDigits: 1 })} s`
      + `${proposal.state === "FAILED" ? "" : proposal.optimal ? " (solution optimale)" : " (meilleure solution trouvée dans le temps imparti)"}.${decided}`;
    el("repair-failure").hidden = !proposal.failure;
    el("repair-failure").textContent = proposal.failure ? `Réparation impossible : ${proposal.failure}` : "";

    const tile = (label, value, id) => `<div class="tile" id="${id}"><span class="label">${label}</span><span class="value">${text(value)}</span></div>`;
    el("repair-figures").innerHTML = proposal.state === "FAILED" ? "" : [
      tile("Épreuves qui changent", proposal.changes.length, "repair-changed"),
      tile("Candidats concernés", proposal.candidates.length, "repair-candidates"),
      tile("Autres candidats déplacés", proposal.candidatesMoved, "repair-moved"),
      tile("Examinateurs dont la journée change", proposal.examinersChanged, "repair-examiners-changed"),
      tile("Retard cumulé", `${proposal.totalDelayMinutes} min`, "repair-delay"),
      tile("Épreuves non replacées", proposal.unplaced.length, "repair-unplaced-count"),
    ].join("");

    el("repair-changes").innerHTML = proposal.state === "FAILED" ? "" : proposal.changes.length === 0
      ? `<p class="hint">Aucune épreuve ne change.</p>`
      : `<table id="repair-diff" class="diff"><thead><tr><th class="name">Candidat</th><th class="unit">Épreuve</th>
          <th class="before">Avant</th><th class="after">Après</th><th class="kind">Changement</th><th class="why">Explication</th></tr></thead>
          <tbody>${proposal.changes.map(changeRow).join("")}</tbody></table>`;

    el("repair-unplaced").hidden = proposal.unplaced.length === 0;
    el("repair-unplaced").innerHTML = `<h4>Épreuves non replacées</h4><ul>${proposal.unplaced.map(u =>
      `<li data-unplaced="${text(u.candidateNumber)}/${text(u.unit)}">Candidat ${text(u.candidateNumber)}, ${text(u.unit)} : ${text(u.reason)}</li>`).join("")}</ul>`;
    el("repair-violations").hidden = proposal.violations.length === 0;
    el("repair-violations").innerHTML = `<h4 class="error">Règles enfreintes par cette proposition</h4><ul class="error">${proposal.violations.map(v =>
      `<li>${text(v)}</li>`).join("")}</ul>`;

    el("repair-decision").hidden = !(mayRepair() && proposal.state === "PROPOSED" && !current?.closed);
    el("repair-accept").disabled = el("repair-reject").disabled = repairBusy;

    const accepted = proposal.state === "ACCEPTED";
    el("repair-documents").hidden = !accepted;
    el("repair-documents").innerHTML = !accepted ? "" : `
      <h4>Documents à diffuser</h4>
      <p><button id="repair-convocations" type="button">Nouvelles convocations (PDF, ${plural(proposal.candidates.length, "candidat", "candidats")})</button>
        <span id="repair-documents-message" role="status"></span></p>
      <p>Candidats concernés (nouvelle convocation) : ${proposal.candidates.map(c => `${text(c.candidateNumber)} ${text(c.lastName)} ${text(c.firstName)}`).join(", ") || "aucun"}.</p>
      <p>Examinateurs concernés (leur calendrier à jour, à télécharger par eux-mêmes ou par l'organisateur) :</p>
      <ul id="repair-examiners">${proposal.examiners.map(x =>
        `<li data-examiner="${text(x.examinerId)}"><a href="${text(x.calendarUrl)}">${text(x.examinerId)} — calendrier</a>
          · <a href="${commissionsOf(x.examinerId)}">ses épreuves du jour</a></li>`).join("") || "<li>aucun</li>"}</ul>`;
  }

  /** Follows the day's pending repair: a proposal made on another screen, or decided there. */
  function syncRepair(day) {
    // The manager's panel; the organiser sees the proposals, without deciding.
    el("repair").hidden = !mayRepair() && !(maySeeRepairs() && repair);
    el("repair-form").hidden = !mayRepair() || day.closed;
    if (repair && day.closed) el("repair-decision").hidden = true;
    if (!maySeeRepairs() || repairBusy) return;
    const pending = day.pendingRepairId;
    if (pending && pending !== repair?.repairId) loadRepair(pending);
    else if (!pending && repair?.state === "PROPOSED") loadRepair(repair.repairId);
  }

  // One read at a time; a day pushed meanwhile has it read again once done (it may have been decided since).
  let loadAgain = false;
  async function loadRepair(id) {
    if (loadingRepair) { loadAgain = true; return; }
    loadingRepair = id;
    loadAgain = false;
    const version = repairVersion;
    try {
      const proposal = await api("GET", repairPath(id));
      if (version === repairVersion && !repairBusy) showRepair(proposal);
    } catch (error) {
      if (version === repairVersion) repairError(error.message);
    } finally {
      loadingRepair = null;
      if (loadAgain && current) { loadAgain = false; syncRepair(current); }
    }
  }

  /** Runs one of this screen's repair requests: the others wait, and what it answers is shown. */
  async function repairRequest(progress, request) {
    if (repairBusy) return;
    repairBusy = true;
    repairVersion++;
    repairError("");
    el("repair-progress").textContent = progress;
    el("repair-propose").disabled = el("repair-accept").disabled = el("repair-reject").disabled = true;
    try {
      showRepair(await request());
    } catch (error) {
      repairError(error.message);
    } finally {
      repairBusy = false;
      el("repair-progress").textContent = "";
      el("repair-propose").disabled = el("repair-accept").disabled = el("repair-reject").disabled = false;
    }
  }

  el("repair-form").addEventListener("submit", e => {
    e.preventDefault();
    let from = el("repair-from").value;
    if (prefilled && from === prefilled) {
      el("repair-from").value = prefilled = clockNow();
      from = "";
    }
    const body = from ? { from } : {};
    const limit = parseFloat(String(el("repair-limit").value).replace(",", "."));
    if (!Number.isNaN(limit)) body.timeLimitSeconds = limit;
    repairRequest("Calcul de la réparation…", () => api("POST", "/repairs", body));
  });
  el("repair-accept").addEventListener("click", () => {
    if (!repair) return;
    repairRequest("Application de la réparation…", () => api("POST", `${repairPath(repair.repairId)}/accept`));
  });
  el("repair-reject").addEventListener("click", () => {
    if (!repair) return;
    repairRequest("Refus de la réparation…", () => api("POST", `${repairPath(repair.repairId)}/reject`));
  });

  // The convocations need the token, so they are fetched here and handed to the browser as a blob.
  el("repair-documents").addEventListener("click", async e => {
    const button = e.target.closest("#repair-convocations");
    if (!button || !repair) return;
    const say = (value, ok) => { el("repair-documents-message").textContent = value; el("repair-documents-message").className = ok ? "ok" : "error"; };
    button.disabled = true;
    say("Préparation des convocations…", true);
    try {
      const response = await fetch(repair.convocationsUrl, { headers: page.authHeaders(), credentials: "same-origin" });
      if (!response.ok) {
        const problem = await response.json().catch(() => null);
        throw new Error(problem?.detail || `Erreur ${response.status}`);
      }
      const name = `convocations-${sessionId}-${centreId}-${repair.repairId}.pdf`;
      BtsLivePage.saveBlob(await response.blob(), name);
      say(`Convocations téléchargées (${name}).`, true);
    } catch (error) {
      say(`Convocations : ${error.message}`, false);
    } finally {
      button.disabled = false;
    }
  });

  page.start();
})();
