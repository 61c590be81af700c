using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Deliberation;

/// <summary>The session's planning side: examiners, centres, conformity, planning runs and the schedule.</summary>
public sealed partial class SessionGrain
{
    public async Task<ImportOutcome> ImportCentres(CentreDefinition[] centres, int[] lines, bool checkOnly = false)
    {
        var errors = new List<RowError>();
        for (var i = 0; i < centres.Length; i++)
        {
            var unknown = centres[i].Academies.Where(a => JuryOfAcademy(a) is null).ToArray();
            if (unknown.Length > 0)
                errors.Add(new RowError(lines[i], "academies", $"Académie(s) {string.Join(", ", unknown)} rattachée(s) à aucun jury de juries.csv."));
        }
        if (errors.Count > 0 || checkOnly) return ImportOutcome.Refused(errors);
        var counts = Upsert(State.Centres, centres, c => c.CentreId, SameCentre);
        await store.WriteStateAsync();
        await Task.WhenAll(centres.Select(c => GrainFactory.OralCentre(SessionId, c.CentreId).Define(c)));
        return new ImportOutcome(counts, []);
    }

    public async Task<ImportOutcome> ImportExaminers(ExaminerDefinition[] examiners, int[] lines, bool checkOnly = false)
    {
        var errors = new List<RowError>();
        for (var i = 0; i < examiners.Length; i++)
        {
            var unknown = examiners[i].CentreIds.Where(c => !State.Centres.ContainsKey(c)).ToArray();
            if (unknown.Length > 0)
                errors.Add(new RowError(lines[i], "centre_ids", $"Centre(s) inconnu(s) : {string.Join(", ", unknown)} (importez centres.csv avant examiners.csv)."));
        }
        if (errors.Count > 0 || checkOnly) return ImportOutcome.Refused(errors);
        var counts = Upsert(State.Examiners, examiners, e => e.ExaminerId, SameExaminer);
        await store.WriteStateAsync();
        return new ImportOutcome(counts, []);
    }

    public async Task<ImportOutcome> ImportConformity(ConformityEntry[] entries, bool checkOnly = false)
    {
        var errors = entries.Where(e => !State.CandidateJury.ContainsKey(e.CandidateNumber))
            .Select(e => new RowError(e.Line, "candidate_number", $"Le candidat {e.CandidateNumber} n'est pas inscrit à la session {SessionId}."))
            .ToList();
        var byCandidate = entries.Where(e => State.CandidateJury.ContainsKey(e.CandidateNumber)).GroupBy(e => e.CandidateNumber).ToArray();
        var checks = await Task.WhenAll(byCandidate.Select(async group =>
        {
            var batch = group.ToArray();
            var found = await GrainFactory.Candidate(SessionId, group.Key).ApplyConformity(batch, checkOnly: true);
            return found.Select(e => new RowError(batch[e.Index].Line, "unit", e.Message));
        }));
        errors.AddRange(checks.SelectMany(c => c));
        if (errors.Count > 0 || checkOnly) return ImportOutcome.Refused(errors);
        await Task.WhenAll(byCandidate.Select(group => GrainFactory.Candidate(SessionId, group.Key).ApplyConformity(group.ToArray(), checkOnly: false)));
        return new ImportOutcome(new ImportCounts(0, entries.Length, 0), []);
    }

    private static ImportCounts Upsert<T>(Dictionary<string, T> store, IEnumerable<T> rows, Func<T, string> key, Func<T, T, bool> same)
    {
        int created = 0, updated = 0, unchanged = 0;
        foreach (var row in rows)
        {
            if (!store.TryGetValue(key(row), out var current)) created++;
            else if (same(current, row)) { unchanged++; continue; }
            else updated++;
            store[key(row)] = row;
        }
        return new ImportCounts(created, updated, unchanged);
    }

    private static bool SameCentre(CentreDefinition a, CentreDefinition b) =>
        a with { Academies = [], Dates = [] } == b with { Academies = [], Dates = [] }
        && a.Academies.SequenceEqual(b.Academies) && a.Dates.SequenceEqual(b.Dates);

    private static bool SameExaminer(ExaminerDefinition a, ExaminerDefinition b) =>
        a with { Languages = [], CentreIds = [], AvailableDates = [] } == b with { Languages = [], CentreIds = [], AvailableDates = [] }
        && a.Languages.SequenceEqual(b.Languages) && a.CentreIds.SequenceEqual(b.CentreIds) && a.AvailableDates.SequenceEqual(b.AvailableDates);

    public Task<(ExaminerDefinition[] Examiners, CentreDefinition[] Centres)> GetPlanningResources() =>
        Task.FromResult((State.Examiners.Values.ToArray(), State.Centres.Values.ToArray()));

    public Task<string[]> GetCandidateNumbers() => Task.FromResult(State.CandidateJury.Keys.Order(StringComparer.Ordinal).ToArray());

    public async Task<string> StartPlanningRun(double timeLimitSeconds, Actor actor)
    {
        if (State.Centres.Count == 0 || State.Examiners.Count == 0)
            throw new RefusedException(RefusalKind.Conflict, "Importez d'abord centres.csv et examiners.csv : il n'y a rien à planifier sans centres ni examinateurs.");
        if (State.RunningRunId is { } running && (await GrainFactory.PlanningRun(SessionId, running).GetView()).State == PlanningRunStates.Running)
            throw new RefusedException(RefusalKind.Conflict, $"Une planification est déjà en cours ({running}) : attendez sa fin.");
        var runId = $"run-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        State.RunningRunId = runId;
        State.RunIds.Add(runId);
        await store.WriteStateAsync();
        await GrainFactory.PlanningRun(SessionId, runId).Start(timeLimitSeconds, actor);
        return runId;
    }

    public async Task AdoptPlan(string runId)
    {
        if (!State.RunIds.Contains(runId)) throw new RefusedException(RefusalKind.NotFound, $"Planification {runId} inconnue.");
        var schedule = await GrainFactory.PlanningRun(SessionId, runId).GetSchedule();
        State.ScheduleRunId = runId;
        if (State.RunningRunId == runId) State.RunningRunId = null;
        await store.WriteStateAsync();

        var byCandidate = schedule.ToLookup(r => r.CandidateNumber);
        await Task.WhenAll(State.CandidateJury.Keys.Select(n => GrainFactory.Candidate(SessionId, n).SetConvocations(byCandidate[n].ToArray())));
        var byCentre = schedule.ToLookup(r => r.CentreId);
        await Task.WhenAll(State.Centres.Keys.Select(c => GrainFactory.OralCentre(SessionId, c).SetPlan(byCentre[c].ToArray())));
        await Task.WhenAll(schedule.GroupBy(r => r.CommissionId).Select(g => GrainFactory.Commission(SessionId, g.Key).SetPlan(g.ToArray())));
    }

    public Task<string?> GetScheduleRunId() => Task.FromResult(State.ScheduleRunId);
}
