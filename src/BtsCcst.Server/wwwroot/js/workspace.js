// The organiser's workspace: the session at a glance, imports (with refused rows by line), planning
// (start, follow live through the planning hub, compare, publish or discard, history), searchable
// lists (juries, centres and their days, commissions, examiners, candidates) and downloads. Every
// figure comes from the same API routes scripts use.
"use strict";

(() => {
  const params = new URLSearchParams(location.search);
  const sessionId = params.get("session") || "2024";
  const tokenKey = `btsccst-token-workspace-${sessionId}`;
  const el = id => document.getElementById(id);
  const base = `/api/sessions/${encodeURIComponent(sessionId)}`;
  el("session-id").textContent = sessionId;
  el("planning-link").href = `/planning?session=${encodeURIComponent(sessionId)}`;
  el("access-link").href = `/acces?session=${encodeURIComponent(sessionId)}`;

  const escapeHtml = text => String(text ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const frenchDate = iso => iso ? iso.slice(0, 10).split("-").reverse().join("/") : "";
  const frenchTime = iso => iso ? new Date(iso).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" }) : "";
  const stateLabels = { running: "en cours", succeeded: "réussie", partial: "partielle", failed: "échouée" };
  const phaseLabels = { FIRST_OPEN: "1er groupe ouvert", FIRST_CLOSED: "1er groupe clos", SECOND_OPEN: "2nd groupe ouvert", CLOSED: "clos" };
  const decisionLabels = { ADMIS: "admis", AJOURNE: "ajourné", SECOND_GROUPE: "second groupe", INCOMPLET: "incomplet", NON_VALIDE: "non validé", ABSENT: "absent" };
  const importKinds = [
    ["juries", "juries.csv", "jurys, présidents et académies"],
    ["candidates", "candidates.csv", "inscriptions"],
    ["centres", "centres.csv", "centres d'oraux et leurs jours"],
    ["examiners", "examiners.csv", "examinateurs et disponibilités"],
    ["conformity", "conformity.csv", "conformité des dossiers"],
    ["marks", "marks.csv", "notes"],
  ];

  const deniedMessage = "Accès refusé : cet espace est réservé à l'organisateur.";
  let latestRunId = null;
  const data = { juries: [], boards: [], centres: [], examiners: [], schedule: [], runs: [], stage: null };

  const page = BtsLivePage.create({
    tokenKey, mainId: "workspace", hubPath: "/hubs/planning", updateMethod: "runChanged",
    watch: c => latestRunId ? c.invoke("Watch", sessionId, latestRunId) : c.invoke("WatchLatest", sessionId),
    onSnapshot: view => { if (view) latestRunId = view.runId; renderLatest(view); refreshAll(); },
    onUpdate: view => { renderLatest(view); if (view && view.state !== "running") setTimeout(refreshAll, 300); },
    refusal: e => /401|403|réservé/.test(String(e && e.message || e)) ? deniedMessage : null,
    showStage: false,
  });
  el("dev-token").addEventListener("click", () => page.useDevToken({ role: "organiser", name: "bureau des examens" }));

  async function api(method, path, body) {
    try {
      return await page.api(method, `${base}${path}`, body);
    } catch (error) {
      if (error.status === 401 || error.status === 403) { sessionStorage.removeItem(tokenKey); page.showLogin(deniedMessage); }
      throw error;
    }
  }

  /** An authenticated download: fetched with the credential, then saved under its name. */
  async function download(path, file) {
    el("download-message").textContent = `Téléchargement de ${file}…`;
    el("download-message").className = "";
    const response = await fetch(`${base}${path}`, { headers: page.authHeaders(), credentials: "same-origin" });
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      el("download-message").textContent = problem?.detail || `Téléchargement impossible (${response.status}).`;
      el("download-message").className = "error";
      return;
    }
    BtsLivePage.saveBlob(await response.blob(), file);
    el("download-message").textContent = `${file} téléchargé.`;
  }

  document.addEventListener("click", e => {
    const button = e.target.closest("[data-download]");
    if (!button) return;
    e.preventDefault();
    download(button.dataset.download, button.dataset.file);
  });

  // --- Loading ---

  async function refreshAll() {
    const [stage, overview, centres, examiners, schedule, runs, log] = await Promise.all([
      api("GET", "/stage"), api("GET", "/juries"), api("GET", "/centres"), api("GET", "/examiners"),
      api("GET", "/schedule").catch(() => []), api("GET", "/planning-runs"), api("GET", "/imports"),
    ].map(p => p.catch(e => { el("glance-message").textContent = e.message; return null; })));
    data.stage = stage;
    data.juries = overview?.juries || [];
    data.centres = centres || [];
    data.examiners = examiners || [];
    data.schedule = schedule || [];
    data.runs = runs || [];
    const juryIds = data.juries.map(j => j.juryId);
    data.boards = (await Promise.all(juryIds.map(id => api("GET", `/juries/${encodeURIComponent(id)}/board`).catch(() => null)))).filter(b => b);
    renderGlance();
    renderImportLog(log || []);
    renderRunHistory();
    renderLists();
  }

  // --- At a glance ---

  function tile(label, value) {
    return `<div class="tile"><span class="label">${escapeHtml(label)}</span><span class="value">${escapeHtml(value)}</span></div>`;
  }

  function renderGlance() {
    const stage = data.stage;
    if (!stage) return;
    el("stage-label").textContent = stage.label;
    el("stage-label").dataset.stage = stage.stage;
    el("next-step").textContent = stage.nextStep;
    const rows = data.boards.flatMap(b => b.candidates);
    const missing = rows.reduce((n, c) => n + (c.missingUnits?.length || 0), 0);
    const entered = rows.reduce((n, c) => n + c.results.filter(r => r.result !== null && r.result !== undefined && r.result !== "").length, 0);
    const latest = data.runs[0];
    const days = data.centres.flatMap(c => c.days);
    const count = state => days.filter(d => d.state === state).length;
    const phases = Object.entries(stage.juriesByPhase || {}).map(([p, n]) => `${n} ${phaseLabels[p] || p}`).join(", ") || "aucun";
    el("glance-tiles").innerHTML = [
      tile("Candidats", stage.candidates),
      tile("Oraux au planning en vigueur", data.schedule.length),
      tile("Dernière planification", latest ? `${latest.placed} / ${latest.total} oraux placés` : "aucune"),
      tile("Jurys par phase", phases),
      tile("Journées de centre", `${count("planned")} planifiée(s), ${count("begun")} commencée(s), ${count("closed")} close(s)`),
      tile("Résultats saisis", entered),
      tile("Résultats manquants", missing),
    ].join("");
    el("replan-options").hidden = !stage.publishedRunId;
  }

  // --- Imports ---

  function renderImportRows() {
    el("import-table").querySelector("tbody").innerHTML = importKinds.map(([kind, file, role]) => `
      <tr data-kind="${kind}" class="import-row">
        <td class="name"><strong>${file}</strong></td><td class="name">${escapeHtml(role)}</td>
        <td class="name"><label class="visually-hidden" for="file-${kind}">Fichier ${file}</label>
          <input id="file-${kind}" type="file" accept=".csv,text/csv">
          <button type="button" data-import="${kind}">Importer</button></td>
        <td class="name import-result" id="result-${kind}" role="status"></td>
      </tr>`).join("");
  }

  async function importFile(kind, file) {
    const result = el(`result-${kind}`);
    result.className = "name import-result";
    result.textContent = `Import de ${file.name}…`;
    el("import-errors-block").hidden = true;
    // A large file is written in batches: its progress is in the import journal while the request runs.
    let answered = false;
    const progress = setInterval(async () => {
      const log = await api("GET", "/imports").catch(() => null);
      // A poll still under way when the import's answer came must not write over that answer.
      if (!log || answered) return;
      renderImportLog(log);
      const running = log.find(r => r.unfinished && r.kind === kind);
      if (running && running.rowsTotal > 0) result.textContent = `Import de ${file.name} : ${running.rowsDone} / ${running.rowsTotal} lignes écrites…`;
    }, 1000);
    let response;
    try {
      response = await fetch(`${base}/imports/${kind}`, {
        method: "POST", headers: { ...page.authHeaders(), "Content-Type": "text/csv" }, credentials: "same-origin", body: await file.text(),
      });
    } catch {
      result.className = "name import-result error";
      result.textContent = `Serveur injoignable : ${file.name} n'a peut-être pas été importé ; consultez le journal, puis importez-le à nouveau.`;
      return;
    } finally {
      answered = true;
      clearInterval(progress);
    }
    const json = await response.json().catch(() => null);
    if (response.status === 401 || response.status === 403) { page.showLogin(deniedMessage); return; }
    if (!response.ok) {
      result.className = "name import-result error";
      result.textContent = json?.detail || `Refusé (${response.status}).`;
      showErrors(file.name, json?.errors || [], json?.errorCount);
    } else {
      const moved = json.moved?.length ? `, ${json.moved.length} candidat(s) déplacé(s)` : "";
      const removed = json.removed?.length ? `, ${json.removed.length} supprimé(s) (${json.removed.join(", ")})` : "";
      result.className = "name import-result ok";
      result.textContent = `${file.name} : ${json.created} créé(s), ${json.updated} mis à jour, ${json.unchanged} inchangé(s)${removed}${moved}.`;
    }
    refreshAll();
  }

  let shownErrors = [];
  function showErrors(fileName, errors, errorCount) {
    shownErrors = errors;
    el("import-errors-block").hidden = errors.length === 0;
    el("import-errors-title").textContent = `Erreurs de ${fileName} : ${errorCount ?? errors.length} ligne(s) refusée(s)`
      + (errorCount > errors.length ? ` (les ${errors.length} premières affichées)` : "");
    el("import-errors").querySelector("tbody").innerHTML = errors.map(e =>
      `<tr><td class="number">${e.line}</td><td class="name">${escapeHtml(e.column)}</td><td class="name message">${escapeHtml(e.message)}</td></tr>`).join("");
  }

  el("import-errors-download").addEventListener("click", () => {
    const quote = v => `"${String(v ?? "").replace(/"/g, '""')}"`;
    const csv = "line,column,message\n" + shownErrors.map(e => [e.line, quote(e.column), quote(e.message)].join(",")).join("\n") + "\n";
    BtsLivePage.saveBlob(new Blob([csv], { type: "text/csv;charset=utf-8" }), "erreurs-import.csv");
  });

  el("import-table").addEventListener("click", e => {
    const button = e.target.closest("[data-import]");
    if (!button) return;
    const input = el(`file-${button.dataset.import}`);
    if (!input.files.length) { el(`result-${button.dataset.import}`).textContent = "Choisissez d'abord un fichier."; return; }
    importFile(button.dataset.import, input.files[0]);
  });
  el("import-table").addEventListener("dragover", e => { if (e.target.closest(".import-row")) { e.preventDefault(); e.target.closest(".import-row").classList.add("drop"); } });
  el("import-table").addEventListener("dragleave", e => e.target.closest(".import-row")?.classList.remove("drop"));
  el("import-table").addEventListener("drop", e => {
    const row = e.target.closest(".import-row");
    if (!row || !e.dataTransfer.files.length) return;
    e.preventDefault();
    row.classList.remove("drop");
    importFile(row.dataset.kind, e.dataTransfer.files[0]);
  });

  function renderImportLog(log) {
    el("import-log").querySelector("tbody").innerHTML = [...log].reverse().map(r => {
      const c = r.counts;
      // Unfinished is an import under way: one cut short by a stop of the server is marked with a failure at the restart.
      const what = r.unfinished ? (r.rowsTotal > 0 ? `en cours : ${r.rowsDone} / ${r.rowsTotal} lignes écrites` : "en cours")
        : r.failure ? r.failure
        : c ? `${c.created} créé(s), ${c.updated} mis à jour, ${c.unchanged} inchangé(s)` : `refusé : ${r.refusedRows} ligne(s) en erreur`;
      return `<tr><td class="number">${r.sequence}</td><td class="name">${escapeHtml(r.kind)}.csv</td><td class="name">${escapeHtml(r.by?.name)}</td>`
        + `<td class="name">${escapeHtml(frenchTime(r.at))}</td><td class="name">${escapeHtml(what)}</td></tr>`;
    }).join("");
  }

  // --- Planning ---

  function say(text, ok) {
    el("run-message").textContent = text;
    el("run-message").className = ok ? "ok" : "error";
  }

  el("run-form").addEventListener("submit", async e => {
    e.preventDefault();
    const body = { timeLimitSeconds: Number(el("run-limit").value) };
    if (!el("replan-options").hidden) {
      body.noticeDays = Number(el("notice-days").value);
      body.replan = el("replan-mode").value;
    }
    el("run-start").disabled = true;
    try {
      const started = await api("POST", "/planning-runs", body);
      latestRunId = started.runId;
      say(`Planification ${started.runId} lancée (au plus ${body.timeLimitSeconds} s).`, true);
      const c = page.connection();
      if (c && c.state === signalR.HubConnectionState.Connected) renderLatest(await c.invoke("Watch", sessionId, latestRunId).catch(() => null));
    } catch (error) {
      say(error.message, false);
    } finally {
      el("run-start").disabled = false;
    }
  });

  function renderLatest(view) {
    if (!view) return;
    latestRunId = view.runId;
    el("latest-run").hidden = false;
    el("latest-id").textContent = view.runId;
    el("latest-state").textContent = stateLabels[view.state] || view.state;
    el("latest-figures").textContent = `${view.placed} / ${view.total} oraux placés — ${view.phase}`;
    el("latest-reasons").innerHTML = (view.reasons || []).map(r => `<li>${escapeHtml(r)}</li>`).join("");
    if (view.state !== "running") showComparison(view.runId);
    else el("comparison").hidden = true;
  }

  async function showComparison(runId, attempt = 0) {
    const run = await api("GET", `/planning-runs/${encodeURIComponent(runId)}`).catch(() => null);
    if (!run || runId !== latestRunId) return;
    if (!run.disposition) { if (attempt < 20) setTimeout(() => showComparison(runId, attempt + 1), 250); return; }
    showPublication(run);
    el("comparison").hidden = !(run.disposition === "proposal" || run.disposition === "draft");
    el("publish").hidden = !(run.disposition === "proposal" || run.disposition === "draft");
    el("discard").hidden = run.disposition !== "proposal";
    el("publish").disabled = false;
    el("comparison-refusal").textContent = "";
    if (run.disposition === "draft") {
      el("comparison-summary").textContent = "Ce plan est le planning brouillon : publiez-le pour envoyer les convocations.";
      el("comparison-candidates").textContent = el("comparison-examiners").textContent = "";
      el("comparison-terms").querySelector("tbody").innerHTML = "";
      return;
    }
    if (run.disposition !== "proposal") return;
    const c = await api("GET", `/planning-runs/${encodeURIComponent(runId)}/comparison`);
    el("comparison-summary").textContent = `${c.examsChanged} épreuve(s) changée(s) : la convocation de ${c.candidatesChanged.length} candidat(s) `
      + `et les journées de ${c.examinersChanged.length} examinateur(s) changeraient ; ${c.examsKept} épreuve(s) restent telles quelles.`
      + (c.begunDays.length ? ` Journées commencées : ${c.begunDays.map(frenchDate).join(", ")}.` : "");
    el("comparison-terms").querySelector("tbody").innerHTML = (c.terms || []).map(t => {
      const delta = t.proposed - t.current;
      return `<tr data-term="${escapeHtml(t.term)}"><td class="name">${escapeHtml(t.label)}</td><td class="number">${t.current}</td><td class="number">${t.proposed}</td>`
        + `<td class="number">${delta > 0 ? "+" : ""}${delta}</td></tr>`;
    }).join("");
    el("comparison-candidates").textContent = c.candidatesChanged.join(", ") || "aucun";
    el("comparison-examiners").textContent = c.examinersChanged.join(", ") || "aucun";
    if (c.publishRefusal) { el("comparison-refusal").textContent = c.publishRefusal; el("publish").disabled = true; }
  }

  /** Who a published plan concerns: the candidates to send new convocations to, the examiners whose days changed. */
  function showPublication(run) {
    const p = run.disposition === "published" ? run.publication : null;
    el("publication").hidden = !p;
    if (!p) return;
    el("publication-summary").textContent = `Publié par ${p.by} le ${frenchTime(p.at)} : la convocation de ${p.candidates.length} candidat(s) a changé`
      + (p.candidates.length ? ` (${p.candidates.join(", ")}).` : " : aucune nouvelle convocation à envoyer.");
    el("publication-convocations").hidden = p.candidates.length === 0;
    el("publication-convocations").dataset.download = `/planning-runs/${encodeURIComponent(run.runId)}/convocations.pdf`;
    el("publication-convocations").dataset.file = `convocations-${run.runId}.pdf`;
    el("publication-examiners").innerHTML = p.examiners.length
      ? `Examinateurs dont les journées ont changé (leur calendrier) : ${p.examiners.map(e => dl(`/examiners/${encodeURIComponent(e)}/calendar.ics`, `${e}.ics`, e)).join(", ")}`
      : "Aucun examinateur dont les journées changent.";
  }

  async function decide(action) {
    try {
      await api("POST", `/planning-runs/${encodeURIComponent(latestRunId)}/${action}`);
      say(action === "publish" ? "Plan publié : les convocations et les calendriers des personnes concernées suivent." : "Proposition écartée.", true);
      showComparison(latestRunId);
      refreshAll();
    } catch (error) {
      say(error.message, false);
    }
  }
  el("publish").addEventListener("click", () => decide("publish"));
  el("discard").addEventListener("click", () => decide("discard"));

  function renderRunHistory() {
    el("run-history").querySelector("tbody").innerHTML = data.runs.map(r =>
      `<tr><td class="name">${escapeHtml(r.runId)}</td><td class="name">${escapeHtml(r.startedBy)}</td><td class="name">${escapeHtml(frenchTime(r.startedAt))}</td>`
      + `<td class="name">${escapeHtml(stateLabels[r.state] || r.state)}</td><td class="number">${r.placed} / ${r.total}</td>`
      + `<td class="name">${r.replan ? `délai ${r.replan.noticeDays} j, ${r.replan.mode === "whole" ? "toutes les journées" : "minimale"}` : "—"}</td>`
      + `<td class="name">${escapeHtml(r.dispositionLabel || "—")}${r.publication ? ` <small>(par ${escapeHtml(r.publication.by)} le ${escapeHtml(frenchTime(r.publication.at))})</small>` : ""}</td></tr>`).join("");
  }

  // --- Lists ---

  const panels = ["juries", "centres", "commissions", "examiners", "candidates"];
  let currentList = "juries";
  document.querySelector(".tabs").addEventListener("click", e => {
    const tab = e.target.closest("[role=tab]");
    if (!tab) return;
    currentList = tab.id.replace("tab-", "");
    for (const p of panels) {
      el(`tab-${p}`).setAttribute("aria-selected", String(p === currentList));
      el(`list-${p}`).hidden = p !== currentList;
    }
    renderLists();
  });
  el("list-search").addEventListener("input", () => renderLists());

  const link = (href, text) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const dl = (path, file, text) => `<button type="button" class="link" data-download="${escapeHtml(path)}" data-file="${escapeHtml(file)}">${escapeHtml(text)}</button>`;
  const s = encodeURIComponent(sessionId);

  function listRows() {
    const boardOf = id => data.boards.find(b => b.juryId === id);
    switch (currentList) {
      case "juries": return data.juries.map(j => {
        const board = boardOf(j.juryId);
        const missing = board ? board.candidates.reduce((n, c) => n + c.missingUnits.length, 0) : 0;
        return [`${j.juryId} ${j.president}`, `<td class="name">${link(`/jury/${encodeURIComponent(j.juryId)}?session=${s}`, j.juryId)}</td>`
          + `<td class="name">${escapeHtml(phaseLabels[board?.phase] || board?.phase || "")}</td><td class="name">${escapeHtml(j.president)}</td>`
          + `<td class="number">${board ? board.candidates.length : 0}</td><td class="number">${missing}</td>`
          + `<td class="name">${dl(`/juries/${encodeURIComponent(j.juryId)}/minutes.pdf`, `pv-${j.juryId}.pdf`, "procès-verbal")} · `
          + `${dl(`/juries/${encodeURIComponent(j.juryId)}/transcripts.pdf`, `releves-${j.juryId}.pdf`, "relevés")}</td>`];
      });
      case "centres": return data.centres.map(c => [`${c.centreId} ${c.name} ${c.academies.join(" ")}`,
        `<td class="name">${escapeHtml(c.centreId)} — ${escapeHtml(c.name)}</td><td class="name">${escapeHtml(c.academies.join(", "))}</td>`
        + `<td class="name days">${c.days.map(d => `<span class="day" data-state="${d.state}">`
          + `${link(`/centre/${encodeURIComponent(c.centreId)}?session=${s}&date=${d.date}`, frenchDate(d.date))} ${escapeHtml(d.stateLabel)} (${d.exams})</span>`).join(" ")}</td>`]);
      case "commissions": {
        const byId = new Map();
        for (const r of data.schedule) {
          const c = byId.get(r.commissionId) || { id: r.commissionId, centre: r.centreId, date: r.date, members: new Set(), exams: 0 };
          r.examinerIds.forEach(m => c.members.add(m));
          c.exams++;
          byId.set(r.commissionId, c);
        }
        return [...byId.values()].map(c => [`${c.id} ${c.centre} ${[...c.members].join(" ")}`,
          `<td class="name">${link(`/commission/${encodeURIComponent(c.id)}?session=${s}`, c.id)}</td><td class="name">${escapeHtml(c.centre)}</td>`
          + `<td class="name">${frenchDate(c.date)}</td><td class="name">${escapeHtml([...c.members].join(", "))}</td><td class="number">${c.exams}</td>`]);
      }
      case "examiners": return data.examiners.map(e => [`${e.examinerId} ${e.lastName} ${e.firstName} ${e.discipline}`,
        `<td class="name">${escapeHtml(`${e.lastName} ${e.firstName}`)} <small>(${escapeHtml(e.examinerId)})</small></td><td class="name">${escapeHtml(e.discipline)}</td>`
        + `<td class="number">${e.exams}</td><td class="name">${escapeHtml(e.days.map(d => `${frenchDate(d.date)} ${d.centreId}`).join(", "))}</td>`
        + `<td class="name">${dl(`/examiners/${encodeURIComponent(e.examinerId)}/calendar.ics`, `${e.examinerId}.ics`, "calendrier")}</td>`]);
      default: {
        const convoked = new Map();
        for (const r of data.schedule) convoked.set(r.candidateNumber, (convoked.get(r.candidateNumber) || 0) + 1);
        return data.boards.flatMap(b => b.candidates).map(c => [`${c.candidateNumber} ${c.lastName} ${c.firstName} ${c.juryId}`,
          `<td class="number">${escapeHtml(c.candidateNumber)}</td><td class="name">${escapeHtml(`${c.lastName} ${c.firstName}`)}</td>`
          + `<td class="name">${escapeHtml(c.juryId)}</td><td class="name decision" data-decision="${escapeHtml(c.decision)}">${escapeHtml(decisionLabels[c.decision] || c.decision)}</td>`
          + `<td class="name">${convoked.get(c.candidateNumber) || 0} oral(s)</td>`
          + `<td class="name">${dl(`/candidates/${encodeURIComponent(c.candidateNumber)}/convocation.pdf`, `convocation-${c.candidateNumber}.pdf`, "convocation")} · `
          + `${dl(`/candidates/${encodeURIComponent(c.candidateNumber)}/transcript.pdf`, `releve-${c.candidateNumber}.pdf`, "relevé")}</td>`
          + `<td class="name"><button type="button" class="link" data-candidate="${escapeHtml(c.candidateNumber)}">fiche</button></td>`]);
      }
    }
  }

  function renderLists() {
    const words = el("list-search").value.trim().toLowerCase().split(/\s+/).filter(w => w);
    const rows = listRows();
    const shown = rows.filter(([text]) => words.every(w => text.toLowerCase().includes(w)));
    const limit = 500;
    el(`list-${currentList}`).querySelector("tbody").innerHTML = shown.slice(0, limit).map(([, cells]) => `<tr>${cells}</tr>`).join("");
    el("list-count").textContent = `${shown.length} sur ${rows.length}` + (shown.length > limit ? ` (les ${limit} premiers affichés : précisez la recherche)` : "");
  }

  // --- A candidate's record: registration, convocations, results, history of changes ---

  const yesNo = b => b ? "oui" : "non";
  const list = a => a && a.length ? a.join(", ") : "—";

  async function showCandidate(number) {
    let view;
    try {
      view = await api("GET", `/candidates/${encodeURIComponent(number)}`);
    } catch (error) {
      el("list-count").textContent = error.message;
      return;
    }
    const r = view.registration, s = view.summary;
    el("candidate-title").textContent = `Fiche du candidat ${r.candidateNumber} — ${r.lastName} ${r.firstName}`;
    const fields = [["Jury", r.juryId], ["Date de naissance", frenchDate(r.birthDate)], ["Académie", r.academy], ["Catégorie", r.category],
      ["Forme", r.form], ["Épreuves facultatives", list(r.optionalUnits)], ["Langue EF1", r.ef1Language || "—"], ["Dispenses", list(r.dispensedUnits)],
      ["Notes conservées", list(r.keptUnits)], ["Temps majoré", `${r.extraTimePercent} %`], ["Livret scolaire", yesNo(r.livret)]];
    el("candidate-registration").innerHTML = fields.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join("");
    const rows = data.schedule.filter(x => x.candidateNumber === number).sort((a, b) => `${a.date}${a.examStart}`.localeCompare(`${b.date}${b.examStart}`));
    el("candidate-convocations").querySelector("tbody").innerHTML = rows.map(x => `<tr><td class="name">${frenchDate(x.date)}</td><td class="name">${escapeHtml(x.centreId)}</td>`
      + `<td class="name">${escapeHtml(x.room)}</td><td class="name">${escapeHtml(x.unit)}</td><td class="name">${escapeHtml(x.prepStart?.slice(0, 5) || "—")}</td>`
      + `<td class="name">${escapeHtml(x.examStart?.slice(0, 5))}–${escapeHtml(x.examEnd?.slice(0, 5))}</td><td class="name">${escapeHtml(x.commissionId)}</td></tr>`).join("")
      || `<tr><td class="name" colspan="7">Aucune convocation au planning en vigueur.</td></tr>`;
    el("candidate-outcome").textContent = `Décision : ${decisionLabels[s.decision] || s.decision}`
      + (s.average === null || s.average === undefined ? "" : `, moyenne ${String(s.average).replace(".", ",")}`)
      + (s.missingUnits.length ? ` ; résultats manquants : ${s.missingUnits.join(", ")}` : "");
    el("candidate-results").querySelector("tbody").innerHTML = s.results.map(u => `<tr><td class="name">${escapeHtml(u.unit)}</td>`
      + `<td class="name">${escapeHtml(String(u.result).replace(".", ","))}</td><td class="name">${yesNo(u.underReserve)}</td><td class="name">${yesNo(u.changed)}</td></tr>`).join("")
      || `<tr><td class="name" colspan="4">Aucun résultat saisi.</td></tr>`;
    el("candidate-history").querySelector("tbody").innerHTML = [...view.history].reverse().map(h => `<tr><td class="name">${escapeHtml(frenchTime(h.at))}</td>`
      + `<td class="name">${escapeHtml(h.by?.name)}</td><td class="name">${escapeHtml(h.unit)}</td><td class="name">${escapeHtml(h.oldResult ?? "—")}</td>`
      + `<td class="name">${escapeHtml(h.newResult ?? "—")}</td><td class="name message">${escapeHtml(h.reason ? `${h.action} : ${h.reason}` : h.action)}</td></tr>`).join("")
      || `<tr><td class="name" colspan="6">Aucun changement.</td></tr>`;
    el("candidate-detail").hidden = false;
    el("candidate-detail").scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", e => {
    const button = e.target.closest("[data-candidate]");
    if (button) showCandidate(button.dataset.candidate);
  });
  el("candidate-close").addEventListener("click", () => { el("candidate-detail").hidden = true; });

  renderImportRows();
  page.start();
})();
