using BtsCcst.Domain;
using BtsCcst.Scheduling.Planning;

namespace BtsCcst.Scheduling.Repair;

/// <summary>The events of a repair request, by whom they concern.</summary>
internal sealed record DayEvents(
    IReadOnlyDictionary<string, int> ArrivalMinutes,
    IReadOnlyDictionary<string, bool> Excused,
    IReadOnlyList<ExaminerAbsent> AbsentExaminers,
    IReadOnlySet<string> AbsentExaminerIds,
    IReadOnlySet<string> Candidates)
{
    public static DayEvents Of(RepairRequest request)
    {
        var late = request.Events.OfType<CandidateLate>().GroupBy(e => e.CandidateNumber).ToDictionary(g => g.Key, g => g.Max(e => Clock.Minutes(e.ArrivesAt)));
        // An excused candidate is re-convoked when any of their events asks for it.
        var excused = request.Events.OfType<CandidateAbsentExcused>().GroupBy(e => e.CandidateNumber).ToDictionary(g => g.Key, g => g.Any(e => e.Reconvoke));
        var away = request.Events.OfType<ExaminerAbsent>().ToList();
        return new DayEvents(late, excused, away, away.Select(a => a.ExaminerId).ToHashSet(StringComparer.Ordinal),
            late.Keys.Concat(excused.Keys).ToHashSet(StringComparer.Ordinal));
    }

    public bool IsLate(string candidate) => ArrivalMinutes.ContainsKey(candidate);
}

/// <summary>
/// One centre-day as a repair sees it: the day's rows and the session's other exams, its commissions as the schedule has
/// them plus, for each that loses an absent member, the same without them and with a replacement (same family), its
/// orals (fixed when done or under way, taken out when their candidate is excused), and the model's problem and spec.
/// </summary>
internal sealed class RepairDay
{
    private const int MaxReplacements = 4;

    public required CentreDay Day { get; init; }
    public required RepairRequest Request { get; init; }
    public required DayEvents Events { get; init; }
    public required IReadOnlyDictionary<string, PlanningCandidate> Candidates { get; init; }
    /// <summary>The day's exams in the current schedule.</summary>
    public required IReadOnlyList<ScheduledExam> Rows { get; init; }
    /// <summary>The session's exams on other centre-days.</summary>
    public required IReadOnlyList<ScheduledExam> OtherExams { get; init; }
    /// <summary>Every commission identifier of the session (new variants take unused ones).</summary>
    public required HashSet<string> CommissionIdsInUse { get; init; }
    public required IReadOnlyList<string> CommissionIds { get; init; }
    public required IReadOnlyList<Commission> Commissions { get; init; }
    public required IReadOnlyDictionary<Oral, ScheduledExam> RowOf { get; init; }
    public required IReadOnlyDictionary<Oral, Placement> Old { get; init; }
    /// <summary>The excused candidates' exams that leave the day.</summary>
    public required IReadOnlyList<ScheduledExam> Removed { get; init; }
    public required CentreDayProblem Problem { get; init; }
    public required RepairSpec Spec { get; init; }

    public static RepairDay Of(PlanningInstance instance, PlanningSession session, IReadOnlyList<ScheduledExam> current, RepairRequest request)
    {
        var day = session.Find(request.CentreId, request.Date)
                  ?? throw new ArgumentException($"Le centre {request.CentreId} n'est pas ouvert le {Clock.Day(request.Date)}.", nameof(request));
        var candidates = instance.Candidates.GroupBy(c => c.Number, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        bool OnDay(ScheduledExam r) => string.Equals(r.CentreId, day.Centre.Id, StringComparison.OrdinalIgnoreCase) && r.Date == day.Date;
        var rows = current.Where(OnDay).ToList();
        var others = current.Where(r => !OnDay(r)).ToList();
        var events = DayEvents.Of(request);
        var idsInUse = current.Select(r => r.CommissionId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var (ids, commissions, family) = CommissionsOf(session, day, rows, others, candidates, events, idsInUse);
        var (orals, rowOf, old, fixedPlacements, removed) = OralsOf(instance, rows, candidates, ids, request, events);
        var problem = new CentreDayProblem(day, commissions, orals, fixedPlacements);
        return new RepairDay
        {
            Day = day, Request = request, Events = events, Candidates = candidates, Rows = rows, OtherExams = others, CommissionIdsInUse = idsInUse,
            CommissionIds = ids, Commissions = commissions, RowOf = rowOf, Old = old, Removed = removed, Problem = problem,
            Spec = SpecOf(problem, old, family, request, events),
        };
    }

    /// <summary>The day's commissions, in order of their first exam, then the variants of those losing an absent member.</summary>
    private static (List<string> Ids, List<Commission> Commissions, List<int> Family) CommissionsOf(PlanningSession session, CentreDay day,
        List<ScheduledExam> rows, List<ScheduledExam> others, Dictionary<string, PlanningCandidate> candidates, DayEvents events, HashSet<string> idsInUse)
    {
        var ids = new List<string>();
        var commissions = new List<Commission>();
        var family = new List<int>();
        foreach (var group in rows.GroupBy(r => r.CommissionId, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Min(r => r.ExamStart)))
        {
            ids.Add(group.Key);
            family.Add(commissions.Count);
            commissions.Add(new Commission(commissions.Count, CommissionMembers.Of(group).Select(id => session.ExaminersById[id]).ToList(), false));
        }
        var busyElsewhere = others.Where(r => r.Date == day.Date).SelectMany(r => r.ExaminerIds).ToHashSet(StringComparer.Ordinal);
        var originals = commissions.Count;
        for (var c = 0; c < originals; c++)
        {
            var schools = rows.Where(r => string.Equals(r.CommissionId, ids[c], StringComparison.OrdinalIgnoreCase))
                .Select(r => candidates[r.CandidateNumber].EstablishmentUai).ToList();
            foreach (var variant in Variants(session, day, commissions[c], rows, schools, events, busyElsewhere))
            {
                ids.Add(NewId(ids[c], idsInUse));
                family.Add(c);
                commissions.Add(new Commission(commissions.Count, variant, false));
            }
        }
        return (ids, commissions, family);
    }

    /// <summary>
    /// A commission losing an absent member: the same without them (if anyone is left), and with a replacement of the same
    /// discipline. Replacements: the filters first (discipline, present, sitting in no other centre, able to examine at
    /// least one of the commission's candidates: not of their school), then the cap, the most useful first.
    /// </summary>
    private static List<List<PlanningExaminer>> Variants(PlanningSession session, CentreDay day, Commission commission, List<ScheduledExam> rows,
        List<string> schools, DayEvents events, HashSet<string> busyElsewhere)
    {
        var members = commission.Members;
        var missing = members.Where(m => events.AbsentExaminerIds.Contains(m.Id)).ToList();
        var variants = new List<List<PlanningExaminer>>();
        if (missing.Count == 0) return variants;
        var left = members.Where(m => !events.AbsentExaminerIds.Contains(m.Id)).ToList();
        if (left.Count > 0) variants.Add(left);
        foreach (var gone in missing)
            variants.AddRange(session.Pool(day)
                .Where(s => s.Discipline == gone.Discipline && !events.AbsentExaminerIds.Contains(s.Id) && !busyElsewhere.Contains(s.Id) && members.All(m => m.Id != s.Id))
                .Select(s => (Examiner: s, Able: schools.Count(uai => !Schools.Same(s.EstablishmentUai, uai))))
                .Where(x => x.Able > 0)
                .OrderByDescending(x => x.Able).ThenBy(x => rows.Any(r => r.ExaminerIds.Contains(x.Examiner.Id)) ? 1 : 0)
                .ThenBy(x => x.Examiner.Id, StringComparer.Ordinal)
                .Take(MaxReplacements)
                .Select(x => left.Append(x.Examiner).ToList()));
        return variants;
    }

    /// <summary>The day's orals: fixed when done or under way (and the EF3 of a U61 under way), taken out when their candidate is excused.</summary>
    private static (List<Oral> Orals, Dictionary<Oral, ScheduledExam> RowOf, Dictionary<Oral, Placement> Old, Dictionary<Oral, Placement> Fixed, List<ScheduledExam> Removed)
        OralsOf(PlanningInstance instance, List<ScheduledExam> rows, Dictionary<string, PlanningCandidate> candidates, List<string> ids, RepairRequest request, DayEvents events)
    {
        var index = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.OrdinalIgnoreCase);
        var orals = new List<Oral>();
        var rowOf = new Dictionary<Oral, ScheduledExam>();
        var old = new Dictionary<Oral, Placement>();
        var fixedPlacements = new Dictionary<Oral, Placement>();
        var removed = new List<ScheduledExam>();
        bool Started(ScheduledExam r) => request.Underway?.Contains(RepairRequest.ExamKey(r.CandidateNumber, r.Unit)) == true
                                         || RepairValidator.BeganBefore(r, request.Now,
                                             events.ArrivalMinutes.TryGetValue(r.CandidateNumber, out var a) ? Clock.Time(a) : null,
                                             events.Excused.ContainsKey(r.CandidateNumber));
        foreach (var row in rows.OrderBy(r => r.ExamStart))
        {
            var started = Started(row);
            var afterU61Underway = row.Unit == UnitCode.EF3 && rows.Any(r => r.CandidateNumber == row.CandidateNumber && r.Unit == UnitCode.U61 && Started(r));
            if (events.Excused.ContainsKey(row.CandidateNumber) && !started) { removed.Add(row); continue; }
            var candidate = candidates[row.CandidateNumber];
            var pin = instance.OralPins.FirstOrDefault(p => p.CandidateNumber == candidate.Number && p.Unit == row.Unit);
            var oral = new Oral(orals.Count, candidate, row.Unit, OralRules.Timing(row.Unit, candidate.ExtraTimePercent), pin);
            orals.Add(oral);
            rowOf[oral] = row;
            var placement = new Placement(index[row.CommissionId], Clock.Minutes(row.ExamStart) / CentreDayProblem.Slot);
            old[oral] = placement;
            if (started || afterU61Underway) fixedPlacements[oral] = placement;
        }
        return (orals, rowOf, old, fixedPlacements, removed);
    }

    /// <summary>What the model knows of the events: earliest starts, who counts and who may move, absences, closed rooms.</summary>
    private static RepairSpec SpecOf(CentreDayProblem problem, Dictionary<Oral, Placement> old, List<int> family, RepairRequest request, DayEvents events)
    {
        const int slot = CentreDayProblem.Slot;
        var nowSlot = (Clock.Minutes(request.Now) + slot - 1) / slot;
        var jobs = problem.Jobs;
        var examinerIndex = problem.Examiners.Select((e, i) => (e.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var fixedEnds = jobs.Where(j => j.Fixed is not null).Select(j => (j.Fixed!.Value.Start, End: j.End(j.Fixed!.Value.Start))).ToList();
        return new RepairSpec
        {
            Old = [.. jobs.Select(j => (Placement?)old[j.Oral])],
            Family = [.. family],
            Earliest = [.. jobs.Select(j => events.ArrivalMinutes.TryGetValue(j.Oral.Candidate.Number, out var arrival) ? Math.Max(nowSlot, (arrival + slot - 1) / slot) : nowSlot)],
            Counted = [.. problem.Candidates.Select(c => !events.Candidates.Contains(c.Number))],
            Locked = [.. problem.Candidates.Select(c => request.MovableCandidates is { } movable && !movable.Contains(c.Number) && !events.Candidates.Contains(c.Number))],
            ExaminerCounted = [.. problem.Examiners.Select(e => !events.AbsentExaminerIds.Contains(e.Id))],
            Absences = [.. events.AbsentExaminers.Where(a => examinerIndex.ContainsKey(a.ExaminerId)).Select(a => (examinerIndex[a.ExaminerId],
                a.From is { } f ? Clock.Minutes(f) / slot : 0,
                a.To is { } t ? (Clock.Minutes(t) + slot - 1) / slot : CentreDayProblem.DaySlots))],
            RoomBlocks = [.. request.Events.OfType<RoomUnavailable>().Select(b =>
            {
                var from = Clock.Minutes(b.From) / slot;
                var to = (Clock.Minutes(b.To) + slot - 1) / slot;
                // Exams already under way keep their room to their end.
                from = fixedEnds.Where(x => x.Start < to && x.End > from).Select(x => x.End).Append(from).Max();
                return (from, to, b.Rooms);
            })],
        };
    }

    /// <summary>A commission identifier not used yet, derived from the original (at most 32 characters, formats.md).</summary>
    private static string NewId(string original, HashSet<string> used)
    {
        for (var n = 1; ; n++)
        {
            var suffix = $"-R{n}";
            var id = original.Length + suffix.Length <= 32 ? original + suffix : original[..(32 - suffix.Length)] + suffix;
            if (used.Add(id)) return id;
        }
    }
}
