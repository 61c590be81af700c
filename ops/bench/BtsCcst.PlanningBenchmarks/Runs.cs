using System.Diagnostics;
using System.Globalization;
using BtsCcst.SampleGenerator;
using BtsCcst.Scheduling;

namespace BtsCcst.PlanningBenchmarks;

/// <summary>What one run measured (one size, planned once by the planner with one time limit, or by the greedy).</summary>
public sealed record RunResult
{
    public required string Size { get; init; }
    /// <summary>"planner" or "greedy".</summary>
    public required string Kind { get; init; }
    public double? TimeLimitSeconds { get; init; }
    public int Workers { get; init; }
    public int? SolverSeed { get; init; }

    public required int PonctualCandidates { get; init; }
    public required int Candidates { get; init; }
    public required int Examiners { get; init; }
    public required int Centres { get; init; }
    public required int CentreDays { get; init; }
    public required int Orals { get; init; }
    public required int Unplaceable { get; init; }
    public required double InstanceSeconds { get; init; }

    /// <summary>Wall time of the planning call (planner: OralPlanner.Plan; greedy: GreedyFirstFit.Plan).</summary>
    public required double ElapsedSeconds { get; init; }
    /// <summary>Planner's clock at the first progress report with Placed == Total; else the end of the run when all are placed; null when some oral stays unplaced.</summary>
    public double? FirstCompleteSeconds { get; init; }
    public string? FirstCompleteFrom { get; init; }
    public int ProgressReports { get; init; }

    public required int Placed { get; init; }
    public required int Total { get; init; }
    public double? Objective { get; init; }
    public double? Bound { get; init; }
    /// <summary>(Objective − Bound) / max(1, Objective).</summary>
    public double? Gap { get; init; }
    public bool? Optimal { get; init; }
    public required CostBreakdown Cost { get; init; }
    /// <summary>This benchmark's lower bound for any plan of the instance (<see cref="SimpleBound"/>), and (cost − it) / cost.</summary>
    public required SimpleBound SessionBound { get; init; }
    public double GapToSessionBound => (Cost.Total - SessionBound.Total) / (double)Math.Max(1, Cost.Total);
    /// <summary>The planner's own session bound (<c>PlanResult.SessionBound</c>, a linear relaxation valid for every plan), planner runs only.</summary>
    public double? PlannerSessionBound { get; init; }
    /// <summary>(Objective − PlannerSessionBound) / max(1, Objective).</summary>
    public double? GapToPlannerSessionBound => Objective is { } o && PlannerSessionBound is { } b ? (o - b) / Math.Max(1, o) : null;
    /// <summary>The planner moved orals between centre-days (its phase "reprise des oraux non placés" was reported).</summary>
    public bool MovedOrals { get; init; }

    public required double SingleDayPonctual { get; init; }
    public required double SingleDayAll { get; init; }
    public required double MeanWaitingMinutes { get; init; }
    public required int Commissions { get; init; }

    public required int Violations { get; init; }
    public required IReadOnlyList<string> ViolationsByRule { get; init; }
    public required IReadOnlyList<string> UnplacedReasons { get; init; }
    public required double ValidationSeconds { get; init; }

    /// <summary>CPU used by this process during the planning call, and by the whole machine (/proc/stat), in cores.</summary>
    public double ProcessCores { get; init; }
    public double MachineCores { get; init; }

    public required double RssBeforeMiB { get; init; }
    public required double PeakRssMiB { get; init; }
    public required string LoadAverageAtEnd { get; init; }
}

/// <summary>The measured runs; each is done in a process of its own (see Program), planner or greedy in that process.</summary>
public static class Runs
{
    public static RunResult Planner(SampleSize size, int seed, double seconds, int workers, int? solverSeed, Action<string> say, string shape = "standard")
    {
        var build = Stopwatch.StartNew();
        var bench = Instances.Build(size, seed, SampleShape.Named[shape]);
        var instanceSeconds = build.Elapsed.TotalSeconds;
        var instance = bench.Instance;
        say($"{Describe(bench)}; instance built in {instanceSeconds:0.0} s");

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var rssBefore = Memory.CurrentMiB();
        var progress = new ProgressLog(say);
        var cpu = new CpuMeter();
        var clock = Stopwatch.StartNew();
        var result = OralPlanner.Plan(instance, new PlannerOptions(TimeSpan.FromSeconds(seconds), workers, null, solverSeed), progress);
        var elapsed = clock.Elapsed.TotalSeconds;
        var peak = Memory.PeakMiB();
        var (processCores, machineCores) = cpu.Stop();

        var total = bench.Orals;
        var placed = result.Exams.Count;
        var (firstComplete, from) = progress.FirstComplete is { } t ? (t.TotalSeconds, "progress")
            : placed == total ? (elapsed, "end") : ((double?)null, (string?)null);
        var validate = Stopwatch.StartNew();
        var violations = ScheduleValidator.Validate(instance, result.Exams, result.Unplaced);
        var validationSeconds = validate.Elapsed.TotalSeconds;
        var cost = CostBreakdown.Of(instance, result.Exams, result.Unplaced.Count);
        say($"done in {elapsed:0.0} s: {placed}/{total} placed, objective {result.Objective:0}, bound {result.Bound:0}, session bound {result.SessionBound:0}, row cost {cost.Total}, {violations.Count} violation(s)");
        return new RunResult
        {
            Size = Name(size, shape), Kind = "planner", TimeLimitSeconds = seconds, Workers = workers, SolverSeed = solverSeed,
            PonctualCandidates = bench.Ponctual.Count, Candidates = instance.Candidates.Count, Examiners = instance.Examiners.Count,
            Centres = instance.Centres.Count, CentreDays = instance.Centres.Sum(c => c.Dates.Count), Orals = total, Unplaceable = bench.Unplaceable,
            InstanceSeconds = instanceSeconds, ElapsedSeconds = elapsed, FirstCompleteSeconds = firstComplete, FirstCompleteFrom = from,
            ProgressReports = progress.Count, Placed = placed, Total = total,
            Objective = result.Objective, Bound = result.Bound, Gap = (result.Objective - result.Bound) / Math.Max(1, result.Objective), Optimal = result.Optimal,
            Cost = cost, SessionBound = SimpleBound.Of(instance), PlannerSessionBound = result.SessionBound, MovedOrals = progress.Phases.Contains("reprise des oraux non placés"),
            SingleDayPonctual = Shape.SingleDayShare(result.Exams, bench.Ponctual),
            SingleDayAll = Shape.SingleDayShare(result.Exams, instance.Candidates.Select(c => c.Number)),
            MeanWaitingMinutes = Shape.MeanWaitingMinutes(result.Exams),
            Commissions = result.Exams.Select(e => e.CommissionId).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
            Violations = violations.Count, ViolationsByRule = ByRule(violations),
            UnplacedReasons = result.Reasons.Take(8).ToArray(), ValidationSeconds = validationSeconds,
            ProcessCores = processCores, MachineCores = machineCores,
            RssBeforeMiB = rssBefore, PeakRssMiB = peak, LoadAverageAtEnd = Machine.LoadNow(),
        };
    }

    public static RunResult Greedy(SampleSize size, int seed, Action<string> say, string shape = "standard")
    {
        var build = Stopwatch.StartNew();
        var bench = Instances.Build(size, seed, SampleShape.Named[shape]);
        var instanceSeconds = build.Elapsed.TotalSeconds;
        var instance = bench.Instance;
        say($"{Describe(bench)}; instance built in {instanceSeconds:0.0} s");

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var rssBefore = Memory.CurrentMiB();
        var cpu = new CpuMeter();
        var clock = Stopwatch.StartNew();
        var result = GreedyFirstFit.Plan(instance);
        var elapsed = clock.Elapsed.TotalSeconds;
        var peak = Memory.PeakMiB();
        var (processCores, machineCores) = cpu.Stop();

        var total = bench.Orals;
        var placed = result.Exams.Count;
        var validate = Stopwatch.StartNew();
        var violations = ScheduleValidator.Validate(instance, result.Exams, result.Unplaced);
        var validationSeconds = validate.Elapsed.TotalSeconds;
        var cost = CostBreakdown.Of(instance, result.Exams, result.Unplaced.Count);
        say($"greedy done in {elapsed:0.00} s: {placed}/{total} placed, cost {cost.Total}, {violations.Count} violation(s)");
        return new RunResult
        {
            Size = Name(size, shape), Kind = "greedy",
            PonctualCandidates = bench.Ponctual.Count, Candidates = instance.Candidates.Count, Examiners = instance.Examiners.Count,
            Centres = instance.Centres.Count, CentreDays = instance.Centres.Sum(c => c.Dates.Count), Orals = total, Unplaceable = bench.Unplaceable,
            InstanceSeconds = instanceSeconds, ElapsedSeconds = elapsed,
            FirstCompleteSeconds = placed == total ? elapsed : null, FirstCompleteFrom = placed == total ? "end" : null,
            Placed = placed, Total = total, Cost = cost, SessionBound = SimpleBound.Of(instance),
            SingleDayPonctual = Shape.SingleDayShare(result.Exams, bench.Ponctual),
            SingleDayAll = Shape.SingleDayShare(result.Exams, instance.Candidates.Select(c => c.Number)),
            MeanWaitingMinutes = Shape.MeanWaitingMinutes(result.Exams),
            Commissions = result.Commissions,
            Violations = violations.Count, ViolationsByRule = ByRule(violations),
            UnplacedReasons = result.Unplaced.GroupBy(u => u.Reason).Select(g => $"{g.Key} [{g.Count()}]").ToArray(),
            ValidationSeconds = validationSeconds,
            ProcessCores = processCores, MachineCores = machineCores,
            RssBeforeMiB = rssBefore, PeakRssMiB = peak, LoadAverageAtEnd = Machine.LoadNow(),
        };
    }

    public static string Name(SampleSize size) => size.ToString().ToLowerInvariant();

    /// <summary>"national", or "national/written-days" for another calendar shape (SampleShape).</summary>
    public static string Name(SampleSize size, string shape) => Name(size) + (shape == "standard" ? "" : "/" + shape);

    private static string Describe(BenchInstance b) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Name(b.Size)} (seed {b.Seed}): {b.Ponctual.Count} ponctual candidates with orals ({b.Instance.Candidates.Count} with orals in all), {b.Orals} orals, "
            + $"{b.Instance.Examiners.Count} examiners, {b.Instance.Centres.Count} centres, {b.Instance.Centres.Sum(c => c.Dates.Count)} centre-days");

    private static string[] ByRule(IReadOnlyList<Violation> violations) =>
        violations.GroupBy(v => v.Rule).Select(g => $"{g.Key} ×{g.Count()}: {g.First().Message}").ToArray();

    /// <summary>Thread-safe progress sink (the planner reports from the solver's threads): keeps the first report with every oral placed.</summary>
    private sealed class ProgressLog(Action<string> say) : IProgress<PlanningProgress>
    {
        private readonly Lock gate = new();
        private TimeSpan? lastSaid;

        /// <summary>PLANNING_BENCH_TRACE=1 prints every progress report.</summary>
        private static readonly bool Trace = Environment.GetEnvironmentVariable("PLANNING_BENCH_TRACE") == "1";

        public TimeSpan? FirstComplete { get; private set; }
        public HashSet<string> Phases { get; } = [];
        public int Count { get; private set; }

        public void Report(PlanningProgress value)
        {
            lock (gate)
            {
                Count++;
                Phases.Add(value.Phase);
                if (Trace) say($"  trace {value.Elapsed.TotalSeconds:0.000} s {value.Placed}/{value.Total} objective {value.Objective} bound {value.Bound} {value.Phase}");
                if (FirstComplete is null && value.Total > 0 && value.Placed == value.Total)
                {
                    FirstComplete = value.Elapsed;
                    say($"  first complete plan at {value.Elapsed.TotalSeconds:0.0} s ({value.Phase})");
                }
                if (lastSaid is null || value.Elapsed - lastSaid.Value >= TimeSpan.FromSeconds(10))
                {
                    lastSaid = value.Elapsed;
                    say($"  {value.Elapsed.TotalSeconds,5:0.0} s  {value.Placed}/{value.Total} placed  {value.Phase}");
                }
            }
        }
    }
}
