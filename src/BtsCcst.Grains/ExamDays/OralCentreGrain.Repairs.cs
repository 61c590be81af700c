using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.ExamDays;

/// <summary>
/// The centre's side of a repair: what a repair of the day starts from, its audit trail, and the application of an
/// accepted proposal to the plan, the commissions and the convocations of the candidates concerned.
/// </summary>
public sealed partial class OralCentreGrain
{
    /// <summary>Exams in these states are under way or over: a repair keeps them where they are.</summary>
    private static readonly string[] UnderwayStatuses = [ExamStatuses.InPreparation, ExamStatuses.InExam, ExamStatuses.Done];

    public Task<RepairBasis> PrepareRepair(DateOnly date, TimeOnly? from, Actor actor)
    {
        var (definition, rows) = DayOf(date);
        if (!ManagesThisCentre(actor))
            throw new RefusedException(RefusalKind.Forbidden, $"Seul le responsable du centre {CentreId} fait réparer sa journée.");
        var log = LogOf(date);
        if (log is { Closed: true })
            throw new RefusedException(RefusalKind.Conflict, $"La journée du {French(date)} du centre {CentreId} est close : elle ne se répare plus.");
        if (rows.Length == 0)
            throw new RefusedException(RefusalKind.Conflict, $"Le centre {CentreId} n'a aucune épreuve planifiée le {French(date)} : rien à réparer.");
        if (from is { } f && (f < definition.DayStart || f > definition.DayEnd))
            throw new RefusedException(RefusalKind.Invalid,
                $"L'heure « à partir de » ({f:HH\\:mm}) sort de la journée du centre ({definition.DayStart:HH\\:mm}–{definition.DayEnd:HH\\:mm}).");
        var now = RepairFrom(definition, date, from);

        var repairEvents = log?.Events.Where(e => DayEventKinds.ForRepair.Contains(e.Kind)).ToList() ?? [];
        var events = new List<(int Sequence, RepairEventData Data)>();
        // The candidate's latest delay counts, unless they are absent since.
        foreach (var late in repairEvents.Where(e => e.Kind == DayEventKinds.CandidateLate).GroupBy(e => e.CandidateNumber!).Select(g => g.Last()))
            if (rows.Any(r => r.CandidateNumber == late.CandidateNumber && StatusOf(log, r) is ExamStatuses.Convoked or ExamStatuses.Present))
                events.Add((late.Sequence, new RepairEventData(late.Kind, late.CandidateNumber, late.ExpectedAt, null, null, null, null)));
        // Excused and still so: their exams of the day not under way leave it.
        foreach (var excused in repairEvents.Where(e => e.Kind == DayEventKinds.CandidateExcused).GroupBy(e => e.CandidateNumber!).Select(g => g.Last()))
            if (rows.Any(r => r.CandidateNumber == excused.CandidateNumber && StatusOf(log, r) == ExamStatuses.AbsentExcused))
                events.Add((excused.Sequence, new RepairEventData(excused.Kind, excused.CandidateNumber, null, null, null, null, null)));
        foreach (var absence in repairEvents.Where(e => e.Kind == DayEventKinds.ExaminerAbsent))
            events.Add((absence.Sequence, new RepairEventData(absence.Kind, null, null, absence.ExaminerId, absence.From, absence.To, null)));
        foreach (var closure in repairEvents.Where(e => e.Kind == DayEventKinds.RoomUnavailable))
            events.Add((closure.Sequence, new RepairEventData(closure.Kind, null, null, null,
                closure.From ?? definition.DayStart, closure.To ?? definition.DayEnd, closure.Room)));
        if (events.Count == 0)
            throw new RefusedException(RefusalKind.Conflict,
                $"Rien à réparer le {French(date)} au centre {CentreId} : aucun retard, absence excusée, examinateur absent ni salle indisponible n'est enregistré.");

        var underway = rows.Where(r => UnderwayStatuses.Contains(StatusOf(log, r))).Select(r => $"{r.CandidateNumber}/{r.Unit}").ToArray();
        var ordered = events.OrderBy(e => e.Sequence).ToList();
        return Task.FromResult(new RepairBasis(CentreId, date, PlanningGroups.Of(rows[0].Unit), now, State.PlanVersion,
            [.. ordered.Select(e => e.Sequence)], [.. ordered.Select(e => e.Data)], underway));
    }

    /// <summary>
    /// From when exams may move: now on the centre's clock for today (or later, when asked); the day's start, or the time
    /// asked, for a day to come; a day gone by is repaired only from a time given (a rehearsal of the day, say).
    /// </summary>
    private TimeOnly RepairFrom(CentreDefinition definition, DateOnly date, TimeOnly? from)
    {
        var (today, time) = LocalNow(definition, clock.GetUtcNow());
        if (date > today) return from ?? definition.DayStart;
        if (date < today)
            return from ?? throw new RefusedException(RefusalKind.Conflict,
                $"La journée du {French(date)} est passée : indiquez l'heure (« à partir de », HH:mm) à partir de laquelle la réparer.");
        if (from is { } asked && asked < time)
            throw new RefusedException(RefusalKind.Invalid, $"Il est {time:HH\\:mm} au centre {CentreId} : une réparation ne déplace rien avant.");
        return from ?? time;
    }

    public async Task RepairProposed(RepairProposal proposal)
    {
        if (LogOf(proposal.Date)?.Repairs.ContainsKey(proposal.RepairId) == true) return;
        var description = proposal.State == RepairStates.Proposed
            ? $"Réparation {proposal.RepairId} proposée : {proposal.Changes.Length} épreuve(s) changée(s), {proposal.CandidatesMoved} autre(s) candidat(s) déplacé(s), "
              + $"{proposal.ExaminersChanged} examinateur(s) dont la journée change, {proposal.TotalDelayMinutes} min de retard cumulé, {proposal.Unplaced.Length} épreuve(s) non replacée(s)."
            : $"Réparation {proposal.RepairId} impossible : {proposal.Failure}";
        await Stored.Update(s =>
        {
            var log = EnsureLog(s, proposal.Date);
            log.Repairs[proposal.RepairId] = proposal.State;
            if (proposal.State == RepairStates.Proposed) log.PendingRepairId = proposal.RepairId;
            AddRepairEvent(log, proposal.Date, DayEventKinds.RepairProposed, proposal.RequestedBy, description);
        });
        await NotifyChanged(proposal.Date);
    }

    public async Task ApplyRepair(RepairProposal proposal, Actor actor)
    {
        if (!ManagesThisCentre(actor))
            throw new RefusedException(RefusalKind.Forbidden, $"Seul le responsable du centre {CentreId} accepte une réparation de sa journée.");
        if (LogOf(proposal.Date)?.Repairs.GetValueOrDefault(proposal.RepairId) == RepairStates.Accepted)
        {
            // Accepted and stored, but maybe not told: while nothing changed the plan since, tell again (idempotent).
            if (State.PlanVersion == proposal.Basis.PlanVersion + 1) await TellRepairApplied(proposal);
            return;
        }
        var draft = Stored.Draft();
        var log = EnsureLog(draft, proposal.Date);
        if (log.Closed)
            throw new RefusedException(RefusalKind.Conflict, $"La journée du {French(proposal.Date)} est close : la réparation {proposal.RepairId} ne s'applique plus.");
        if (draft.PlanVersion != proposal.Basis.PlanVersion)
            throw new RefusedException(RefusalKind.Conflict,
                $"Le planning du centre {CentreId} a changé depuis la réparation {proposal.RepairId} (une autre réparation, une nouvelle planification) : demandez-en une nouvelle.");
        string Key(ScheduleRow r) => $"{r.CandidateNumber}/{r.Unit}";
        var plan = draft.Plan.ToDictionary(Key);
        var started = proposal.Changes.Select(c => c.Old).OfType<ScheduleRow>()
            .Where(old => old.Date == proposal.Date && UnderwayStatuses.Contains(StatusOf(log, old))).Select(old => $"{old.CandidateNumber} ({old.Unit})").ToArray();
        if (started.Length > 0)
            throw new RefusedException(RefusalKind.Conflict,
                $"Depuis la réparation {proposal.RepairId}, ces épreuves qu'elle déplace ont commencé : {string.Join(", ", started)}. Demandez une nouvelle réparation.");

        foreach (var change in proposal.Changes)
        {
            if (change.Old is { } old && old.CentreId == CentreId)
            {
                plan.Remove(Key(old));
                if (change.New is null && old.Date == proposal.Date) log.Withdrawn.Add(old);
            }
            if (change.New is { } placed && placed.CentreId == CentreId) plan[Key(placed)] = placed;
        }
        var stillSitting = plan.Values.Where(r => r.Date == proposal.Date).SelectMany(r => r.ExaminerIds).ToHashSet();
        log.FormerExaminers = [.. log.FormerExaminers.Union(proposal.Changes.Select(c => c.Old).OfType<ScheduleRow>()
            .Where(r => r.Date == proposal.Date).SelectMany(r => r.ExaminerIds).Where(id => !stillSitting.Contains(id))).Order(StringComparer.Ordinal)];
        draft.Plan = [.. plan.Values.OrderBy(r => r.Date).ThenBy(r => r.Room, StringComparer.Ordinal).ThenBy(r => r.ExamStart)];
        draft.PlanVersion++;
        log.Repairs[proposal.RepairId] = RepairStates.Accepted;
        if (log.PendingRepairId == proposal.RepairId) log.PendingRepairId = null;
        AddRepairEvent(log, proposal.Date, DayEventKinds.RepairAccepted, actor,
            $"Réparation {proposal.RepairId} acceptée : {proposal.Changes.Length} épreuve(s) changée(s) ; nouvelles convocations pour {proposal.CandidatesConcerned.Length} candidat(s), "
            + $"calendriers pour {proposal.ExaminersConcerned.Length} examinateur(s).");
        await Stored.Commit(draft);
        await TellRepairApplied(proposal);
    }

    /// <summary>The commissions the repair touches, and the candidates it moves, from the plan now written.</summary>
    private async Task TellRepairApplied(RepairProposal proposal)
    {
        var commissions = proposal.Changes.SelectMany(c => new[] { c.Old?.CommissionId, c.New?.CommissionId }).OfType<string>().Distinct();
        await Task.WhenAll(commissions.Select(id => GrainFactory.Commission(SessionId, id).SetPlan([.. State.Plan.Where(r => r.CommissionId == id)])));
        await Task.WhenAll(proposal.Changes.GroupBy(c => (c.Old ?? c.New)!.CandidateNumber).Select(g => GrainFactory.Candidate(SessionId, g.Key)
            .ReplaceConvocations([.. g.Select(c => (c.Old ?? c.New)!.Unit)], [.. g.Select(c => c.New).OfType<ScheduleRow>()])));
        await NotifyChanged(null);
    }

    public async Task RepairRejected(RepairProposal proposal, Actor actor)
    {
        if (LogOf(proposal.Date)?.Repairs.GetValueOrDefault(proposal.RepairId) == RepairStates.Rejected) return;
        await Stored.Update(s =>
        {
            var log = EnsureLog(s, proposal.Date);
            log.Repairs[proposal.RepairId] = RepairStates.Rejected;
            if (log.PendingRepairId == proposal.RepairId) log.PendingRepairId = null;
            AddRepairEvent(log, proposal.Date, DayEventKinds.RepairRejected, actor, $"Réparation {proposal.RepairId} refusée : le planning de la journée reste inchangé.");
        });
        await NotifyChanged(proposal.Date);
    }

    private void AddRepairEvent(ExamDayLog log, DateOnly date, string kind, Actor by, string description) =>
        log.Events.Add(NewEvent(date, kind, description) with { Sequence = log.Events.Count + 1, By = by, At = clock.GetUtcNow() });
}
