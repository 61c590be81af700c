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
  // Rooms are often named "Salle 2" already: no "salle Salle 2".
  const roomWords = room => /^salle\b/i.test(String(room)) ? String(room) : `salle ${room}`;
  const el = id => document.getElementById(id);
  const text = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]);

  // The API names its fields (« candidateNumber »); a page tells the person in words.
  const fieldWords = { candidateNumber: "le numéro du candidat", examinerId: "l'examinateur", reason: "le motif", minutes: "la durée en minutes",
    unit: "l'épreuve", room: "la salle", from: "l'heure de début", to: "l'heure de fin", result: "la note", units: "les épreuves" };
  const withoutApiNames = text => String(text ?? "").replace(/\s*\(« ?[a-zA-Z]+ ?»\)/g, "")
    .replace(/« ?([a-zA-Z]+) ?»/g, (all, name) => fieldWords[name] || all).replace(/^.*HubException:\s*/, "");

  // The hub's words without the transport's ("An unexpected error… HubException: …").
  const plainWords = e => String(e && e.message || e).replace(/^.*HubException:\s*/, "").replace(/\s*\(centres\.csv\)/, "");
  const notFound = e => /n'existe pas|n'accueille pas|inconnu/.test(String(e && e.message || e));

  el("commission-id").textContent = commissionId;
  el("session-id").textContent = sessionId;
  el("centre-id").textContent = centreId;
  el("day-date").textContent = date.split("-").reverse().join("/");

  const page = BtsLivePage.create({
    tokenKey, mainId: "day", hubPath: "/hubs/exam-day", updateMethod: "dayChanged",
    watch: c => c.invoke("Watch", sessionId, centreId, date),
    render: day => render(day),
    // A day without exams or an unknown centre is not a refusal: say so and keep the token (a wrong link, not a wrong person).
    refusal: e => notFound(e) ? null : /HubException|401|403/.test(String(e && e.message || e)) ? `Accès refusé : ${plainWords(e)}` : null,
    gone: e => notFound(e) ? `Introuvable : ${plainWords(e)}` : null,
  });
  el("dev-form").addEventListener("submit", e => {
    e.preventDefault();
    page.useDevToken({ role: "examiner", name: el("examiner-input").value.trim() });
  });

  // --- Marks: the current value of each exam, shown in its row; entered through a form, sent at once or kept until the
  // connection returns (localStorage, so a reload keeps them too), never dropped without saying so. ---

  const marks = new Map();       // "number|unit" → { result, state: "saved" | "pending" | "refused", detail }
  const asked = new Set();       // exams whose current mark was already asked for
  const pendingKey = `btsccst-pending-marks-${sessionId}-${commissionId}`;
  const keyOf = (number, unit) => `${number}|${unit}`;
  const frenchMark = result => String(result ?? "").replace(/(\d)\.(\d)/g, "$1,$2");
  const markUrl = (number, unit) => `/api/sessions/${encodeURIComponent(sessionId)}/candidates/${encodeURIComponent(number)}/results/${encodeURIComponent(unit)}`;
  let lastDay = null;

  const pending = () => { try { return JSON.parse(localStorage.getItem(pendingKey) || "[]"); } catch { return []; } };
  const savePending = list => localStorage.setItem(pendingKey, JSON.stringify(list));
  for (const p of pending()) marks.set(keyOf(p.number, p.unit), { result: p.result, state: "pending" });

  function markCell(e) {
    const m = marks.get(keyOf(e.candidateNumber, e.unit));
    if (!m) return "";
    if (m.state === "pending") return `<span class="mark-pending">${text(frenchMark(m.result))} — en attente d'envoi</span>`;
    if (m.state === "refused") return `<span class="mark-refused">${text(frenchMark(m.result))} refusée : ${text(m.detail)}</span>`;
    return `<strong class="mark-saved">${text(frenchMark(m.result))}</strong>`;
  }

  async function currentMark(number, unit) {
    const view = await send("GET", `/api/sessions/${encodeURIComponent(sessionId)}/candidates/${encodeURIComponent(number)}`);
    const cell = (view.summary?.results || []).find(r => r.unit === unit);
    return cell ? cell.result : null;
  }

  // The marks already entered for the exams that may have one (their rows show them).
  function askMarks(exams) {
    for (const e of exams) {
      const key = keyOf(e.candidateNumber, e.unit);
      if (e.withdrawn || !["IN_EXAM", "DONE", "ABSENT", "ABSENT_EXCUSED"].includes(e.status) || asked.has(key) || marks.has(key)) continue;
      asked.add(key);
      currentMark(e.candidateNumber, e.unit).then(result => {
        if (result !== null && !marks.has(key)) { marks.set(key, { result, state: "saved" }); if (lastDay) render(lastDay); }
      }).catch(() => asked.delete(key));
    }
  }

  function showPending() {
    const count = pending().length;
    el("pending-banner").hidden = count === 0;
    el("pending-banner").textContent = count === 0 ? ""
      : `${count} note(s) en attente d'envoi : pas de connexion au serveur. Elles partiront d'elles-mêmes dès son retour ; gardez cette page ouverte.`;
  }

  const transient = status => status === undefined || status === 0 || status === 502 || status === 503 || status === 504;

  // Sends one mark; a lost connection keeps it pending, a refusal is shown and the mark is dropped from the queue.
  async function sendMark(number, unit, result) {
    const key = keyOf(number, unit);
    try {
      const summary = await send("PUT", markUrl(number, unit), { result });
      const cell = (summary?.results || []).find(r => r.unit === unit);
      marks.set(key, { result: cell ? cell.result : result, state: "saved" });
      savePending(pending().filter(p => keyOf(p.number, p.unit) !== key));
      return { ok: true };
    } catch (error) {
      if (transient(error.status)) {
        savePending([...pending().filter(p => keyOf(p.number, p.unit) !== key), { number, unit, result }]);
        marks.set(key, { result, state: "pending" });
        return { ok: false, pending: true };
      }
      savePending(pending().filter(p => keyOf(p.number, p.unit) !== key));
      marks.set(key, { result, state: "refused", detail: error.message });
      return { ok: false, refused: error.message };
    } finally {
      showPending();
      if (lastDay) render(lastDay);
    }
  }

  let flushing = false;
  async function flushPending() {
    if (flushing || pending().length === 0 || !navigator.onLine) return;
    flushing = true;
    try {
      for (const p of pending()) {
        const outcome = await sendMark(p.number, p.unit, p.result);
        if (outcome.pending) break;
        if (outcome.ok) message(`Note ${frenchMark(p.result)} de ${p.number} en ${p.unit} envoyée au retour de la connexion.`, true);
        else message(`Note ${frenchMark(p.result)} de ${p.number} en ${p.unit} refusée par le serveur : ${outcome.refused}`, false);
      }
    } finally { flushing = false; }
  }
  window.addEventListener("online", flushPending);
  setInterval(flushPending, 3000);

  // --- The mark form ---

  let editing = null;

  function parseMark(value) {
    const v = value.trim().toUpperCase();
    if (["ABS", "ABSJ", "NV"].includes(v)) return v;
    if (!/^\d{1,2}([.,]\d{1,2})?$/.test(v)) return null;
    const n = Number(v.replace(",", "."));
    return n >= 0 && n <= 20 ? v.replace(",", ".") : null;
  }

  async function openMarkForm(number, unit, name) {
    editing = { number, unit, current: null };
    el("mark-title").textContent = `Note de ${number} ${name} en ${unit}`;
    el("mark-input").value = "";
    el("mark-error").textContent = "";
    el("overwrite").checked = false;
    el("overwrite-label").hidden = true;
    const known = marks.get(keyOf(number, unit));
    el("mark-current").textContent = "Note actuelle : recherche…";
    el("mark-dialog").showModal();
    el("mark-input").focus();
    let current = known && known.state === "saved" ? known.result : null;
    let words = "";
    try { current = await currentMark(number, unit); }
    catch { words = " (dernière valeur connue : pas de connexion au serveur)"; }
    if (!editing || editing.number !== number || editing.unit !== unit) return;
    editing.current = current;
    el("mark-current").textContent = current === null ? `Note actuelle : aucune${words}.` : `Note actuelle : ${frenchMark(current)}${words}.`;
    if (current !== null) {
      el("overwrite-text").textContent = `Remplacer la note actuelle (${frenchMark(current)})`;
      el("overwrite-label").hidden = false;
      el("mark-input").value = frenchMark(current);
      el("mark-input").select();
    }
  }

  el("mark-cancel").addEventListener("click", () => { editing = null; el("mark-dialog").close(); });

  el("mark-form").addEventListener("submit", async e => {
    e.preventDefault();
    if (!editing) return;
    const { number, unit, current } = editing;
    const result = parseMark(el("mark-input").value);
    if (result === null) { el("mark-error").textContent = "Note invalide : un nombre de 0 à 20 (par ex. 14,5), ou ABS, ABSJ, NV."; return; }
    if (current !== null && result !== current && Number(result) !== Number(current) && !el("overwrite").checked) {
      el("mark-error").textContent = `Une note ${frenchMark(current)} est déjà enregistrée : cochez « Remplacer la note actuelle » pour la changer.`;
      el("overwrite").focus();
      return;
    }
    el("mark-save").disabled = true;
    try {
      const outcome = navigator.onLine ? await sendMark(number, unit, result) : (() => {
        savePending([...pending().filter(p => keyOf(p.number, p.unit) !== keyOf(number, unit)), { number, unit, result }]);
        marks.set(keyOf(number, unit), { result, state: "pending" });
        showPending();
        if (lastDay) render(lastDay);
        return { pending: true };
      })();
      if (outcome.refused) { el("mark-error").textContent = outcome.refused; marks.delete(keyOf(number, unit)); if (lastDay) render(lastDay); return; }
      editing = null;
      el("mark-dialog").close();
      message(outcome.pending
        ? `Pas de connexion : la note ${frenchMark(result)} de ${number} en ${unit} est gardée et partira au retour de la connexion.`
        : `Note ${frenchMark(result)} enregistrée pour ${number} en ${unit}.`, !outcome.pending);
    } finally { el("mark-save").disabled = false; }
  });

  function buttonsOf(e, closed, big) {
    if (e.withdrawn) return `<span class="withdrawn-note">retiré du planning</span>`;
    const cls = big ? ' class="big"' : "";
    const steps = closed ? "" : actions.filter(a => a.when.includes(e.status) && (!a.prep || e.prepStart))
      .map(a => `<button type="button"${cls} data-kind="${a.kind}">${a.label}</button>`).join(" ");
    const entered = marks.get(keyOf(e.candidateNumber, e.unit));
    const markButton = e.status === "DONE" || e.status === "IN_EXAM"
      ? ` <button type="button"${cls} data-mark>${entered && entered.state !== "refused" ? "Modifier la note" : "Saisir la note"}</button>` : "";
    return steps + markButton;
  }

  function render(day) {
    lastDay = day;
    el("login").hidden = true;
    el("day").hidden = false;
    el("closed-banner").hidden = !day.closed;
    // A repair that takes a member away or brings a replacement names the commission "{id}-R{n}": still this commission's day.
    const exams = day.rooms.flatMap(r => r.commissions).filter(c => c.commissionId === commissionId || c.commissionId.startsWith(`${commissionId}-R`))
      .flatMap(c => c.exams).sort((a, b) => (a.prepStart || a.examStart).localeCompare(b.prepStart || b.examStart) || a.examStart.localeCompare(b.examStart));
    // The next candidate: the one in exam, else the first still waiting.
    const next = exams.find(e => !e.withdrawn && e.status === "IN_EXAM") || exams.find(e => !e.withdrawn && waiting.includes(e.status));
    el("next-candidate").innerHTML = next
      ? `<strong>${text(next.candidateNumber)} ${text(next.lastName)} ${text(next.firstName)}</strong><br>`
        + `${text(next.unit)} à ${text(next.examStart)}, ${text(roomWords(next.room))} — <span class="status-word">${text(statusLabels[next.status])}</span>`
      : "aucun";
    const nextActions = el("next-actions");
    if (next) {
      nextActions.dataset.candidate = next.candidateNumber;
      nextActions.dataset.unit = next.unit;
      nextActions.dataset.name = `${next.lastName} ${next.firstName}`;
    }
    nextActions.innerHTML = next ? buttonsOf(next, day.closed, true) : "";
    el("empty").hidden = exams.length > 0;
    el("exams").querySelector("tbody").innerHTML = exams.map(e => {
      // An exam a repair took out of the plan stays, greyed, until the day is closed.
      return `<tr data-candidate="${text(e.candidateNumber)}" data-unit="${text(e.unit)}" data-name="${text(`${e.lastName} ${e.firstName}`)}" class="${e === next ? "next" : e.withdrawn ? "withdrawn" : ""}"${e.withdrawn ? " data-withdrawn" : ""}>
        <td class="time" data-label="Horaire">${text(e.prepStart ? `${e.prepStart} (prép.) · ` : "")}${text(e.examStart)}–${text(e.examEnd)}</td>
        <td class="number" data-label="N°">${text(e.candidateNumber)}</td><td class="name" data-label="Candidat">${text(e.lastName)} ${text(e.firstName)}</td>
        <td class="unit" data-label="Unité">${text(e.unit)}</td><td class="exam-room" data-label="Salle">${text(e.room)}</td>
        <td class="status" data-label="Statut" data-status="${text(e.status)}">${text(statusLabels[e.status] || e.status)}</td>
        <td class="late" data-label="Retard">${e.lateMinutes ? `+${e.lateMinutes} min` : ""}</td>
        <td class="mark" data-label="Note">${markCell(e)}</td><td class="buttons">${buttonsOf(e, day.closed, false)}</td></tr>`;
    }).join("");
    askMarks(exams);
    showPending();
    flushPending();
  }

  const send = (method, url, body) => page.api(method, url, body).catch(error => {
    // fetch's own failure (no network) has no status: the caller keeps what it was sending.
    if (error instanceof TypeError) throw Object.assign(new Error("Pas de connexion au serveur."), { status: 0 });
    throw Object.assign(new Error(withoutApiNames(error.message)), { status: error.status });
  });

  function message(value, ok) {
    el("action-message").textContent = value;
    el("action-message").className = ok ? "ok" : "error";
  }

  el("day").addEventListener("click", async e => {
    const button = e.target.closest("button");
    if (!button || !button.closest("#exams, #next-actions")) return;
    const holder = button.closest("[data-candidate]");
    const number = holder.dataset.candidate, unit = holder.dataset.unit;
    if (button.hasAttribute("data-mark")) { openMarkForm(number, unit, holder.dataset.name || ""); return; }
    try {
      render(await send("POST", `/api/sessions/${encodeURIComponent(sessionId)}/centres/${encodeURIComponent(centreId)}/days/${date}/events`,
        { kind: button.dataset.kind, candidateNumber: number, unit }));
      message(`${button.textContent} : candidat ${number} (${unit}) enregistré.`, true);
    } catch (error) {
      message(error.status === 0 ? `${button.textContent} non enregistré : pas de connexion au serveur, réessayez à son retour.` : error.message, false);
    }
  });

  page.start();
})();
