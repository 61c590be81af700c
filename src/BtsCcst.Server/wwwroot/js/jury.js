// Live jury board: joins the jury's hub group, renders the snapshot, applies pushed updates,
// and reconnects by itself (forever) when the server goes away.
"use strict";

(() => {
  const juryId = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] || "");
  const params = new URLSearchParams(location.search);
  const sessionId = params.get("session") || "2024";
  const units = ["E1", "E21", "E22", "E3", "E4", "E5", "U61", "U62", "EF1", "EF2", "EF3"];
  const controleUnits = ["C_E1", "C_E2", "C_E3"];
  const chartUnits = units.concat(controleUnits);
  const decisionLabels = {
    INCOMPLET: "Incomplet", NON_VALIDE: "Non valide", ABSENT: "Absent", ADMIS: "Admis",
    SECOND_GROUPE: "Second groupe", AJOURNE: "Ajourné",
  };
  const phaseLabels = {
    FIRST_OPEN: "1er groupe ouvert", FIRST_CLOSED: "1er groupe clos", SECOND_OPEN: "2nd groupe ouvert", CLOSED: "Close",
  };
  const tokenKey = `btsccst-token-${sessionId}-${juryId}`;
  const rows = new Map();
  let version = -1;
  let chart = null;
  let unitChart = null;
  let unitDistributions = {};

  document.getElementById("jury-id").textContent = juryId;
  document.getElementById("session-id").textContent = sessionId;

  const el = id => document.getElementById(id);
  const fmt = n => n === null || n === undefined ? "" : Number(n).toFixed(2).replace(".", ",");

  const page = BtsLivePage.create({
    tokenKey, mainId: "board", hubPath: "/hubs/board", updateMethod: "boardChanged",
    watch: c => c.invoke("Watch", sessionId, juryId),
    onSnapshot: snapshot => applySnapshot(snapshot),
    onUpdate: update => applyUpdate(update),
    // Not found and not allowed are told apart: an unknown jury keeps the token (a wrong link, not a wrong person).
    refusal: e => /n'existe pas/.test(String(e && e.message || e)) ? null
      : /401|403|réservé/.test(String(e && e.message || e)) ? "Accès refusé : ce jeton ne donne pas accès à ce jury." : null,
    gone: e => /n'existe pas/.test(String(e && e.message || e)) ? `Introuvable : le jury ${juryId} n'existe pas dans la session ${sessionId}.` : null,
    beforeStart: () => headerRow(),
  });
  el("dev-token").addEventListener("click", () =>
    page.useDevToken({ role: "jury-president", name: `président ${juryId}`, scope: juryId }));

  // --- The candidates table: a spreadsheet (sort on any column, filters, search, frozen header and first columns). ---

  // Marks the French way everywhere, kept ones too ("BEN:12.5" → "BEN : 12,5").
  const markText = result => String(result).replace(/(\d)\.(\d)/g, "$1,$2").replace(/^([A-Z]+):/, "$1 : ");
  const markValue = cell => !cell ? null : /^\d/.test(cell.result) ? Number(cell.result) : -1;
  const columns = [
    { key: "number", label: "N°", cls: "number", value: r => r.candidateNumber, text: true },
    { key: "name", label: "Nom", cls: "name", value: r => `${r.lastName} ${r.firstName}`, text: true },
    // The average beside the decision: both stay on screen at 1400 px with the flags, the marks scroll under them.
    { key: "decision", label: "Décision", cls: "decision", value: r => decisionLabels[r.decision] || r.decision, text: true },
    { key: "average", label: "Moyenne", cls: "average", value: r => r.average },
    { key: "flags", label: "Signalements", cls: "flags", value: r => flagList(r).length },
    ...units.map(u => ({ key: u, label: u, cls: "unit", value: r => markValue(r.results.find(c => c.unit === u)) })),
    { key: "points", label: "Points", cls: "points", value: r => r.points },
    { key: "proAverage", label: "Moy. pro.", cls: "pro-average", value: r => r.proAverage },
  ];
  const sorting = { key: "number", ascending: true };
  const collator = new Intl.Collator("fr", { numeric: true, sensitivity: "base" });

  function headerRow() {
    el("header-row").innerHTML = columns.map(c => {
      const sorted = sorting.key === c.key ? (sorting.ascending ? "ascending" : "descending") : "none";
      return `<th scope="col" class="${c.cls}" aria-sort="${sorted}"><button type="button" class="sort" data-key="${c.key}">`
        + `${c.label}<span class="sort-mark" aria-hidden="true">${sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : ""}</span></button></th>`;
    }).join("");
  }

  el("header-row").addEventListener("click", e => {
    const button = e.target.closest("button.sort");
    if (!button) return;
    sorting.ascending = sorting.key === button.dataset.key ? !sorting.ascending : true;
    sorting.key = button.dataset.key;
    headerRow();
    renderTable();
    el("header-row").querySelector(`button[data-key="${CSS.escape(sorting.key)}"]`).focus();
  });

  // A row's flags as [filter key, css class, words]; the filters and the flags column read the same list.
  function flagList(row) {
    const flags = [];
    const results = row.results.map(r => r.result);
    if (row.nearThreshold) flags.push(["near", "near", "Proche d'un seuil"]);
    if (row.livret && !row.livretAcknowledged) flags.push([row.decision === "AJOURNE" ? "livret" : "livret-given", "livret", row.decision === "AJOURNE" ? "Livret à examiner" : "Livret fourni"]);
    if (row.livret && row.livretAcknowledged) flags.push(["livret-done", "livret", "Livret examiné"]);
    if (results.includes("NV")) flags.push(["nv", "nv", "NV"]);
    if (results.includes("ABS")) flags.push(["abs", "abs", "ABS"]);
    if (row.missingUnits.length) flags.push(["missing", "incomplete", `Manque ${row.missingUnits.join(", ")}`]);
    if (row.results.some(r => r.underReserve)) flags.push(["reserve", "reserve", "Sous réserve"]);
    if (row.results.some(r => r.changed)) flags.push(["changed", "changed", "Note modifiée"]);
    return flags;
  }

  function flagsOf(row) {
    const ack = mayAcknowledge(row)
      ? `<button type="button" class="ack-livret" data-candidate="${escapeHtml(row.candidateNumber)}">Marquer le livret examiné</button>` : "";
    return flagList(row).map(([, cls, text]) => `<span class="flag ${cls}">${escapeHtml(text)}</span>`).join("") + ack;
  }

  function markCell(row, unit) {
    const cell = row.results.find(r => r.unit === unit);
    const missing = row.missingUnits.includes(unit);
    const editable = canAct(row);
    if (!cell) {
      if (!missing) return `<td data-unit="${unit}" class="unit"></td>`;
      return editable
        ? `<td data-unit="${unit}" class="unit missing editable"><button type="button" class="mark" aria-label="${unit} : manque, saisir le résultat">manque</button></td>`
        : `<td data-unit="${unit}" class="unit missing"><span class="missing-mark">manque</span></td>`;
    }
    const classes = ["unit", cell.underReserve ? "reserve" : "", cell.changed ? "changed" : "", editable ? "editable" : ""].filter(Boolean).join(" ");
    const state = [cell.underReserve ? "sous réserve" : "", cell.changed ? "modifiée" : ""].filter(Boolean).join(", ");
    const label = `${unit} : ${markText(cell.result)}${state ? ` (${state})` : ""} — ${editable ? "modifier, historique" : "historique"}`;
    return `<td data-unit="${unit}" class="${classes}"${state ? ` title="Note ${state}"` : ""}>`
      + `<button type="button" class="mark" aria-label="${escapeHtml(label)}">${markText(cell.result)}</button></td>`;
  }

  function renderRow(row) {
    const tr = document.createElement("tr");
    tr.dataset.candidate = row.candidateNumber;
    tr.id = `candidate-${row.candidateNumber}`;
    tr.innerHTML = `<th scope="row" class="number" tabindex="-1">${escapeHtml(row.candidateNumber)}</th><td class="name">${escapeHtml(row.lastName)} ${escapeHtml(row.firstName)}</td>`
      + `<td class="decision" data-decision="${row.decision}">${decisionLabels[row.decision] || row.decision}</td>`
      + `<td class="average">${fmt(row.average)}</td>`
      + `<td class="flags">${flagsOf(row)}</td>`
      + units.map(u => markCell(row, u)).join("")
      + `<td class="points">${row.points === null ? "" : Number(row.points).toFixed(3).replace(".", ",")}</td>`
      + `<td class="pro-average">${fmt(row.proAverage)}</td>`;
    return tr;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  const folded = text => String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function matchesFilters(row) {
    const search = folded(el("board-search").value.trim());
    if (search && !folded(`${row.candidateNumber} ${row.lastName} ${row.firstName} ${row.firstName} ${row.lastName}`).includes(search)) return false;
    const decision = el("filter-decision").value;
    if (decision && row.decision !== decision) return false;
    const flag = el("filter-flag").value;
    if (!flag) return true;
    const keys = flagList(row).map(f => f[0]).filter(k => k !== "livret-done" && k !== "livret-given");
    return flag === "any" ? keys.length > 0 : keys.includes(flag);
  }

  function compareRows(a, b) {
    const column = columns.find(c => c.key === sorting.key) || columns[0];
    const x = column.value(a), y = column.value(b);
    // Empty values stay at the bottom whichever the direction; ties keep the candidates' order.
    if (x === null || x === undefined || y === null || y === undefined) {
      if (x === y || (x == null && y == null)) return collator.compare(a.candidateNumber, b.candidateNumber);
      return x == null ? 1 : -1;
    }
    const order = column.text ? collator.compare(String(x), String(y)) : x - y;
    return (sorting.ascending ? order : -order) || collator.compare(a.candidateNumber, b.candidateNumber);
  }

  // Re-renders the visible rows in order; the scroll position and the focused control are kept, so a
  // live update patches the table under the user's eyes without moving it.
  function renderTable(flashed = new Set()) {
    const body = document.querySelector("#candidates tbody");
    const focused = document.activeElement && body.contains(document.activeElement)
      ? { candidate: document.activeElement.closest("tr")?.dataset.candidate, unit: document.activeElement.closest("td")?.dataset.unit }
      : null;
    const scroller = el("board-scroll");
    const [top, left] = [scroller.scrollTop, scroller.scrollLeft];
    const all = [...rows.values()];
    const shown = all.filter(matchesFilters).sort(compareRows);
    body.replaceChildren(...shown.map(row => {
      const tr = renderRow(row);
      if (flashed.has(row.candidateNumber)) tr.classList.add("flash");
      return tr;
    }));
    scroller.scrollTop = top;
    scroller.scrollLeft = left;
    el("board-count").textContent = shown.length === all.length
      ? `${all.length} candidat(s)` : `${shown.length} candidat(s) affiché(s) sur ${all.length}`;
    pinNameColumn();
    if (focused?.candidate) {
      const tr = body.querySelector(`tr[data-candidate="${CSS.escape(focused.candidate)}"]`);
      const target = focused.unit ? tr?.querySelector(`td[data-unit="${CSS.escape(focused.unit)}"] button`) : tr?.querySelector("button");
      target?.focus({ preventScroll: true });
    }
  }

  // The number column is as wide as its longest number: the frozen name column starts where it ends, whatever the numbers.
  function pinNameColumn() {
    const width = document.querySelector("#candidates thead th.number")?.getBoundingClientRect().width;
    if (width) el("candidates").style.setProperty("--number-width", `${width}px`);
  }
  window.addEventListener("resize", pinNameColumn);

  for (const id of ["board-search", "filter-decision", "filter-flag"]) el(id).addEventListener("input", () => renderTable());
  el("filter-reset").addEventListener("click", () => {
    el("board-search").value = "";
    el("filter-decision").value = "";
    el("filter-flag").value = "";
    renderTable();
  });

  function upsertRows(changed, removed) {
    for (const number of removed) rows.delete(number);
    for (const row of changed) rows.set(row.candidateNumber, row);
    renderTable(new Set(changed.map(r => r.candidateNumber)));
  }

  /** Shows a candidate's row (clearing filters that hide it), scrolls to it and highlights it. */
  function revealRow(number) {
    if (!rows.has(number)) return;
    const body = document.querySelector("#candidates tbody");
    let tr = body.querySelector(`tr[data-candidate="${CSS.escape(number)}"]`);
    if (!tr) { el("filter-reset").click(); tr = body.querySelector(`tr[data-candidate="${CSS.escape(number)}"]`); }
    for (const old of body.querySelectorAll("tr.highlight")) old.classList.remove("highlight");
    tr.classList.add("highlight");
    tr.scrollIntoView({ block: "center" });
    (tr.querySelector("button") || tr.querySelector("th")).focus({ preventScroll: true });
  }

  function renderAggregates(a, phase) {
    const d = a.decisions;
    el("agg-candidates").textContent = a.candidates;
    el("agg-admis").textContent = d.ADMIS || 0;
    el("agg-second").textContent = d.SECOND_GROUPE || 0;
    el("agg-ajourne").textContent = d.AJOURNE || 0;
    el("agg-nv").textContent = d.NON_VALIDE || 0;
    el("agg-abs").textContent = d.ABSENT || 0;
    el("agg-incomplet").textContent = d.INCOMPLET || 0;
    el("agg-pass-rate").textContent = a.passRate === null ? "—" : `${(a.passRate * 100).toFixed(1).replace(".", ",")} %`;
    el("agg-near").textContent = a.nearThreshold;
    el("agg-livrets").textContent = a.livretsToAcknowledge;
    el("agg-reserves").textContent = a.marksUnderReserve;
    el("agg-phase").textContent = phaseLabels[phase] || phase;
    const secondGroup = phase === "FIRST_CLOSED" || phase === "SECOND_OPEN";
    for (const tile of document.querySelectorAll(".second-group-tile")) tile.hidden = !secondGroup;
    el("agg-second-examine").textContent = a.secondGroupToExamine ?? 0;
    el("agg-controles").textContent = a.controlesToMark ?? 0;
    renderChart(a.averageDistribution);
    renderUnitChart(a.unitDistributions || {});
  }

  // Each chart's text alternative: its figures as a table (tranche, count), kept in step with the chart.
  function chartTable(id, caption, data) {
    el(id).innerHTML = `<caption>${escapeHtml(caption)}</caption><thead><tr><th scope="col">Tranche</th><th scope="col">Candidats</th></tr></thead><tbody>`
      + data.map((n, i) => `<tr><th scope="row">de ${i} à ${i + 1}${i === data.length - 1 ? " (inclus)" : " (exclu)"}</th><td>${n}</td></tr>`).join("") + "</tbody>";
  }

  function renderChart(distribution) {
    chartTable("distribution-table", "Candidats par tranche de moyenne", distribution);
    const labels = distribution.map((_, i) => `${i}–${i + 1}`);
    if (!window.Chart) return;
    if (!chart) {
      chart = new Chart(el("distribution"), {
        type: "bar",
        data: { labels, datasets: [{ label: "Candidats par tranche de moyenne", data: distribution, backgroundColor: labels.map((_, i) => i >= 10 ? "#2e7d32" : i >= 8 ? "#f9a825" : "#c62828") }] },
        options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    } else {
      chart.data.datasets[0].data = distribution;
      chart.update();
    }
  }

  // Per-unit marks: one chart, the unit chosen in the selector; pushes replace its data in place.
  const unitLabel = u => u.startsWith("C_") ? `${u} (oral de contrôle ${u.slice(2)})` : u;

  function renderUnitChart(distributions) {
    unitDistributions = distributions;
    const select = el("unit-select");
    const present = chartUnits.filter(u => distributions[u])
      .concat(Object.keys(distributions).filter(u => !chartUnits.includes(u)).sort());
    const current = select.value;
    const listed = [...select.options].map(o => o.value).filter(Boolean);
    if (present.join() !== listed.join()) {
      select.replaceChildren(...(present.length ? present.map(u => new Option(unitLabel(u), u)) : [new Option("—", "")]));
    }
    select.value = present.includes(current) ? current : (present[0] || "");
    select.disabled = present.length === 0;
    el("unit-empty").hidden = present.length > 0;
    drawUnitChart();
  }

  function drawUnitChart() {
    if (!window.Chart) return;
    const unit = el("unit-select").value;
    const data = (unit && unitDistributions[unit]) || new Array(20).fill(0);
    const label = unit ? `Notes en ${unit} par tranche d'un point` : "Notes par tranche d'un point";
    chartTable("unit-distribution-table", label, data);
    if (!unitChart) {
      unitChart = new Chart(el("unit-distribution"), {
        type: "bar",
        data: { labels: data.map((_, i) => `${i}–${i + 1}`), datasets: [{ label, data: [...data], backgroundColor: data.map((_, i) => i >= 10 ? "#1976d2" : "#90a4ae") }] },
        options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    } else {
      unitChart.data.datasets[0].data = [...data];
      unitChart.data.datasets[0].label = label;
      unitChart.update();
    }
  }

  el("unit-select").addEventListener("change", drawUnitChart);

  // --- Second group: each SECOND_GROUPE candidate's contrôle orals (first-group mark, contrôle mark, mark kept). ---

  const inSecondGroup = row => Array.isArray(row.controles) && row.controles.length > 0;
  const mark = text => markText(text);

  function controleResultText(result) {
    if (result === null || result === undefined) return "à venir";
    if (result === "ABS") return "Absent";
    if (result === "ABSJ") return "Absent excusé";
    return mark(result);
  }

  function controleCell(row, unit) {
    const c = row.controles.find(x => x.unit === unit);
    if (!c) return `<td class="controle" data-unit="${unit}"><span class="na" title="Épreuve que ce candidat ne peut pas choisir">—</span></td>`;
    const first = `<span class="first" title="Note du premier groupe"><small>1er gr.</small> ${fmt(c.firstGroupMark)}</span>`;
    if (!c.chosen) {
      const note = (row.controleChoices || []).length ? ' <span class="na">non choisie</span>' : "";
      return `<td class="controle not-chosen" data-unit="${unit}">${first}${note}</td>`;
    }
    const state = c.result === null || c.result === undefined ? "pending" : /^\d/.test(c.result) ? "marked" : "absent";
    const editable = mayMarkControle();
    return `<td class="controle chosen${editable ? " editable" : ""}" data-unit="${unit}" data-state="${state}"${editable ? ` title="Cliquez pour saisir la note de l'oral de contrôle"` : ""}>`
      + `${first} ${editable
        ? `<button type="button" class="controle-result" title="Saisir la note de l'oral de contrôle"><small>contrôle</small> ${controleResultText(c.result)}</button>`
        : `<span class="controle-result" title="Note de l'oral de contrôle"><small>contrôle</small> ${controleResultText(c.result)}</span>`} `
      + `<span class="kept-mark" title="Note retenue"><small>retenue</small> <strong class="kept">${fmt(c.kept)}</strong></span></td>`;
  }

  function choicesCell(row) {
    const missing = row.controleChoiceMissing || !(row.controleChoices || []).length;
    const status = missing
      ? `<span class="flag choice-missing">Choix à faire</span>`
      : `<span class="chosen-units">${row.controleChoices.join(", ")}</span>`;
    const settled = row.controles.filter(c => c.chosen).length > 0
      && row.controles.every(c => !c.chosen || (c.result !== null && c.result !== undefined));
    if (!mayChoose() || settled) return status;
    const boxes = row.controles.map(c => {
      const locked = c.chosen && c.result !== null && c.result !== undefined;
      return `<label class="choice"${locked ? ' title="Déjà noté : ce choix ne peut plus être retiré"' : ""}>`
        + `<input type="checkbox" value="${c.unit}"${c.chosen ? " checked" : ""}${locked ? " disabled" : ""}> ${c.unit}</label>`;
    });
    return `${status}<span class="choice-form">${boxes.join("")}`
      + `<button type="button" class="save-choices" data-candidate="${row.candidateNumber}">Enregistrer le choix</button></span>`;
  }

  function renderSecondRow(row) {
    const tr = document.createElement("tr");
    tr.dataset.candidate = row.candidateNumber;
    tr.innerHTML = `<td class="number">${row.candidateNumber}</td><td class="name">${escapeHtml(row.lastName)} ${escapeHtml(row.firstName)}</td>`
      + `<td class="first-average">${fmt(row.firstGroupAverage)}</td>`
      + controleUnits.map(u => controleCell(row, u)).join("")
      + `<td class="choices">${choicesCell(row)}</td>`
      + `<td class="average">${fmt(row.average)}</td>`
      + `<td class="decision" data-decision="${row.decision}" data-group="${row.group}"${row.group === 2 ? ' title="Décision du second groupe"' : ""}>${decisionLabels[row.decision] || row.decision}</td>`;
    return tr;
  }

  function showSecondGroup() {
    el("second-group").hidden = ![...rows.values()].some(inSecondGroup);
  }

  function renderSecondGroup() {
    const body = document.querySelector("#second-group-table tbody");
    body.replaceChildren(...[...rows.keys()].sort().filter(n => inSecondGroup(rows.get(n))).map(n => renderSecondRow(rows.get(n))));
    showSecondGroup();
  }

  function upsertSecondRows(changed, removed) {
    const body = document.querySelector("#second-group-table tbody");
    const find = number => body.querySelector(`tr[data-candidate="${CSS.escape(number)}"]`);
    for (const number of removed) find(number)?.remove();
    for (const row of changed) {
      const existing = find(row.candidateNumber);
      if (!inSecondGroup(row)) { existing?.remove(); continue; }
      const fresh = renderSecondRow(row);
      fresh.classList.add("flash");
      if (existing) { existing.replaceWith(fresh); continue; }
      const next = [...body.children].find(tr => tr.dataset.candidate > row.candidateNumber);
      body.insertBefore(fresh, next || null);
    }
    showSecondGroup();
  }

  // --- The president's actions: they go through the API; the board then updates through the hub. ---

  let phase = null;

  const tokenClaims = () => page.claims();

  const isPresident = () => { const c = tokenClaims(); return c.role === "jury-president" && c.scope === juryId; };
  const isOrganiser = () => tokenClaims().role === "organiser";
  const canAct = row => isPresident() && phase === "FIRST_OPEN" && !row.frozen;
  // D643-26: a livret must be examined before adjourning, at the first closing and at the second one too.
  // Offered where it may matter: an adjourned candidate, or one of the second group who may end adjourned.
  const mayAcknowledge = row => isPresident() && phase !== "CLOSED" && row.livret && !row.livretAcknowledged
    && (row.decision === "AJOURNE" || row.decision === "SECOND_GROUPE" || row.firstGroupDecision === "SECOND_GROUPE");
  // deliberation.md "Second group": choices follow the first group's closing; contrôle marks need the second group open.
  const mayChoose = () => (isPresident() || isOrganiser()) && (phase === "FIRST_CLOSED" || phase === "SECOND_OPEN");
  const mayMarkControle = () => isPresident() && phase === "SECOND_OPEN";

  // An API refusal (application/problem+json) as the French sentence of its detail.
  async function problemOf(response) {
    let detail = `Erreur ${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch { }
    return new Error(detail);
  }

  // The API names its fields (« candidateNumber »); a page tells the person in words.
  const fieldWords = { candidateNumber: "le numéro du candidat", examinerId: "l'examinateur", reason: "le motif", minutes: "la durée en minutes",
    unit: "l'épreuve", room: "la salle", from: "l'heure de début", to: "l'heure de fin", result: "la note", units: "les épreuves" };
  const withoutApiNames = text => String(text ?? "").replace(/\s*\(« ?[a-zA-Z]+ ?»\)/g, "")
    .replace(/« ?([a-zA-Z]+) ?»/g, (all, name) => fieldWords[name] || all).replace(/^.*HubException:\s*/, "");
  const api = (method, path, body) => page.api(method, `/api/sessions/${encodeURIComponent(sessionId)}${path}`, body)
    .catch(error => { throw Object.assign(new Error(withoutApiNames(error.message)), { status: error.status }); });

  function fileNameOf(response, fallback) {
    const header = response.headers.get("Content-Disposition") || "";
    const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (encoded) { try { return decodeURIComponent(encoded[1]); } catch { } }
    const plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  // The PDFs need the token, so they are fetched here and handed to the browser as a blob.
  async function downloadDocument(button, path, fallbackName, what) {
    button.disabled = true;
    say(`${what} : préparation…`, true);
    try {
      const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}${path}`, {
        headers: page.authHeaders(), credentials: "same-origin",
      });
      if (!response.ok) throw await problemOf(response);
      const name = fileNameOf(response, fallbackName);
      BtsLivePage.saveBlob(await response.blob(), name);
      say(`${what} téléchargé (${name}).`, true);
    } catch (error) {
      say(`${what} : ${error.message}`, false);
    } finally {
      button.disabled = false;
    }
  }

  el("download-minutes").addEventListener("click", e => downloadDocument(e.currentTarget,
    `/juries/${encodeURIComponent(juryId)}/minutes.pdf`, `proces-verbal-${sessionId}-${juryId}.pdf`, "Procès-verbal"));
  el("download-transcripts").addEventListener("click", e => downloadDocument(e.currentTarget,
    `/juries/${encodeURIComponent(juryId)}/transcripts.pdf`, `releves-${sessionId}-${juryId}.pdf`, "Relevés de notes"));

  function say(text, ok) {
    const message = el("action-message");
    message.textContent = text;
    message.className = ok ? "ok" : "error";
  }

  // A refused closing lists its blockers ("N : why ; N : why"): each becomes a link to the candidate's row.
  function sayBlockers(detail) {
    const [head, ...rest] = detail.split(" : ");
    const items = rest.join(" : ").replace(/\.$/, "").split(" ; ").map(item => {
      const at = item.indexOf(" : ");
      return at > 0 ? { number: item.slice(0, at), why: item.slice(at + 3) } : { number: null, why: item };
    });
    if (!items.some(i => i.number && rows.has(i.number))) { say(detail, false); return; }
    const message = el("action-message");
    message.className = "error";
    message.innerHTML = `<p>${escapeHtml(head)} :</p><ul class="blockers">`
      + items.map(i => i.number && rows.has(i.number)
        ? `<li><a href="#candidate-${encodeURIComponent(i.number)}" data-candidate="${escapeHtml(i.number)}">${escapeHtml(i.number)}</a> : ${escapeHtml(i.why)}</li>`
        : `<li>${escapeHtml(i.number ? `${i.number} : ${i.why}` : i.why)}</li>`).join("") + "</ul>";
  }

  el("action-message").addEventListener("click", e => {
    const link = e.target.closest("a[data-candidate]");
    if (!link) return;
    e.preventDefault();
    revealRow(link.dataset.candidate);
  });

  let editing = null;

  const actionWords = { "saisie": "saisie", "saisie sous réserve": "saisie sous réserve", "modification": "modification", "levée de réserve": "levée de réserve" };
  const whoOf = by => by ? `${by.name || by.Name || ""}${by.role === "jury-president" ? " (président)" : by.role === "examiner" ? " (examinateur)" : by.role === "organiser" ? " (organisateur)" : ""}` : "";

  // The unit's history (who, when, old → new, why), read from the candidate's record.
  async function showHistory(number, unit) {
    const box = el("mark-history");
    box.textContent = "Historique : chargement…";
    try {
      const view = await api("GET", `/candidates/${encodeURIComponent(number)}`);
      if (!editing || editing.number !== number || editing.unit !== unit) return;
      const changes = (view.history || []).filter(h => h.unit === unit);
      if (!changes.length) { box.textContent = "Historique : aucune saisie enregistrée."; return; }
      box.innerHTML = `<h3>Historique de ${escapeHtml(unit)}</h3><ol>` + changes.map(h => {
        const when = new Date(h.at).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" });
        const values = `${h.oldResult ? markText(h.oldResult) : "—"} → ${h.newResult ? markText(h.newResult) : "—"}`;
        return `<li><strong>${escapeHtml(values)}</strong> — ${escapeHtml(actionWords[h.action] || h.action)}, ${escapeHtml(when)}, ${escapeHtml(whoOf(h.by))}`
          + `${h.reason ? ` — motif : « ${escapeHtml(h.reason)} »` : ""}</li>`;
      }).join("") + "</ol>";
    } catch (error) {
      box.textContent = `Historique indisponible : ${error.message}`;
    }
  }

  function openMarkDialog(number, unit) {
    const row = rows.get(number);
    const controle = controleUnits.includes(unit) ? (row.controles || []).find(c => c.unit === unit) : null;
    let editable = true;
    if (controle) {
      editing = { number, unit, reserve: false, controle: true };
      el("mark-title").textContent = `Oral de contrôle — ${number}, ${unit}`;
      el("mark-current").textContent = `Note du premier groupe : ${fmt(controle.firstGroupMark)} ; oral de contrôle : ${controleResultText(controle.result)}`;
      el("mark-result").value = controle.result ? mark(controle.result) : "";
      el("mark-history").textContent = "";
    } else {
      const cell = row.results.find(r => r.unit === unit);
      editable = canAct(row);
      editing = { number, unit, reserve: !!(cell && cell.underReserve), controle: false };
      el("mark-title").textContent = !editable ? `Note — ${number}, ${unit}`
        : editing.reserve ? `Lever la réserve — ${number}, ${unit}` : cell ? `Modifier la note — ${number}, ${unit}` : `Saisir le résultat manquant — ${number}, ${unit}`;
      el("mark-current").textContent = `Résultat actuel : ${cell ? markText(cell.result) : "aucun (résultat manquant)"}${editing.reserve ? " (sous réserve)" : ""}${cell && cell.changed ? " — note modifiée" : ""}`;
      el("mark-result").value = cell ? markText(cell.result) : "";
      showHistory(number, unit);
    }
    el("mark-edit").hidden = !editable;
    el("mark-reason").required = editable;
    el("mark-save").hidden = !editable;
    el("mark-cancel").textContent = editable ? "Annuler" : "Fermer";
    el("mark-reason").value = "";
    el("mark-error").textContent = "";
    el("mark-dialog").showModal();
    (editable ? el("mark-result") : el("mark-cancel")).focus();
  }

  el("mark-cancel").addEventListener("click", () => el("mark-dialog").close());
  el("mark-form").addEventListener("submit", async e => {
    e.preventDefault();
    const { number, unit, reserve, controle } = editing;
    // Marks are typed the French way ("15,5"); the API reads a point.
    const typed = el("mark-result").value.trim();
    const result = /^\d+,\d+$/.test(typed) ? typed.replace(",", ".") : typed;
    const reason = el("mark-reason").value.trim();
    try {
      if (reserve) {
        await api("POST", `/candidates/${encodeURIComponent(number)}/results/${unit}/lift-reserve`, { reason, result: result || null });
      } else {
        await api("PUT", `/candidates/${encodeURIComponent(number)}/results/${unit}`, { result, reason });
      }
      el("mark-dialog").close();
      say(`${number}, ${unit} : ${reserve ? "réserve levée" : controle ? "note de l'oral de contrôle enregistrée" : "note modifiée"}.`, true);
    } catch (error) {
      el("mark-error").textContent = error.message;
    }
  });

  document.querySelector("#candidates tbody").addEventListener("click", async e => {
    const ack = e.target.closest("button.ack-livret");
    if (ack) {
      try {
        await api("POST", `/candidates/${encodeURIComponent(ack.dataset.candidate)}/livret/acknowledge`);
        say(`${ack.dataset.candidate} : livret scolaire examiné.`, true);
      } catch (error) { say(error.message, false); }
      return;
    }
    const cell = e.target.closest("td[data-unit]");
    if (cell && cell.querySelector("button.mark")) openMarkDialog(cell.closest("tr").dataset.candidate, cell.dataset.unit);
  });

  document.querySelector("#second-group-table tbody").addEventListener("click", async e => {
    const save = e.target.closest("button.save-choices");
    if (save) {
      const number = save.dataset.candidate;
      const chosen = [...save.closest("td").querySelectorAll("input[type=checkbox]:checked")].map(box => box.value);
      save.disabled = true;
      try {
        await api("PUT", `/candidates/${encodeURIComponent(number)}/controle-choices`, { units: chosen });
        say(`${number} : épreuves de contrôle choisies (${chosen.join(", ")}).`, true);
      } catch (error) {
        say(`${number} : ${error.message}`, false);
      } finally { save.disabled = false; }
      return;
    }
    const cell = e.target.closest("td.controle.editable");
    if (cell) openMarkDialog(cell.closest("tr").dataset.candidate, cell.dataset.unit);
  });

  el("close-jury").addEventListener("click", async () => {
    const second = phase === "SECOND_OPEN";
    if (!confirm(second
      ? "Clore la délibération du second groupe ? Toutes les décisions seront définitives."
      : "Clore la délibération du premier groupe ? Les résultats seront figés.")) return;
    try {
      const outcome = await api("POST", `/juries/${encodeURIComponent(juryId)}/close`);
      say(outcome.phase === "FIRST_CLOSED"
        ? `Premier groupe clos : ${outcome.secondGroupCandidates} candidat(s) au second groupe.`
        : `Délibération close (${phaseLabels[outcome.phase] || outcome.phase}).`, true);
    } catch (error) { sayBlockers(error.message); }
  });

  el("open-second-group").addEventListener("click", async () => {
    if (!confirm("Ouvrir le second groupe ? Les notes des oraux de contrôle pourront être saisies.")) return;
    try {
      await api("POST", `/juries/${encodeURIComponent(juryId)}/second-group/open`);
      say("Second groupe ouvert : les notes des oraux de contrôle peuvent être saisies.", true);
    } catch (error) { say(error.message, false); }
  });

  const hints = {
    FIRST_OPEN: "Cliquez une note pour la modifier ou lever une réserve, une case « manque » pour saisir un résultat manquant (motif obligatoire).",
    FIRST_CLOSED: "Enregistrez les deux épreuves de contrôle choisies par chaque candidat du second groupe, puis ouvrez le second groupe.",
    SECOND_OPEN: "Cliquez une épreuve de contrôle choisie, dans le tableau du second groupe, pour en saisir la note (motif obligatoire).",
    CLOSED: "La délibération est close : les résultats sont définitifs.",
  };

  function showActions() {
    const president = isPresident();
    el("actions").hidden = !(president || isOrganiser());
    const close = el("close-jury");
    close.hidden = !president || phase === "FIRST_CLOSED";
    close.disabled = !(phase === "FIRST_OPEN" || phase === "SECOND_OPEN");
    close.textContent = phase === "SECOND_OPEN" ? "Clore la délibération du second groupe"
      : phase === "CLOSED" ? "Délibération close" : "Clore la délibération du premier groupe";
    el("open-second-group").hidden = !president || phase !== "FIRST_CLOSED";
    el("action-hint").hidden = !president;
    el("action-hint").textContent = hints[phase] || "";
  }

  function applySnapshot(snapshot) {
    version = snapshot.version;
    phase = snapshot.phase;
    showActions();
    rows.clear();
    for (const row of snapshot.candidates) rows.set(row.candidateNumber, row);
    renderTable();
    renderSecondGroup();
    renderAggregates(snapshot.aggregates, snapshot.phase);
    el("login").hidden = true;
    el("board").hidden = false;
  }

  function applyUpdate(update) {
    if (update.version <= version) return;
    // Frames can cross or be lost: one that starts after what the page holds leaves a gap, so take a fresh snapshot.
    if (update.previousVersion > version) { page.rewatch(); return; }
    version = update.version;
    if (update.phase !== phase) {
      phase = update.phase;
      showActions();
      renderTable();
      renderSecondGroup();
    }
    upsertRows(update.changed, update.removed);
    upsertSecondRows(update.changed, update.removed);
    renderAggregates(update.aggregates, update.phase);
  }

  page.start();
})();
