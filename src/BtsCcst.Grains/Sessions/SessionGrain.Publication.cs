using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Planning;

namespace BtsCcst.Grains.Sessions;

/// <summary>
/// What becomes of a run's plan (api.md "Planning"): the group's draft schedule while nothing is published and no exam
/// day has begun; otherwise a proposal, compared with the schedule, then published or discarded. Publishing a plan
/// that would replace a begun exam day is refused: what has happened is never rewritten by a planning run.
/// </summary>
public sealed partial class SessionGrain
{
    public async Task<string> OfferPlan(string runId)
    {
        var (view, _) = await RunOf(runId);
        var group = view.Group;
        if (State.PlanDispositions.TryGetValue(runId, out var known)) return known;
        var keepAside = State.PublishedRunIds.ContainsKey(group) || (await BegunDaysAsync(group)).Length > 0;
        if (keepAside)
        {
            await Stored.Update(s =>
            {
                s.PlanDispositions[runId] = PlanDispositions.Proposal;
                if (s.RunningRunId == runId) s.RunningRunId = null;
            });
            return PlanDispositions.Proposal;
        }
        await AdoptAsync(runId, group, PlanDispositions.Draft, decision: null);
        return PlanDispositions.Draft;
    }

    public async Task<string> PublishPlan(string runId, Actor actor)
    {
        var (view, _) = await RunOf(runId);
        if (view.State is not (PlanningRunStates.Succeeded or PlanningRunStates.Partial))
            throw new RefusedException(RefusalKind.Conflict, view.State == PlanningRunStates.Running
                ? $"La planification {runId} est en cours : attendez sa fin pour publier son plan."
                : $"La planification {runId} a échoué : elle n'a pas de plan à publier.");
        var disposition = State.PlanDispositions.GetValueOrDefault(runId);
        if (disposition == PlanDispositions.Published) return disposition;
        if (disposition == PlanDispositions.Discarded)
            throw new RefusedException(RefusalKind.Conflict, $"Le plan de la planification {runId} a été écarté : lancez une nouvelle planification.");
        if (disposition == PlanDispositions.Draft && ScheduleRunOf(view.Group) == runId)
        {
            // The draft's convocations become official: everyone on it is concerned.
            var draft = await CurrentSchedule.OfCentresAsync(GrainFactory, SessionId, State.Centres.Keys, view.Group);
            var everyone = new Concerned([.. draft.Select(r => r.CandidateNumber).Distinct().Order(StringComparer.Ordinal)],
                [.. draft.SelectMany(r => r.ExaminerIds).Distinct().Order(StringComparer.Ordinal)]);
            await Stored.Update(s => Decide(s, runId, view.Group, PlanDispositions.Published, actor, everyone));
            return PlanDispositions.Published;
        }
        if (await PublishRefusal(view.Group, await GrainFactory.PlanningRun(SessionId, runId).GetSchedule()) is { } refusal)
            throw new RefusedException(RefusalKind.Conflict, refusal);
        await AdoptAsync(runId, view.Group, PlanDispositions.Published, actor);
        return PlanDispositions.Published;
    }

    public async Task<string> DiscardPlan(string runId, Actor actor)
    {
        var (view, _) = await RunOf(runId);
        var disposition = State.PlanDispositions.GetValueOrDefault(runId);
        if (disposition == PlanDispositions.Discarded) return disposition;
        if (disposition != PlanDispositions.Proposal)
            throw new RefusedException(RefusalKind.Conflict, disposition switch
            {
                PlanDispositions.Published => $"Le plan de la planification {runId} est publié : publiez-en un autre pour le remplacer.",
                PlanDispositions.Draft => $"Le plan de la planification {runId} est le planning en cours (brouillon) : une nouvelle planification le remplacera.",
                null => $"La planification {runId} n'a pas encore de plan ({view.State}).",
                _ => $"Le plan de la planification {runId} n'est plus une proposition ({PlanDispositions.French(disposition)}).",
            });
        await Stored.Update(s =>
        {
            s.PlanDispositions[runId] = PlanDispositions.Discarded;
            s.PlanDecisions.Add(new PlanDecision(runId, PlanDispositions.Discarded, actor, clock.GetUtcNow()));
        });
        return PlanDispositions.Discarded;
    }

    public Task<string?> GetPlanDisposition(string runId) => Task.FromResult(State.PlanDispositions.GetValueOrDefault(runId));

    public Task<PlanPublication?> GetPublication(string runId) =>
        Task.FromResult(State.PlanDecisions.LastOrDefault(d => d.RunId == runId && d.Disposition == PlanDispositions.Published) is { } d
            ? new PlanPublication(d.By, d.At, d.Candidates, d.Examiners)
            : null);

    public async Task<PlanComparison> ComparePlan(string runId)
    {
        var (view, run) = await RunOf(runId);
        var proposed = await run.GetSchedule();
        var current = ScheduleRunOf(view.Group) is null ? [] : await CurrentSchedule.OfCentresAsync(GrainFactory, SessionId, State.Centres.Keys, view.Group);
        static string Key(ScheduleRow r) => $"{r.CandidateNumber}/{r.Unit}";
        var before = current.ToDictionary(Key);
        var after = proposed.ToDictionary(Key);
        var changed = before.Keys.Union(after.Keys)
            .Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || !SameSlot(a, b))
            .ToArray();
        var rows = changed.SelectMany(k => new[] { before.GetValueOrDefault(k), after.GetValueOrDefault(k) }).OfType<ScheduleRow>().ToArray();
        return new PlanComparison(runId, ScheduleRunOf(view.Group),
            [.. rows.Select(r => r.CandidateNumber).Distinct().Order(StringComparer.Ordinal)],
            [.. rows.SelectMany(r => r.ExaminerIds).Distinct().Order(StringComparer.Ordinal)],
            changed.Length, after.Count - changed.Count(after.ContainsKey),
            await BegunDaysAsync(view.Group), await PublishRefusal(view.Group, proposed))
        {
            Terms = PlanTerm.Compare(current, proposed),
        };
    }

    private static bool SameSlot(ScheduleRow a, ScheduleRow b) =>
        (a.CentreId, a.Date, a.Room, a.CommissionId, a.PrepStart, a.ExamStart, a.ExamEnd) == (b.CentreId, b.Date, b.Room, b.CommissionId, b.PrepStart, b.ExamStart, b.ExamEnd)
        && a.ExaminerIds.SequenceEqual(b.ExaminerIds);

    /// <summary>
    /// Why this run's plan may not become the schedule, or null when it may: a plan that would change a row of a begun
    /// centre-day (events, exams recorded, repairs, closed) would rewrite what has happened there. A re-plan keeps those
    /// days as they are, so its plan passes; a plan computed before they began does not.
    /// </summary>
    private async Task<string?> PublishRefusal(int group, IReadOnlyList<ScheduleRow> proposed)
    {
        var begun = await BegunCentreDaysAsync(group);
        if (begun.Length == 0) return null;
        var current = await CurrentSchedule.OfCentresAsync(GrainFactory, SessionId, State.Centres.Keys, group);
        var rewritten = begun.Where(day => !SameRows(RowsOf(current, day), RowsOf(proposed, day))).ToArray();
        if (rewritten.Length == 0) return null;
        return $"Ce plan réécrirait des journées d'épreuves commencées ({string.Join(", ", rewritten.Select(d => $"{d.CentreId} le {d.Date:dd/MM/yyyy}"))}) : "
               + "lancez une nouvelle planification, qui garde ces journées telles quelles, et publiez-la ; "
               + "ou ajustez ces journées par une réparation depuis la page du centre.";
    }

    private static ScheduleRow[] RowsOf(IEnumerable<ScheduleRow> rows, CentreDayKey day) =>
        [.. rows.Where(r => r.CentreId == day.CentreId && r.Date == day.Date).OrderBy(r => r.CandidateNumber, StringComparer.Ordinal).ThenBy(r => r.Unit, StringComparer.Ordinal)];

    private static bool SameRows(ScheduleRow[] a, ScheduleRow[] b) => a.Length == b.Length && a.Zip(b).All(p => SameRow(p.First, p.Second));

    private static bool SameRow(ScheduleRow a, ScheduleRow b) =>
        a.CandidateNumber == b.CandidateNumber && a.Unit == b.Unit && SameSlot(a, b);

    private async Task<DateOnly[]> BegunDaysAsync(int group) => [.. (await BegunCentreDaysAsync(group)).Select(d => d.Date).Distinct().Order()];

    /// <summary>The centre-days of the group that have begun: events, exams recorded, repairs, or closed.</summary>
    private async Task<CentreDayKey[]> BegunCentreDaysAsync(int group)
    {
        var days = await Task.WhenAll(State.Centres.Keys.Select(async c =>
            (await GrainFactory.OralCentre(SessionId, c).GetBegunDays(group)).Select(d => new CentreDayKey(c, d))));
        return [.. days.SelectMany(d => d).OrderBy(d => d.Date).ThenBy(d => d.CentreId, StringComparer.Ordinal)];
    }

    public async Task<ReplanBasisData?> GetReplanBasis(int group, ReplanChoice choice)
    {
        var scheduleRun = ScheduleRunOf(group);
        if (scheduleRun is null) return null;
        var begun = await BegunCentreDaysAsync(group);
        if (!State.PublishedRunIds.ContainsKey(group) && begun.Length == 0) return null;
        var current = await CurrentSchedule.OfCentresAsync(GrainFactory, SessionId, State.Centres.Keys, group);
        var planned = (await GrainFactory.PlanningRun(SessionId, scheduleRun).GetSchedule()).ToDictionary(r => (r.CandidateNumber, r.Unit));
        // A row an accepted repair changed (a re-convocation to a later day, an examiner replaced) keeps its day.
        var repaired = current.Where(r => !planned.TryGetValue((r.CandidateNumber, r.Unit), out var p) || !SameRow(p, r)).Select(r => new CentreDayKey(r.CentreId, r.Date));
        var noticeEnd = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(choice.NoticeDays);
        var soon = current.Where(r => r.Date < noticeEnd).Select(r => new CentreDayKey(r.CentreId, r.Date));
        return new ReplanBasisData(current, [.. begun.Concat(repaired).Concat(soon).Distinct()], choice.Whole);
    }

    private async Task<(PlanningRunView View, IPlanningRunGrain Run)> RunOf(string runId)
    {
        if (!State.RunIds.Contains(runId)) throw new RefusedException(RefusalKind.NotFound, $"Planification {runId} inconnue.");
        var run = GrainFactory.PlanningRun(SessionId, runId);
        return (await run.GetView(), run);
    }

    private string? ScheduleRunOf(int group) => group == PlanningGroups.Second ? State.SecondGroupScheduleRunId : State.ScheduleRunId;

    /// <summary>The run's plan becomes the group's schedule: stored first, then the candidates, centres and commissions are told.</summary>
    private async Task AdoptAsync(string runId, int group, string disposition, Actor? decision)
    {
        var schedule = await GrainFactory.PlanningRun(SessionId, runId).GetSchedule();
        // The centres still hold the plan as it stands: what the people were last told.
        ScheduleRow[]? before = ScheduleRunOf(group) is null ? null : await CurrentSchedule.OfCentresAsync(GrainFactory, SessionId, State.Centres.Keys, group);
        var candidates = CandidatesConcerned(before, schedule).ToArray();
        var concerned = new Concerned([.. candidates.Order(StringComparer.Ordinal)], ExaminersConcerned(before ?? [], schedule));
        await Stored.Update(s =>
        {
            var previous = group == PlanningGroups.Second ? s.SecondGroupScheduleRunId : s.ScheduleRunId;
            if (previous is not null && previous != runId) s.PlanDispositions[previous] = PlanDispositions.Replaced;
            if (group == PlanningGroups.Second) s.SecondGroupScheduleRunId = runId;
            else s.ScheduleRunId = runId;
            if (s.RunningRunId == runId) s.RunningRunId = null;
            if (decision is null) s.PlanDispositions[runId] = disposition;
            else Decide(s, runId, group, disposition, decision, concerned);
        });

        var byCandidate = schedule.ToLookup(r => r.CandidateNumber);
        await Task.WhenAll(candidates.Select(n => GrainFactory.Candidate(SessionId, n).SetConvocations(byCandidate[n].ToArray(), group)));
        var byCentre = schedule.ToLookup(r => r.CentreId);
        await Task.WhenAll(State.Centres.Keys.Select(c => GrainFactory.OralCentre(SessionId, c).SetPlan(byCentre[c].ToArray(), group)));
        await Task.WhenAll(schedule.GroupBy(r => r.CommissionId).Select(g => GrainFactory.Commission(SessionId, g.Key).SetPlan(g.ToArray())));
    }

    /// <summary>Every candidate on a first plan; afterwards only those whose convocations change (README, "Re-planning").</summary>
    private IEnumerable<string> CandidatesConcerned(ScheduleRow[]? before, ScheduleRow[] after)
    {
        if (before is null) return State.CandidateJury.Keys;
        var old = before.ToLookup(r => r.CandidateNumber);
        var now = after.ToLookup(r => r.CandidateNumber);
        return State.CandidateJury.Keys.Where(n => !SameRows(RowsOf(old[n]), RowsOf(now[n])));
    }

    /// <summary>The examiners of every row that is not the same before and after: their days change.</summary>
    private static string[] ExaminersConcerned(ScheduleRow[] before, ScheduleRow[] after)
    {
        var old = before.ToDictionary(r => (r.CandidateNumber, r.Unit));
        var now = after.ToDictionary(r => (r.CandidateNumber, r.Unit));
        return [.. old.Keys.Union(now.Keys)
            .Where(k => !old.TryGetValue(k, out var b) || !now.TryGetValue(k, out var a) || !SameRow(a, b))
            .SelectMany(k => (old.GetValueOrDefault(k)?.ExaminerIds ?? []).Concat(now.GetValueOrDefault(k)?.ExaminerIds ?? []))
            .Distinct().Order(StringComparer.Ordinal)];
    }

    private static ScheduleRow[] RowsOf(IEnumerable<ScheduleRow> rows) => [.. rows.OrderBy(r => r.Unit, StringComparer.Ordinal)];

    /// <summary>Who a publication concerns: the candidates whose convocations change, the examiners whose days change.</summary>
    private sealed record Concerned(string[] Candidates, string[] Examiners);

    private void Decide(SessionState s, string runId, int group, string disposition, Actor actor, Concerned concerned)
    {
        if (s.PublishedRunIds.TryGetValue(group, out var before) && before != runId) s.PlanDispositions[before] = PlanDispositions.Replaced;
        s.PublishedRunIds[group] = runId;
        s.PlanDispositions[runId] = disposition;
        s.PlanDecisions.Add(new PlanDecision(runId, disposition, actor, clock.GetUtcNow()) { Candidates = concerned.Candidates, Examiners = concerned.Examiners });
    }

    public async Task<SessionStage> GetStage()
    {
        var juries = AllJuries.Select(j => j.JuryId).Concat(State.CandidateJury.Values).Distinct().ToArray();
        var phases = await Task.WhenAll(juries.Select(j => GrainFactory.Jury(SessionId, j).GetPhase()));
        var byPhase = phases.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        var begun = State.ScheduleRunId is null ? [] : await BegunDaysAsync(PlanningGroups.First);
        var published = State.PublishedRunIds.GetValueOrDefault(PlanningGroups.First);
        var (stage, label, next) = 0 switch
        {
            _ when State.CandidateJury.Count == 0 || State.Centres.Count == 0 || State.Examiners.Count == 0 =>
                ("setup", "Préparation", "Importez juries.csv, candidates.csv, centres.csv et examiners.csv (puis conformity.csv)."),
            _ when phases.Length > 0 && phases.All(p => p == JuryPhase.Closed.ToCode()) =>
                ("closed", "Session close", "Téléchargez les procès-verbaux, les relevés de notes et results.csv."),
            _ when phases.Any(p => p != JuryPhase.FirstOpen.ToCode()) =>
                ("deliberation", "Délibérations", "Les jurys délibèrent : suivez leurs tableaux ; planifiez les épreuves de contrôle du second groupe."),
            _ when begun.Length > 0 =>
                ("exam-days", "Journées d'épreuves en cours", "Les centres mènent leurs journées ; les notes arrivent des commissions."),
            _ when published is not null =>
                ("published", "Planning publié", "Les convocations sont parties : les centres ouvrent leurs journées d'épreuves."),
            _ => ("planning", "Planification", State.ScheduleRunId is null
                ? "Lancez une planification des oraux."
                : "Comparez le plan brouillon, puis publiez-le : les convocations partent à la publication."),
        };
        return new SessionStage(stage, label, next, byPhase, State.CandidateJury.Count, State.ScheduleRunId, published);
    }
}
