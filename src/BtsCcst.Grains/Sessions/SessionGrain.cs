using BtsCcst.Domain;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Deliberation;
using BtsCcst.Grains.Storage;
using Orleans.Serialization;

namespace BtsCcst.Grains.Sessions;

[GenerateSerializer]
public sealed class SessionState
{
    /// <summary>Juries imported from juries.csv; empty means one jury per academy.</summary>
    [Id(0)] public List<JuryDefinition> ImportedJuries { get; set; } = [];
    /// <summary>Every registered candidate and the jury that deliberates on them.</summary>
    [Id(1)] public Dictionary<string, string> CandidateJury { get; set; } = [];
    /// <summary>Juries created by default, one per academy, by jury id.</summary>
    [Id(2)] public Dictionary<string, JuryDefinition> DefaultJuries { get; set; } = [];
    /// <summary>The session's deliberation thresholds; null means the 2024 defaults.</summary>
    [Id(3)] public DeliberationSettings? Deliberation { get; set; }
    [Id(4)] public Dictionary<string, ExaminerDefinition> Examiners { get; set; } = [];
    [Id(5)] public Dictionary<string, CentreDefinition> Centres { get; set; } = [];
    /// <summary>The run whose plan is the session's schedule.</summary>
    [Id(6)] public string? ScheduleRunId { get; set; }
    /// <summary>The run in progress, if any: one at a time.</summary>
    [Id(7)] public string? RunningRunId { get; set; }
    [Id(8)] public List<string> RunIds { get; set; } = [];
    [Id(9)] public PlanningPins Pins { get; set; } = new([], []);
    /// <summary>The run whose plan is the session's schedule of the second group's contrôle orals.</summary>
    [Id(10)] public string? SecondGroupScheduleRunId { get; set; }
    /// <summary>Who imported what, and when (audit trail).</summary>
    [Id(11)] public List<ImportRecord> ImportLog { get; set; } = [];
    /// <summary>What became of each run's plan (PlanDispositions), by run id.</summary>
    [Id(12)] public Dictionary<string, string> PlanDispositions { get; set; } = [];
    /// <summary>The published run of each group (1, 2).</summary>
    [Id(13)] public Dictionary<int, string> PublishedRunIds { get; set; } = [];
    /// <summary>Who published or discarded which plan, and when.</summary>
    [Id(14)] public List<PlanDecision> PlanDecisions { get; set; } = [];
}

[GenerateSerializer, Immutable]
public sealed record PlanDecision([property: Id(0)] string RunId, [property: Id(1)] string Disposition, [property: Id(2)] Actor By, [property: Id(3)] DateTimeOffset At)
{
    /// <summary>A publication: the candidates whose convocations it changed (they get new ones).</summary>
    [Id(4)] public string[] Candidates { get; init; } = [];
    /// <summary>A publication: the examiners whose days it changed (they get their calendar again).</summary>
    [Id(5)] public string[] Examiners { get; init; } = [];
}

/// <summary>
/// An exam session: all-or-nothing imports, its juries and which candidate each jury deliberates
/// on. An import is checked row by row against every grain it touches before anything is stored.
/// Its other parts: <c>SessionGrain.Planning.cs</c> (centres, examiners, conformity, pins, starting a run),
/// <c>SessionGrain.Publication.cs</c> (what becomes of a run's plan, the session's stage) and
/// <c>SessionGrain.People.cs</c> (who takes part).
/// </summary>
public sealed partial class SessionGrain(
    [PersistentState("session", StorageNames.Grains)] IPersistentState<SessionState> store,
    DeepCopier copier,
    TimeProvider clock) : Grain, ISessionGrain
{
    private DurableState<SessionState>? _stored;

    /// <summary>Write, then change (<see cref="DurableState{T}"/>): every change goes through here.</summary>
    private DurableState<SessionState> Stored => _stored ??= new(store, this, copier);

    private const int ImportLogLength = 1000;

    /// <summary>What the trail says of an import found unfinished at a restart (the server stopped during its writes).</summary>
    public const string StoppedDuringImport =
        "Import interrompu par un arrêt du serveur : une partie des lignes a pu être enregistrée. Importez de nouveau le même fichier pour le terminer.";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An import still unfinished when this activation starts was cut short by a stop of the server.
        if (State.ImportLog.Any(r => r.Unfinished))
            await Stored.Update(s => s.ImportLog = [.. s.ImportLog.Select(r => r.Unfinished ? r with { Unfinished = false, Failure = StoppedDuringImport } : r)]);
    }

    public async Task<long> BeginImport(string kind, Actor actor)
    {
        var sequence = (State.ImportLog.Count == 0 ? 0 : State.ImportLog.Max(r => r.Sequence)) + 1;
        await Stored.Update(s =>
        {
            s.ImportLog.Add(new ImportRecord(kind, actor, clock.GetUtcNow(), null, 0) { Sequence = sequence, Unfinished = true });
            if (s.ImportLog.Count > ImportLogLength) s.ImportLog.RemoveRange(0, s.ImportLog.Count - ImportLogLength);
        });
        return sequence;
    }

    public Task ReportImportProgress(long sequence, int rowsDone, int rowsTotal) =>
        UpdateImportRecord(sequence, r => r with { RowsDone = rowsDone, RowsTotal = rowsTotal });

    public Task FinishImport(long sequence, ImportOutcome outcome) =>
        UpdateImportRecord(sequence, r => r with { Unfinished = false, Counts = outcome.Counts, RefusedRows = outcome.Counts is null ? outcome.TotalErrors : 0 });

    public Task FailImport(long sequence, string failure) =>
        UpdateImportRecord(sequence, r => r with { Unfinished = false, Failure = failure });

    private Task UpdateImportRecord(long sequence, Func<ImportRecord, ImportRecord> change)
    {
        if (State.ImportLog.FindIndex(r => r.Sequence == sequence) < 0)
            throw new RefusedException(RefusalKind.NotFound, $"Import n° {sequence} inconnu dans le journal de la session {SessionId}.");
        return Stored.Update(s =>
        {
            var index = s.ImportLog.FindIndex(r => r.Sequence == sequence);
            s.ImportLog[index] = change(s.ImportLog[index]);
        });
    }

    public Task<ImportRecord[]> GetImportLog() => Task.FromResult(State.ImportLog.ToArray());

    private SessionState State => Stored.State;

    private string SessionId => this.GetPrimaryKeyString();

    private IEnumerable<JuryDefinition> AllJuries => State.ImportedJuries.Concat(State.DefaultJuries.Values);

    /// <summary>
    /// juries.csv upserts: each row creates or updates its jury, and juries the file does not name stay. An academy the
    /// file gives to another jury moves its candidates there, and a jury left without an academy is removed; both only
    /// while the juries concerned are open, have never changed phase and no president has acted on their candidates,
    /// and both are listed in the answer (moved, removed). An import thus never removes or moves anything silently.
    /// </summary>
    public async Task<ImportOutcome> ImportJuries(JuryDefinition[] juries, int[] lines, bool checkOnly = false)
    {
        var current = AllJuries.ToDictionary(j => j.JuryId);
        var lineOf = juries.Select((j, i) => (j.JuryId, Line: lines[i])).ToDictionary(x => x.JuryId, x => x.Line);
        var next = PlanJuries(current, juries);
        var (moves, orphans) = await MovesOf(current, next);
        var removed = current.Keys.Where(id => !next.ContainsKey(id)).Order(StringComparer.Ordinal).ToArray();

        var errors = await CheckJuryChanges(juries, lines, current, moves, removed, lineOf);
        errors.AddRange(orphans.Select(o => new RowError(lineOf.GetValueOrDefault(o.FromJury, lines.DefaultIfEmpty(1).Min()), "academies",
            $"Le candidat {o.CandidateNumber} (académie {o.Academy}) n'aurait plus de jury : le jury {o.FromJury} ne garde pas l'académie {o.Academy} "
            + $"et aucun jury du fichier ne la reçoit. Laissez-la au jury {o.FromJury} ou donnez-la à un autre jury.")));
        if (errors.Count > 0 || checkOnly) return ImportOutcome.Refused(errors.DistinctBy(e => (e.Line, e.Message)));

        var counts = new ImportCounts(
            juries.Count(j => !current.ContainsKey(j.JuryId)),
            next.Values.Count(j => current.TryGetValue(j.JuryId, out var old) && !j.SameAs(old)),
            juries.Count(j => current.TryGetValue(j.JuryId, out var old) && j.SameAs(old)));
        var changed = next.Values.Where(j => !j.SameAs(current.GetValueOrDefault(j.JuryId))).ToArray();
        await Task.WhenAll(changed.Select(j => GrainFactory.Jury(SessionId, j.JuryId).Configure(j)));
        await MoveCandidates(moves);
        await Task.WhenAll(removed.Select(id => GrainFactory.Jury(SessionId, id).Remove()));
        var imported = new HashSet<string>(State.ImportedJuries.Select(j => j.JuryId).Concat(juries.Select(j => j.JuryId)));
        await Stored.Update(s =>
        {
            s.ImportedJuries = [.. next.Values.Where(j => imported.Contains(j.JuryId)).OrderBy(j => j.JuryId, StringComparer.Ordinal)];
            s.DefaultJuries = next.Values.Where(j => !imported.Contains(j.JuryId)).ToDictionary(j => j.JuryId);
            foreach (var move in moves) s.CandidateJury[move.CandidateNumber] = move.ToJury;
        });
        return new ImportOutcome(counts, []) { Moved = moves, Removed = removed };
    }

    /// <summary>The juries after the file: its rows, then the others without the academies the file gives away; juries left without one go.</summary>
    private static Dictionary<string, JuryDefinition> PlanJuries(Dictionary<string, JuryDefinition> current, JuryDefinition[] file)
    {
        var claimed = file.SelectMany(j => j.Academies).ToHashSet();
        var next = current.Values.Where(j => file.All(f => f.JuryId != j.JuryId))
            .Select(j => j with { Academies = [.. j.Academies.Where(a => !claimed.Contains(a))] })
            .Concat(file)
            .Where(j => j.Academies.Length > 0)
            .ToDictionary(j => j.JuryId);
        return next;
    }

    /// <summary>A candidate whose academy no jury would hold after the file.</summary>
    private sealed record Orphan(string CandidateNumber, string FromJury, string Academy);

    /// <summary>
    /// The candidates of the juries that lose an academy: moved when another jury takes it, orphans when none does
    /// (a row that drops an academy no other row takes: refused, never a candidate left without a jury).
    /// </summary>
    private async Task<(CandidateMove[] Moves, Orphan[] Orphans)> MovesOf(Dictionary<string, JuryDefinition> current, Dictionary<string, JuryDefinition> next)
    {
        var losing = current.Values.Where(j => j.Academies.Any(a => JuryOf(next.Values, a) != j.JuryId)).Select(j => j.JuryId).ToHashSet();
        var concerned = await Task.WhenAll(State.CandidateJury.Where(c => losing.Contains(c.Value)).Select(async c =>
            (Candidate: c.Key, From: c.Value, (await GrainFactory.Candidate(SessionId, c.Key).GetPlanningData()).Academy)));
        var destinations = concerned.Select(c => (c.Candidate, c.From, c.Academy, To: JuryOf(next.Values, c.Academy)))
            .OrderBy(m => m.Candidate, StringComparer.Ordinal).ToArray();
        return ([.. destinations.Where(m => m.To is not null && m.To != m.From).Select(m => new CandidateMove(m.Candidate, m.From, m.To!))],
            [.. destinations.Where(m => m.To is null).Select(m => new Orphan(m.Candidate, m.From, m.Academy))]);
    }

    private static string? JuryOf(IEnumerable<JuryDefinition> juries, string academy) =>
        juries.FirstOrDefault(j => j.Academies.Contains(academy))?.JuryId;

    /// <summary>Moves and removals concern only juries still open, never closed, and untouched by their president.</summary>
    private async Task<List<RowError>> CheckJuryChanges(JuryDefinition[] juries, int[] lines, Dictionary<string, JuryDefinition> current,
        CandidateMove[] moves, string[] removed, Dictionary<string, int> lineOf)
    {
        var errors = new List<RowError>();
        var ids = juries.Select(j => j.JuryId).Concat(current.Keys).Distinct().ToArray();
        var deliberated = (await Task.WhenAll(ids.Select(async id => (id, Done: await GrainFactory.Jury(SessionId, id).HasDeliberated()))))
            .Where(x => x.Done).Select(x => x.id).ToHashSet();
        bool Deliberated(string jury) => deliberated.Contains(jury);
        for (var i = 0; i < juries.Length; i++)
        {
            if (current.TryGetValue(juries[i].JuryId, out var old) && !juries[i].SameAs(old) && Deliberated(juries[i].JuryId))
                errors.Add(new RowError(lines[i], "jury_id", $"Le jury {juries[i].JuryId} a délibéré : il ne peut plus être modifié."));
        }
        var touched = (await Task.WhenAll(moves.Select(async m => (m, Acted: await GrainFactory.Candidate(SessionId, m.CandidateNumber).HasPresidentActions()))))
            .Where(x => x.Acted).Select(x => x.m).ToList();
        foreach (var move in moves)
        {
            var line = lineOf.GetValueOrDefault(move.ToJury);
            if (Deliberated(move.FromJury))
                errors.Add(new RowError(line, "academies", $"Le candidat {move.CandidateNumber} passerait du jury {move.FromJury} au jury {move.ToJury}, mais le jury {move.FromJury} a délibéré."));
            else if (touched.Contains(move))
                errors.Add(new RowError(line, "academies", $"Le candidat {move.CandidateNumber} passerait du jury {move.FromJury} au jury {move.ToJury}, mais le président du jury {move.FromJury} a déjà agi sur son dossier."));
        }
        foreach (var jury in removed.Where(Deliberated))
            errors.Add(new RowError(lineOf.Values.DefaultIfEmpty(1).Min(), "academies", $"Le jury {jury} perdrait toutes ses académies, mais il a délibéré : il ne peut plus être supprimé."));
        return errors;
    }

    private async Task MoveCandidates(CandidateMove[] moves)
    {
        await Task.WhenAll(moves.Select(m => GrainFactory.Candidate(SessionId, m.CandidateNumber).MoveToJury(m.ToJury)));
        await Task.WhenAll(moves.GroupBy(m => m.ToJury).Select(g => GrainFactory.Jury(SessionId, g.Key).AddCandidates([.. g.Select(m => m.CandidateNumber)])));
    }

    public async Task<ImportOutcome> ImportCandidates(CandidateImportRow[] rows, bool checkOnly = false)
    {
        var errors = new List<RowError>();
        var placed = new List<CandidateImportRow>();
        foreach (var row in rows)
        {
            var jury = JuryOfAcademy(row.Registration.Academy);
            if (jury is null)
            {
                errors.Add(new RowError(row.Line, "academy",
                    $"L'académie {row.Registration.Academy} n'est rattachée à aucun jury de juries.csv."));
                continue;
            }
            placed.Add(new CandidateImportRow(row.Line, row.Registration with { JuryId = jury }));
        }

        var checks = await Task.WhenAll(placed.Select(async row =>
        {
            try { return (row, kind: await Candidate(row).CheckRegistration(row.Registration), error: (string?)null); }
            catch (RefusedException refused) { return (row, kind: ChangeKind.Unchanged, error: refused.Message); }
        }));
        errors.AddRange(checks.Where(c => c.error is not null).Select(c => new RowError(c.row.Line, "candidate_number", c.error!)));
        // deliberation.md "The jury": a jury that has closed its deliberation takes no new candidate.
        var joining = checks.Where(c => c.error is null && c.kind != ChangeKind.Unchanged).GroupBy(c => c.row.Registration.JuryId).ToArray();
        var joiningPhases = await Task.WhenAll(joining.Select(g => GrainFactory.Jury(SessionId, g.Key).GetPhase()));
        for (var i = 0; i < joining.Length; i++)
        {
            if (joiningPhases[i] == JuryPhase.FirstOpen.ToCode()) continue;
            errors.AddRange(joining[i].Select(c => new RowError(c.row.Line, "academy",
                $"Le jury {joining[i].Key} a clos sa délibération : il ne reçoit plus de candidat.")));
        }
        if (errors.Count > 0 || checkOnly) return ImportOutcome.Refused(errors);

        var kinds = await Task.WhenAll(placed.Select(row => Candidate(row).Register(row.Registration)));
        var draft = Stored.Draft();
        foreach (var group in placed.GroupBy(r => r.Registration.JuryId))
        {
            var jury = GrainFactory.Jury(SessionId, group.Key);
            if (!draft.ImportedJuries.Any(j => j.JuryId == group.Key))
            {
                var academies = group.Select(r => r.Registration.Academy)
                    .Concat(draft.DefaultJuries.GetValueOrDefault(group.Key)?.Academies ?? []).Distinct().Order().ToArray();
                var definition = new JuryDefinition(group.Key, academies, "", []);
                draft.DefaultJuries[group.Key] = definition;
                await jury.Configure(definition);
            }
            await jury.AddCandidates(group.Select(r => r.Registration.CandidateNumber).ToArray());
            foreach (var row in group) draft.CandidateJury[row.Registration.CandidateNumber] = group.Key;
        }
        await Stored.Commit(draft);
        return new ImportOutcome(new ImportCounts(
            kinds.Count(k => k == ChangeKind.Created), kinds.Count(k => k == ChangeKind.Updated), kinds.Count(k => k == ChangeKind.Unchanged)), []);
    }

    public async Task<ImportOutcome> ImportMarks(MarkImportRow[] rows, Actor actor, bool checkOnly = false, bool checkedBefore = false)
    {
        if (checkedBefore && !checkOnly) return await EnterMarks(rows, actor);
        var errors = new List<RowError>();
        foreach (var row in rows.Where(r => !State.CandidateJury.ContainsKey(r.CandidateNumber)))
            errors.Add(new RowError(row.Line, "candidate_number", $"Le candidat {row.CandidateNumber} n'est pas inscrit à la session {SessionId}."));

        var byCandidate = rows.Where(r => State.CandidateJury.ContainsKey(r.CandidateNumber)).GroupBy(r => r.CandidateNumber).ToArray();
        var checks = await Task.WhenAll(byCandidate.Select(async group =>
        {
            var batch = group.ToArray();
            var entryErrors = await GrainFactory.Candidate(SessionId, group.Key).CheckResults(ToEntries(batch), actor);
            return entryErrors.Select(e => new RowError(batch[e.Index].Line, "result", e.Message));
        }));
        errors.AddRange(checks.SelectMany(c => c));
        if (errors.Count > 0 || checkOnly) return ImportOutcome.Refused(errors);

        return await EnterMarks(rows, actor);
    }

    private async Task<ImportOutcome> EnterMarks(MarkImportRow[] rows, Actor actor)
    {
        var counts = await Task.WhenAll(rows.GroupBy(r => r.CandidateNumber).Select(group =>
            GrainFactory.Candidate(SessionId, group.Key).EnterResults(ToEntries(group), actor)));
        var total = counts.Aggregate(EntryCounts.None, (sum, c) => sum.Add(c));
        return new ImportOutcome(new ImportCounts(total.Created, total.Updated, total.Unchanged), []);
    }

    private static ResultEntry[] ToEntries(IEnumerable<MarkImportRow> rows) =>
        rows.Select(r => new ResultEntry(r.Unit, r.Result)).ToArray();

    private ICandidateGrain Candidate(CandidateImportRow row) => GrainFactory.Candidate(SessionId, row.Registration.CandidateNumber);

    private string? JuryOfAcademy(string academy) =>
        State.ImportedJuries.Count == 0
            ? Academies.DefaultJuryId(academy)
            : State.ImportedJuries.FirstOrDefault(j => j.Academies.Contains(academy))?.JuryId;

    public Task<SessionOverview> GetOverview() =>
        Task.FromResult(new SessionOverview(SessionId, AllJuries.OrderBy(j => j.JuryId, StringComparer.Ordinal).ToArray(), State.CandidateJury.Count));

    public Task<bool> HasCandidate(string candidateNumber) => Task.FromResult(State.CandidateJury.ContainsKey(candidateNumber));

    public Task<DeliberationSettings> GetDeliberationSettings() =>
        Task.FromResult(State.Deliberation ?? DeliberationSettingsMapping.Default);

    public async Task<DeliberationSettings> SetDeliberationSettings(DeliberationSettings settings)
    {
        if (settings.ToRules().Problems() is { Count: > 0 } problems)
            throw new RefusedException(RefusalKind.Invalid, string.Join(" ", problems));
        // deliberation.md: the thresholds change only while every jury is, and always was, in FIRST_OPEN. The juries of the
        // candidates count too, whatever juries.csv says now.
        var juries = AllJuries.Select(j => j.JuryId).Concat(State.CandidateJury.Values).Distinct().Order(StringComparer.Ordinal).ToArray();
        var deliberated = await Task.WhenAll(juries.Select(j => GrainFactory.Jury(SessionId, j).HasDeliberated()));
        var closed = juries.Where((_, i) => deliberated[i]).ToArray();
        if (closed.Length > 0)
            throw new RefusedException(RefusalKind.Conflict,
                $"Les seuils de délibération ne changent plus : le jury {string.Join(", ", closed)} a déjà clos une délibération. "
                + "Ils ne se modifient qu'avant toute clôture de jury.", closed);
        if (!settings.SameAs(State.Deliberation ?? DeliberationSettingsMapping.Default))
            await Stored.Update(s => s.Deliberation = settings);
        // Told every time: the same settings sent again after a failed telling reach every candidate.
        await Task.WhenAll(State.CandidateJury.Keys.Select(n => GrainFactory.Candidate(SessionId, n).ApplyDeliberationSettings(settings)));
        return settings;
    }
}
