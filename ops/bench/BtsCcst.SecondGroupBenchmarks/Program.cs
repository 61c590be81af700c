using System.Diagnostics;
using System.Globalization;
using System.Text;
using BtsCcst.Domain;
using BtsCcst.SampleGenerator;
using BtsCcst.Scheduling;
using BtsCcst.Server.Deliberation.Documents;
using BtsCcst.Server.Planning.Documents;

const string Usage = """
usage: BtsCcst.SecondGroupBenchmarks [options]      (run through ops/bench/second-group.sh, which builds first)
  --seed S           sample seed (42)                  --share P       share of the candidates in the second group (0.10)
  --limit SECONDS    planner time limit (60)           --workers N     CP-SAT workers (2)
  --jury N           candidates of the jury whose documents are rendered (3000)
  --results PATH     (ops/bench/RESULTS.md)            --no-results    do not touch the results file
""";

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var seed = 42;
var share = 0.10;
var limit = 60.0;
var workers = 2;
var juryCandidates = 3000;
string? resultsPath = Path.Combine(FindRoot(), "ops", "bench", "RESULTS.md");
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--share": share = double.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--limit": limit = double.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--workers": workers = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--jury": juryCandidates = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--results": resultsPath = Value(); break;
        case "--no-results": resultsPath = null; break;
        case "-h" or "--help": Console.WriteLine(Usage); return 0;
        default: Console.Error.WriteLine($"unknown argument {args[i]}\n{Usage}"); return 2;
    }
}

var started = DateTime.UtcNow;
var session = SampleSession.Generate(SampleSize.National, seed);
var outcomes = SecondGroupSample.FirstGroupOutcomes(session);
var secondGroup = SecondGroupSample.Choose(session, outcomes, share, seed);
var instance = SecondGroupSample.Instance(session, secondGroup);
Console.WriteLine($"{secondGroup.Count} second-group candidates ({secondGroup.Count(c => c.RealSecondGroup)} SECOND_GROUPE by their marks), "
    + $"{instance.Candidates.Sum(c => c.Orals.Count)} contrôle orals, {instance.Examiners.Count} examiners, {instance.Centres.Count} centres");

// Planning, as the server's second-group run does (its child process runs the same OralPlanner).
var clock = Stopwatch.StartNew();
double? firstComplete = null;
var total = instance.Candidates.Sum(c => c.Orals.Count);
var progress = new SynchronousProgress(p => { if (firstComplete is null && p.Placed == total) firstComplete = clock.Elapsed.TotalSeconds; });
var result = OralPlanner.Plan(instance, new PlannerOptions(TimeSpan.FromSeconds(limit), workers), progress);
var planSeconds = clock.Elapsed.TotalSeconds;
var violations = ScheduleValidator.Validate(instance, result.Exams, result.Unplaced);
Console.WriteLine($"planned {result.Exams.Count}/{total} in {planSeconds:0.0} s (first complete plan {firstComplete:0.0} s), {violations.Count} violation(s)");

// Documents of one jury of juryCandidates candidates (the national sample's candidates, as one jury).
DocumentFonts.EnsureInstalled();
var jury = SecondGroupSample.Jury(session, outcomes, secondGroup, juryCandidates);
clock.Restart();
var transcripts = TranscriptPdf.Build(jury.Transcripts);
var transcriptSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
var minutes = MinutesPdf.Build(jury.Minutes);
var minutesSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"{jury.Transcripts.Count} transcripts in {transcriptSeconds:0.0} s ({transcripts.Length / 1048576.0:0.0} MiB); minutes in {minutesSeconds:0.0} s ({minutes.Length / 1048576.0:0.0} MiB)");

var figures = new StringBuilder()
    .AppendLine($"Command: `ops/bench/second-group.sh{(args.Length > 0 ? " " + string.Join(' ', args) : "")}` (took {(DateTime.UtcNow - started).TotalMinutes:0.0} min)")
    .AppendLine()
    .AppendLine("| Measure | Value |")
    .AppendLine("|---|---|")
    .AppendLine($"| Run | {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version} |")
    .AppendLine($"| Sample | national, seed {seed}: {session.Candidates.Count:N0} candidates |")
    .AppendLine($"| Second-group candidates | {secondGroup.Count:N0} ({share:P0}; {secondGroup.Count(c => c.RealSecondGroup):N0} SECOND_GROUPE by their marks, the others drawn) |")
    .AppendLine($"| Contrôle orals | {total:N0} (C_E1 {Count(UnitCode.C_E1)}, C_E2 {Count(UnitCode.C_E2)}, C_E3 {Count(UnitCode.C_E3)}) |")
    .AppendLine($"| Window | {string.Join(", ", SecondGroupSample.Window.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}, {instance.Centres.Count} centres, {instance.Examiners.Count} examiners (LETTRES, ANGLAIS, ECO_GESTION of the sample) |")
    .AppendLine($"| Planner | time limit {limit:0} s, {workers} workers |")
    .AppendLine($"| First complete plan | {(firstComplete is { } f ? $"{f:0.0} s" : "never")} |")
    .AppendLine($"| Run took | {planSeconds:0.0} s |")
    .AppendLine($"| Placed / total | {result.Exams.Count:N0} / {total:N0} |")
    .AppendLine($"| Objective / bound (decomposition) | {result.Objective:N0} / {result.Bound:N0} |")
    .AppendLine($"| Validator violations | {violations.Count} |")
    .AppendLine($"| Transcripts of a {jury.Transcripts.Count:N0}-candidate jury | {transcriptSeconds:0.0} s, {jury.Transcripts.Count:N0} pages, {transcripts.Length / 1048576.0:0.0} MiB |")
    .AppendLine($"| Minutes of that jury | {minutesSeconds:0.0} s, {minutes.Length / 1048576.0:0.0} MiB |")
    .ToString();
Console.WriteLine(figures);
if (resultsPath is not null) ResultsFile.WriteBlock(resultsPath, "# Benchmark: second group and documents", "second-group", Method(), figures);
return violations.Count == 0 ? 0 : 1;

int Count(UnitCode unit) => instance.Candidates.Sum(c => c.Orals.Count(o => o == unit));

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "BtsCcst.Grains.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

static string Method() => """
    `ops/bench/second-group.sh` builds this benchmark (`ops/bench/BtsCcst.SecondGroupBenchmarks`, Release) and runs it in one
    process. It generates the national sample (`SampleSession.Generate(national, seed 42)`), computes every candidate's
    first-group outcome from the sample's marks with `Deliberation.FirstGroup`, and takes 10 % of the candidates into the
    second group: first those whose marks make them SECOND_GROUPE, then others drawn at random (seeded) among those whose
    general units have marks, so that the size is the issue's "about 10 %". Each chooses two of the contrôle units they may
    choose (`SecondGroupRules.Eligible`, drawn at random). The instance is what a second-group run of the server builds
    (`PlanningInputs` with a `SecondGroupScope`): every centre of the sample, open on the window's two days with its
    hours, rooms and seats, and the sample's LETTRES, ANGLAIS and ECO_GESTION examiners, available on both days in their
    listed centres. `OralPlanner.Plan` runs in-process with the time limit and 2 workers; *first complete plan* is the
    planner's clock at the first progress report with every oral placed. The plan is checked by `ScheduleValidator`.
    Documents: the first 3,000 candidates of the sample (in number order) as one jury after its second deliberation, the
    second-group candidates among them with contrôle marks drawn at random; `TranscriptPdf.Build` renders every transcript
    (one page each) and `MinutesPdf.Build` the minutes, timed separately (fonts installed before timing).
    """;

/// <summary>Reports progress on the planner's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
sealed class SynchronousProgress(Action<PlanningProgress> report) : IProgress<PlanningProgress>
{
    private readonly Lock _gate = new();

    public void Report(PlanningProgress value)
    {
        lock (_gate) report(value);
    }
}
