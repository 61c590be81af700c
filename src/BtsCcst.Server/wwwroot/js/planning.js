// Planning page: starts a planning run through the API, follows its progress pushed by the
// planning hub (reconnecting by itself), and draws the session's schedule as a timeline per
// centre and date, one lane per commission, coloured by unit, with zoom, filters and search.
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
    el("run-phase").textContent = phaseWords(view.phase);
    el("run-elapsed").textContent = duration(view.elapsedSeconds);
    el("run-placed").textContent = `${placed} / ${total}`;
    el("run-objective").textContent = number(view.objective, 2);
    el("run-bound").textContent = number(view.bound, 2);
    el("run-gap").textContent = view.gap === null || view.gap === undefined ? "—" : `${(view.gap * 100).toFixed(1).replace(".", ",")} %`;
    const sessionBound = el("run-session-bound");
    sessionBound.hidden = view.sessionBound === null || view.sessionBound === undefined;
    if (!sessionBound.hidden) sessionBound.textContent = `Aucun planning de cette session, quelle que soit la répartition des candidats et des examinateurs, ne peut coûter moins de ${number(view.sessionBound, 0)} (borne de la session ; écart de ce plan à cette borne : ${(view.sessionGap * 100).toFixed(1).replace(".", ",")} %).`;
    el("run-gap-words").textContent = gapWords(view);

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

  // --- The run's figures in an organiser's words ---

  // The solver names its phases "centre CAEN-1, 2024-05-28": say which day of which centre is being placed.
  function phaseWords(phase) {
    if (!phase) return "—";
    const day = /^centre (.+), (\d{4})-(\d{2})-(\d{2})$/.exec(phase);
    if (day) return `Placement des oraux : centre ${day[1]}, journée du ${day[4]}/${day[3]}/${day[2]}`;
    return phase.charAt(0).toUpperCase() + phase.slice(1);
  }

  // The gap compares the plan found with the best one the solver can still imagine: what it means for the organiser.
  function gapWords(view) {
    if (view.gap === null || view.gap === undefined) return "";
    const percent = (view.gap * 100).toLocaleString("fr-FR", { maximumFractionDigits: 1 });
    if (view.gap <= 0.0001) return "Le plan trouvé est le meilleur possible pour les critères de la session (temps de présence, trajets, équilibre des examinateurs).";
    if (view.gap < 0.05) return `Le plan trouvé est très proche du meilleur possible (marge de ${percent} %) : le chercher plus longtemps n'apporterait presque rien.`;
    return `Le plan respecte toutes les règles, mais pourrait encore être amélioré sur les critères de confort (marge de ${percent} %) : `
      + "une planification plus longue peut donner un meilleur plan, sans que ce soit une obligation.";
  }

  // --- The schedule, as a timeline: one lane per commission, a colour per unit, zoom, filters and search ---

  const minutes = time => { const [h, m] = time.split(":").map(Number); return h * 60 + m; };
  const hhmm = time => time.slice(0, 5);
  const unitColours = {
    E1: "#1d5e20", E21: "#005d5d", E22: "#9f1853", E3: "#8a3800", E4: "#0b5cad", E5: "#6929c4", U61: "#0f4c5c", U62: "#5a4a00",
    EF1: "#a2191f", EF2: "#4a3c8c", EF3: "#3d5a00", C_E1: "#0e6027", C_E2: "#7d3c00", C_E3: "#491d8b",
  };
  const colourOf = unit => unitColours[unit] || "#44474d";
  // The default leaves a 20-minute oral (the shortest) wide enough for a full candidate number ("CCST24-00513"), its unit
  // and its name on two lines; the labels say about how much of the day a 1400 px screen shows.
  // "Semaine" lays each centre's days side by side (the blocks are then too narrow for words: their names are in the tooltip).
  const zooms = [{ perMinute: 0.4, label: "Semaine", week: true }, { perMinute: 1.2, label: "Journée" }, { perMinute: 2.5, label: "Demi-journée" },
    { perMinute: 7, label: "3 heures" }, { perMinute: 10, label: "1 heure" }];
  let zoom = 3;
  let scheduleRows = [];
  const collator = new Intl.Collator("fr", { numeric: true });
  const folded = t => String(t ?? "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function dateLabel(date) {
    const d = new Date(`${date}T00:00:00`);
    return d.toLocaleDateString("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  }

  let scheduleLoads = 0;

  async function loadSchedule() {
    const load = ++scheduleLoads;
    try {
      const rows = await api("GET", "/schedule");
      if (load === scheduleLoads) { scheduleRows = rows; fillFilters(rows); renderTimeline(); }
    } catch (error) {
      if (error.denied) { denied(error); return; }
      el("schedule-summary").textContent = `Planning illisible : ${error.message}`;
    }
  }

  function fillSelect(id, values, label = v => v) {
    const select = el(id);
    const current = select.value;
    select.replaceChildren(select.options[0], ...values.map(v => new Option(label(v), v)));
    select.value = values.includes(current) ? current : "";
  }

  function fillFilters(rows) {
    const distinct = f => [...new Set(rows.flatMap(f))].sort(collator.compare);
    fillSelect("tl-centre", distinct(r => [r.centreId]));
    fillSelect("tl-day", distinct(r => [r.date]), d => dateLabel(d));
    fillSelect("tl-unit", distinct(r => [r.unit]));
    fillSelect("tl-examiner", distinct(r => r.examinerIds || []));
    el("tl-tools").hidden = rows.length === 0;
    el("tl-legend").innerHTML = rows.length === 0 ? "" : `<span class="tl-legend-title">Couleur par épreuve :</span>`
      + distinct(r => [r.unit]).map(u => `<span class="tl-key"><span class="tl-swatch" style="background:${colourOf(u)}"></span>${escapeHtml(u)}</span>`).join("")
      + `<span class="tl-key"><span class="tl-swatch tl-swatch-prep"></span>préparation</span>`;
  }

  const nameOf = r => [r.lastName, r.firstName].filter(Boolean).join(" ");

  function matchesSearch(r, search) {
    return !!search && (folded(`${r.candidateNumber} ${nameOf(r)}`).includes(search) || (r.examinerIds || []).some(x => folded(x).includes(search)));
  }

  function renderTimeline() {
    const rows = scheduleRows;
    const centre = el("tl-centre").value, day = el("tl-day").value, unit = el("tl-unit").value, examiner = el("tl-examiner").value;
    const shown = rows.filter(r => (!centre || r.centreId === centre) && (!day || r.date === day) && (!unit || r.unit === unit)
      && (!examiner || (r.examinerIds || []).includes(examiner)));
    const search = folded(el("tl-search").value.trim());
    const matches = shown.filter(r => matchesSearch(r, search)).length;
    el("schedule-summary").textContent = rows.length === 0
      ? "Aucun planning adopté pour cette session."
      : `${rows.length} oraux planifiés${shown.length < rows.length ? `, ${shown.length} affichés` : ""}. `
        + "Une ligne par commission (sa salle et ses examinateurs à gauche) ; la préparation apparaît en clair sous chaque épreuve. "
        + "Faites défiler horizontalement pour parcourir la journée, ou zoomez (de la semaine à l'heure).";
    el("tl-count").textContent = search ? `${matches} oral(aux) trouvé(s)` : "";
    el("tl-zoom-label").textContent = `Zoom : ${zooms[zoom].label}`;
    el("tl-zoom-out").disabled = zoom === 0;
    el("tl-zoom-in").disabled = zoom === zooms.length - 1;
    const days = new Map();
    for (const row of shown) {
      const key = zooms[zoom].week ? row.centreId : `${row.centreId}|${row.date}`;
      if (!days.has(key)) days.set(key, []);
      days.get(key).push(row);
    }
    el("timeline").replaceChildren(...[...days.keys()].sort().map(key => renderSection(days.get(key), search)));
    if (search && matches) el("timeline").querySelector(".tl-exam.match")?.scrollIntoView({ block: "nearest", inline: "center" });
  }

  function block(r, scale, search) {
    const name = nameOf(r);
    const hit = matchesSearch(r, search);
    // The accessible name starts with the words on the block (number, unit, name), then what the tooltip adds.
    const label = `${r.candidateNumber} ${r.unit} ${name}, ${hhmm(r.examStart)}–${hhmm(r.examEnd)}`
      + `${r.prepStart ? `, préparation dès ${hhmm(r.prepStart)}` : ""}, examinateurs ${(r.examinerIds || []).join(", ")}`;
    const prep = r.prepStart
      ? `<div class="tl-prep" style="left:${scale.x(r.date, r.prepStart)}px;width:${scale.span(r.prepStart, r.examStart)}px"></div>` : "";
    return prep + `<button type="button" class="tl-exam${hit ? " match" : search ? " dim" : ""}" data-candidate="${escapeHtml(r.candidateNumber)}" data-unit="${escapeHtml(r.unit)}"`
      + ` style="left:${scale.x(r.date, r.examStart)}px;width:${scale.span(r.examStart, r.examEnd)}px;background:${colourOf(r.unit)}"`
      + ` aria-label="${escapeHtml(label)}" title="${escapeHtml(label)}">`
      + `<span class="tl-candidate">${escapeHtml(r.candidateNumber)} <span class="tl-unit">${escapeHtml(r.unit)}</span></span> `
      + `<span class="tl-name">${escapeHtml(name)}</span></button>`;
  }

  // Rooms are often named "Salle 2" already: no "Salles Salle 1, Salle 2".
  const roomsWords = rooms => rooms.every(r => /^salle\b/i.test(r)) ? rooms.join(", ") : `${rooms.length > 1 ? "Salles" : "Salle"} ${rooms.join(", ")}`;
  const shortDate = date => new Date(`${date}T00:00:00`).toLocaleDateString("fr-FR", { weekday: "short", day: "numeric" });

  // The time scale of a section: one day, or a centre's days side by side at the "Semaine" zoom. Every day spans the same
  // whole hours, so the hour lines of the tracks fall on every day's hours.
  function scaleOf(rows) {
    const dates = [...new Set(rows.map(r => r.date))].sort();
    const from = Math.floor(Math.min(...rows.map(r => minutes(r.prepStart || r.examStart))) / 60) * 60;
    const to = Math.max(from + 60, Math.ceil(Math.max(...rows.map(r => minutes(r.examEnd))) / 60) * 60);
    const perMinute = zooms[zoom].perMinute;
    const dayWidth = (to - from) * perMinute;
    const step = perMinute < 1 ? 180 : 60;
    const ticks = dates.flatMap((date, i) => {
      const marks = [];
      for (let m = from; m < to || (m === to && i === dates.length - 1); m += step) {
        const day = dates.length > 1 && m === from;
        marks.push(`<span class="tl-tick${day ? " tl-tick-day" : ""}" style="left:${(i * dayWidth + (m - from) * perMinute).toFixed(1)}px">`
          + `${day ? escapeHtml(shortDate(date)) : `${String(m / 60).padStart(2, "0")}h`}</span>`);
      }
      return marks;
    });
    const dayLines = dates.slice(1).map((_, i) => `<div class="tl-dayline" style="left:${((i + 1) * dayWidth).toFixed(1)}px"></div>`).join("");
    return {
      dates, perMinute, dayLines, ticks: ticks.join(""), width: dates.length * dayWidth,
      x: (date, time) => (dates.indexOf(date) * dayWidth + (minutes(time) - from) * perMinute).toFixed(1),
      span: (start, end) => Math.max(2, (minutes(end) - minutes(start)) * perMinute - 2).toFixed(1),
    };
  }

  // One lane per commission (a commission belongs to one centre's day), in the order of its first room.
  function lanesOf(rows) {
    const lanes = new Map();
    for (const row of rows) {
      if (!lanes.has(row.commissionId)) lanes.set(row.commissionId, { commissionId: row.commissionId, date: row.date, rooms: new Set(), examiners: new Set(), rows: [] });
      const lane = lanes.get(row.commissionId);
      lane.rooms.add(row.room);
      for (const x of row.examinerIds || []) lane.examiners.add(x);
      lane.rows.push(row);
    }
    return [...lanes.values()].sort((a, b) => a.date.localeCompare(b.date)
      || collator.compare([...a.rooms].sort(collator.compare)[0], [...b.rooms].sort(collator.compare)[0]) || collator.compare(a.commissionId, b.commissionId));
  }

  function renderSection(rows, search) {
    const { centreId } = rows[0];
    const scale = scaleOf(rows);
    const ordered = lanesOf(rows);
    // The heading names the centre and the date: a lane says "Commission C1", its full id in the detail and the table.
    const shortId = lane => lane.commissionId.startsWith(`${centreId}-${lane.date}-`) ? lane.commissionId.slice(centreId.length + lane.date.length + 2) : lane.commissionId;
    const section = document.createElement("section");
    section.className = "tl-day";
    section.dataset.centre = centreId;
    section.dataset.date = scale.dates.join(" ");
    // Below 2 px a minute a block is too narrow for words (they stay in its tooltip and name) and quarter lines would crowd.
    const compact = scale.perMinute < 2;
    if (compact) section.classList.add("tl-compact");
    const track = inner => `<div class="tl-track" style="width:${scale.width}px;--hour:${60 * scale.perMinute}px${compact ? ";--quarter-line:transparent" : ""}">`
      + `${scale.dayLines}${inner}</div>`;
    const lines = ordered.map(lane => {
      const blocks = lane.rows.sort((a, b) => minutes(a.examStart) - minutes(b.examStart)).map(r => block(r, scale, search)).join("");
      const rooms = [...lane.rooms].sort(collator.compare);
      const when = scale.dates.length > 1 ? ` (${shortDate(lane.date)})` : "";
      return `<div class="tl-row" data-commission="${escapeHtml(lane.commissionId)}" data-room="${escapeHtml(rooms.join(", "))}">`
        + `<div class="tl-label"><strong title="${escapeHtml(lane.commissionId)}">Commission ${escapeHtml(shortId(lane))}${escapeHtml(when)}</strong><span>${escapeHtml(roomsWords(rooms))}</span>`
        + `<span class="tl-examiners">${escapeHtml([...lane.examiners].sort(collator.compare).join(", "))}</span></div>${track(blocks)}</div>`;
    }).join("");
    const title = `Centre ${centreId} — ${scale.dates.map(dateLabel).join(", ")}`;
    section.innerHTML = `<h3>${escapeHtml(title)} <span class="hint">(${rows.length} oraux, ${ordered.length} commissions)</span></h3>`
      + `<div class="tl-scroll" tabindex="0" role="group" aria-label="${escapeHtml(`${title} : frise, défilement horizontal`)}">`
      + `<div class="tl-grid"><div class="tl-row tl-axis"><div class="tl-label"></div>${track(scale.ticks)}</div>${lines}</div></div>`
      + `<details class="tl-table"><summary>Voir ces oraux en tableau</summary></details>`;
    section.querySelector("details").addEventListener("toggle", e => {
      if (e.target.open && !e.target.querySelector("table")) e.target.insertAdjacentHTML("beforeend", tableOf(rows));
    });
    enableDragPan(section.querySelector(".tl-scroll"));
    return section;
  }

  // The timeline's text alternative: the same exams as a table, built when it is opened.
  function tableOf(rows) {
    const sorted = [...rows].sort((a, b) => collator.compare(a.commissionId, b.commissionId) || minutes(a.examStart) - minutes(b.examStart));
    return `<table><thead><tr><th scope="col">Commission</th><th scope="col">Salle</th><th scope="col">Horaire</th><th scope="col">Préparation</th>`
      + `<th scope="col" class="number">N°</th><th scope="col" class="name">Candidat</th><th scope="col">Épreuve</th><th scope="col">Examinateurs</th></tr></thead><tbody>`
      + sorted.map(r => `<tr><td>${escapeHtml(r.commissionId)}</td><td>${escapeHtml(r.room)}</td><td>${hhmm(r.examStart)}–${hhmm(r.examEnd)}</td>`
        + `<td>${r.prepStart ? hhmm(r.prepStart) : ""}</td><td class="number">${escapeHtml(r.candidateNumber)}</td><td class="name">${escapeHtml(nameOf(r))}</td>`
        + `<td>${escapeHtml(r.unit)}</td><td>${escapeHtml((r.examinerIds || []).join(", "))}</td></tr>`).join("") + "</tbody></table>";
  }

  // Pan: drag the timeline sideways with the mouse (the keyboard scrolls it with the arrows once it has the focus).
  function enableDragPan(scroller) {
    let start = null;
    scroller.addEventListener("pointerdown", e => {
      if (e.pointerType !== "mouse" || e.target.closest("button")) return;
      start = { x: e.clientX, left: scroller.scrollLeft };
      scroller.classList.add("panning");
    });
    scroller.addEventListener("pointermove", e => { if (start) scroller.scrollLeft = start.left - (e.clientX - start.x); });
    for (const end of ["pointerup", "pointerleave"]) scroller.addEventListener(end, () => { start = null; scroller.classList.remove("panning"); });
  }

  function showDetail(candidate, unit) {
    const r = scheduleRows.find(x => x.candidateNumber === candidate && x.unit === unit);
    if (!r) return;
    const box = el("tl-detail");
    box.hidden = false;
    box.innerHTML = `<h3>${escapeHtml(r.candidateNumber)} ${escapeHtml(nameOf(r))} — ${escapeHtml(r.unit)}</h3>`
      + `<p>Centre ${escapeHtml(r.centreId)}, ${escapeHtml(dateLabel(r.date))}, salle ${escapeHtml(r.room)}, commission ${escapeHtml(r.commissionId)}.</p>`
      + `<p>${r.prepStart ? `Préparation à ${hhmm(r.prepStart)}, ` : ""}épreuve de ${hhmm(r.examStart)} à ${hhmm(r.examEnd)}. `
      + `Examinateurs : ${escapeHtml((r.examinerIds || []).join(", "))}.</p>`
      + `<button type="button" id="tl-detail-search">Voir tous les oraux de ce candidat</button>`;
  }

  el("timeline").addEventListener("click", e => {
    const exam = e.target.closest("button.tl-exam");
    if (exam) showDetail(exam.dataset.candidate, exam.dataset.unit);
  });
  el("tl-detail").addEventListener("click", e => {
    if (!e.target.closest("#tl-detail-search")) return;
    el("tl-search").value = el("tl-detail").querySelector("h3").textContent.split(" ")[0];
    renderTimeline();
  });
  for (const id of ["tl-centre", "tl-day", "tl-unit", "tl-examiner", "tl-search"]) el(id).addEventListener("input", () => renderTimeline());
  el("tl-zoom-in").addEventListener("click", () => { zoom = Math.min(zooms.length - 1, zoom + 1); renderTimeline(); });
  el("tl-zoom-out").addEventListener("click", () => { zoom = Math.max(0, zoom - 1); renderTimeline(); });

  page.start();
})();
