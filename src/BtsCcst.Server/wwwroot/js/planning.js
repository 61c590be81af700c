// Planning page: starts a planning run through the API, follows its progress pushed by the
// planning hub (reconnecting by itself), and draws the session's schedule as a timeline per
// centre and date, one row per room and commission.
"use strict";

(() => {
  const params = new URLSearchParams(location.search);
  const sessionId = params.get("session") || "2024";
  const tokenKey = `btsccst-token-planning-${sessionId}`;
  const stateLabels = { running: "en cours", succeeded: "réussie", partial: "partielle", failed: "échouée" };
  const ended = view => view && view.state !== "running";

  let runId = null;   // the run this page follows
  let shown = null;   // the view of that run on screen

  const el = id => document.getElementById(id);
  el("session-id").textContent = sessionId;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  const number = (n, digits) => n === null || n === undefined ? "—"
    : Number(n).toLocaleString("fr-FR", { maximumFractionDigits: digits, minimumFractionDigits: 0 });

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    if (seconds < 60) return `${Number(seconds).toFixed(1).replace(".", ",")} s`;
    const whole = Math.round(seconds);
    return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
  }

  const deniedMessage = "Accès refusé : la planification est réservée à l'organisateur.";
  const page = BtsLivePage.create({
    tokenKey, mainId: "planning", hubPath: "/hubs/planning", updateMethod: "runChanged",
    watch: c => runId ? c.invoke("Watch", sessionId, runId) : c.invoke("WatchLatest", sessionId),
    onSnapshot: view => {
      if (view && !runId) runId = view.runId;
      applyView(view);
      loadSchedule();
    },
    onUpdate: view => applyView(view),
    refusal: e => /401|403|réservé/.test(String(e && e.message || e)) ? deniedMessage : null,
  });
  el("dev-token").addEventListener("click", () => page.useDevToken({ role: "organiser", name: "bureau des examens" }));

  async function api(method, path, body) {
    try {
      return await page.api(method, `/api/sessions/${encodeURIComponent(sessionId)}${path}`, body);
    } catch (error) {
      if (error.status === 401 || error.status === 403) throw Object.assign(new Error(deniedMessage), { denied: true });
      throw error;
    }
  }

  function denied(error) {
    sessionStorage.removeItem(tokenKey);
    page.showLogin(error.message);
  }

  function say(text, ok) {
    const message = el("action-message");
    message.textContent = text;
    message.className = ok ? "ok" : "error";
  }

  // --- The run ---

  // Pushes and answers may cross: an ended view is never replaced, a running one only by a later one.
  const rank = view => ended(view) ? Number.POSITIVE_INFINITY : view.elapsedSeconds;

  function applyView(view) {
    if (!view || view.runId !== runId) return;
    if (shown && shown.runId === view.runId && rank(view) < rank(shown)) return;
    const wasEnded = shown && shown.runId === view.runId && ended(shown);
    shown = view;
    renderRun(view);
    if (ended(view) && !wasEnded) {
      el("start-run").disabled = false;
      if (view.state !== "failed") {
        loadSchedule();
        showDecision(view.runId);
      }
    }
  }

  // --- What becomes of the plan: draft, proposal (compared with the schedule), published ---

  const dispositionTexts = {
    draft: "Ce plan est le planning brouillon de la session : les convocations le suivent. Publiez-le quand il vous convient ; une nouvelle planification le remplacerait.",
    published: "Ce plan est le planning publié de la session.",
    proposal: "Ce plan est une proposition : le planning de la session ne change pas tant que vous ne la publiez pas.",
    discarded: "Cette proposition a été écartée.",
    replaced: "Ce plan a été remplacé par un plan plus récent.",
  };

  async function showDecision(id, attempt = 0) {
    let run;
    try { run = await api("GET", `/planning-runs/${encodeURIComponent(id)}`); } catch { return; }
    if (id !== runId) return;
    // The plan is handed to the session just after the run ends: ask again for a moment.
    if (!run.disposition) { if (attempt < 20) setTimeout(() => showDecision(id, attempt + 1), 250); return; }
    el("run-decision").hidden = false;
    el("run-disposition").textContent = dispositionTexts[run.disposition] || run.dispositionLabel;
    el("run-comparison").textContent = "";
    el("run-refusal").hidden = true;
    el("publish-run").hidden = !(run.disposition === "draft" || run.disposition === "proposal");
    el("discard-run").hidden = run.disposition !== "proposal";
    el("publish-run").disabled = false;
    if (run.disposition !== "proposal") return;
    const comparison = await api("GET", `/planning-runs/${encodeURIComponent(id)}/comparison`);
    el("run-comparison").textContent =
      `Par rapport au planning en vigueur : ${comparison.examsChanged} épreuve(s) changée(s), la convocation de ${comparison.candidatesChanged.length} candidat(s) `
      + `et la journée de ${comparison.examinersChanged.length} examinateur(s) changeraient ; ${comparison.examsKept} épreuve(s) restent telles quelles.`;
    if (comparison.publishRefusal) {
      el("run-refusal").textContent = comparison.publishRefusal;
      el("run-refusal").hidden = false;
      el("publish-run").disabled = true;
    }
  }

  async function decide(action) {
    try {
      const result = await api("POST", `/planning-runs/${encodeURIComponent(runId)}/${action}`);
      say(action === "publish" ? "Plan publié : les convocations et les calendriers le suivent." : "Proposition écartée.", true);
      if (result.disposition === "published") loadSchedule();
      showDecision(runId);
    } catch (error) {
      if (error.denied) { denied(error); return; }
      say(error.message, false);
    }
  }

  el("publish-run").addEventListener("click", () => decide("publish"));
  el("discard-run").addEventListener("click", () => decide("discard"));

  function renderRun(view) {
    el("run").hidden = false;
    el("run-id").textContent = view.runId;
    const state = el("run-state");
    state.dataset.state = view.state;
    state.textContent = stateLabels[view.state] || view.state;
    const total = view.total || 0;
    const placed = view.placed || 0;
    const percent = total > 0 ? Math.min(100, Math.round(100 * placed / total)) : (ended(view) ? 100 : 0);
    const bar = document.querySelector(".progress");
    bar.setAttribute("aria-valuemax", String(total));
    bar.setAttribute("aria-valuenow", String(placed));
    bar.dataset.state = view.state;
    el("progress-fill").style.width = `${percent}%`;
    el("progress-text").textContent = `${placed} / ${total} oraux placés (${percent} %)`;
    el("run-phase").textContent = view.phase || "—";
    el("run-elapsed").textContent = duration(view.elapsedSeconds);
    el("run-placed").textContent = `${placed} / ${total}`;
    el("run-objective").textContent = number(view.objective, 2);
    el("run-bound").textContent = number(view.bound, 2);
    el("run-gap").textContent = view.gap === null || view.gap === undefined ? "—" : `${(view.gap * 100).toFixed(1).replace(".", ",")} %`;
    const sessionBound = el("run-session-bound");
    sessionBound.hidden = view.sessionBound === null || view.sessionBound === undefined;
    if (!sessionBound.hidden) sessionBound.textContent = `Aucun planning de cette session, quelle que soit la répartition des candidats et des examinateurs, ne peut coûter moins de ${number(view.sessionBound, 0)} (borne de la session ; écart de ce plan à cette borne : ${(view.sessionGap * 100).toFixed(1).replace(".", ",")} %).`;

    const reasons = view.reasons || [];
    el("run-reasons-block").hidden = reasons.length === 0;
    el("run-reasons").innerHTML = reasons.map(r => `<li>${escapeHtml(r)}</li>`).join("");
    const unplaced = view.unplaced || [];
    el("run-unplaced-block").hidden = unplaced.length === 0;
    document.querySelector("#run-unplaced tbody").innerHTML = unplaced.map(u =>
      `<tr><td class="number">${escapeHtml(u.candidateNumber)}</td><td class="unit">${escapeHtml(u.unit)}</td><td class="reason">${escapeHtml(u.reason)}</td></tr>`).join("");
    el("start-run").disabled = view.state === "running";
  }

  el("start-form").addEventListener("submit", async e => {
    e.preventDefault();
    const seconds = Number(el("time-limit").value);
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 1800) {
      say("La durée maximale doit être comprise entre 1 et 1800 secondes.", false);
      return;
    }
    el("start-run").disabled = true;
    try {
      const started = await api("POST", "/planning-runs", { timeLimitSeconds: seconds });
      const previous = runId;
      runId = started.runId;
      shown = null;
      el("run-decision").hidden = true;
      say(`Planification ${runId} lancée (au plus ${seconds} s).`, true);
      const c = page.connection();
      if (c && previous && c.state === signalR.HubConnectionState.Connected) c.invoke("Unwatch", sessionId, previous).catch(() => { });
      if (c && c.state === signalR.HubConnectionState.Connected) {
        try { applyView(await c.invoke("Watch", sessionId, runId)); } catch { page.rewatch(); }
      }
    } catch (error) {
      el("start-run").disabled = false;
      if (error.denied) { denied(error); return; }
      say(error.message, false);
    }
  });

  // --- The schedule, as a timeline ---

  const minutes = time => { const [h, m] = time.split(":").map(Number); return h * 60 + m; };
  const hhmm = time => time.slice(0, 5);

  function dateLabel(date) {
    const d = new Date(`${date}T00:00:00`);
    return d.toLocaleDateString("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  }

  let scheduleLoads = 0;

  async function loadSchedule() {
    const load = ++scheduleLoads;
    try {
      const rows = await api("GET", "/schedule");
      if (load === scheduleLoads) renderTimeline(rows);
    } catch (error) {
      if (error.denied) { denied(error); return; }
      el("schedule-summary").textContent = `Planning illisible : ${error.message}`;
    }
  }

  function renderTimeline(rows) {
    const timeline = el("timeline");
    el("schedule-summary").textContent = rows.length === 0
      ? "Aucun planning adopté pour cette session."
      : `${rows.length} oraux planifiés. La préparation apparaît en clair sous chaque épreuve.`;
    const days = new Map();
    for (const row of rows) {
      const key = `${row.centreId}|${row.date}`;
      if (!days.has(key)) days.set(key, []);
      days.get(key).push(row);
    }
    const sections = [...days.keys()].sort().map(key => renderDay(days.get(key)));
    timeline.replaceChildren(...sections);
  }

  function renderDay(rows) {
    const { centreId, date } = rows[0];
    const first = Math.min(...rows.map(r => minutes(r.prepStart || r.examStart)));
    const last = Math.max(...rows.map(r => minutes(r.examEnd)));
    const from = Math.floor(first / 60) * 60;
    const to = Math.max(from + 60, Math.ceil(last / 60) * 60);
    const at = m => `${(100 * (m - from) / (to - from)).toFixed(3)}%`;
    const span = (a, b) => `${(100 * (b - a) / (to - from)).toFixed(3)}%`;

    const lanes = new Map();
    for (const row of rows) {
      const key = `${row.room}|${row.commissionId}`;
      if (!lanes.has(key)) lanes.set(key, { room: row.room, commissionId: row.commissionId, rows: [] });
      lanes.get(key).rows.push(row);
    }
    const collator = new Intl.Collator("fr", { numeric: true });
    const ordered = [...lanes.values()].sort((a, b) => collator.compare(a.room, b.room) || collator.compare(a.commissionId, b.commissionId));

    const section = document.createElement("section");
    section.className = "tl-day";
    section.dataset.centre = centreId;
    section.dataset.date = date;
    const ticks = [];
    for (let m = from; m <= to; m += 60) ticks.push(`<span class="tl-tick" style="left:${at(m)}">${String(m / 60).padStart(2, "0")}h</span>`);
    const lines = ordered.map(lane => {
      const blocks = lane.rows.sort((a, b) => minutes(a.examStart) - minutes(b.examStart)).map(r => {
        const title = escapeHtml(`${r.candidateNumber} — ${r.unit}\n`
          + (r.prepStart ? `Préparation ${hhmm(r.prepStart)}–${hhmm(r.examStart)}\n` : "")
          + `Épreuve ${hhmm(r.examStart)}–${hhmm(r.examEnd)}\nExaminateurs : ${(r.examinerIds || []).join(", ")}`);
        const prep = r.prepStart
          ? `<div class="tl-prep" style="left:${at(minutes(r.prepStart))};width:${span(minutes(r.prepStart), minutes(r.examStart))}" title="${title}"></div>` : "";
        return prep + `<div class="tl-exam" data-candidate="${escapeHtml(r.candidateNumber)}" data-unit="${escapeHtml(r.unit)}"`
          + ` style="left:${at(minutes(r.examStart))};width:${span(minutes(r.examStart), minutes(r.examEnd))}" title="${title}">`
          + `<span class="tl-candidate">${escapeHtml(r.candidateNumber)}</span><span class="tl-sep"> · </span><span class="tl-unit">${escapeHtml(r.unit)}</span></div>`;
      }).join("");
      return `<div class="tl-row" data-room="${escapeHtml(lane.room)}" data-commission="${escapeHtml(lane.commissionId)}">`
        + `<div class="tl-label"><strong>${escapeHtml(lane.room)}</strong><span>Commission ${escapeHtml(lane.commissionId)}</span></div>`
        + `<div class="tl-track">${blocks}</div></div>`;
    }).join("");
    section.innerHTML = `<h3>Centre ${escapeHtml(centreId)} — ${escapeHtml(dateLabel(date))}</h3>`
      + `<div class="tl-grid"><div class="tl-row tl-axis"><div class="tl-label"></div><div class="tl-track">${ticks.join("")}</div></div>${lines}</div>`;
    return section;
  }

  page.start();
})();
