using System.Globalization;
using BtsCcst.Domain;
using Google.OrTools.Sat;

namespace BtsCcst.Scheduling.Planning;

/// <summary>What a sub-model solve gives back.</summary>
internal sealed record SubModelResult(Placement?[] Placements, bool FromSolver, bool Optimal, double Objective, double Bound);

/// <summary>
/// The CP-SAT model of one centre-day. It reads top to bottom as the rules it encodes: data, variables (only the
/// options that keep the rules, filtered in <see cref="CentreDayProblem"/>), one block per hard rule under the
/// name of <see cref="HardRules"/>, the soft goals, solve, read back. Given the centre-day's candidates and
/// commissions, its optimum is the best plan of that day; the solver proves it when time allows.
/// </summary>
internal static class CentreDayModel
{
    /// <summary>The solver's memory stays well within the machine (it is one small model at a time).</summary>
    private const int MaxMemoryMb = 2048;

    /// <param name="redundant">False leaves out the constraints that only strengthen the bound (tests compare both optima).</param>
    public static SubModelResult Solve(
        CentreDayProblem p, Placement?[] hint, PlannerWeights weights, double seconds, int workers, int? seed,
        Action<double, double, int>? onSolution, CancellationToken cancellationToken, bool redundant = true)
    {
        var model = new CpModel();
        var jobs = p.Jobs;
        const int slot = CentreDayProblem.Slot;
        var gap = CentreDayProblem.GapSlots;

        // ---- Data: options that break a rule were filtered out before any variable (CentreDayProblem.Options, Starts).
        var modelled = p.Modelled;
        // The list scheduler's plan is the hint of every variable below, so that the solver starts from a full plan.
        var given = CentreDayRules.Usable(p, hint);
        var hintLoad = new long[p.Examiners.Count];
        var hintUsed = new bool[p.Commissions.Count];
        foreach (var job in jobs)
        {
            if (given[job.Index] is not { } g) continue;
            hintUsed[g.Commission] = true;
            foreach (var m in p.MembersOf[g.Commission]) hintLoad[m] += job.ExamSlots * slot;
        }

        // ---- Variables and the hard rules every centre-day model shares (CentreDayRules), hinted with the list scheduler's plan.
        var rules = CentreDayRules.Add(model, p, given);
        var (start, placed, examinedBy) = (rules.Start, rules.Placed, rules.ExaminedBy);

        // Whether an examiner is called (one of their commissions examines), for the goal of fewest examiner-days below;
        // declared here because the daily maximum is stated against it.
        var called = new BoolVar[p.Examiners.Count];
        for (var e = 0; e < p.Examiners.Count; e++) called[e] = model.NewBoolVar($"called_{e}");

        // HardRules.ExaminerMinutesPerDay: an examiner examines at most their minutes of the day, and none when not
        // called (the same rule, stated so that the relaxation counts examiner-days from the minutes to examine).
        var freeMinutes = CentreDayBound.Windows(p).Sum(w => w.End - w.Start) * slot;
        var examinerLoad = new LinearExpr[p.Examiners.Count];
        for (var e = 0; e < p.Examiners.Count; e++)
        {
            var mine = p.CommissionsOf[e].ToHashSet();
            var terms = new List<(BoolVar X, long Minutes)>();
            for (var i = 0; i < jobs.Count; i++)
                foreach (var (c, x) in examinedBy[i])
                    if (mine.Contains(c)) terms.Add((x, jobs[i].ExamSlots * slot));
            examinerLoad[e] = LinearExpr.WeightedSum(terms.Select(t => t.X), terms.Select(t => t.Minutes));
            if (redundant) model.Add(examinerLoad[e] <= Math.Min(p.MaxMinutes(e), freeMinutes) * called[e]);
            else model.Add(examinerLoad[e] <= p.MaxMinutes(e));
        }

        // ---- Soft goals (PlannerWeights).
        var objective = LinearExpr.NewBuilder();
        long constant = 0;
        // Every oral placed (far above every other goal).
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i].Fixed is not null) continue;
            constant += weights.Unplaced;
            if (modelled[i]) objective.AddTerm(placed[i]!, -weights.Unplaced);
        }
        // Least waiting: a candidate's day from the first preparation to the end of the last exam.
        var slackFrom = p.IncidentSlackFrom(weights);
        for (var k = 0; k < p.Candidates.Count; k++)
        {
            var mine = p.JobsOf[k].Where(i => modelled[i]).ToList();
            if (mine.Count == 0) continue;
            var first = model.NewIntVar(0, CentreDayProblem.DaySlots, $"first_{k}");
            var last = model.NewIntVar(0, CentreDayProblem.DaySlots, $"last_{k}");
            model.Add(first <= last);
            foreach (var i in mine)
            {
                model.Add(first <= start[i]! - jobs[i].PrepSlots).OnlyEnforceIf(placed[i]!);
                model.Add(last >= start[i]! + jobs[i].ExamSlots).OnlyEnforceIf(placed[i]!);
            }
            // Redundant, for the bound: a candidate does one thing at a time, so their day lasts at least the
            // preparations and exams they sit with the gaps between them (none before an EF3, which follows its U61)...
            var busy = LinearExpr.NewBuilder();
            foreach (var i in mine)
                busy.AddTerm(placed[i]!, jobs[i].PrepSlots + jobs[i].ExamSlots + (jobs[i].Follows >= 0 && modelled[jobs[i].Follows] ? 0 : gap));
            if (redundant) model.Add(last - first >= busy.Add(-gap));
            // ... and, with all of them placed, at least the shortest day their orals allow around the closed stretches
            // (CentreDayBound.MinimumSpanSlots); an oral left out releases it (its cost outweighs the whole day).
            var shortest = CentreDayBound.MinimumSpanSlots(p, k);
            if (redundant && shortest > 0)
                model.Add(last - first >= LinearExpr.WeightedSum(mine.Select(i => placed[i]!), mine.Select(_ => (long)shortest)) - shortest * (mine.Count - 1));
            var mineGiven = mine.Where(i => given[i] is not null).ToList();
            model.AddHint(first, mineGiven.Count == 0 ? 0 : mineGiven.Min(i => jobs[i].PrepStart(given[i]!.Value.Start)));
            model.AddHint(last, mineGiven.Count == 0 ? 0 : mineGiven.Max(i => jobs[i].End(given[i]!.Value.Start)));
            objective.AddTerm(last, weights.WaitingMinute * slot).AddTerm(first, -weights.WaitingMinute * slot);
            // Room for incidents: the candidate's day ends before the end of the day kept free (PlannerWeights.LateInDayMinute).
            if (weights.LateInDayMinute > 0)
            {
                var late = model.NewIntVar(0, CentreDayProblem.DaySlots, $"late_{k}");
                model.Add(late >= last - slackFrom);
                model.AddHint(late, Math.Max(0, (mineGiven.Count == 0 ? 0 : mineGiven.Max(i => jobs[i].End(given[i]!.Value.Start))) - slackFrom));
                objective.AddTerm(late, weights.LateInDayMinute * slot);
            }
        }
        // A professional in E4 and U61 commissions.
        for (var i = 0; i < jobs.Count; i++)
            if (jobs[i].Oral.Unit is UnitCode.E4 or UnitCode.U61)
                foreach (var (c, x) in examinedBy[i])
                    if (!p.Commissions[c].HasProfessional) objective.AddTerm(x, weights.NoProfessional);
        // Fewest examiner-days: an examiner is called when one of their commissions examines; a pinned commission examines.
        var used = new BoolVar[p.Commissions.Count];
        for (var c = 0; c < p.Commissions.Count; c++)
        {
            used[c] = model.NewBoolVar($"used_{c}");
            model.AddHint(used[c], hintUsed[c]);
            var mine = Enumerable.Range(0, jobs.Count).Where(i => examinedBy[i].ContainsKey(c)).Select(i => examinedBy[i][c]).ToList();
            foreach (var x in mine) model.AddImplication(x, used[c]);
            model.Add(used[c] <= LinearExpr.Sum(mine));
            // Redundant, for the relaxation: a commission examines at most its shortest member's day, and only when used.
            var minutes = Enumerable.Range(0, jobs.Count).Where(i => examinedBy[i].ContainsKey(c)).Select(i => (long)jobs[i].ExamSlots * slot).ToList();
            if (redundant && mine.Count > 0)
                model.Add(LinearExpr.WeightedSum(mine, minutes) <= p.MembersOf[c].Min(m => Math.Min(p.MaxMinutes(m), freeMinutes)) * used[c]);
            if (p.Commissions[c].Pinned && mine.Count > 0)
            {
                constant += weights.Unplaced;
                objective.AddTerm(used[c], -weights.Unplaced);
            }
        }
        for (var e = 0; e < p.Examiners.Count; e++)
        {
            model.AddHint(called[e], p.CommissionsOf[e].Any(c => hintUsed[c]));
            foreach (var c in p.CommissionsOf[e]) model.AddImplication(used[c], called[e]);
            objective.AddTerm(called[e], weights.ExaminerDay);
        }
        // Balanced loads: the heaviest examiner of each discipline.
        foreach (var discipline in Enumerable.Range(0, p.Examiners.Count).GroupBy(e => p.Examiners[e].Discipline))
        {
            var heaviest = model.NewIntVar(0, 24 * 60, $"heaviest_{discipline.Key}");
            foreach (var e in discipline) model.Add(heaviest >= examinerLoad[e]);
            model.AddHint(heaviest, discipline.Max(e => hintLoad[e]));
            objective.AddTerm(heaviest, weights.LoadBalanceMinute);
        }
        objective.Add(constant);
        model.Minimize(objective);

        // ---- Solve.
        using var solver = new CpSolver();
        var parameters = string.Create(CultureInfo.InvariantCulture,
            $"num_workers:{Math.Max(1, workers)} max_time_in_seconds:{Math.Max(0.01, seconds):0.###} max_memory_in_mb:{MaxMemoryMb} log_search_progress:false");
        if (seed is { } s) parameters += $" random_seed:{s}";
        solver.StringParameters = parameters;
        var placedCount = LinearExpr.Sum(placed.Where(v => v is not null).Select(v => (ILiteral)v!));
        var callback = new ProgressCallback(onSolution, placedCount);
        CpSolverStatus status;
        using (cancellationToken.Register(solver.StopSearch))
            status = solver.Solve(model, callback);
        GC.KeepAlive(callback);
        callback.Failure?.Throw();

        // ---- Read back.
#if DEBUG
        if (status == CpSolverStatus.ModelInvalid) throw new InvalidOperationException($"{p.Day.Label}: {model.Validate()}");
#endif
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
            return new SubModelResult(hint, false, false, double.NaN, status == CpSolverStatus.Unknown ? solver.BestObjectiveBound : double.NaN);
        var result = new Placement?[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!modelled[i] || !solver.BooleanValue(placed[i]!)) continue;
            var c = examinedBy[i].First(x => solver.BooleanValue(x.Value)).Key;
            result[i] = new Placement(c, (int)solver.Value(start[i]!));
        }
        return new SubModelResult(result, true, status == CpSolverStatus.Optimal, solver.ObjectiveValue, solver.BestObjectiveBound);
    }

    /// <summary>
    /// Reports each solution. It runs on a solver thread inside native code: an exception must not cross back into
    /// it, so the first one stops the search and is rethrown once the solver has returned.
    /// </summary>
    private sealed class ProgressCallback(Action<double, double, int>? report, LinearExpr placed) : CpSolverSolutionCallback
    {
        public System.Runtime.ExceptionServices.ExceptionDispatchInfo? Failure { get; private set; }

        public override void OnSolutionCallback()
        {
            if (report is null || Failure is not null) return;
            try
            {
                report(ObjectiveValue(), BestObjectiveBound(), (int)Value(placed));
            }
            catch (Exception e)
            {
                Failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                StopSearch();
            }
        }
    }
}
