using System.Globalization;
using System.Text;

namespace BtsCcst.PlanningBenchmarks;

/// <summary>
/// Writes the planning benchmark's method and latest figures into RESULTS.md between its own markers
/// (<c>planning:method</c>, <c>planning:results</c>); the ingestion/latency blocks and every hand-written part are kept.
/// </summary>
public sealed class Report
{
    /// <summary>Everything a report needs, as saved next to the run (JSON) so that it can be rendered again (--render).</summary>
    public sealed record Saved(string Command, Machine Machine, string Source, DateTimeOffset Started, DateTimeOffset Finished, int Seed, int Workers,
        int? SolverSeed, IReadOnlyList<RunResult> Runs, IReadOnlyList<string> Failures);

    public Saved Save() => new(Command, Machine, Source, Started, Finished, Seed, Workers, SolverSeed, Runs, Failures);

    public static Report Load(Saved saved)
    {
        var report = new Report
        {
            Command = saved.Command, Machine = saved.Machine, Source = saved.Source, Started = saved.Started, Finished = saved.Finished,
            Seed = saved.Seed, Workers = saved.Workers, SolverSeed = saved.SolverSeed,
        };
        report.Runs.AddRange(saved.Runs);
        report.Failures.AddRange(saved.Failures);
        return report;
    }

    public const double TargetFirstCompleteSeconds = 60;
    public const double TargetSingleDay = 0.95;
    public const double TargetGap = 0.10;
    public const double GapLimitSeconds = 120;

    public required string Command { get; init; }
    public required Machine Machine { get; init; }
    public required string Source { get; init; }
    public required DateTimeOffset Started { get; init; }
    public DateTimeOffset Finished { get; set; }
    public required int Seed { get; init; }
    public required int Workers { get; init; }
    public int? SolverSeed { get; init; }
    public List<RunResult> Runs { get; } = [];
    public List<string> Failures { get; } = [];

    public void WriteInto(string path) => WriteBlocks(path, "planning", "planning benchmark", "# Benchmark: oral planning", Method(), Figures());

    /// <summary>
    /// Rewrites a benchmark's two blocks in RESULTS.md (its method, and its figures), marked
    /// <c>&lt;!-- {tag}:method … --&gt;</c> and <c>&lt;!-- {tag}:results … --&gt;</c>, leaving the rest of the file as it is.
    /// Missing, they are added under <paramref name="title"/>: at the end, or before the section that follows the blocks
    /// of <paramref name="afterTag"/>.
    /// </summary>
    internal static void WriteBlocks(string path, string tag, string writtenBy, string title, string method, string figures, string? afterTag = null)
    {
        var (methodBegin, methodEnd) = ($"<!-- {tag}:method (written by the {writtenBy}) -->", $"<!-- /{tag}:method -->");
        var (resultsBegin, resultsEnd) = ($"<!-- {tag}:results (written by the {writtenBy} at every run) -->", $"<!-- /{tag}:results -->");
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        if (!text.Contains(methodBegin, StringComparison.Ordinal) || !text.Contains(resultsBegin, StringComparison.Ordinal))
        {
            var blocks = $"{title}\n\n{methodBegin}\n{methodEnd}\n\n{resultsBegin}\n{resultsEnd}\n";
            var after = afterTag is null ? -1 : text.IndexOf($"<!-- /{afterTag}:results -->", StringComparison.Ordinal);
            var next = after < 0 ? -1 : text.IndexOf("\n# ", after, StringComparison.Ordinal);
            text = next < 0 ? text.TrimEnd() + "\n\n" + blocks : text[..(next + 1)] + blocks + "\n" + text[(next + 1)..];
        }
        text = Replace(text, methodBegin, methodEnd, method);
        text = Replace(text, resultsBegin, resultsEnd, figures);
        File.WriteAllText(path, text);
    }

    internal static string Replace(string text, string begin, string end, string body)
    {
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return text[..(from + begin.Length)] + "\n" + body + "\n" + text[to..];
    }

    private static string Method() => """
        `ops/bench/plan.sh` builds this benchmark (`ops/bench/BtsCcst.PlanningBenchmarks`, Release, with what it references:
        the planner `src/BtsCcst.Scheduling` and the sample generator) and runs it. For each size (`small`, `academy`,
        `national` of `SampleSession.Generate(size, seed 42)`) it starts **one child process per measurement** (the same
        program with `--worker ...`), so that each has its own peak memory and a cold start, as the server's planning runs
        have (the server runs the planner in a child process, `BtsCcst.Scheduling.Runner`). In that process:

        1. **Instance, as the server builds it.** The generator writes centres.csv, examiners.csv, candidates.csv and
           conformity.csv (in memory); they are read back with the Domain importers (`CentresCsv`, `ExaminersCsv`,
           `CandidatesCsv`, `ConformityCsv`), and mapped as the import routes, `CandidateGrain.GetPlanningData` and
           `PlanningMapping.ToInstance` do: each candidate's orals are `OralRules.OralsToPlan(form, optional, dispensed,
           kept, non-conforming)`, candidates without orals are left out, candidates by number, examiners and centres in
           file order, the written exams of Annexe 2. No pins. The instance holds every candidate with orals: those in
           ponctual form (the size's count) and those in CCF who chose EF1. EF3s whose U61 is not planned are reported
           unplaced by the server before planning (`OralRules.UnplaceableOrals`); they are counted apart, not planned.
        2. **Planner**, in-process: `OralPlanner.Plan(instance, new PlannerOptions(limit, Workers: 2, Weights: default,
           Seed: none — as the server))` with a thread-safe `IProgress<PlanningProgress>`. *First complete plan* = the
           planner's clock at the first progress report with `Placed == Total` (every oral of the instance placed), or the
           end of the run when only the result is complete. The planner plans one centre-day after another and reports
           `Placed` as the orals placed in the centre-days done plus the current one, so `Placed == Total` first happens
           while the last centre-day is being solved: this time grows with the time limit, which the planner spreads over
           the centre-days. *Objective* and *bound* are `PlanResult.Objective` and `PlanResult.Bound`. **The bound is the
           sum of the bounds of the centre-days, each the better of its CP-SAT model's bound and the planner's analytic
           bound of that centre-day (`CentreDayBound`: each candidate's shortest possible day around the closed
           stretches, professionals' coverage of E4/U61, examiner-days and heaviest loads from the minutes each
           discipline must examine), so it bounds the chosen decomposition only** — the assignment of candidates and
           examiners to centre-days is heuristic and fixed before the models run; it is not a lower bound for the
           session, and the extra-day cost (added to the objective) has no bound term. *Gap* = (objective − bound) / max(1, objective).
        3. **Greedy first-fit**, in-process, written for this benchmark (`GreedyFirstFit.cs`, no code of the planner):
           candidates by number; a candidate's orals go, in the order of `OralsToPlan` (EF3 glued to its U61, same
           commission), to the first centre-day (date, then centre in file order) serving their academy where all fit,
           else each oral to the first centre-day where it fits; each oral at its earliest 5-minute start where the
           candidate (10 min gaps), a preparation seat, a room and a commission are free, outside lunch and written exams
           and inside the centre's hours — an existing commission of the centre-day if one is free and may examine the
           candidate, else a new one formed seat by seat from the first examiners (file order) available that date at
           that centre, not at another centre that day, free, with minutes left and not of the candidate's school (a
           professional added when one is free).
        4. **Checks and figures**, for both: `ScheduleValidator.Validate(instance, exams, unplaced)` (must find 0
           violations); orals placed / orals of the instance; share of the candidates in ponctual form with orals whose
           orals all fall on one date (a candidate with none placed is not single-day; the share over every candidate
           with orals, EF1-only ones included, is given too); **cost** of the plan with the planner's own definition
           (`PlanCost`, internal to the planner, re-computed here from the schedule rows with the default weights:
           100,000 per unplaced oral, 1,000 per extra day of a candidate, 1 per minute of each candidate's span in a
           centre-day from first preparation to end of last exam, 30 per E4/U61 without a professional, 60 per
           examiner-day, 1 per minute of the most loaded examiner of each discipline in each centre-day). For the
           planner, this cost should equal `PlanResult.Objective` when its checks reject no oral (the table shows both);
           *better than greedy* compares these costs. A **simple session bound** (`SimpleBound` in `Measures.cs`) is
           given beside the planner's: a lower bound on that cost for *any* plan of the instance — each candidate's
           preparation and exam minutes plus the 10-minute gaps, the examiner-days that the required seats' examining
           minutes need at the largest daily maximum, and for each single-discipline seat (anglais, langue,
           économie-gestion, STI) the minutes over the largest number of that discipline's examiners a centre-day can
           have; 0 for the other terms. It shows how much of the gap comes from the weakness of the planner's bound.
        5. **Memory**: peak resident set (`VmHWM` of `/proc/self/status`) of the measuring process at the end of the
           planning call: the .NET runtime, the sample generation and parsing, the planner and OR-Tools' native memory
           (all in that process), before validation. The resident set just before the call (after a full GC) is given
           too. *CPU*: the measuring process's CPU time during the call over its wall time, and the busy cores of the
           whole machine (`/proc/stat`) meanwhile; the difference is what other processes of the shared machine took.

        Targets (from the issue): national size fully placed within 60 s on 2 cores; ≥ 95 % of candidates on a single day;
        within 10 % of the bound at 120 s; better than the greedy on every instance. The machine is shared: see the load
        average, which moves the figures.
        """;

    internal static string F(double? v, string format = "0.0") => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–";

    internal static string P(double? v) => v is { } x && !double.IsNaN(x) ? (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–";

    internal static string N(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("#,0", CultureInfo.InvariantCulture) : "–";

    internal static string Verdict(bool met) => met ? "**met**" : "**missed**";

    /// <summary>A run's title, its command and the machine table's first rows (each report adds its own rows after them).</summary>
    internal static void RunHeader(Action<string> line, string command, DateTimeOffset started, DateTimeOffset finished, Machine machine)
    {
        line($"## Latest run — {started:yyyy-MM-dd HH:mm} UTC");
        line("");
        line($"Command: `{command}` (from the repository root; took {(finished - started).TotalMinutes:0.0} min)");
        line("");
        line("| Machine | |");
        line("|---|---|");
        line($"| nproc | {machine.Cores} |");
        line($"| CPU | {machine.CpuModel} |");
        line($"| RAM | {machine.Memory} |");
        line($"| OS | {machine.Os}, kernel {machine.Kernel} |");
        line($"| .NET | {machine.DotNet} |");
    }

    private string Figures()
    {
        var s = new StringBuilder();
        void L(string line = "") => s.AppendLine(line);
        RunHeader(L, Command, Started, Finished, Machine);
        L($"| Load average at start / end | {Machine.LoadAverage} / {Runs.LastOrDefault()?.LoadAverageAtEnd ?? "–"} (shared machine) |");
        L($"| Date | {Started:yyyy-MM-dd HH:mm:ss} UTC |");
        L($"| Code measured | {Source} |");
        L($"| Settings | sample seed {Seed}; planner: {Workers} workers, default weights, solver seed {(SolverSeed?.ToString(CultureInfo.InvariantCulture) ?? "none (as the server)")} |");
        L();
        foreach (var failure in Failures) L($"**Failed:** {failure}");
        if (Failures.Count > 0) L();

        var sizes = Runs.Select(r => r.Size).Distinct().ToList();
        L("### Instances");
        L();
        L("| Size | Candidates in ponctual form with orals | Candidates with orals (all) | Orals to place | EF3 unplaceable (reported apart) | Examiners | Centres | Centre-days |");
        L("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in sizes.Select(size => Runs.First(x => x.Size == size)))
            L($"| {r.Size} | {N(r.PonctualCandidates)} | {N(r.Candidates)} | {N(r.Orals)} | {r.Unplaceable} | {N(r.Examiners)} | {r.Centres} | {r.CentreDays} |");
        L();

        L($"### Planner (`OralPlanner`, in-process, {Workers} workers)");
        L();
        L("| Size | Time limit (s) | Run took (s) | First complete plan (s) | Placed / total | Objective | Bound (decomposition) | Gap | Optimal | Single day (ponctual / all) | Violations | RSS before → peak (MiB) | CPU: planner / machine (cores) |");
        L("|---|---:|---:|---:|---|---:|---:|---:|---|---|---:|---|---|");
        foreach (var r in Runs.Where(r => r.Kind == "planner"))
            L($"| {r.Size} | {F(r.TimeLimitSeconds, "0")} | {F(r.ElapsedSeconds)} | {(r.FirstCompleteSeconds is { } t ? $"{F(t)}{(r.FirstCompleteFrom == "end" ? " (end)" : "")}" : "never")} | {N(r.Placed)} / {N(r.Total)} | {N(r.Objective)} | {N(r.Bound)} | {P(r.Gap)} | {(r.Optimal == true ? "yes" : "no")} | {P(r.SingleDayPonctual)} / {P(r.SingleDayAll)} | {r.Violations} | {F(r.RssBeforeMiB, "0")} → {F(r.PeakRssMiB, "0")} | {F(r.ProcessCores, "0.00")} / {F(r.MachineCores, "0.00")} |");
        L();

        L("### Bounds and gaps");
        L();
        L("The planner's bound is the sum of its centre-day bounds (each the better of the CP-SAT model's and the planner's analytic one): it");
        L("bounds the chosen decomposition only. The simple session");
        L("bound is this benchmark's (`SimpleBound`, see the method): valid for any plan of the instance, whatever the decomposition.");
        L("The planner's session bound (`PlanResult.SessionBound`, a linear relaxation solved by GLOP) is valid for every plan too, and");
        L("is the one the server reports (`sessionBound`, `sessionGap`); \"–\" where its solver did not finish in its share of the time.");
        L();
        L("| Size | Plan | Cost (from the rows) | Planner objective | Planner bound | Gap to planner bound | Simple session bound (span min / examiner-days / load min) | Gap to simple bound | Planner session bound | Gap to it | Orals moved between centre-days |");
        L("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---|");
        foreach (var r in Runs.OrderBy(r => sizes.IndexOf(r.Size)).ThenBy(r => r.Kind == "greedy" ? 0 : 1).ThenBy(r => r.TimeLimitSeconds))
        {
            var b = r.SessionBound;
            L($"| {r.Size} | {Plan(r)} | {N(r.Cost.Total)} | {N(r.Objective)} | {N(r.Bound)} | {P(r.Gap)} | {N(b.Total)} ({N(b.SpanMinutes)} / {N(b.ExaminerDays)} / {N(b.LoadMinutes)}) | {P(r.GapToSessionBound)} | {N(r.PlannerSessionBound)} | {P(r.GapToPlannerSessionBound)} | {(r.Kind == "greedy" ? "–" : r.MovedOrals ? "yes" : "no")} |");
        }
        L();

        L("### Greedy first-fit (baseline written for this benchmark)");
        L();
        L("| Size | Took (s) | Placed / total | Cost (planner's definition) | Commissions | Mean waiting (min) | Single day (ponctual / all) | Violations | RSS before → peak (MiB) |");
        L("|---|---:|---|---:|---:|---:|---|---:|---|");
        foreach (var r in Runs.Where(r => r.Kind == "greedy"))
            L($"| {r.Size} | {F(r.ElapsedSeconds, "0.00")} | {N(r.Placed)} / {N(r.Total)} | {N(r.Cost.Total)} | {N(r.Commissions)} | {F(r.MeanWaitingMinutes)} | {P(r.SingleDayPonctual)} / {P(r.SingleDayAll)} | {r.Violations} | {F(r.RssBeforeMiB, "0")} → {F(r.PeakRssMiB, "0")} |");
        L();

        L("### Cost, term by term (planner's definition, default weights; recomputed from the schedule rows)");
        L();
        L("| Size | Plan | Cost | = planner objective? | Unplaced orals | Extra days | Span minutes (first prep → last end) | Mean waiting (min) | E4/U61 without professional | Examiner-days | Heaviest-load minutes |");
        L("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Runs.OrderBy(r => sizes.IndexOf(r.Size)).ThenBy(r => r.Kind == "greedy" ? 0 : 1).ThenBy(r => r.TimeLimitSeconds))
        {
            var plan = Plan(r);
            var same = r.Objective is { } o ? (Math.Abs(o - r.Cost.Total) < 0.5 ? "yes" : $"no ({N(o)})") : "–";
            var c = r.Cost;
            L($"| {r.Size} | {plan} | {N(c.Total)} | {same} | {c.Unplaced} | {c.ExtraDays} | {N(c.WaitingMinutes)} | {F(r.MeanWaitingMinutes)} | {c.NoProfessional} | {N(c.ExaminerDays)} | {N(c.LoadBalanceMinutes)} |");
        }
        L();

        var problems = Runs.Where(r => r.Violations > 0 || r.UnplacedReasons.Count > 0).ToList();
        if (problems.Count > 0)
        {
            L("Violations and unplaced orals:");
            L();
            foreach (var r in problems)
            {
                var plan = Plan(r);
                foreach (var v in r.ViolationsByRule.Take(5)) L($"- {r.Size}, {plan}: violation {Short(v)}");
                foreach (var u in r.UnplacedReasons.Take(5)) L($"- {r.Size}, {plan}: unplaced — {Short(u)}");
            }
            L();
        }

        L("### Targets");
        L();
        var national = Runs.Where(r => r.Size == "national").ToList();
        var nationalPlans = national.Where(r => r.Kind == "planner").OrderBy(r => r.TimeLimitSeconds).ToList();
        if (nationalPlans.Count == 0) L("- National size not run: no verdict.");
        else
        {
            var fast = nationalPlans.Where(r => r.Placed == r.Total && r.FirstCompleteSeconds <= TargetFirstCompleteSeconds).ToList();
            var detail = string.Join("; ", nationalPlans.Select(r =>
                $"{F(r.TimeLimitSeconds, "0")} s limit: {N(r.Placed)}/{N(r.Total)} placed, first complete plan {(r.FirstCompleteSeconds is { } t ? F(t) + " s" : "never")}, run {F(r.ElapsedSeconds)} s, {r.Violations} violations"));
            L($"- National size fully placed within {TargetFirstCompleteSeconds:0} s (2 workers): {Verdict(fast.Count > 0)} — {detail}.");
            var single = string.Join("; ", nationalPlans.Select(r => $"{P(r.SingleDayPonctual)} at {F(r.TimeLimitSeconds, "0")} s (all candidates with orals: {P(r.SingleDayAll)})"));
            L($"- ≥ {TargetSingleDay * 100:0} % of candidates on a single day (national): {Verdict(nationalPlans.All(r => r.SingleDayPonctual >= TargetSingleDay))} — {single}.");
            var at120 = nationalPlans.FirstOrDefault(r => r.TimeLimitSeconds == GapLimitSeconds);
            L(at120 is null
                ? $"- Within {TargetGap * 100:0} % of the bound at {GapLimitSeconds:0} s (national): not run."
                : $"- Within {TargetGap * 100:0} % of the bound at {GapLimitSeconds:0} s (national): {Verdict(at120.Gap <= TargetGap)} — objective {N(at120.Objective)}, bound {N(at120.Bound)}, gap {P(at120.Gap)} (bound of the decomposition only, see the method). "
                  + $"For comparison, the plan's cost from its rows is {N(at120.Cost.Total)}, {P(at120.GapToSessionBound)} above this benchmark's simple session bound ({N(at120.SessionBound.Total)}); "
                  + $"the planner's session bound is {N(at120.PlannerSessionBound)}, {P(at120.GapToPlannerSessionBound)} below the objective.");
        }
        var comparisons = new List<string>();
        var better = true;
        foreach (var size in sizes)
        {
            var greedy = Runs.FirstOrDefault(r => r.Size == size && r.Kind == "greedy");
            foreach (var plan in Runs.Where(r => r.Size == size && r.Kind == "planner"))
            {
                if (greedy is null) { comparisons.Add($"{size} {F(plan.TimeLimitSeconds, "0")} s: no greedy run"); better = false; continue; }
                var wins = plan.Cost.Total < greedy.Cost.Total && plan.Placed >= greedy.Placed;
                better &= wins;
                comparisons.Add($"{size} {F(plan.TimeLimitSeconds, "0")} s: {N(plan.Cost.Total)} vs greedy {N(greedy.Cost.Total)} ({P((greedy.Cost.Total - plan.Cost.Total) / (double)Math.Max(1, greedy.Cost.Total))} lower), placed {N(plan.Placed)} vs {N(greedy.Placed)}");
            }
        }
        L($"- Better than the greedy on every instance (lower cost, at least as many orals placed): {Verdict(better && comparisons.Count > 0)} — {string.Join("; ", comparisons)}.");
        L($"- Validator: {Verdict(Runs.All(r => r.Violations == 0))} — {Runs.Sum(r => r.Violations)} violation(s) over {Runs.Count} plans.");
        return s.ToString().TrimEnd();
    }

    private static string Plan(RunResult r) => r.Kind == "greedy" ? "greedy" : $"planner {F(r.TimeLimitSeconds, "0")} s";

    internal static string Short(string text) => (text.Length <= 300 ? text : text[..300] + "…").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
