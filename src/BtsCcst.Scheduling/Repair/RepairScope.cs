namespace BtsCcst.Scheduling.Repair;

/// <summary>
/// The part of a session a repair of one centre-day reads, so that only it goes to the solver process (its data both ways
/// was most of a repair's cost on a national session): the centre's exams on every date (a re-convocation takes a later
/// date of the same centre), the exams that day of the examiners who may sit there (busy elsewhere), the event candidates'
/// exams, and with every candidate kept all of their exams (a candidate's day is checked whole). <see cref="Merge"/> puts
/// the repaired part back into the whole schedule.
/// </summary>
public sealed record RepairScope(PlanningInstance Instance, IReadOnlyList<ScheduledExam> Current, IReadOnlyList<UnplacedOral> UnplacedBefore)
{
    public static RepairScope Of(PlanningInstance instance, IReadOnlyList<ScheduledExam> current, RepairRequest request, IReadOnlyList<UnplacedOral> unplacedBefore)
    {
        bool Here(string centreId) => string.Equals(centreId, request.CentreId, StringComparison.OrdinalIgnoreCase);
        var pool = instance.Examiners.Where(e => e.CentreIds.Any(Here) && e.Dates.Contains(request.Date)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var events = request.Events.Select(e => e switch { CandidateLate l => l.CandidateNumber, CandidateAbsentExcused a => a.CandidateNumber, _ => null })
            .OfType<string>();
        var numbers = current.Where(e => Here(e.CentreId) || e.Date == request.Date && e.ExaminerIds.Any(pool.Contains))
            .Select(e => e.CandidateNumber).Concat(events).ToHashSet(StringComparer.Ordinal);
        var rows = current.Where(e => numbers.Contains(e.CandidateNumber)).ToList();
        var examiners = rows.SelectMany(e => e.ExaminerIds).Concat(pool).ToHashSet(StringComparer.Ordinal);
        var centres = rows.Select(e => e.CentreId).Append(request.CentreId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var scoped = instance with
        {
            Candidates = [.. instance.Candidates.Where(c => numbers.Contains(c.Number))],
            Examiners = [.. instance.Examiners.Where(e => examiners.Contains(e.Id))],
            Centres = [.. instance.Centres.Where(c => centres.Contains(c.Id))],
            OralPins = [.. instance.OralPins.Where(p => numbers.Contains(p.CandidateNumber))],
            CommissionPins = [.. instance.CommissionPins.Where(p => centres.Contains(p.CentreId))],
        };
        return new RepairScope(scoped, rows, [.. unplacedBefore.Where(u => numbers.Contains(u.CandidateNumber))]);
    }

    /// <summary>Why an oral is in neither the current schedule nor the orals the plan left out: a repair accepted since took it out.</summary>
    public const string TakenOutByARepair =
        "Hors du planning en cours : retiré par une réparation acceptée (absence excusée sans autre date, ou retard sans créneau) ; à reconvoquer.";

    /// <summary>
    /// What the plan left out, plus every oral of the instance that the current schedule no longer holds (a repair accepted
    /// since took it out: an excused candidate with no later date, a latecomer with no slot), with <see cref="TakenOutByARepair"/>.
    /// Without them a later repair's schedule would miss orals nobody accounts for, and its validation would fail.
    /// </summary>
    public static List<UnplacedOral> WithEveryOralAccounted(PlanningInstance instance, IReadOnlyList<ScheduledExam> current, IEnumerable<UnplacedOral> unplacedBefore)
    {
        var unplaced = unplacedBefore.ToList();
        var accounted = current.Select(e => (e.CandidateNumber, e.Unit)).Concat(unplaced.Select(u => (u.CandidateNumber, u.Unit))).ToHashSet();
        unplaced.AddRange(instance.Candidates.SelectMany(c => c.Orals.Distinct().Select(unit => (c.Number, Unit: unit)))
            .Where(k => !accounted.Contains(k)).Select(k => new UnplacedOral(k.Number, k.Unit, TakenOutByARepair)));
        return unplaced;
    }

    /// <summary>The whole schedule after the repair of this part: the exams outside it as they were, its own as repaired.</summary>
    public RepairResult Merge(IReadOnlyList<ScheduledExam> whole, IReadOnlyList<UnplacedOral> unplacedBefore, RepairResult repaired)
    {
        if (!repaired.Solved) return repaired with { Exams = whole, Unplaced = unplacedBefore };
        var numbers = Instance.Candidates.Select(c => c.Number).ToHashSet(StringComparer.Ordinal);
        return repaired with
        {
            Exams = [.. whole.Where(e => !numbers.Contains(e.CandidateNumber)).Concat(repaired.Exams)],
            Unplaced = [.. unplacedBefore.Where(u => !numbers.Contains(u.CandidateNumber)).Concat(repaired.Unplaced)],
        };
    }
}
