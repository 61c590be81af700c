using System.Globalization;
using BtsCcst.Scheduling.Planning;
using Google.OrTools.Sat;

namespace BtsCcst.Scheduling.Repair;

/// <summary>What the repair model knows beyond the centre-day's problem (indices are those of the <see cref="CentreDayProblem"/>).</summary>
internal sealed record RepairSpec
{
    /// <summary>Each job's place in the current schedule (null for an oral added to the day).</summary>
    public required Placement?[] Old { get; init; }
    /// <summary>Each commission's original commission (itself, or the one it was derived from by losing or replacing a member).</summary>
    public required int[] Family { get; init; }
    /// <summary>Each job's earliest preparation start (slot): now, or a late candidate's arrival.</summary>
    public required int[] Earliest { get; init; }
    /// <summary>Candidates counted in the goal "fewest candidates moved" (those of the events are not).</summary>
    public required bool[] Counted { get; init; }
    /// <summary>Candidates who must keep their time and commission (family).</summary>
    public required bool[] Locked { get; init; }
    /// <summary>Examiners counted in the goal "fewest examiners whose day changes" (absent ones are not).</summary>
    public required bool[] ExaminerCounted { get; init; }
    /// <summary>Examiner (index) absent over [From, To) in slots.</summary>
    public required IReadOnlyList<(int Examiner, int From, int To)> Absences { get; init; }
    /// <summary>Rooms closed over [From, To) in slots.</summary>
    public required IReadOnlyList<(int From, int To, int Count)> RoomBlocks { get; init; }
    /// <summary>A complete plan to start from (another repair's), instead of the current schedule.</summary>
    public Placement?[]? Hint { get; init; }
}

/// <summary>A repair's placements; <see cref="Objective"/> is comparable between solves of the same problem and spec weights.</summary>
internal sealed record RepairSolution(Placement?[] Placements, bool Solved, bool Optimal, long Objective = long.MaxValue, double DeterministicTime = 0);

/// <summary>
/// The CP-SAT model of a centre-day's repair. The hard rules are the planner's (<see cref="CentreDayRules"/>, the same blocks
/// under the names of <see cref="HardRules"/>, on the options <see cref="CentreDayProblem"/> filtered, and the examiners'
/// minutes), plus the day's events: earliest starts (now, late arrivals), absent examiners' stretches, closed rooms. The goal
/// is by weights: the other candidates' orals kept, then the event candidates' orals placed and fewest other candidates
/// moved (<see cref="EventOralCost"/>, <see cref="MoveCost"/>), then fewest examiners whose day changes, least total delay. The current schedule is the hint of every variable.
/// </summary>
internal static class RepairModel
{
    /// <summary>
    /// The goal's second term, in units: an event candidate's oral left out costs <see cref="EventOralCost"/>, another candidate
    /// moved <see cref="MoveCost"/>. Placing a late candidate's oral is worth moving up to two others, never three or more:
    /// a centre manager re-convokes a few people for a latecomer, not half the day.
    /// </summary>
    public const int EventOralCost = 5, MoveCost = 2;

    /// <summary>
    /// Solves the model. With <paramref name="deterministic"/>, one worker and a deterministic time limit of
    /// <paramref name="seconds"/> (the solver's own work units, about seconds), under a wall-clock cap of
    /// <paramref name="wallSeconds"/>: the same request gives the same plan whatever the machine's load, unless that cap bites.
    /// </summary>
    public static RepairSolution Solve(CentreDayProblem p, RepairSpec spec, double seconds, int workers, int? seed, bool deterministic = false, double? wallSeconds = null)
    {
        var model = new CpModel();
        // The current schedule (or another repair's plan) is the hint of every variable.
        var rules = CentreDayRules.Add(model, p, CentreDayRules.Usable(p, spec.Hint ?? spec.Old));
        AddEvents(model, p, spec, rules);
        var changes = Changes.Add(model, p, spec, rules);
        if (changes is null) return new RepairSolution(new Placement?[p.Jobs.Count], false, false);
        model.Minimize(Goal(p, spec, rules, changes));
        return Run(model, p, rules, seconds, workers, seed, deterministic, wallSeconds);
    }

    /// <summary>The day's events: earliest starts, absent examiners' stretches, closed rooms; and the examiners' minutes.</summary>
    private static void AddEvents(CpModel model, CentreDayProblem p, RepairSpec spec, CentreDayRules rules)
    {
        var jobs = p.Jobs;
        var (start, placed, examinedBy, examInterval) = (rules.Start, rules.Placed, rules.ExaminedBy, rules.ExamInterval);
        // Nothing starts before now, nor before a late candidate arrives.
        for (var i = 0; i < jobs.Count; i++)
            if (p.Modelled[i] && jobs[i].Fixed is null)
                model.Add(start[i]! - jobs[i].PrepSlots >= spec.Earliest[i]).OnlyEnforceIf(placed[i]!);
        // An absent examiner sits in none of their commissions while absent (exams done or under way stay as they are).
        foreach (var (e, from, to) in spec.Absences)
        {
            if (to <= from) continue;
            var mine = p.CommissionsOf[e].ToHashSet();
            var intervals = examInterval.Where(x => mine.Contains(x.Key.Commission) && jobs[x.Key.Job].Fixed is null).Select(x => x.Value).ToList();
            if (intervals.Count == 0) continue;
            intervals.Add(model.NewFixedSizeIntervalVar(from, to - from, $"absent_{e}_{from}"));
            model.AddNoOverlap(intervals);
        }
        // HardRules.ExaminerMinutesPerDay.
        for (var e = 0; e < p.Examiners.Count; e++)
        {
            var mine = p.CommissionsOf[e].ToHashSet();
            var terms = examInterval.Keys.Where(k => mine.Contains(k.Commission)).ToList();
            if (terms.Count == 0) continue;
            model.Add(LinearExpr.WeightedSum(terms.Select(k => examinedBy[k.Job][k.Commission]), terms.Select(k => (long)jobs[k.Job].ExamSlots * CentreDayProblem.Slot))
                      <= p.MaxMinutes(e));
        }
        // HardRules.Rooms, less the rooms closed for a while.
        foreach (var (from, to, count) in spec.RoomBlocks)
            if (to > from && count > 0) rules.Rooms.AddDemand(model.NewFixedSizeIntervalVar(from, to - from, $"closed_{from}"), Math.Min(count, p.Rooms));
    }

    /// <summary>What changes against the current schedule: per exam its delay, per other candidate whether they moved,
    /// per examiner whether their day changed.</summary>
    private sealed record Changes(List<IntVar> Delay, List<BoolVar> Moved, List<BoolVar> ExaminerChanged)
    {
        /// <summary>The variables and their links; null when a candidate who must keep their place cannot (an exam lost every option).</summary>
        public static Changes? Add(CpModel model, CentreDayProblem p, RepairSpec spec, CentreDayRules rules)
        {
            var (sameStart, stay, delay) = Keeping(model, p, spec, rules);
            var moved = new List<BoolVar>();
            for (var k = 0; k < p.Candidates.Count; k++)
            {
                var withOld = p.JobsOf[k].Where(i => spec.Old[i] is not null && p.Jobs[i].Fixed is null).ToList();
                if (withOld.Count == 0) continue;
                // A job not modelled (no option left) but in the current schedule cannot stay: its candidate is moved.
                if (spec.Locked[k] && withOld.Any(i => !p.Modelled[i])) return null;
                if (!spec.Counted[k]) continue;
                var m = model.NewBoolVar($"moved_{k}");
                model.AddHint(m, false);
                foreach (var i in withOld)
                    if (stay[i] is { } s) model.Add(m >= 1 - (LinearExpr)s);
                    else model.Add(m == 1);
                moved.Add(m);
            }
            return new Changes(delay, moved, ExaminersChanged(model, p, spec, rules, sameStart));
        }

        /// <summary>Per exam of the current schedule: whether it keeps its start, whether it stays (start and commission family), its delay.</summary>
        private static (BoolVar?[] SameStart, BoolVar?[] Stay, List<IntVar> Delay) Keeping(CpModel model, CentreDayProblem p, RepairSpec spec, CentreDayRules rules)
        {
            var jobs = p.Jobs;
            var (start, placed, examinedBy) = (rules.Start, rules.Placed, rules.ExaminedBy);
            var sameStart = new BoolVar?[jobs.Count];
            var stay = new BoolVar?[jobs.Count];
            var delay = new List<IntVar>();
            for (var i = 0; i < jobs.Count; i++)
            {
                if (!p.Modelled[i] || jobs[i].Fixed is not null || spec.Old[i] is not { } old) continue;
                sameStart[i] = model.NewBoolVar($"same_start_{i}");
                model.Add(start[i]! == old.Start).OnlyEnforceIf(sameStart[i]!);
                model.AddHint(sameStart[i]!, true);
                stay[i] = model.NewBoolVar($"stay_{i}");
                model.AddImplication(stay[i]!, sameStart[i]!);
                var family = examinedBy[i].Where(x => spec.Family[x.Key] == spec.Family[old.Commission]).Select(x => x.Value).ToList();
                if (family.Count == 0) model.Add(stay[i]! == 0);
                else model.Add(LinearExpr.Sum(family) == 1).OnlyEnforceIf(stay[i]!);
                model.AddHint(stay[i]!, true);
                if (spec.Locked[jobs[i].Candidate]) model.Add(stay[i]! == 1);
                var late = model.NewIntVar(0, CentreDayProblem.DaySlots, $"delay_{i}");
                model.Add(late >= start[i]! - old.Start).OnlyEnforceIf(placed[i]!);
                model.AddHint(late, 0);
                delay.Add(late);
            }
            return (sameStart, stay, delay);
        }

        /// <summary>Per examiner counted: changed when they sit an exam they did not, or leave one they sat (or its start moves).</summary>
        private static List<BoolVar> ExaminersChanged(CpModel model, CentreDayProblem p, RepairSpec spec, CentreDayRules rules, BoolVar?[] sameStart)
        {
            var jobs = p.Jobs;
            var changed = new List<BoolVar>();
            for (var e = 0; e < p.Examiners.Count; e++)
            {
                if (!spec.ExaminerCounted[e]) continue;
                var mine = p.CommissionsOf[e].ToHashSet();
                var ch = model.NewBoolVar($"changed_{e}");
                model.AddHint(ch, false);
                for (var i = 0; i < jobs.Count; i++)
                {
                    if (jobs[i].Fixed is not null) continue;
                    var sits = rules.ExaminedBy[i].Where(x => mine.Contains(x.Key)).Select(x => x.Value).ToList();
                    var wasThere = spec.Old[i] is { } old && p.MembersOf[old.Commission].Contains(e);
                    if (!wasThere)
                    {
                        foreach (var x in sits) model.AddImplication(x, ch);
                        continue;
                    }
                    if (sameStart[i] is not { } same || sits.Count == 0) { model.Add(ch == 1); continue; }
                    var keep = model.NewBoolVar($"keep_{i}_{e}");
                    model.AddImplication(keep, same);
                    model.Add(LinearExpr.Sum(sits) >= keep);
                    model.Add(ch >= 1 - (LinearExpr)keep);
                }
                changed.Add(ch);
            }
            return changed;
        }
    }

    /// <summary>
    /// The goal, by weights: the other candidates' orals kept ≫ (the event candidates' orals placed, each worth
    /// EventOralCost / MoveCost other candidates moved) ≫ examiners changed ≫ delay (minutes). A candidate on time never loses
    /// an oral to make room for a late one, and a late one's oral is not placed at the price of moving three others.
    /// </summary>
    private static LinearExpr Goal(CentreDayProblem p, RepairSpec spec, CentreDayRules rules, Changes changes)
    {
        var jobs = p.Jobs;
        const int slot = CentreDayProblem.Slot;
        var examinerWeight = (long)changes.Delay.Count * CentreDayProblem.DaySlots * slot + 1;
        // Twice the examiners' and delay terms together, so that half a move still outweighs them.
        var movedWeight = MoveCost * examinerWeight * (changes.ExaminerChanged.Count + 1);
        var placedWeight = movedWeight / MoveCost * EventOralCost;
        var keptWeight = movedWeight * (changes.Moved.Count + 1) + placedWeight * (jobs.Count + 1);
        var objective = LinearExpr.NewBuilder();
        for (var i = 0; i < jobs.Count; i++)
            if (p.Modelled[i] && jobs[i].Fixed is null)
                objective.AddTerm(rules.Placed[i]!, spec.Counted[jobs[i].Candidate] ? -keptWeight : -placedWeight);
        foreach (var m in changes.Moved) objective.AddTerm(m, movedWeight);
        foreach (var c in changes.ExaminerChanged) objective.AddTerm(c, examinerWeight);
        foreach (var d in changes.Delay) objective.AddTerm(d, slot);
        return objective;
    }

    /// <summary>Runs CP-SAT on the model and reads the placements back.</summary>
    private static RepairSolution Run(CpModel model, CentreDayProblem p, CentreDayRules rules, double seconds, int workers, int? seed, bool deterministic,
        double? wallSeconds)
    {
        using var solver = new CpSolver();
        // No probing: on these models it spends the whole of a short time limit in presolve (a day's repair has 1.5 s).
        var parameters = deterministic
            ? string.Create(CultureInfo.InvariantCulture,
                $"num_workers:1 max_deterministic_time:{Math.Max(0.02, seconds):0.###} max_time_in_seconds:{Math.Max(0.05, wallSeconds ?? seconds * 4):0.###} max_memory_in_mb:2048 log_search_progress:false cp_model_probing_level:0 random_seed:{seed ?? 1}")
            : string.Create(CultureInfo.InvariantCulture,
                $"num_workers:{Math.Max(1, workers)} max_time_in_seconds:{Math.Max(0.05, seconds):0.###} max_memory_in_mb:2048 log_search_progress:false cp_model_probing_level:0");
        if (!deterministic && seed is { } sd) parameters += string.Create(CultureInfo.InvariantCulture, $" random_seed:{sd}");
        solver.StringParameters = parameters;
        var status = solver.Solve(model);
#if DEBUG
        if (status == CpSolverStatus.ModelInvalid) throw new InvalidOperationException($"{p.Day.Label}: {model.Validate()}");
#endif
        var spent = solver.Response?.DeterministicTime ?? 0;
        var jobs = p.Jobs;
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible)) return new RepairSolution(new Placement?[jobs.Count], false, false, DeterministicTime: spent);
        var result = new Placement?[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!p.Modelled[i] || !solver.BooleanValue(rules.Placed[i]!)) continue;
            var c = rules.ExaminedBy[i].First(x => solver.BooleanValue(x.Value)).Key;
            result[i] = new Placement(c, (int)solver.Value(rules.Start[i]!));
        }
        return new RepairSolution(result, true, status == CpSolverStatus.Optimal, (long)Math.Round(solver.ObjectiveValue), spent);
    }
}
