using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Sessions;

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
        var draft = Stored.Draft();
        var counts = Upsert(draft.Centres, centres, c => c.CentreId, SameCentre);
        await Stored.Commit(draft);
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
        var draft = Stored.Draft();
        var counts = Upsert(draft.Examiners, examiners, e => e.ExaminerId, SameExaminer);
        await Stored.Commit(draft);
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

    public async Task<string> StartPlanningRun(double timeLimitSeconds, PlanningWeights? weights, Actor actor, SecondGroupScope? secondGroup = null, ReplanChoice? replan = null)
    {
        if (replan is { NoticeDays: < 0 or > ReplanChoice.MaxNoticeDays })
            throw new RefusedException(RefusalKind.Invalid, $"Le délai de prévenance se compte en jours, de 0 à {ReplanChoice.MaxNoticeDays}.");
        if (State.Centres.Count == 0 || State.Examiners.Count == 0)
            throw new RefusedException(RefusalKind.Conflict, "Importez d'abord centres.csv et examiners.csv : il n'y a rien à planifier sans centres ni examinateurs.");
        if (secondGroup is not null) await CheckSecondGroupScope(secondGroup);
        if (State.RunningRunId is { } running && (await GrainFactory.PlanningRun(SessionId, running).GetView()).State == PlanningRunStates.Running)
            throw new RefusedException(RefusalKind.Conflict, $"Une planification est déjà en cours ({running}) : attendez sa fin.");
        var runId = $"run-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        await Stored.Update(s =>
        {
            s.RunningRunId = runId;
            s.RunIds.Add(runId);
        });
        var group = secondGroup is null ? PlanningGroups.First : PlanningGroups.Second;
        var replans = State.PublishedRunIds.ContainsKey(group) || ScheduleRunOf(group) is not null && (await BegunCentreDaysAsync(group)).Length > 0;
        var choice = replans ? replan ?? new ReplanChoice() : null;
        await GrainFactory.PlanningRun(SessionId, runId).Start(timeLimitSeconds, weights, actor, secondGroup, choice);
        return runId;
    }

    /// <summary>
    /// The organiser's window and centres for the contrôle orals: known centres, open days after the first-group orals
    /// (commissions are named by centre and day, and the contrôle orals follow the first deliberation), and something to plan.
    /// </summary>
    private async Task CheckSecondGroupScope(SecondGroupScope scope)
    {
        var problems = new List<string>();
        if (scope.Dates.Length is 0 or > 31) problems.Add("Indiquez de 1 à 31 dates pour les épreuves de contrôle.");
        if (scope.Dates.Distinct().Count() != scope.Dates.Length) problems.Add("Une date apparaît deux fois.");
        if (scope.CentreIds.Length == 0) problems.Add("Indiquez au moins un centre pour les épreuves de contrôle.");
        problems.AddRange(scope.CentreIds.Where(c => !State.Centres.ContainsKey(c)).Select(c => $"Centre {c} inconnu (centres.csv)."));
        if (State.ScheduleRunId is { } firstRun)
        {
            var firstDays = (await GrainFactory.PlanningRun(SessionId, firstRun).GetSchedule()).Select(r => r.Date).ToHashSet();
            problems.AddRange(scope.Dates.Where(firstDays.Contains).Order()
                .Select(d => $"Le {d:yyyy-MM-dd} porte déjà des oraux du premier groupe : les épreuves de contrôle se tiennent après."));
        }
        if (problems.Count == 0)
        {
            var candidates = await Task.WhenAll(State.CandidateJury.Keys.Select(n => GrainFactory.Candidate(SessionId, n).GetControlePlanningData()));
            if (!candidates.Any(c => c.Orals.Length > 0))
                problems.Add("Aucune épreuve de contrôle à planifier : il faut un jury au premier groupe clos et des candidats du second groupe dont les choix sont enregistrés.");
        }
        if (problems.Count > 0) throw new RefusedException(RefusalKind.Invalid, string.Join(" ", problems), problems);
    }

    /// <summary>The session's planning runs, oldest first, as the planning page lists them.</summary>
    public Task<string[]> GetPlanningRunIds() => Task.FromResult(State.RunIds.ToArray());

    public Task<string?> GetScheduleRunId(int group = PlanningGroups.First) =>
        Task.FromResult(group == PlanningGroups.Second ? State.SecondGroupScheduleRunId : State.ScheduleRunId);

    public Task<PlanningPins> GetPins() => Task.FromResult(State.Pins);

    public async Task<PlanningPins> SetPins(PlanningPins pins)
    {
        var problems = new List<string>();
        foreach (var (pin, i) in pins.Orals.Select((p, i) => (p, i + 1)))
        {
            var where = $"Épinglage d'épreuve n° {i} ({pin.CandidateNumber}, {pin.Unit})";
            if (!State.CandidateJury.ContainsKey(pin.CandidateNumber)) { problems.Add($"{where} : candidat inconnu."); continue; }
            if (pin.Date is null && pin.CentreId is null) { problems.Add($"{where} : indiquez une date, un centre ou les deux."); continue; }
            var data = await GrainFactory.Candidate(SessionId, pin.CandidateNumber).GetPlanningData();
            if (!data.Orals.Contains(pin.Unit)) problems.Add($"{where} : ce candidat ne passe pas cette épreuve orale.");
            CentreDefinition? centre = null;
            if (pin.CentreId is not null && !State.Centres.TryGetValue(pin.CentreId, out centre)) problems.Add($"{where} : centre {pin.CentreId} inconnu.");
            else if (centre is not null && !centre.Academies.Contains(data.Academy))
                problems.Add($"{where} : le centre {centre.CentreId} n'accueille pas les candidats de l'académie {data.Academy}.");
            if (pin.Date is { } date && !State.Centres.Values.Where(c => centre is null || c == centre).Any(c => c.Dates.Contains(date)))
                problems.Add($"{where} : aucun centre {(centre is null ? "" : centre.CentreId + " ")}n'est ouvert le {date:yyyy-MM-dd}.");
        }
        foreach (var (pin, i) in pins.Commissions.Select((p, i) => (p, i + 1)))
        {
            var where = $"Épinglage de commission n° {i} ({pin.CentreId}, {pin.Date:yyyy-MM-dd})";
            if (!State.Centres.TryGetValue(pin.CentreId, out var centre)) { problems.Add($"{where} : centre inconnu."); continue; }
            if (!centre.Dates.Contains(pin.Date)) problems.Add($"{where} : le centre n'est pas ouvert ce jour-là.");
            if (pin.ExaminerIds.Length is < 1 or > 3 || pin.ExaminerIds.Distinct().Count() != pin.ExaminerIds.Length)
                problems.Add($"{where} : une commission compte un à trois membres distincts.");
            foreach (var id in pin.ExaminerIds)
            {
                if (!State.Examiners.TryGetValue(id, out var examiner)) problems.Add($"{where} : examinateur {id} inconnu.");
                else if (!examiner.CentreIds.Contains(pin.CentreId) || !examiner.AvailableDates.Contains(pin.Date))
                    problems.Add($"{where} : l'examinateur {id} ne siège pas dans ce centre ou n'est pas disponible ce jour-là.");
            }
        }
        if (pins.Commissions.SelectMany(p => p.ExaminerIds.Select(e => (e, p.Date))).GroupBy(x => x).Any(g => g.Count() > 1))
            problems.Add("Un examinateur est épinglé dans deux commissions le même jour.");
        if (problems.Count > 0) throw new RefusedException(RefusalKind.Invalid, string.Join(" ", problems), problems);
        await Stored.Update(s => s.Pins = pins);
        return pins;
    }
}
