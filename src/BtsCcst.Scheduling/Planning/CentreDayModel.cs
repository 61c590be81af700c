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
        // ---- Data: options that break a rule were filtered out before any variable (CentreDayProblem.Options, Starts).
        // The list scheduler's plan is the hint of every variable, so that the solver starts from a full plan.
        var built = new Builder(p, CentreDayRules.Usable(p, hint), weights, redundant);
        built.ExaminerMinutes();
        // ---- Soft goals (PlannerWeights).
        built.EveryOralPlaced();
        built.LeastWaiting();
        built.Professionals();
        built.FewestExaminerDays();
        built.BalancedLoads();
        built.Model.Minimize(built.Objective.Add(built.Constant));
        return SolveAndRead(built, hint, seconds, workers, seed, onSolution, cancellationToken);
    }

    /// <summary>The model of one centre-day as it is built: the variables of the shared rules, the goals' terms so far.</summary>
    private sealed class Builder
    {
        public Builder(CentreDayProblem problem, Placement?[] given, PlannerWeights weights, bool redundant)
        {
            (P, Given, Weights, Redundant) = (problem, given, weights, redundant);
            HintLoad = new long[problem.Examiners.Count];
            HintUsed = new bool[problem.Commissions.Count];
            foreach (var job in problem.Jobs)
            {
                if (given[job.Index] is not { } g) continue;
                HintUsed[g.Commission] = true;
                foreach (var m in problem.MembersOf[g.Commission]) HintLoad[m] += job.ExamSlots * Slot;
            }
            // Variables and the hard rules every centre-day model shares (CentreDayRules), hinted with the list scheduler's plan.
            Rules = CentreDayRules.Add(Model, problem, given);
            // Whether an examiner is called (one of their commissions examines), for the goal of fewest examiner-days;
            // declared here because the daily maximum is stated against it.
            Called = new BoolVar[problem.Examiners.Count];
            for (var e = 0; e < problem.Examiners.Count; e++) Called[e] = Model.NewBoolVar($"called_{e}");
            ExaminerLoad = new LinearExpr[problem.Examiners.Count];
            FreeMinutes = CentreDayBound.Windows(problem).Sum(w => w.End - w.Start) * Slot;
        }

        private const int Slot = CentreDayProblem.Slot;
        public CpModel Model { get; } = new();
        public CentreDayProblem P { get; }
        public Placement?[] Given { get; }
        public PlannerWeights Weights { get; }
        public bool Redundant { get; }
        public long[] HintLoad { get; }
        public bool[] HintUsed { get; }
        public CentreDayRules Rules { get; }
        public BoolVar[] Called { get; }
        public LinearExpr[] ExaminerLoad { get; }
        public int FreeMinutes { get; }
        public LinearExprBuilder Objective { get; } = LinearExpr.NewBuilder();
        public long Constant { get; private set; }

        /// <summary>
        /// HardRules.ExaminerMinutesPerDay: an examiner examines at most their minutes of the day, and none when not
        /// called (the same rule, stated so that the relaxation counts examiner-days from the minutes to examine).
        /// </summary>
        public void ExaminerMinutes()
        {
            var jobs = P.Jobs;
            for (var e = 0; e < P.Examiners.Count; e++)
            {
                var mine = P.CommissionsOf[e].ToHashSet();
                var terms = new List<(BoolVar X, long Minutes)>();
                for (var i = 0; i < jobs.Count; i++)
                    foreach (var (c, x) in Rules.ExaminedBy[i])
                        if (mine.Contains(c)) terms.Add((x, jobs[i].ExamSlots * Slot));
                ExaminerLoad[e] = LinearExpr.WeightedSum(terms.Select(t => t.X), terms.Select(t => t.Minutes));
                if (Redundant) Model.Add(ExaminerLoad[e] <= Math.Min(P.MaxMinutes(e), FreeMinutes) * Called[e]);
                else Model.Add(ExaminerLoad[e] <= P.MaxMinutes(e));
            }
        }

        /// <summary>Every oral placed (far above every other goal).</summary>
        public void EveryOralPlaced()
        {
            for (var i = 0; i < P.Jobs.Count; i++)
            {
                if (P.Jobs[i].Fixed is not null) continue;
                Constant += Weights.Unplaced;
                if (P.Modelled[i]) Objective.AddTerm(Rules.Placed[i]!, -Weights.Unplaced);
            }
        }

        /// <summary>Least waiting: a candidate's day from the first preparation to the end of the last exam; room for incidents.</summary>
        public void LeastWaiting()
        {
            var slackFrom = P.IncidentSlackFrom(Weights);
            for (var k = 0; k < P.Candidates.Count; k++)
            {
                var mine = P.JobsOf[k].Where(i => P.Modelled[i]).ToList();
                if (mine.Count == 0) continue;
                var (first, last) = CandidateDay(k, mine);
                var mineGiven = mine.Where(i => Given[i] is not null).ToList();
                var lastGiven = mineGiven.Count == 0 ? 0 : mineGiven.Max(i => P.Jobs[i].End(Given[i]!.Value.Start));
                Model.AddHint(first, mineGiven.Count == 0 ? 0 : mineGiven.Min(i => P.Jobs[i].PrepStart(Given[i]!.Value.Start)));
                Model.AddHint(last, lastGiven);
                Objective.AddTerm(last, Weights.WaitingMinute * Slot).AddTerm(first, -Weights.WaitingMinute * Slot);
                // Room for incidents: the candidate's day ends before the end of the day kept free (PlannerWeights.LateInDayMinute).
                if (Weights.LateInDayMinute > 0)
                {
                    var late = Model.NewIntVar(0, CentreDayProblem.DaySlots, $"late_{k}");
                    Model.Add(late >= last - slackFrom);
                    Model.AddHint(late, Math.Max(0, lastGiven - slackFrom));
                    Objective.AddTerm(late, Weights.LateInDayMinute * Slot);
                }
            }
        }

        /// <summary>The first and last slot of candidate <paramref name="k"/>'s day, with the redundant lower bounds on its length.</summary>
        private (IntVar First, IntVar Last) CandidateDay(int k, List<int> mine)
        {
            var (jobs, start, placed, gap) = (P.Jobs, Rules.Start, Rules.Placed, CentreDayProblem.GapSlots);
            var first = Model.NewIntVar(0, CentreDayProblem.DaySlots, $"first_{k}");
            var last = Model.NewIntVar(0, CentreDayProblem.DaySlots, $"last_{k}");
            Model.Add(first <= last);
            foreach (var i in mine)
            {
                Model.Add(first <= start[i]! - jobs[i].PrepSlots).OnlyEnforceIf(placed[i]!);
                Model.Add(last >= start[i]! + jobs[i].ExamSlots).OnlyEnforceIf(placed[i]!);
            }
            // Redundant, for the bound: a candidate does one thing at a time, so their day lasts at least the
            // preparations and exams they sit with the gaps between them (none before an EF3, which follows its U61)...
            var busy = LinearExpr.NewBuilder();
            foreach (var i in mine)
                busy.AddTerm(placed[i]!, jobs[i].PrepSlots + jobs[i].ExamSlots + (jobs[i].Follows >= 0 && P.Modelled[jobs[i].Follows] ? 0 : gap));
            if (Redundant) Model.Add(last - first >= busy.Add(-gap));
            // ... and, with all of them placed, at least the shortest day their orals allow around the closed stretches
            // (CentreDayBound.MinimumSpanSlots); an oral left out releases it (its cost outweighs the whole day).
            var shortest = CentreDayBound.MinimumSpanSlots(P, k);
            if (Redundant && shortest > 0)
                Model.Add(last - first >= LinearExpr.WeightedSum(mine.Select(i => placed[i]!), mine.Select(_ => (long)shortest)) - shortest * (mine.Count - 1));
            return (first, last);
        }

        /// <summary>A professional in E4 and U61 commissions.</summary>
        public void Professionals()
        {
            for (var i = 0; i < P.Jobs.Count; i++)
                if (P.Jobs[i].Oral.Unit is UnitCode.E4 or UnitCode.U61)
                    foreach (var (c, x) in Rules.ExaminedBy[i])
                        if (!P.Commissions[c].HasProfessional) Objective.AddTerm(x, Weights.NoProfessional);
        }

        /// <summary>Fewest examiner-days: an examiner is called when one of their commissions examines; a pinned commission examines.</summary>
        public void FewestExaminerDays()
        {
            var (jobs, examinedBy) = (P.Jobs, Rules.ExaminedBy);
            var used = new BoolVar[P.Commissions.Count];
            for (var c = 0; c < P.Commissions.Count; c++)
            {
                used[c] = Model.NewBoolVar($"used_{c}");
                Model.AddHint(used[c], HintUsed[c]);
                var mine = Enumerable.Range(0, jobs.Count).Where(i => examinedBy[i].ContainsKey(c)).Select(i => examinedBy[i][c]).ToList();
                foreach (var x in mine) Model.AddImplication(x, used[c]);
                Model.Add(used[c] <= LinearExpr.Sum(mine));
                // Redundant, for the relaxation: a commission examines at most its shortest member's day, and only when used.
                var minutes = Enumerable.Range(0, jobs.Count).Where(i => examinedBy[i].ContainsKey(c)).Select(i => (long)jobs[i].ExamSlots * Slot).ToList();
                if (Redundant && mine.Count > 0)
                    Model.Add(LinearExpr.WeightedSum(mine, minutes) <= P.MembersOf[c].Min(m => Math.Min(P.MaxMinutes(m), FreeMinutes)) * used[c]);
                if (P.Commissions[c].Pinned && mine.Count > 0)
                {
                    Constant += Weights.Unplaced;
                    Objective.AddTerm(used[c], -Weights.Unplaced);
                }
            }
            for (var e = 0; e < P.Examiners.Count; e++)
            {
                Model.AddHint(Called[e], P.CommissionsOf[e].Any(c => HintUsed[c]));
                foreach (var c in P.CommissionsOf[e]) Model.AddImplication(used[c], Called[e]);
                Objective.AddTerm(Called[e], Weights.ExaminerDay);
            }
        }

        /// <summary>Balanced loads: the heaviest examiner of each discipline.</summary>
        public void BalancedLoads()
        {
            foreach (var discipline in Enumerable.Range(0, P.Examiners.Count).GroupBy(e => P.Examiners[e].Discipline))
            {
                var heaviest = Model.NewIntVar(0, 24 * 60, $"heaviest_{discipline.Key}");
                foreach (var e in discipline) Model.Add(heaviest >= ExaminerLoad[e]);
                Model.AddHint(heaviest, discipline.Max(e => HintLoad[e]));
                Objective.AddTerm(heaviest, Weights.LoadBalanceMinute);
            }
        }
    }

    /// <summary>Solves the model built in <paramref name="seconds"/> and reads back where each job goes.</summary>
    private static SubModelResult SolveAndRead(Builder built, Placement?[] hint, double seconds, int workers, int? seed,
        Action<double, double, int>? onSolution, CancellationToken cancellationToken)
    {
        var (p, placed, start, examinedBy) = (built.P, built.Rules.Placed, built.Rules.Start, built.Rules.ExaminedBy);
        using var solver = new CpSolver();
        var parameters = string.Create(CultureInfo.InvariantCulture,
            $"num_workers:{Math.Max(1, workers)} max_time_in_seconds:{Math.Max(0.01, seconds):0.###} max_memory_in_mb:{MaxMemoryMb} log_search_progress:false");
        if (seed is { } s) parameters += $" random_seed:{s}";
        solver.StringParameters = parameters;
        var placedCount = LinearExpr.Sum(placed.Where(v => v is not null).Select(v => (ILiteral)v!));
        var callback = new ProgressCallback(onSolution, placedCount);
        CpSolverStatus status;
        using (cancellationToken.Register(solver.StopSearch))
            status = solver.Solve(built.Model, callback);
        GC.KeepAlive(callback);
        callback.Failure?.Throw();

#if DEBUG
        if (status == CpSolverStatus.ModelInvalid) throw new InvalidOperationException($"{p.Day.Label}: {built.Model.Validate()}");
#endif
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
            return new SubModelResult(hint, false, false, double.NaN, status == CpSolverStatus.Unknown ? solver.BestObjectiveBound : double.NaN);
        var result = new Placement?[p.Jobs.Count];
        for (var i = 0; i < p.Jobs.Count; i++)
        {
            if (!p.Modelled[i] || !solver.BooleanValue(placed[i]!)) continue;
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
