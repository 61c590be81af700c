using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Planning;

namespace BtsCcst.Grains.Deliberation;

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
            await Stored.Update(s => Decide(s, runId, view.Group, PlanDispositions.Published, actor));
            return PlanDispositions.Published;
        }
        if (await PublishRefusal(view.Group) is { } refusal) throw new RefusedException(RefusalKind.Conflict, refusal);
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
            await BegunDaysAsync(view.Group), await PublishRefusal(view.Group));
    }

    private static bool SameSlot(ScheduleRow a, ScheduleRow b) =>
        (a.CentreId, a.Date, a.Room, a.CommissionId, a.PrepStart, a.ExamStart, a.ExamEnd) == (b.CentreId, b.Date, b.Room, b.CommissionId, b.PrepStart, b.ExamStart, b.ExamEnd)
        && a.ExaminerIds.SequenceEqual(b.ExaminerIds);

    /// <summary>Why a plan other than the current one may not become the schedule, or null when it may.</summary>
    private async Task<string?> PublishRefusal(int group)
    {
        var begun = await BegunDaysAsync(group);
        if (begun.Length == 0) return null;
        return $"Des journées d'épreuves ont commencé ({string.Join(", ", begun.Select(d => d.ToString("dd/MM/yyyy")))}) : "
               + "publier un autre plan réécrirait ce qui s'y est passé. Ajustez ces journées par une réparation depuis la page du centre ; "
               + "la re-planification qui garde les journées commencées n'est pas encore disponible.";
    }

    private async Task<DateOnly[]> BegunDaysAsync(int group)
    {
        var days = await Task.WhenAll(State.Centres.Keys.Select(c => GrainFactory.OralCentre(SessionId, c).GetBegunDays(group)));
        return [.. days.SelectMany(d => d).Distinct().Order()];
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
        await Stored.Update(s =>
        {
            var previous = group == PlanningGroups.Second ? s.SecondGroupScheduleRunId : s.ScheduleRunId;
            if (previous is not null && previous != runId) s.PlanDispositions[previous] = PlanDispositions.Replaced;
            if (group == PlanningGroups.Second) s.SecondGroupScheduleRunId = runId;
            else s.ScheduleRunId = runId;
            if (s.RunningRunId == runId) s.RunningRunId = null;
            if (decision is null) s.PlanDispositions[runId] = disposition;
            else Decide(s, runId, group, disposition, decision);
        });

        var byCandidate = schedule.ToLookup(r => r.CandidateNumber);
        await Task.WhenAll(State.CandidateJury.Keys.Select(n => GrainFactory.Candidate(SessionId, n).SetConvocations(byCandidate[n].ToArray(), group)));
        var byCentre = schedule.ToLookup(r => r.CentreId);
        await Task.WhenAll(State.Centres.Keys.Select(c => GrainFactory.OralCentre(SessionId, c).SetPlan(byCentre[c].ToArray(), group)));
        await Task.WhenAll(schedule.GroupBy(r => r.CommissionId).Select(g => GrainFactory.Commission(SessionId, g.Key).SetPlan(g.ToArray())));
    }

    private void Decide(SessionState s, string runId, int group, string disposition, Actor actor)
    {
        if (s.PublishedRunIds.TryGetValue(group, out var before) && before != runId) s.PlanDispositions[before] = PlanDispositions.Replaced;
        s.PublishedRunIds[group] = runId;
        s.PlanDispositions[runId] = disposition;
        s.PlanDecisions.Add(new PlanDecision(runId, disposition, actor, clock.GetUtcNow()));
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
