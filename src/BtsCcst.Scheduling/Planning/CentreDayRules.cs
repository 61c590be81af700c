using Google.OrTools.Sat;
using OrDomain = Google.OrTools.Util.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>
/// The variables and hard-rule blocks every CP-SAT model of one centre-day shares, the planner's
/// (<see cref="CentreDayModel"/>) and the repair's (<see cref="Repair.RepairModel"/>): a start per oral, whether it is
/// placed, which commission examines it, and the rules stated on them, each under its <see cref="HardRules"/> name. Each
/// model adds its own (the examiners' minutes, a repair's events) and its goal.
/// </summary>
internal sealed class CentreDayRules
{
    public required IntVar?[] Start { get; init; }
    public required BoolVar?[] Placed { get; init; }
    /// <summary>For each oral, a literal per commission that may examine it.</summary>
    public required Dictionary<int, BoolVar>[] ExaminedBy { get; init; }
    /// <summary>Each oral's exam before each commission that may examine it (present when that commission does).</summary>
    public required Dictionary<(int Job, int Commission), IntervalVar> ExamInterval { get; init; }
    /// <summary>HardRules.Rooms, to which a model may add demands (rooms closed for a while).</summary>
    public required CumulativeConstraint Rooms { get; init; }

    /// <summary>The hint's placements the model can take: a modelled oral, before a commission and at a start it may have.</summary>
    public static Placement?[] Usable(CentreDayProblem p, IReadOnlyList<Placement?> hint) =>
        [.. Enumerable.Range(0, p.Jobs.Count).Select(i =>
            hint[i] is { } h && p.Modelled[i] && p.Options[i].Contains(h.Commission) && p.Jobs[i].Starts.Contains(h.Start) ? h : (Placement?)null)];

    /// <param name="given">The plan to start from (<see cref="Usable"/>): the hint of every variable.</param>
    public static CentreDayRules Add(CpModel model, CentreDayProblem p, Placement?[] given)
    {
        var (start, placed, examinedBy) = Variables(model, p, given);
        var examInterval = new Dictionary<(int Job, int Commission), IntervalVar>();
        for (var i = 0; i < p.Jobs.Count; i++)
            foreach (var (c, x) in examinedBy[i])
                examInterval[(i, c)] = model.NewOptionalFixedSizeIntervalVar(start[i]!, p.Jobs[i].ExamSlots, x, $"exam_{i}_{c}");

        // HardRules.CommissionComposition, ExaminerNotOwnSchool: filtered out before the variables (CentreDayProblem.Options).
        // HardRules.CommissionFixedMembers, ExaminerAvailableDates, ExaminerListedCentres, ExaminerOneCentreADay,
        // CentreServesAcademy, Pins: kept by the centre-day's data (its commissions, examiners and candidates were formed,
        // called and assigned to it for that day).
        OneAtATime(model, p, examInterval);
        CandidateOneThingAtATime(model, p, given, start, placed);
        Ef3AfterU61(model, p, start, placed, examinedBy);
        var rooms = Capacities(model, p, start, placed);
        return new CentreDayRules { Start = start, Placed = placed, ExaminedBy = examinedBy, ExamInterval = examInterval, Rooms = rooms };
    }

    /// <summary>
    /// A start per oral (its domain is HardRules.Durations, CentreHours, LunchBreak and WrittenExams: preparation and exam
    /// inside one free stretch of the day), whether it is placed, and which commission examines it.
    /// </summary>
    private static (IntVar?[] Start, BoolVar?[] Placed, Dictionary<int, BoolVar>[] ExaminedBy) Variables(CpModel model, CentreDayProblem p, Placement?[] given)
    {
        var jobs = p.Jobs;
        var start = new IntVar?[jobs.Count];
        var placed = new BoolVar?[jobs.Count];
        var examinedBy = new Dictionary<int, BoolVar>[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            examinedBy[i] = [];
            if (!p.Modelled[i]) continue;
            var job = jobs[i];
            placed[i] = model.NewBoolVar($"placed_{i}");
            if (job.Fixed is { } f)
            {
                // HardRules.Pins (and every earlier placement, every exam done or under way): it keeps its slot and commission.
                start[i] = model.NewIntVar(f.Start, f.Start, $"start_{i}");
                model.Add(placed[i]! == 1);
                examinedBy[i][f.Commission] = placed[i]!;
                continue;
            }
            start[i] = model.NewIntVarFromDomain(OrDomain.FromValues(job.Starts.Select(s => (long)s).ToArray()), $"start_{i}");
            model.AddHint(start[i]!, given[i]?.Start ?? job.Starts[0]);
            model.AddHint(placed[i]!, given[i] is not null);
            foreach (var c in p.Options[i])
            {
                examinedBy[i][c] = model.NewBoolVar($"x_{i}_{c}");
                model.AddHint(examinedBy[i][c], given[i]?.Commission == c);
            }
            // HardRules.EveryOralOnce: an oral is placed once, before exactly one commission.
            model.Add(LinearExpr.Sum(examinedBy[i].Values) == placed[i]!);
        }
        return (start, placed, examinedBy);
    }

    /// <summary>HardRules.CommissionOneCandidateAtATime and ExaminerOneCommissionAtATime.</summary>
    private static void OneAtATime(CpModel model, CentreDayProblem p, Dictionary<(int Job, int Commission), IntervalVar> examInterval)
    {
        // The exams of a commission do not overlap.
        for (var c = 0; c < p.Commissions.Count; c++)
        {
            var intervals = examInterval.Where(e => e.Key.Commission == c).Select(e => e.Value).ToList();
            if (intervals.Count > 1) model.AddNoOverlap(intervals);
        }
        // An examiner sitting in several commissions of the day is in one at a time.
        for (var e = 0; e < p.Examiners.Count; e++)
        {
            if (p.CommissionsOf[e].Length < 2) continue;
            var mine = p.CommissionsOf[e].ToHashSet();
            model.AddNoOverlap(examInterval.Where(x => mine.Contains(x.Key.Commission)).Select(x => x.Value));
        }
    }

    /// <summary>
    /// HardRules.CandidateOneThingAtATime: a candidate's preparations and exams do not overlap, with 10 minutes from the end
    /// of an exam to their next preparation or exam; a U61 followed by its EF3 has no gap before it.
    /// </summary>
    private static void CandidateOneThingAtATime(CpModel model, CentreDayProblem p, Placement?[] given, IntVar?[] start, BoolVar?[] placed)
    {
        var jobs = p.Jobs;
        var gap = CentreDayProblem.GapSlots;
        foreach (var mine in p.JobsOf)
        {
            var intervals = new List<IntervalVar>();
            foreach (var i in mine.Where(i => p.Modelled[i]))
            {
                var job = jobs[i];
                var from = start[i]! - job.PrepSlots;
                if (job.FollowedBy >= 0 && p.Modelled[job.FollowedBy])
                {
                    var length = job.PrepSlots + job.ExamSlots;
                    var withEf3 = given[job.FollowedBy] is not null || jobs[job.FollowedBy].Fixed is not null;
                    var size = model.NewIntVar(length, length + gap, $"candidate_size_{i}");
                    model.Add(size == length + gap - gap * placed[job.FollowedBy]!);
                    model.AddHint(size, withEf3 ? length : length + gap);
                    var end = model.NewIntVar(-CentreDayProblem.DaySlots, 2 * CentreDayProblem.DaySlots, $"candidate_end_{i}");
                    model.Add(end == from + size);
                    model.AddHint(end, (given[i]?.Start ?? job.Fixed?.Start ?? job.Starts[0]) - job.PrepSlots + (withEf3 ? length : length + gap));
                    intervals.Add(model.NewOptionalIntervalVar(from, size, end, placed[i]!, $"candidate_{i}"));
                }
                else intervals.Add(model.NewOptionalFixedSizeIntervalVar(from, job.PrepSlots + job.ExamSlots + gap, placed[i]!, $"candidate_{i}"));
            }
            if (intervals.Count > 1) model.AddNoOverlap(intervals);
        }
    }

    /// <summary>HardRules.Ef3AfterU61: the EF3 starts when the U61 ends, before the same commission.</summary>
    private static void Ef3AfterU61(CpModel model, CentreDayProblem p, IntVar?[] start, BoolVar?[] placed, Dictionary<int, BoolVar>[] examinedBy)
    {
        foreach (var ef3 in p.Jobs.Where(j => j.Follows >= 0 && p.Modelled[j.Index]))
        {
            var u61 = p.Jobs[ef3.Follows];
            model.AddImplication(placed[ef3.Index]!, placed[u61.Index]!);
            model.Add(start[ef3.Index]! == start[u61.Index]! + u61.ExamSlots).OnlyEnforceIf(placed[ef3.Index]!);
            foreach (var (c, x) in examinedBy[ef3.Index])
                if (examinedBy[u61.Index].TryGetValue(c, out var same)) model.AddImplication(x, same);
                else model.Add(x == 0);
        }
    }

    /// <summary>
    /// HardRules.Rooms: at most exam_rooms commissions examine at the same time (rooms are labelled on reading back);
    /// HardRules.PreparationSeats: a preparation ends when its exam starts and takes one seat. Returns the rooms' constraint.
    /// </summary>
    private static CumulativeConstraint Capacities(CpModel model, CentreDayProblem p, IntVar?[] start, BoolVar?[] placed)
    {
        var jobs = p.Jobs;
        var rooms = model.AddCumulative(p.Rooms);
        for (var i = 0; i < jobs.Count; i++)
            if (p.Modelled[i]) rooms.AddDemand(model.NewOptionalFixedSizeIntervalVar(start[i]!, jobs[i].ExamSlots, placed[i]!, $"room_{i}"), 1);
        var seats = model.AddCumulative(p.PrepSeats);
        for (var i = 0; i < jobs.Count; i++)
            if (p.Modelled[i] && jobs[i].PrepSlots > 0)
                seats.AddDemand(model.NewOptionalFixedSizeIntervalVar(start[i]! - jobs[i].PrepSlots, jobs[i].PrepSlots, placed[i]!, $"prep_{i}"), 1);
        return rooms;
    }
}
