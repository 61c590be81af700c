using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Storage;
using Orleans.Serialization;

namespace BtsCcst.Grains.Deliberation;

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
}

/// <summary>
/// An exam session: all-or-nothing imports, its juries and which candidate each jury deliberates
/// on. An import is checked row by row against every grain it touches before anything is stored.
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

    public Task RecordImport(string kind, ImportOutcome outcome, Actor actor) =>
        AppendImportRecord(new ImportRecord(kind, actor, clock.GetUtcNow(), outcome.Counts, outcome.Counts is null ? outcome.Errors.Length : 0));

    public Task RecordInterruptedImport(string kind, string failure, Actor actor) =>
        AppendImportRecord(new ImportRecord(kind, actor, clock.GetUtcNow(), null, 0, failure));

    private Task AppendImportRecord(ImportRecord record) => Stored.Update(s =>
    {
        s.ImportLog.Add(record);
        if (s.ImportLog.Count > ImportLogLength) s.ImportLog.RemoveRange(0, s.ImportLog.Count - ImportLogLength);
    });

    public Task<ImportRecord[]> GetImportLog() => Task.FromResult(State.ImportLog.ToArray());

    private SessionState State => Stored.State;

    private string SessionId => this.GetPrimaryKeyString();

    private IEnumerable<JuryDefinition> AllJuries => State.ImportedJuries.Concat(State.DefaultJuries.Values);

    public async Task<ImportOutcome> ImportJuries(JuryDefinition[] juries, int[] lines, bool checkOnly = false)
    {
        var errors = new List<RowError>();
        var academyJury = juries.SelectMany(j => j.Academies.Select(a => (a, j.JuryId))).ToDictionary(p => p.a, p => p.JuryId);
        foreach (var (candidate, currentJury) in State.CandidateJury)
        {
            // Moving candidates between juries after their import would leave rows on two boards.
            var academyOfCurrent = AllJuries.FirstOrDefault(j => j.JuryId == currentJury)?.Academies ?? [];
            foreach (var academy in academyOfCurrent)
            {
                if (academyJury.TryGetValue(academy, out var newJury) && newJury != currentJury)
                {
                    var index = Array.FindIndex(juries, j => j.JuryId == newJury);
                    errors.Add(new RowError(lines[index], "academies",
                        $"Des candidats de l'académie {academy} sont déjà rattachés au jury {currentJury} : importez juries.csv avant candidates.csv."));
                }
            }
        }
        var counts = new ImportCounts(0, 0, 0);
        var juryGrains = juries.Select(j => GrainFactory.Jury(SessionId, j.JuryId)).ToArray();
        var existing = await Task.WhenAll(juryGrains.Select(g => g.GetDefinition()));
        var phases = await Task.WhenAll(juryGrains.Select(g => g.GetPhase()));
        for (var i = 0; i < juries.Length; i++)
        {
            if (existing[i] is not null && !juries[i].SameAs(existing[i]) && phases[i] != "FIRST_OPEN")
                errors.Add(new RowError(lines[i], "jury_id", $"Le jury {juries[i].JuryId} a clos sa délibération : il ne peut plus être modifié."));
        }
        if (errors.Count > 0 || checkOnly) return ImportOutcome.Refused(errors.DistinctBy(e => (e.Line, e.Message)));

        for (var i = 0; i < juries.Length; i++)
        {
            counts = existing[i] is null ? counts with { Created = counts.Created + 1 }
                : juries[i].SameAs(existing[i]) ? counts with { Unchanged = counts.Unchanged + 1 }
                : counts with { Updated = counts.Updated + 1 };
        }
        await Task.WhenAll(juryGrains.Select((g, i) => g.Configure(juries[i])));
        await Stored.Update(s =>
        {
            s.ImportedJuries = [.. juries];
            foreach (var academy in academyJury.Keys) s.DefaultJuries.Remove(Academies.DefaultJuryId(academy));
        });
        return new ImportOutcome(counts, []);
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
            if (joiningPhases[i] == "FIRST_OPEN") continue;
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

    public async Task<ImportOutcome> ImportMarks(MarkImportRow[] rows, Actor actor, bool checkOnly = false)
    {
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

        var counts = await Task.WhenAll(byCandidate.Select(group =>
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

    public Task<string> JuryOf(string academy) =>
        JuryOfAcademy(academy) is { } jury ? Task.FromResult(jury)
            : throw new RefusedException(RefusalKind.NotFound, $"L'académie {academy} n'est rattachée à aucun jury.");

    public Task<bool> HasCandidate(string candidateNumber) => Task.FromResult(State.CandidateJury.ContainsKey(candidateNumber));

    public Task<DeliberationSettings> GetDeliberationSettings() =>
        Task.FromResult(State.Deliberation ?? DeliberationSettingsMapping.Default);

    public async Task<DeliberationSettings> SetDeliberationSettings(DeliberationSettings settings)
    {
        if (settings.ToRules().Problems() is { Count: > 0 } problems)
            throw new RefusedException(RefusalKind.Invalid, string.Join(" ", problems));
        var juries = AllJuries.Select(j => j.JuryId).ToArray();
        var phases = await Task.WhenAll(juries.Select(j => GrainFactory.Jury(SessionId, j).GetPhase()));
        var closed = juries.Where((_, i) => phases[i] != "FIRST_OPEN").ToArray();
        if (closed.Length > 0)
            throw new RefusedException(RefusalKind.Conflict,
                $"Les seuils ne changent plus : le jury {string.Join(", ", closed)} a clos sa délibération.", closed);
        if (!settings.SameAs(State.Deliberation ?? DeliberationSettingsMapping.Default))
            await Stored.Update(s => s.Deliberation = settings);
        // Told every time: the same settings sent again after a failed telling reach every candidate.
        await Task.WhenAll(State.CandidateJury.Keys.Select(n => GrainFactory.Candidate(SessionId, n).ApplyDeliberationSettings(settings)));
        return settings;
    }
}
