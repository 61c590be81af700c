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
    refusal: e => /401|403|réservé/.test(String(e && e.message || e)) ? "Accès refusé : ce jeton ne donne pas accès à ce jury." : null,
    gone: e => /n'existe pas/.test(String(e && e.message || e)) ? `Jury inconnu dans la session ${sessionId}` : null,
    beforeStart: () => headerRow(),
  });
  el("dev-token").addEventListener("click", () =>
    page.useDevToken({ role: "jury-president", name: `président ${juryId}`, scope: juryId }));

  function headerRow() {
    const cells = ["N°", "Nom"].map((t, i) => `<th class="${i === 0 ? "number" : "name"}">${t}</th>`)
      .concat(units.map(u => `<th>${u}</th>`))
      .concat(["<th>Points</th>", "<th>Moyenne</th>", "<th>Moy. pro.</th>", "<th class=\"decision\">Décision</th>", "<th class=\"flags\">Signalements</th>"]);
    el("header-row").innerHTML = cells.join("");
  }

  function flagsOf(row) {
    const flags = [];
    const results = row.results.map(r => r.result);
    if (row.nearThreshold) flags.push(["near", "Proche d'un seuil"]);
    if (row.livret && !row.livretAcknowledged) flags.push(["livret", row.decision === "AJOURNE" ? "Livret à examiner" : "Livret fourni"]);
    if (row.livret && row.livretAcknowledged) flags.push(["livret", "Livret examiné"]);
    if (results.includes("NV")) flags.push(["nv", "NV"]);
    if (results.includes("ABS")) flags.push(["abs", "ABS"]);
    if (row.missingUnits.length) flags.push(["incomplete", `Incomplet (${row.missingUnits.join(", ")})`]);
    if (row.results.some(r => r.underReserve)) flags.push(["reserve", "Sous réserve"]);
    const ack = canAct(row) && row.livret && !row.livretAcknowledged
      ? `<button type="button" class="ack-livret" data-candidate="${row.candidateNumber}">Marquer le livret examiné</button>` : "";
    return flags.map(([cls, text]) => `<span class="flag ${cls}">${text}</span>`).join("") + ack;
  }

  function renderRow(row) {
    const byUnit = Object.fromEntries(row.results.map(r => [r.unit, r]));
    const cells = units.map(u => {
      const cell = byUnit[u];
      if (!cell) return `<td data-unit="${u}"></td>`;
      const text = /^\d/.test(cell.result) ? cell.result.replace(".", ",") : cell.result;
      const classes = [cell.underReserve ? "reserve" : "", canAct(row) ? "editable" : ""].filter(Boolean).join(" ");
      return `<td data-unit="${u}"${classes ? ` class="${classes}"` : ""}${cell.underReserve ? ' title="Note sous réserve"' : ""}>${text}</td>`;
    });
    const tr = document.createElement("tr");
    tr.dataset.candidate = row.candidateNumber;
    tr.innerHTML = `<td class="number">${row.candidateNumber}</td><td class="name">${escapeHtml(row.lastName)} ${escapeHtml(row.firstName)}</td>`
      + cells.join("")
      + `<td class="points">${row.points === null ? "" : Number(row.points).toFixed(3).replace(".", ",")}</td>`
      + `<td class="average">${fmt(row.average)}</td><td class="pro-average">${fmt(row.proAverage)}</td>`
      + `<td class="decision" data-decision="${row.decision}">${decisionLabels[row.decision] || row.decision}</td>`
      + `<td class="flags">${flagsOf(row)}</td>`;
    return tr;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function renderTable() {
    const body = document.querySelector("#candidates tbody");
    body.replaceChildren(...[...rows.keys()].sort().map(n => renderRow(rows.get(n))));
  }

  function upsertRows(changed, removed) {
    const body = document.querySelector("#candidates tbody");
    for (const number of removed) {
      rows.delete(number);
      body.querySelector(`tr[data-candidate="${CSS.escape(number)}"]`)?.remove();
    }
    for (const row of changed) {
      rows.set(row.candidateNumber, row);
      const fresh = renderRow(row);
      fresh.classList.add("flash");
      const existing = body.querySelector(`tr[data-candidate="${CSS.escape(row.candidateNumber)}"]`);
      if (existing) { existing.replaceWith(fresh); continue; }
      const next = [...body.children].find(tr => tr.dataset.candidate > row.candidateNumber);
      body.insertBefore(fresh, next || null);
    }
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

  function renderChart(distribution) {
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
  const mark = text => text.replace(".", ",");

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
      + `${first} <span class="controle-result" title="Note de l'oral de contrôle"><small>contrôle</small> ${controleResultText(c.result)}</span> `
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
  // deliberation.md "Second group": choices follow the first group's closing; contrôle marks need the second group open.
  const mayChoose = () => (isPresident() || isOrganiser()) && (phase === "FIRST_CLOSED" || phase === "SECOND_OPEN");
  const mayMarkControle = () => isPresident() && phase === "SECOND_OPEN";

  // An API refusal (application/problem+json) as the French sentence of its detail.
  async function problemOf(response) {
    let detail = `Erreur ${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch { }
    return new Error(detail);
  }

  const api = (method, path, body) => page.api(method, `/api/sessions/${encodeURIComponent(sessionId)}${path}`, body);

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
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = fileNameOf(response, fallbackName);
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      say(`${what} téléchargé (${link.download}).`, true);
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

  let editing = null;

  function openMarkDialog(number, unit) {
    const row = rows.get(number);
    const controle = controleUnits.includes(unit) ? (row.controles || []).find(c => c.unit === unit) : null;
    if (controle) {
      editing = { number, unit, reserve: false, controle: true };
      el("mark-title").textContent = `Oral de contrôle — ${number}, ${unit}`;
      el("mark-current").textContent = `Note du premier groupe : ${fmt(controle.firstGroupMark)} ; oral de contrôle : ${controleResultText(controle.result)}`;
      el("mark-result").value = controle.result ? mark(controle.result) : "";
    } else {
      const cell = row.results.find(r => r.unit === unit);
      editing = { number, unit, reserve: !!(cell && cell.underReserve), controle: false };
      el("mark-title").textContent = editing.reserve ? `Lever la réserve — ${number}, ${unit}` : `Modifier la note — ${number}, ${unit}`;
      el("mark-current").textContent = `Résultat actuel : ${cell ? cell.result.replace(".", ",") : "aucun"}${editing.reserve ? " (sous réserve)" : ""}`;
      el("mark-result").value = cell ? cell.result.replace(".", ",") : "";
    }
    el("mark-reason").value = "";
    el("mark-error").textContent = "";
    el("mark-dialog").showModal();
    el("mark-result").focus();
  }

  el("mark-cancel").addEventListener("click", () => el("mark-dialog").close());
  el("mark-form").addEventListener("submit", async e => {
    e.preventDefault();
    const { number, unit, reserve, controle } = editing;
    const result = el("mark-result").value.trim();
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
    const cell = e.target.closest("td.editable");
    if (cell) openMarkDialog(cell.closest("tr").dataset.candidate, cell.dataset.unit);
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
    } catch (error) { say(error.message, false); }
  });

  el("open-second-group").addEventListener("click", async () => {
    if (!confirm("Ouvrir le second groupe ? Les notes des oraux de contrôle pourront être saisies.")) return;
    try {
      await api("POST", `/juries/${encodeURIComponent(juryId)}/second-group/open`);
      say("Second groupe ouvert : les notes des oraux de contrôle peuvent être saisies.", true);
    } catch (error) { say(error.message, false); }
  });

  const hints = {
    FIRST_OPEN: "Cliquez une note pour la modifier (motif obligatoire) ou lever une réserve.",
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
