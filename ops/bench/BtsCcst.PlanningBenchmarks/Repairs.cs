using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BtsCcst.SampleGenerator;
using BtsCcst.Scheduling;
using BtsCcst.Scheduling.Repair;

namespace BtsCcst.PlanningBenchmarks;

/// <summary>What one repair measured: the centre-day, the time now, the events drawn, the repair's figures and the checks.</summary>
public sealed record RepairTrial
{
    public required string Size { get; init; }
    /// <summary>Number of events of the request (1, 5, 20).</summary>
    public required int Events { get; init; }
    public required int Trial { get; init; }
    /// <summary>Seed of the draw (centre-day, now, events); the solver's seed is <see cref="Trial"/>.</summary>
    public required int DrawSeed { get; init; }
    public required string CentreId { get; init; }
    public required DateOnly Date { get; init; }
    public required TimeOnly Now { get; init; }
    /// <summary>Candidates, orals and examiners of the centre-day in the plan; orals not started at <see cref="Now"/>.</summary>
    public required int DayCandidates { get; init; }
    public required int DayOrals { get; init; }
    public required int DayExaminers { get; init; }
    public required int OralsAfterNow { get; init; }
    public required int Late { get; init; }
    public required int Excused { get; init; }
    public required int ExaminersAbsent { get; init; }
    public required int RoomsClosed { get; init; }
    public required IReadOnlyList<string> EventList { get; init; }

    /// <summary>The repair with the benchmark's time limit (the figures reported against the target).</summary>
    public required RepairOutcome Main { get; init; }
    /// <summary>The same request repaired again with the reference time limit (null when not run).</summary>
    public RepairOutcome? Reference { get; init; }
}

/// <summary>What one call of <c>DayRepairer.Repair</c> gave.</summary>
public sealed record RepairOutcome
{
    public required double LimitSeconds { get; init; }
    /// <summary>Wall time of <c>DayRepairer.Repair</c> (Stopwatch around the call).</summary>
    public double Seconds { get; init; }
    /// <summary>Wall time of the same repair through the solver process, as the server runs it (a spare process started
    /// ahead, JSON both ways, the solve): <c>OutOfProcessPlanner.RepairAsync</c>; null when not measured (the reference runs).</summary>
    public double? ProcessSeconds { get; init; }
    /// <summary>CPU of this process during the call, and busy cores of the machine (/proc/stat), in cores.</summary>
    public double ProcessCores { get; init; }
    public double MachineCores { get; init; }
    public int CandidatesMoved { get; init; }
    public int ExaminersChanged { get; init; }
    public int DelayMinutes { get; init; }
    public int Changes { get; init; }
    /// <summary>Orals in the repair's Unplaced that the plan had placed: all, those of the events' candidates (excused
    /// not re-convoked, late too late), those of other candidates, those of late candidates.</summary>
    public int UnplacedByRepair { get; init; }
    public int UnplacedOfEventCandidates { get; init; }
    public int UnplacedOthers { get; init; }
    public int UnplacedLate { get; init; }
    /// <summary>Reasons of the orals unplaced by the repair, most frequent first.</summary>
    public IReadOnlyList<string> UnplacedReasons { get; init; } = [];
    /// <summary>The day's model gave no plan in time (<see cref="RepairResult.Solved"/> false): the schedule stays as it was.</summary>
    public bool NoDayPlan { get; init; }
    /// <summary>Orals the excused candidates had on the day in the plan, and those placed again on a later date.</summary>
    public int ExcusedOrals { get; init; }
    public int Reconvoked { get; init; }
    public bool Optimal { get; init; }
    /// <summary>ScheduleValidator.Validate on the whole repaired schedule (with the repair's Unplaced).</summary>
    public int Violations { get; init; }
    public IReadOnlyList<string> ViolationsByRule { get; init; } = [];
    /// <summary>This benchmark's checks of the events and of what must not change (see <see cref="RepairChecks"/>).</summary>
    public IReadOnlyList<string> EventBreaches { get; init; } = [];
    public double ValidationSeconds { get; init; }
    /// <summary>Set when the repair threw (the figures above are then empty).</summary>
    public string? Error { get; init; }
}

/// <summary>The plan a size's repairs start from.</summary>
public sealed record RepairBase(string Size, int Candidates, int Orals, int Examiners, int CentreDays, double InstanceSeconds,
    double PlanSeconds, double PlanLimitSeconds, bool PlanFromCache, int Placed, int Unplaced, int PlanViolations, string LoadAverageAfterPlan,
    double WarmUpSeconds);

/// <summary>
/// The exam-day repair benchmark (<c>--repair</c>, run by ops/bench/repair.sh): for each size, the instance as the server
/// builds it (<see cref="Instances.Build"/>), planned once with <see cref="OralPlanner"/>; then, for each number of events
/// and each trial, a busy centre-day, a time "now" and that many random events of that day, repaired with
/// <see cref="DayRepairer"/>, timed, and checked with <see cref="ScheduleValidator"/> and <see cref="RepairChecks"/>.
/// </summary>
public static class RepairBenchmark
{
    private const string Usage = """
    usage: BtsCcst.PlanningBenchmarks --repair [options]      (run through ops/bench/repair.sh, which builds first)
      --sizes LIST          sizes, comma-separated (academy,national)
      --events LIST         numbers of events per repair, comma-separated (1,5,20)
      --trials N            repairs per size and number of events (5)
      --plan-limit S        planner time limit of the plan the repairs start from, seconds (60)
      --repair-limit S      DayRepairer's time limit (PlannerOptions.TimeLimit), seconds (the server's: DayRepairer.DefaultTimeLimit)
      --reference-limit S   repair each request again with this limit, for comparison (10; 0: not)
      --workers N           CP-SAT workers, plan and repairs (2)       --seed S    sample seed (42)
      --reuse-plans         plan once and keep the plan in /tmp/btsccst-repair-bench/ for the next runs (development only:
                            the figures of RESULTS.md come from a run without it)
      --results PATH        (ops/bench/RESULTS.md)             --no-results      do not touch the results file
      --render JSON         write RESULTS.md again from the figures a run saved (its path is printed at the end), run nothing
    Everything runs in this process, one size after the other.
    """;

    private static readonly JsonSerializerOptions Json = new(PlanningProtocol.Json) { WriteIndented = false };

    public static int Run(string[] args, string root, Func<string, string> describeSource)
    {
        var options = new Dictionary<string, string>
        {
            ["sizes"] = "academy,national", ["events"] = "1,5,20", ["trials"] = "5", ["plan-limit"] = "60", ["repair-limit"] = DayRepairer.DefaultTimeLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture), ["reference-limit"] = "10",
            ["workers"] = "2", ["seed"] = "42",
        };
        string? resultsOption = null, render = null;
        bool reuse = false, writeResults = true;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                case "--reuse-plans": reuse = true; break;
                case "--no-results": writeResults = false; break;
                case "--results": resultsOption = Value(); break;
                case "--render": render = Value(); break;
                case var name when name.StartsWith("--", StringComparison.Ordinal) && options.ContainsKey(name[2..]): options[name[2..]] = Value(); break;
                default: Console.Error.WriteLine($"unknown argument {arg}\n{Usage}"); return 2;
            }
        }
        var resultsPath = Path.GetFullPath(resultsOption ?? Path.Combine(root, "ops/bench/RESULTS.md"));
        if (render is not null)
        {
            var saved = JsonSerializer.Deserialize<RepairReport.Saved>(File.ReadAllText(render), Json) ?? throw new InvalidOperationException($"{render}: empty");
            RepairReport.Load(saved).WriteInto(resultsPath);
            Console.WriteLine($"results of {saved.Started:yyyy-MM-dd HH:mm} UTC written to {resultsPath}");
            return 0;
        }
        static List<string> List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var sizes = List(options["sizes"]).Select(s => Enum.Parse<SampleSize>(s, ignoreCase: true)).ToList();
        var counts = List(options["events"]).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var trials = int.Parse(options["trials"], CultureInfo.InvariantCulture);
        var planLimit = double.Parse(options["plan-limit"], CultureInfo.InvariantCulture);
        var repairLimit = double.Parse(options["repair-limit"], CultureInfo.InvariantCulture);
        var referenceLimit = double.Parse(options["reference-limit"], CultureInfo.InvariantCulture) is > 0 and var r ? r : (double?)null;
        var workers = int.Parse(options["workers"], CultureInfo.InvariantCulture);
        var seed = int.Parse(options["seed"], CultureInfo.InvariantCulture);

        var machine = Machine.Describe();
        var report = new RepairReport
        {
            Command = Environment.GetEnvironmentVariable("BENCH_COMMAND") is { Length: > 0 } c ? c : "dotnet BtsCcst.PlanningBenchmarks.dll --repair " + string.Join(' ', args),
            Machine = machine, Source = describeSource(root), Started = DateTimeOffset.UtcNow, Seed = seed, Workers = workers,
            PlanLimitSeconds = planLimit, RepairLimitSeconds = repairLimit, ReferenceLimitSeconds = referenceLimit, TrialsPerCount = trials, EventCounts = counts,
        };
        Say($"machine: {machine.Cores} cores, {machine.CpuModel}, {machine.Memory}, load {machine.LoadAverage}; {machine.DotNet}");
        foreach (var size in sizes)
        {
            try { RunSize(size, seed, counts, trials, planLimit, repairLimit, referenceLimit, workers, reuse, report); }
            catch (Exception e)
            {
                report.Failures.Add($"{Runs.Name(size)}: {e.GetType().Name}: {e.Message}");
                Say($"{Runs.Name(size)} failed: {e}");
            }
        }
        report.Finished = DateTimeOffset.UtcNow;
        var savedPath = Path.Combine(Path.GetTempPath(), "btsccst-repair-bench", $"{report.Started:yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(savedPath)!);
        File.WriteAllText(savedPath, JsonSerializer.Serialize(report.Save(), Json));
        Say($"figures saved to {savedPath}");
        if (writeResults)
        {
            report.WriteInto(resultsPath);
            Say($"results written to {resultsPath}");
        }
        return report.Failures.Count == 0 && report.Results.All(t => t.Main.Error is null && t.Reference?.Error is null) ? 0 : 1;
    }

    private static void Say(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    private static void RunSize(SampleSize size, int seed, IReadOnlyList<int> counts, int trials, double planLimit, double repairLimit, double? referenceLimit, int workers, bool reuse,
        RepairReport report)
    {
        var name = Runs.Name(size);
        var build = Stopwatch.StartNew();
        var bench = Instances.Build(size, seed);
        var instanceSeconds = build.Elapsed.TotalSeconds;
        var instance = bench.Instance;
        Say($"{name}: {instance.Candidates.Count} candidates with orals, {bench.Orals} orals, {instance.Examiners.Count} examiners, "
            + $"{instance.Centres.Sum(c => c.Dates.Count)} centre-days; instance built in {instanceSeconds:0.0} s");

        var (plan, planSeconds, cached) = Plan(bench, planLimit, workers, reuse);
        var planViolations = ScheduleValidator.Validate(instance, plan.Exams, plan.Unplaced).Count;
        Say($"{name}: plan {(cached ? "read from the cache" : $"made in {planSeconds:0.0} s")}: {plan.Exams.Count}/{bench.Orals} placed, {planViolations} violation(s)");
        if (planViolations > 0) report.Failures.Add($"{name}: the plan the repairs start from has {planViolations} violation(s)");

        // Warm-up: one repair not counted (JIT of the repair and validation code, OR-Tools' first model), timed for the report.
        var warm = Draw(bench, plan, 1, new Random(seed * 100_000 + (int)size));
        var clock = Stopwatch.StartNew();
        DayRepairer.Repair(instance, plan.Exams, warm.Request, new PlannerOptions(TimeSpan.FromSeconds(repairLimit), workers, Seed: 0), plan.Unplaced);
        var warmUp = clock.Elapsed.TotalSeconds;
        Say($"{name}: warm-up repair ({warm.Summary}) took {warmUp:0.00} s (not counted)");
        report.Bases.Add(new RepairBase(name, instance.Candidates.Count, bench.Orals, instance.Examiners.Count, instance.Centres.Sum(c => c.Dates.Count),
            instanceSeconds, planSeconds, planLimit, cached, plan.Exams.Count, plan.Unplaced.Count, planViolations, Machine.LoadNow(), warmUp));

        foreach (var n in counts)
            for (var trial = 1; trial <= trials; trial++)
            {
                var drawSeed = seed * 100_000 + n * 100 + trial;
                var result = Trial(bench, plan, name, n, trial, drawSeed, new PlannerOptions(TimeSpan.FromSeconds(repairLimit), workers, Seed: trial), referenceLimit);
                report.Results.Add(result);
                foreach (var o in new[] { result.Main, result.Reference }.OfType<RepairOutcome>())
                {
                    Say(o.Error is not null
                        ? $"{name} {n} event(s) #{trial} at {o.LimitSeconds:0.##} s: FAILED {o.Error}"
                        : $"{name} {n} event(s) #{trial} at {o.LimitSeconds:0.##} s: {result.CentreId} {result.Date:yyyy-MM-dd} now {result.Now:HH:mm} ({result.Late} late, {result.Excused} excused, "
                          + $"{result.ExaminersAbsent} examiners, {result.RoomsClosed} rooms): {o.Seconds:0.00} s, moved {o.CandidatesMoved}, examiners {o.ExaminersChanged}, "
                          + $"delay {o.DelayMinutes} min, unplaced {o.UnplacedByRepair} ({o.UnplacedOthers} others){(o.NoDayPlan ? ", NO DAY PLAN" : "")}, optimal {o.Optimal}, "
                          + $"{o.Violations} violation(s), {o.EventBreaches.Count} event breach(es)");
                    foreach (var v in o.ViolationsByRule.Concat(o.EventBreaches).Take(5)) Say($"    {v}");
                    foreach (var u in o.UnplacedReasons.Take(3)) Say($"    unplaced: {u}");
                }
            }
    }

    private static (PlanResult Plan, double Seconds, bool Cached) Plan(BenchInstance bench, double limit, int workers, bool reuse)
    {
        var path = Path.Combine(Path.GetTempPath(), "btsccst-repair-bench", $"plan-{Runs.Name(bench.Size)}-seed{bench.Seed}-{limit:0}s-{workers}w.json");
        var planner = Path.Combine(AppContext.BaseDirectory, "BtsCcst.Scheduling.dll");
        if (reuse && File.Exists(path) && File.GetLastWriteTimeUtc(path) > File.GetLastWriteTimeUtc(planner))
        {
            var cached = JsonSerializer.Deserialize<CachedPlan>(File.ReadAllText(path), Json);
            if (cached is not null) return (cached.Plan, cached.Seconds, true);
        }
        var clock = Stopwatch.StartNew();
        var plan = OralPlanner.Plan(bench.Instance, new PlannerOptions(TimeSpan.FromSeconds(limit), workers));
        var seconds = clock.Elapsed.TotalSeconds;
        if (reuse)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, JsonSerializer.Serialize(new CachedPlan(plan, seconds), Json));
        }
        return (plan, seconds, false);
    }

    private sealed record CachedPlan(PlanResult Plan, double Seconds);

    private static RepairTrial Trial(BenchInstance bench, PlanResult plan, string size, int n, int trial, int drawSeed, PlannerOptions options, double? referenceLimit)
    {
        var draw = Draw(bench, plan, n, new Random(drawSeed));
        var request = draw.Request;
        var dayRows = plan.Exams.Where(e => SameDay(e, request)).ToList();
        return new RepairTrial
        {
            Size = size, Events = n, Trial = trial, DrawSeed = drawSeed, CentreId = request.CentreId, Date = request.Date, Now = request.Now,
            DayCandidates = dayRows.Select(e => e.CandidateNumber).Distinct().Count(), DayOrals = dayRows.Count,
            DayExaminers = dayRows.SelectMany(e => e.ExaminerIds).Distinct().Count(),
            OralsAfterNow = dayRows.Count(e => (e.PrepStart ?? e.ExamStart) >= request.Now),
            Late = request.Events.OfType<CandidateLate>().Count(), Excused = request.Events.OfType<CandidateAbsentExcused>().Count(),
            ExaminersAbsent = request.Events.OfType<ExaminerAbsent>().Count(), RoomsClosed = request.Events.OfType<RoomUnavailable>().Count(),
            EventList = request.Events.Select(Describe).ToList(),
            Main = Repair(bench, plan, request, options, throughProcess: true),
            Reference = referenceLimit is { } limit ? Repair(bench, plan, request, options with { TimeLimit = TimeSpan.FromSeconds(limit) }, throughProcess: false) : null,
        };
    }

    /// <summary>The solver process as the server keeps it: one job per process, the next one started ahead and waiting (warmed up).
    /// The spare left at the end ends by itself when this process does (its standard input closes).</summary>
    private static readonly OutOfProcessPlanner Solver = OutOfProcessPlanner.Beside(keepSpare: true);

    /// <summary>Time given to the spare process to warm up before a repair through it is timed (its warm-up takes about 1 s).</summary>
    internal static readonly TimeSpan SpareWarmUp = TimeSpan.FromSeconds(2);

    private static RepairOutcome Repair(BenchInstance bench, PlanResult plan, RepairRequest request, PlannerOptions options, bool throughProcess)
    {
        var instance = bench.Instance;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        RepairResult result;
        var cpu = new CpuMeter();
        var clock = Stopwatch.StartNew();
        try
        {
            result = DayRepairer.Repair(instance, plan.Exams, request, options, plan.Unplaced);
        }
        catch (Exception e)
        {
            return new RepairOutcome
            {
                LimitSeconds = options.TimeLimit.TotalSeconds, Seconds = clock.Elapsed.TotalSeconds,
                Error = $"{e.GetType().Name}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}",
            };
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var (processCores, machineCores) = cpu.Stop();
        double? processSeconds = null;
        if (throughProcess)
        {
            var job = new RepairJob(instance, plan.Exams, request, options.TimeLimit.TotalSeconds, options.Workers, options.Seed, plan.Unplaced);
            // Repairs of a real day are minutes apart: the spare started after the last job has warmed up by then.
            Thread.Sleep(SpareWarmUp);
            var viaProcess = Stopwatch.StartNew();
            Solver.RepairAsync(job, CancellationToken.None).GetAwaiter().GetResult();
            processSeconds = viaProcess.Elapsed.TotalSeconds;
        }

        var validate = Stopwatch.StartNew();
        var violations = ScheduleValidator.Validate(instance, result.Exams, result.Unplaced);
        var validationSeconds = validate.Elapsed.TotalSeconds;
        var before = plan.Unplaced.Select(u => (u.CandidateNumber, u.Unit)).ToHashSet();
        var events = EventCandidates(request);
        var byRepair = result.Unplaced.Where(u => !before.Contains((u.CandidateNumber, u.Unit))).ToList();
        var excused = request.Events.OfType<CandidateAbsentExcused>().Select(e => e.CandidateNumber).ToHashSet(StringComparer.Ordinal);
        var late = request.Events.OfType<CandidateLate>().Select(e => e.CandidateNumber).ToHashSet(StringComparer.Ordinal);
        return new RepairOutcome
        {
            LimitSeconds = options.TimeLimit.TotalSeconds, Seconds = seconds, ProcessSeconds = processSeconds, ProcessCores = processCores, MachineCores = machineCores,
            CandidatesMoved = result.CandidatesMoved, ExaminersChanged = result.ExaminersChanged, DelayMinutes = result.TotalDelayMinutes, Changes = result.Changes.Count,
            UnplacedByRepair = byRepair.Count, UnplacedOfEventCandidates = byRepair.Count(u => events.Contains(u.CandidateNumber)),
            UnplacedOthers = byRepair.Count(u => !events.Contains(u.CandidateNumber)),
            UnplacedLate = byRepair.Count(u => late.Contains(u.CandidateNumber)),
            UnplacedReasons = byRepair.GroupBy(u => u.Reason).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} × {g.Key}").ToList(),
            NoDayPlan = !result.Solved,
            ExcusedOrals = plan.Exams.Count(e => SameDay(e, request) && excused.Contains(e.CandidateNumber)),
            Reconvoked = result.Exams.Count(e => excused.Contains(e.CandidateNumber) && e.Date > request.Date),
            Optimal = result.Optimal,
            Violations = violations.Count,
            ViolationsByRule = violations.GroupBy(v => v.Rule).Select(g => $"{g.Key} ×{g.Count()}: {g.First().Message}").ToList(),
            EventBreaches = RepairChecks.Breaches(instance, bench.Orals, plan, request, result),
            ValidationSeconds = validationSeconds,
        };
    }

    internal static bool SameDay(ScheduledExam e, RepairRequest r) => string.Equals(e.CentreId, r.CentreId, StringComparison.OrdinalIgnoreCase) && e.Date == r.Date;

    internal static HashSet<string> EventCandidates(RepairRequest r) =>
        r.Events.Select(e => e switch { CandidateLate l => l.CandidateNumber, CandidateAbsentExcused a => a.CandidateNumber, _ => null }).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    private static string Describe(RepairEvent e) => e switch
    {
        CandidateLate l => $"late {l.CandidateNumber} until {l.ArrivesAt:HH:mm}",
        CandidateAbsentExcused a => $"excused {a.CandidateNumber}",
        ExaminerAbsent x => $"examiner {x.ExaminerId} absent {(x.From is { } f ? f.ToString("HH:mm", CultureInfo.InvariantCulture) : "start")}–{(x.To is { } t ? t.ToString("HH:mm", CultureInfo.InvariantCulture) : "end")}",
        RoomUnavailable r => $"{r.Rooms} room(s) closed {r.From:HH:mm}–{r.To:HH:mm}",
        _ => e.ToString(),
    };

    /// <summary>Share of each kind of event in the draw: late candidates, excused absences, absent examiners, closed rooms.</summary>
    public static readonly (string Kind, double Weight)[] Mix = [("late", 0.40), ("excused", 0.25), ("examiner", 0.20), ("room", 0.15)];

    /// <summary>Latest "now" drawn (about mid-afternoon), and the busier centre-days: the top half by orals.</summary>
    public static readonly TimeOnly LatestNow = new(15, 0);

    internal sealed record Drawn(RepairRequest Request, string Summary);

    /// <summary>
    /// A centre-day drawn among the busier half (by orals in the plan), a time now on the 5-minute grid between the
    /// centre's opening and <see cref="LatestNow"/>, and <paramref name="n"/> events of kinds drawn by <see cref="Mix"/>,
    /// each about someone or something of that day not done yet: a late candidate or an excused one has their first
    /// convocation of the day (preparation, else exam) at or after now, and is late by 10–90 min (5-minute steps) after it;
    /// an absent examiner sits in an exam of the day starting at or after now, and is away all day (when they have not
    /// sat yet) or from max(lunch, now) to the end of the day (when they sit after lunch), one or the other at random;
    /// a closed room is one exam room from a time between now and an hour before closing, for 60 or 120 min.
    /// Candidates and examiners are distinct within a request. When the drawn now leaves too few people for the
    /// events, another now (up to 200 tries, then the opening time) and then another centre-day are drawn.
    /// </summary>
    internal static Drawn Draw(BenchInstance bench, PlanResult plan, int n, Random rng)
    {
        var instance = bench.Instance;
        var kinds = Enumerable.Range(0, n).Select(_ => Pick(rng)).ToList();
        int Count(string kind) => kinds.Count(k => k == kind);
        var days = plan.Exams.GroupBy(e => (Centre: e.CentreId, e.Date)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Centre, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Date).ToList();
        var busier = days.Take(Math.Max(1, (days.Count + 1) / 2)).ToList();
        for (var dayTry = 0; dayTry < 50; dayTry++)
        {
            var day = busier[rng.Next(busier.Count)];
            var centre = instance.Centres.First(c => string.Equals(c.Id, day.Key.Centre, StringComparison.OrdinalIgnoreCase));
            var rows = day.ToList();
            var open = Minutes(centre.DayStart);
            var latest = Math.Max(open, Math.Min(Minutes(LatestNow), Minutes(centre.DayEnd) - 120));
            for (var nowTry = 0; nowTry <= 200; nowTry++)
            {
                var now = nowTry == 200 ? open : open + 5 * rng.Next((latest - open) / 5 + 1);
                var first = rows.GroupBy(r => r.CandidateNumber).ToDictionary(g => g.Key, g => g.Min(r => Minutes(r.PrepStart ?? r.ExamStart)));
                var people = first.Where(f => f.Value >= now).Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
                var sitters = rows.Where(r => Minutes(r.PrepStart ?? r.ExamStart) >= now).SelectMany(r => r.ExaminerIds).Distinct().Order(StringComparer.Ordinal).ToList();
                if (people.Count < Count("late") + Count("excused") || sitters.Count < Count("examiner")) continue;

                Shuffle(people, rng);
                Shuffle(sitters, rng);
                var events = new List<RepairEvent>();
                int p = 0, x = 0;
                foreach (var kind in kinds)
                    switch (kind)
                    {
                        case "late":
                        {
                            var who = people[p++];
                            events.Add(new CandidateLate(who, Time(first[who] + 5 * rng.Next(2, 19))));
                            break;
                        }
                        case "excused":
                            events.Add(new CandidateAbsentExcused(people[p++], Reconvoke: true));
                            break;
                        case "examiner":
                        {
                            var id = sitters[x++];
                            var mine = rows.Where(r => r.ExaminerIds.Contains(id)).ToList();
                            var from = Math.Max(Minutes(centre.LunchStart), now);
                            var afternoon = mine.Any(r => Minutes(r.PrepStart ?? r.ExamStart) >= now && Minutes(r.ExamEnd) > from);
                            var notYet = mine.All(r => Minutes(r.PrepStart ?? r.ExamStart) >= now);
                            var allDay = notYet && (!afternoon || rng.Next(2) == 0);
                            events.Add(allDay ? new ExaminerAbsent(id) : new ExaminerAbsent(id, Time(from)));
                            break;
                        }
                        default:
                        {
                            var close = Minutes(centre.DayEnd);
                            var from = now + 5 * rng.Next(Math.Max(0, close - 60 - now) / 5 + 1);
                            events.Add(new RoomUnavailable(Time(from), Time(Math.Min(close, from + (rng.Next(2) == 0 ? 60 : 120))), 1));
                            break;
                        }
                    }
                var request = new RepairRequest(centre.Id, day.Key.Date, Time(now), events);
                return new Drawn(request, $"{centre.Id} {day.Key.Date:yyyy-MM-dd} now {Time(now):HH:mm}, {string.Join(", ", events.Select(Describe))}");
            }
        }
        throw new InvalidOperationException($"no centre-day of {Runs.Name(bench.Size)} has enough candidates and examiners for {n} events");
    }

    private static string Pick(Random rng)
    {
        var r = rng.NextDouble() * Mix.Sum(m => m.Weight);
        foreach (var (kind, weight) in Mix)
        {
            if (r < weight) return kind;
            r -= weight;
        }
        return Mix[^1].Kind;
    }

    private static void Shuffle<T>(List<T> list, Random rng)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    internal static int Minutes(TimeOnly t) => t.Hour * 60 + t.Minute;

    internal static TimeOnly Time(int minutes) => new(Math.Min(minutes, 24 * 60 - 1) / 60, Math.Min(minutes, 24 * 60 - 1) % 60);
}

/// <summary>
/// What the validator cannot see, since it knows nothing of the events: this benchmark's checks of a repaired schedule
/// against its request and the plan it started from.
/// </summary>
public static class RepairChecks
{
    public static IReadOnlyList<string> Breaches(PlanningInstance instance, int orals, PlanResult plan, RepairRequest request, RepairResult result)
    {
        var breaches = new List<string>();
        var now = RepairBenchmark.Minutes(request.Now);
        var events = RepairBenchmark.EventCandidates(request);
        static int Begin(ScheduledExam e) => RepairBenchmark.Minutes(e.PrepStart ?? e.ExamStart);
        var before = plan.Exams.Where(e => RepairBenchmark.SameDay(e, request)).ToList();
        var after = result.Exams.Where(e => RepairBenchmark.SameDay(e, request)).ToList();
        var previous = plan.Exams.Select(e => Key(e)).ToHashSet();
        var kept = result.Exams.Select(e => Key(e)).ToHashSet();

        // Every oral once: placed or reported unplaced, never both, none lost.
        var placedOrals = result.Exams.Select(e => (e.CandidateNumber, e.Unit)).ToList();
        if (placedOrals.Count != placedOrals.Distinct().Count()) breaches.Add("an oral appears twice in the repaired schedule");
        if (result.Exams.Count + result.Unplaced.Count != orals)
            breaches.Add($"orals lost or doubled: {result.Exams.Count} placed + {result.Unplaced.Count} unplaced ≠ {orals}");
        // Done or under way (and not of the events' candidates): unchanged.
        var done = before.Where(e => Begin(e) < now && !events.Contains(e.CandidateNumber)).ToList();
        var gone = done.Count(e => !kept.Contains(Key(e)));
        if (gone > 0) breaches.Add($"{gone} exam(s) done or under way at {request.Now:HH:mm} changed");
        // Nothing that changed on the day starts before now.
        var early = after.Where(e => !previous.Contains(Key(e)) && Begin(e) < now).ToList();
        if (early.Count > 0) breaches.Add($"{early.Count} exam(s) moved to before now ({early[0].CandidateNumber} {early[0].Unit} at {early[0].PrepStart ?? early[0].ExamStart:HH:mm})");
        // Other centre-days: unchanged, except the excused candidates' exams placed there again.
        var excused = request.Events.OfType<CandidateAbsentExcused>().Select(e => e.CandidateNumber).ToHashSet(StringComparer.Ordinal);
        var othersBefore = plan.Exams.Where(e => !RepairBenchmark.SameDay(e, request)).ToList();
        var othersAfter = result.Exams.Where(e => !RepairBenchmark.SameDay(e, request)).ToList();
        var changedElsewhere = othersAfter.Where(e => !excused.Contains(e.CandidateNumber) && !previous.Contains(Key(e))).ToList();
        if (changedElsewhere.Count > 0)
        {
            var withoutRooms = othersBefore.Select(e => Key(e, room: false)).ToHashSet();
            var roomsOnly = changedElsewhere.Count(e => withoutRooms.Contains(Key(e, room: false)));
            breaches.Add($"{changedElsewhere.Count} exam(s) of other centre-days changed ({roomsOnly} of them only in room)");
        }
        var placedAfter = othersAfter.Select(e => (e.CandidateNumber, e.Unit)).ToHashSet();
        var missingElsewhere = othersBefore.Count(e => !placedAfter.Contains((e.CandidateNumber, e.Unit)));
        if (missingElsewhere > 0) breaches.Add($"{missingElsewhere} exam(s) of other centre-days removed");
        foreach (var e in othersAfter.Where(e => excused.Contains(e.CandidateNumber) && !previous.Contains(Key(e)) && e.Date <= request.Date))
            breaches.Add($"excused {e.CandidateNumber} {e.Unit} placed again on {e.Date:yyyy-MM-dd}, not a later date");

        // The events.
        foreach (var late in request.Events.OfType<CandidateLate>())
        {
            var arrival = RepairBenchmark.Minutes(late.ArrivesAt);
            foreach (var e in after.Where(e => e.CandidateNumber == late.CandidateNumber && Begin(e) < arrival))
                breaches.Add($"late {late.CandidateNumber} convoked at {e.PrepStart ?? e.ExamStart:HH:mm} for {e.Unit}, before arriving at {late.ArrivesAt:HH:mm}");
        }
        foreach (var who in excused)
            foreach (var e in after.Where(e => e.CandidateNumber == who))
                breaches.Add($"excused {who} still convoked for {e.Unit} at {e.PrepStart ?? e.ExamStart:HH:mm}");
        foreach (var away in request.Events.OfType<ExaminerAbsent>())
        {
            var from = away.From is { } f ? RepairBenchmark.Minutes(f) : 0;
            var to = away.To is { } t ? RepairBenchmark.Minutes(t) : 24 * 60;
            foreach (var e in after.Where(e => e.ExaminerIds.Contains(away.ExaminerId) && Begin(e) >= now
                                                && RepairBenchmark.Minutes(e.ExamStart) < to && RepairBenchmark.Minutes(e.ExamEnd) > from))
                breaches.Add($"absent examiner {away.ExaminerId} sits for {e.CandidateNumber} {e.Unit} at {e.ExamStart:HH:mm}");
        }
        var blocks = request.Events.OfType<RoomUnavailable>().Select(b =>
        {
            var from = RepairBenchmark.Minutes(b.From);
            var to = RepairBenchmark.Minutes(b.To);
            // As the repair does: exams under way at now keep their room to their end.
            from = done.Where(e => RepairBenchmark.Minutes(e.ExamStart) < to && RepairBenchmark.Minutes(e.ExamEnd) > from)
                .Select(e => RepairBenchmark.Minutes(e.ExamEnd)).Append(from).Max();
            return (From: from, To: to, b.Rooms);
        }).ToList();
        var rooms = instance.Centres.First(c => string.Equals(c.Id, request.CentreId, StringComparison.OrdinalIgnoreCase)).ExamRooms;
        for (var m = 0; m < 24 * 60; m += 5)
        {
            var closed = blocks.Where(b => b.From <= m && m < b.To).Sum(b => b.Rooms);
            if (closed == 0) continue;
            var busy = after.Count(e => RepairBenchmark.Minutes(e.ExamStart) <= m && m < RepairBenchmark.Minutes(e.ExamEnd));
            if (busy > Math.Max(0, rooms - closed))
            {
                breaches.Add($"{busy} exams at {RepairBenchmark.Time(m):HH:mm} with {closed} of {rooms} rooms closed");
                break;
            }
        }
        return breaches;
    }

    /// <summary>A row's value (ScheduledExam's record equality compares ExaminerIds by reference).</summary>
    private static string Key(ScheduledExam e, bool room = true) =>
        string.Join('|', e.CentreId.ToUpperInvariant(), e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), room ? e.Room : "", e.CommissionId, e.Unit,
            e.CandidateNumber, e.PrepStart?.ToString("HH:mm", CultureInfo.InvariantCulture) ?? "", e.ExamStart.ToString("HH:mm", CultureInfo.InvariantCulture),
            e.ExamEnd.ToString("HH:mm", CultureInfo.InvariantCulture), string.Join(',', e.ExaminerIds));
}
