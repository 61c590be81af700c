using System.Globalization;
using System.Text;
using static BtsCcst.PlanningBenchmarks.Report;

namespace BtsCcst.PlanningBenchmarks;

/// <summary>
/// Writes the repair benchmark's method and latest figures into RESULTS.md between its own markers (<c>repair:method</c>,
/// <c>repair:results</c>), as <see cref="Report"/> does for the planning blocks; every other part of the file is kept.
/// A first run puts the two blocks at the end of the planning section (before the next top-level title after
/// <c>planning:results</c>), or at the end of the file.
/// </summary>
public sealed class RepairReport
{
    public sealed record Saved(string Command, Machine Machine, string Source, DateTimeOffset Started, DateTimeOffset Finished, int Seed, int Workers,
        double PlanLimitSeconds, double RepairLimitSeconds, double? ReferenceLimitSeconds, int TrialsPerCount, IReadOnlyList<int> EventCounts, IReadOnlyList<RepairBase> Bases,
        IReadOnlyList<RepairTrial> Results, IReadOnlyList<string> Failures);

    public Saved Save() => new(Command, Machine, Source, Started, Finished, Seed, Workers, PlanLimitSeconds, RepairLimitSeconds, ReferenceLimitSeconds, TrialsPerCount, EventCounts,
        Bases, Results, Failures);

    public static RepairReport Load(Saved s)
    {
        var report = new RepairReport
        {
            Command = s.Command, Machine = s.Machine, Source = s.Source, Started = s.Started, Finished = s.Finished, Seed = s.Seed, Workers = s.Workers,
            PlanLimitSeconds = s.PlanLimitSeconds, RepairLimitSeconds = s.RepairLimitSeconds, ReferenceLimitSeconds = s.ReferenceLimitSeconds, TrialsPerCount = s.TrialsPerCount, EventCounts = s.EventCounts,
        };
        report.Bases.AddRange(s.Bases);
        report.Results.AddRange(s.Results);
        report.Failures.AddRange(s.Failures);
        return report;
    }

    /// <summary>Targets of the issue: seconds per repair.</summary>
    public static readonly IReadOnlyDictionary<string, double> TargetSeconds = new Dictionary<string, double> { ["academy"] = 2, ["national"] = 10 };

    public required string Command { get; init; }
    public required Machine Machine { get; init; }
    public required string Source { get; init; }
    public required DateTimeOffset Started { get; init; }
    public DateTimeOffset Finished { get; set; }
    public required int Seed { get; init; }
    public required int Workers { get; init; }
    public required double PlanLimitSeconds { get; init; }
    public required double RepairLimitSeconds { get; init; }
    public double? ReferenceLimitSeconds { get; init; }
    public required int TrialsPerCount { get; init; }
    public required IReadOnlyList<int> EventCounts { get; init; }
    public List<RepairBase> Bases { get; } = [];
    public List<RepairTrial> Results { get; } = [];
    public List<string> Failures { get; } = [];

    public void WriteInto(string path) =>
        Report.WriteBlocks(path, "repair", "repair benchmark", "# Benchmark: exam-day repair", Method(), Figures(), afterTag: "planning");

    private string Method()
    {
        var mix = string.Join(", ", RepairBenchmark.Mix.Select(m => $"{m.Kind} {m.Weight * 100:0} %"));
        return $"""
        `ops/bench/repair.sh` builds the planning benchmark (`ops/bench/BtsCcst.PlanningBenchmarks`, Release, with the planner
        `src/BtsCcst.Scheduling` and the sample generator) and runs it with `--repair` (`Repairs.cs`, `RepairReport.cs`), in
        one process, one size after the other (`academy`, then `national`, of `SampleSession.Generate(size, seed 42)`):

        1. **The plan the repairs start from.** The instance is built as the server builds it (`Instances.Build`, as the
           planning benchmark: see its method) and planned once with `OralPlanner.Plan(instance, new PlannerOptions(60 s,
           Workers: 2))`, checked with `ScheduleValidator.Validate`. One repair not counted follows (warm-up: JIT of the
           repair and validation code, OR-Tools' first model); its time is given apart.
        2. **Requests.** For each number of events N (1, 5, 20) and each trial (seeded: sample seed × 100,000 + N × 100 +
           trial), a centre-day drawn among the busier half of the plan's centre-days (by orals), a time *now* on the
           5-minute grid between the centre's opening (08:00) and 15:00, and N events of that day, each of a kind drawn
           with the mix {mix}, about someone or something of the day not done yet:
           - *late*: `CandidateLate(number, arrival)`, a candidate whose first convocation of the day (preparation, else
             exam) is at or after now, arriving 10–90 min (5-minute steps) after that convocation;
           - *excused*: `CandidateAbsentExcused(number, Reconvoke: true)`, a candidate whose first convocation is at or after now;
           - *examiner*: `ExaminerAbsent(id, …)`, an examiner sitting in an exam of the day that starts at or after now,
             away all day (`From`/`To` null) if they have not sat yet, or from max(lunch 12:00, now) to the end of the day
             if they sit after it (one or the other at random when both apply);
           - *room*: `RoomUnavailable(from, to, 1)`, one exam room closed from a time between now and an hour before
             closing, for 60 or 120 min.
           Candidates and examiners are distinct within a request. When the drawn now leaves too few candidates or
           examiners for the events drawn, another now is drawn (up to 200 times, then the opening time), then another
           centre-day. So the 20-event requests tend to have an earlier now.
        3. **Repair**: `DayRepairer.Repair(instance, plan.Exams, new RepairRequest(centre, date, now, events),
           new PlannerOptions(TimeSpan.FromSeconds(1.5), Workers: 2, Seed: trial), plan.Unplaced)`, timed with a
           `Stopwatch` around the call (after a full GC): the indexing of the instance (`PlanningSession`), building the
           centre-day's model, CP-SAT (whose limit is the 1.5 s), reading back, and the re-convocation of excused
           candidates (one CP-SAT model per excused candidate and later date tried, each limited to max(0.5 s, limit / 4)),
           all included. Figures: `CandidatesMoved`, `ExaminersChanged`, `TotalDelayMinutes`, `Optimal` of the result;
           *unplaced by the repair* = orals in `result.Unplaced` that the plan had placed, split into those of late
           candidates (too late for the day), those of excused candidates not re-convoked, and those of other candidates;
           *re-convoked* = excused candidates' orals placed on a later date. *No day plan* marks a repair whose day model
           gave no solution (recognised by DayRepairer's reason "aucun plan de la journée ne garde toutes les règles…",
           given to every oral of the day not under way, which it then leaves out). **Reference**: each request is then
           repaired again, with the same seed, with a 10 s limit (`--reference-limit`), to show what the short limit
           costs; those figures are apart and not judged against the target.
        4. **Checks**: `ScheduleValidator.Validate(instance, result.Exams, result.Unplaced)` on the whole repaired
           schedule (must be 0; it knows nothing of the events), and this benchmark's *event checks* (`RepairChecks`):
           every oral of the instance placed once or reported unplaced; exams done or under way at now unchanged; no
           changed exam of the day starting before now; other centre-days unchanged but for the excused candidates'
           exams placed again (on a later date); late candidates convoked at or after their arrival; excused candidates
           no longer convoked on the day; absent examiners in no exam of the day overlapping their absence (exams started
           before now apart); at each 5 minutes of a closure, at most rooms − closed rooms in use.
        5. *CPU*: this process's CPU time during the call over its wall time, and the busy cores of the whole machine
           (`/proc/stat`), in cores (medians in the table): the machine is shared with other developers' builds and tests.
           CP-SAT runs with 2 workers, and its runs are not repeatable from one run to the next even with a seed (multi-thread).

        Target (issue 4): at most 2 s per repair at academy size and 10 s at national size. The verdict takes the
        **slowest** repair of each size, at the 1.5 s limit.
        """;
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        if (v.Count == 0) return double.NaN;
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    private static string MedMax(IReadOnlyList<RepairOutcome> runs, Func<RepairOutcome, double> f, string format = "0") =>
        runs.Count == 0 ? "–" : $"{F(Median(runs.Select(f)), format)} / {F(runs.Max(f), format)}";

    private static string Limit(double seconds) => F(seconds, "0.##");

    private string Figures()
    {
        var s = new StringBuilder();
        void L(string line = "") => s.AppendLine(line);
        Report.RunHeader(L, Command, Started, Finished, Machine);
        L($"| Load average at start | {Machine.LoadAverage} (shared machine) |");
        L($"| Code measured | {Source} |");
        L($"| Settings | sample seed {Seed}; plan: `OralPlanner`, {F(PlanLimitSeconds, "0")} s, {Workers} workers; repairs: `DayRepairer.Repair` with **`PlannerOptions(TimeSpan.FromSeconds({Limit(RepairLimitSeconds)}), Workers: {Workers}, Seed: trial)`**"
          + (ReferenceLimitSeconds is { } again ? $", then the same request again with {Limit(again)} s (reference)" : "") + $"; {TrialsPerCount} trials per size and number of events |");
        L();
        foreach (var failure in Failures) L($"**Failed:** {Short(failure)}");
        if (Failures.Count > 0) L();

        L("### Plans the repairs start from");
        L();
        L("| Size | Candidates with orals | Orals | Examiners | Centre-days | Plan took (s) | Placed / total | Plan violations | Warm-up repair (s, not counted) | Load average after the plan |");
        L("|---|---:|---:|---:|---:|---:|---|---:|---:|---|");
        foreach (var b in Bases)
            L($"| {b.Size} | {N(b.Candidates)} | {N(b.Orals)} | {N(b.Examiners)} | {b.CentreDays} | {(b.PlanFromCache ? "cached" : F(b.PlanSeconds))} | {N(b.Placed)} / {N(b.Orals)} | {b.PlanViolations} | {F(b.WarmUpSeconds, "0.00")} | {b.LoadAverageAfterPlan} |");
        L();

        L($"### Repairs with the {Limit(RepairLimitSeconds)} s limit ({TrialsPerCount} per row; median / max over the row's repairs)");
        L();
        L("| Size | Events | Repairs (failed) | Repair time (s) | Over target | No day plan (day's remaining orals left out) | Candidates moved | Examiners changed | Delay (min) | Unplaced by the repair: all | late candidates' | other candidates' | Excused orals re-convoked | Optimal | Validator violations | Event-check breaches | CPU: process / machine (cores) |");
        L("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var group in Results.GroupBy(r => (r.Size, r.Events)))
        {
            var all = group.Select(r => r.Main).ToList();
            var ok = all.Where(r => r.Error is null).ToList();
            var target = TargetSeconds.GetValueOrDefault(group.Key.Size, double.NaN);
            L($"| {group.Key.Size} | {group.Key.Events} | {all.Count} ({all.Count - ok.Count}) | {MedMax(ok, r => r.Seconds, "0.00")} | {ok.Count(r => r.Seconds > target)} (> {F(target, "0")} s) | {ok.Count(r => r.NoDayPlan)} | "
              + $"{MedMax(ok, r => r.CandidatesMoved)} | {MedMax(ok, r => r.ExaminersChanged)} | {MedMax(ok, r => r.DelayMinutes)} | {MedMax(ok, r => r.UnplacedByRepair)} | "
              + $"{MedMax(ok, r => r.UnplacedLate)} | {MedMax(ok, r => r.UnplacedOthers)} | {ok.Sum(r => r.Reconvoked)} of {ok.Sum(r => r.ExcusedOrals)} | "
              + $"{ok.Count(r => r.Optimal)} / {ok.Count} | {ok.Sum(r => r.Violations)} | {ok.Sum(r => r.EventBreaches.Count)} | "
              + $"{F(Median(ok.Select(r => r.ProcessCores)), "0.00")} / {F(Median(ok.Select(r => r.MachineCores)), "0.00")} |");
        }
        L();
        L("*No day plan*: no plan of the day within the limit (`RepairResult.Solved` false): the schedule stays as it was and the server's");
        L("proposal fails with that reason. *Unplaced");
        L("by the repair*: orals the plan had placed and the repair reports unplaced: all, those of late candidates (too late for the day),");
        L("those of candidates without an event (the excused candidates' orals not re-convoked are the rest). *Excused orals re-convoked*:");
        L("orals of excused candidates placed again on a later date of the centre, of all the orals excused candidates had on the day (sum).");
        L();

        if (ReferenceLimitSeconds is { } reference)
        {
            L($"### The same requests with a {Limit(reference)} s limit (reference, to see what the short limit costs; not the target setting)");
            L();
            L("| Size | Events | Repair time (s) | No day plan | Candidates moved | Examiners changed | Delay (min) | Unplaced by the repair: all | other candidates' | Optimal | Validator violations | Event-check breaches |");
            L("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var group in Results.Where(r => r.Reference is not null).GroupBy(r => (r.Size, r.Events)))
            {
                var ok = group.Select(r => r.Reference!).Where(r => r.Error is null).ToList();
                L($"| {group.Key.Size} | {group.Key.Events} | {MedMax(ok, r => r.Seconds, "0.00")} | {ok.Count(r => r.NoDayPlan)} | {MedMax(ok, r => r.CandidatesMoved)} | {MedMax(ok, r => r.ExaminersChanged)} | "
                  + $"{MedMax(ok, r => r.DelayMinutes)} | {MedMax(ok, r => r.UnplacedByRepair)} | {MedMax(ok, r => r.UnplacedOthers)} | {ok.Count(r => r.Optimal)} / {ok.Count} | "
                  + $"{ok.Sum(r => r.Violations)} | {ok.Sum(r => r.EventBreaches.Count)} |");
            }
            L();
        }

        L("### Targets");
        L();
        foreach (var size in Results.Select(r => r.Size).Distinct())
        {
            var runs = Results.Where(r => r.Size == size).ToList();
            var ok = runs.Where(r => r.Main.Error is null).ToList();
            var target = TargetSeconds.GetValueOrDefault(size, double.NaN);
            var over = ok.Where(r => r.Main.Seconds > target).ToList();
            var perN = string.Join("; ", ok.GroupBy(r => r.Events).Select(g => $"{g.Key} event(s): median {F(Median(g.Select(r => r.Main.Seconds)), "0.00")} s, max {F(g.Max(r => r.Main.Seconds), "0.00")} s"));
            var met = ok.Count == runs.Count && over.Count == 0 && ok.Count > 0;
            L($"- {size}: at most {F(target, "0")} s per repair ({Limit(RepairLimitSeconds)} s limit): {Verdict(met)} — {perN}; {over.Count} of {runs.Count} repairs over the target"
              + (runs.Count > ok.Count ? $", {runs.Count - ok.Count} failed" : "") + ".");
            var viaProcess = ok.Where(r => r.Main.ProcessSeconds is not null).ToList();
            var overViaProcess = viaProcess.Count(r => r.Main.ProcessSeconds > target);
            var perNViaProcess = string.Join("; ", viaProcess.GroupBy(r => r.Events).Select(g =>
                $"{g.Key} event(s): median {F(Median(g.Select(r => r.Main.ProcessSeconds!.Value)), "0.00")} s, max {F(g.Max(r => r.Main.ProcessSeconds!.Value), "0.00")} s"));
            L($"- {size}, through the solver process as the server runs it (its spare process, warmed up for {F(RepairBenchmark.SpareWarmUp.TotalSeconds, "0")} s after the previous job; JSON, solve): {Verdict(viaProcess.Count > 0 && overViaProcess == 0)} — "
              + $"{perNViaProcess}; {overViaProcess} of {viaProcess.Count} over the target.");
        }
        var main = Results.Select(r => r.Main).Where(r => r.Error is null).ToList();
        var noPlan = main.Where(r => r.NoDayPlan).ToList();
        L($"- Repairs that found no plan of the day within {Limit(RepairLimitSeconds)} s: **{noPlan.Count} of {main.Count}** "
          + (noPlan.Count == 0 ? "." : $"(by number of events: {string.Join(", ", Results.Where(r => r.Main.NoDayPlan).GroupBy(r => $"{r.Size} {r.Events}").Select(g => $"{g.Key}: {g.Count()}"))}); "
              + $"they left out {noPlan.Sum(r => r.UnplacedOthers)} orals of candidates without any event (max {noPlan.Max(r => r.UnplacedOthers)} in one repair)."));
        if (ReferenceLimitSeconds is { } limit)
        {
            var refs = Results.Select(r => r.Reference).OfType<RepairOutcome>().Where(r => r.Error is null).ToList();
            L($"- The same requests with {Limit(limit)} s: {refs.Count(r => r.NoDayPlan)} of {refs.Count} without a plan of the day; orals of candidates without any event left out: "
              + $"{refs.Sum(r => r.UnplacedOthers)} in all (at {Limit(RepairLimitSeconds)} s: {main.Sum(r => r.UnplacedOthers)}); slowest repair {F(refs.Select(r => r.Seconds).DefaultIfEmpty(double.NaN).Max(), "0.00")} s.");
        }
        var checkedRuns = Results.SelectMany(r => new[] { r.Main, r.Reference }).OfType<RepairOutcome>().Where(r => r.Error is null).ToList();
        L($"- Validator on every repaired schedule: {Verdict(checkedRuns.All(r => r.Violations == 0) && checkedRuns.Count > 0)} — {checkedRuns.Sum(r => r.Violations)} violation(s) over {checkedRuns.Count} repairs; "
          + $"event checks: {checkedRuns.Sum(r => r.EventBreaches.Count)} breach(es).");
        L();

        var problems = Results.SelectMany(r => new[] { (Trial: r, Outcome: r.Main), (Trial: r, Outcome: r.Reference) })
            .Where(x => x.Outcome is { } o && (o.Error is not null || o.Violations > 0 || o.EventBreaches.Count > 0)).ToList();
        if (problems.Count > 0)
        {
            L("Problems:");
            L();
            foreach (var (r, o) in problems.Take(20))
            {
                var where = $"{r.Size}, {r.Events} event(s) #{r.Trial} at {Limit(o!.LimitSeconds)} s ({r.CentreId} {r.Date:yyyy-MM-dd} now {r.Now:HH:mm})";
                if (o.Error is not null) L($"- {where}: exception {Short(o.Error)}");
                foreach (var v in o.ViolationsByRule.Concat(o.EventBreaches).Take(5)) L($"- {where}: {Short(v)}");
            }
            L();
        }

        L("<details><summary>Every repair</summary>");
        L();
        var refLabel = ReferenceLimitSeconds is { } rl ? $"{Limit(rl)} s" : "reference";
        L($"| Size | Events | # | Centre-day | Now | Day: candidates / orals / orals after now | Late / excused / examiners / rooms | Time (s) | Moved | Examiners changed | Delay (min) | Unplaced (others) | No day plan | Re-convoked | Optimal | Violations / breaches | {refLabel}: time (s) | moved | unplaced (others) | optimal |");
        L("|---|---:|---:|---|---|---|---|---:|---:|---:|---:|---|---|---:|---|---|---:|---:|---|---|");
        foreach (var r in Results)
        {
            var m = r.Main;
            var head = $"| {r.Size} | {r.Events} | {r.Trial} | {r.CentreId} {r.Date:MM-dd} | {r.Now:HH:mm} | {r.DayCandidates} / {r.DayOrals} / {r.OralsAfterNow} | {r.Late} / {r.Excused} / {r.ExaminersAbsent} / {r.RoomsClosed} | ";
            var main_ = m.Error is not null ? "failed | | | | | | | | | " :
                $"{F(m.Seconds, "0.00")} | {m.CandidatesMoved} | {m.ExaminersChanged} | {m.DelayMinutes} | {m.UnplacedByRepair} ({m.UnplacedOthers}) | {(m.NoDayPlan ? "**yes**" : "no")} | {m.Reconvoked} | {(m.Optimal ? "yes" : "no")} | {m.Violations} / {m.EventBreaches.Count} | ";
            var reference_ = r.Reference is not { } x ? "– | – | – | – |" : x.Error is not null ? "failed | | | |" :
                $"{F(x.Seconds, "0.00")} | {x.CandidatesMoved} | {x.UnplacedByRepair} ({x.UnplacedOthers}){(x.NoDayPlan ? ", no day plan" : "")} | {(x.Optimal ? "yes" : "no")} |";
            L(head + main_ + reference_);
        }
        L();
        L("</details>");
        return s.ToString().TrimEnd();
    }
}
