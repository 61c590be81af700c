using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BtsCcst.PlanningBenchmarks;
using BtsCcst.SampleGenerator;

const string Usage = """
usage: BtsCcst.PlanningBenchmarks [options]      (run through ops/bench/plan.sh, which builds first)
  --sizes LIST          sizes to plan, comma-separated (small,academy,national)
  --limits LIST         planner time limits in seconds, comma-separated (30,120)
  --limits-SIZE LIST    time limits for one size only, e.g. --limits-small 30
  --workers N           CP-SAT workers (2)                 --seed S          sample seed (42)
  --shape LIST          calendar shapes of the samples, comma-separated: standard, written-days, hard, one-centre
                        (standard; SampleShape); every size is measured in each, rows named e.g. national/written-days
  --solver-seed N       CP-SAT random seed (none, as the server)
  --no-greedy           skip the greedy baseline
  --results PATH        (ops/bench/RESULTS.md)             --no-results      do not touch the results file
  --render JSON         write RESULTS.md again from the figures a run saved (its path is printed at the end), run nothing
  --repair [options]    the exam-day repair benchmark instead (ops/bench/repair.sh; --repair --help lists its options)
Each measurement runs in a child process of its own (this program with --worker).
""";

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var json = new JsonSerializerOptions { WriteIndented = false };
const string ResultPrefix = "RESULT ";

if (args.Length > 0 && args[0] == "--worker") return Worker(args[1..]);
// The exam-day repair benchmark (ops/bench/repair.sh): Repairs.cs, RepairReport.cs.
// Repairs of full centre-days of 25, 45 and 60 candidates (issue 13): DayRepairs.cs.
if (args.Length > 0 && args[0] == "--repair-days") return DayRepairBenchmark.Run(args[1..], FindRepositoryRoot());
if (args.Length > 0 && args[0] == "--repair") return RepairBenchmark.Run(args[1..], FindRepositoryRoot(), DescribeSource);

var options = new Dictionary<string, string> { ["sizes"] = "small,academy,national", ["limits"] = "30,120", ["workers"] = "2", ["seed"] = "42", ["shape"] = "standard" };
string? solverSeed = null;
string? resultsOption = null;
string? render = null;
var greedy = true;
var writeResults = true;
for (var i = 0; i < args.Length; i++)
{
    var arg = args[i];
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
    switch (arg)
    {
        case "-h" or "--help": Console.WriteLine(Usage); return 0;
        case "--no-greedy": greedy = false; break;
        case "--no-results": writeResults = false; break;
        case "--solver-seed": solverSeed = Value(); break;
        case "--results": resultsOption = Value(); break;
        case "--render": render = Value(); break;
        case var name when name.StartsWith("--limits-", StringComparison.Ordinal) || (name.StartsWith("--", StringComparison.Ordinal) && options.ContainsKey(name[2..])):
            options[name[2..]] = Value();
            break;
        default:
            Console.Error.WriteLine($"unknown argument {arg}\n{Usage}");
            return 2;
    }
}

var sizes = options["sizes"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .Select(s => Enum.Parse<SampleSize>(s, ignoreCase: true)).ToList();
IReadOnlyList<double> Limits(SampleSize size) =>
    (options.GetValueOrDefault($"limits-{Runs.Name(size)}") ?? options["limits"])
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList();
var workers = int.Parse(options["workers"], CultureInfo.InvariantCulture);
var seed = int.Parse(options["seed"], CultureInfo.InvariantCulture);
var shapes = options["shape"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
if (shapes.FirstOrDefault(s => !SampleShape.Named.ContainsKey(s)) is { } unknownShape)
{
    Console.Error.WriteLine($"unknown shape {unknownShape}\n{Usage}");
    return 2;
}

var root = FindRepositoryRoot();
var resultsPath = Path.GetFullPath(resultsOption ?? Path.Combine(root, "ops/bench/RESULTS.md"));
if (render is not null)
{
    var saved = JsonSerializer.Deserialize<Report.Saved>(File.ReadAllText(render), json) ?? throw new InvalidOperationException($"{render}: empty");
    Report.Load(saved).WriteInto(resultsPath);
    Console.WriteLine($"results of {saved.Started:yyyy-MM-dd HH:mm} UTC written to {resultsPath}");
    return 0;
}
var self = Path.Combine(AppContext.BaseDirectory, "BtsCcst.PlanningBenchmarks.dll");
var machine = Machine.Describe();
var report = new Report
{
    Command = Environment.GetEnvironmentVariable("BENCH_COMMAND") is { Length: > 0 } c ? c : "dotnet BtsCcst.PlanningBenchmarks.dll " + string.Join(' ', args),
    Machine = machine, Source = DescribeSource(root), Started = DateTimeOffset.UtcNow, Seed = seed, Workers = workers,
    SolverSeed = solverSeed is null ? null : int.Parse(solverSeed, CultureInfo.InvariantCulture),
};
void Say(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
Say($"machine: {machine.Cores} cores, {machine.CpuModel}, {machine.Memory}, load {machine.LoadAverage}; {machine.DotNet}");

foreach (var (shape, size) in shapes.SelectMany(shape => sizes.Select(size => (shape, size))))
{
    var name = Runs.Name(size, shape);
    var common = new List<string> { "--size", Runs.Name(size), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--shape", shape };
    if (greedy) Measure($"{name} greedy", ["greedy", .. common], TimeSpan.FromMinutes(10));
    foreach (var limit in Limits(size))
    {
        List<string> worker = ["planner", .. common, "--limit", limit.ToString(CultureInfo.InvariantCulture), "--workers", workers.ToString(CultureInfo.InvariantCulture)];
        if (solverSeed is not null) worker.AddRange(["--solver-seed", solverSeed]);
        Measure($"{name} planner {limit:0} s", worker, TimeSpan.FromSeconds(limit) + TimeSpan.FromMinutes(5));
    }
}
report.Finished = DateTimeOffset.UtcNow;
var savedPath = Path.Combine(Path.GetTempPath(), "btsccst-planning-bench", $"{report.Started:yyyyMMdd-HHmmss}.json");
Directory.CreateDirectory(Path.GetDirectoryName(savedPath)!);
File.WriteAllText(savedPath, JsonSerializer.Serialize(report.Save(), json));
Say($"figures saved to {savedPath}");
if (writeResults)
{
    report.WriteInto(resultsPath);
    Say($"results written to {resultsPath}");
}
return report.Failures.Count == 0 ? 0 : 1;

// Runs one measurement in a child process and keeps its RESULT line.
void Measure(string label, List<string> workerArgs, TimeSpan timeout)
{
    Say($"{label}: starting");
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    start.ArgumentList.Add(self);
    start.ArgumentList.Add("--worker");
    foreach (var a in workerArgs) start.ArgumentList.Add(a);
    using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the worker");
    RunResult? result = null;
    child.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine($"    [{label}] {line}"); };
    child.OutputDataReceived += (_, e) =>
    {
        if (e.Data is not { } line) return;
        if (line.StartsWith(ResultPrefix, StringComparison.Ordinal)) result = JsonSerializer.Deserialize<RunResult>(line[ResultPrefix.Length..], json);
        else Console.WriteLine($"    {line}");
    };
    child.BeginErrorReadLine();
    child.BeginOutputReadLine();
    if (!child.WaitForExit(timeout))
    {
        child.Kill(entireProcessTree: true);
        child.WaitForExit();
        report.Failures.Add($"{label}: no result after {timeout.TotalMinutes:0} min (killed)");
        return;
    }
    child.WaitForExit();
    if (result is null || child.ExitCode != 0)
    {
        report.Failures.Add($"{label}: the worker ended with code {child.ExitCode} and {(result is null ? "no result" : "a result")}");
        if (result is null) return;
    }
    report.Runs.Add(result);
}

int Worker(string[] workerArgs)
{
    var kind = workerArgs[0];
    var named = new Dictionary<string, string>();
    for (var i = 1; i + 1 < workerArgs.Length; i += 2) named[workerArgs[i].TrimStart('-')] = workerArgs[i + 1];
    var size = Enum.Parse<SampleSize>(named["size"], ignoreCase: true);
    var sampleSeed = int.Parse(named["seed"], CultureInfo.InvariantCulture);
    void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
    var result = kind switch
    {
        "planner" => Runs.Planner(size, sampleSeed, double.Parse(named["limit"], CultureInfo.InvariantCulture), int.Parse(named["workers"], CultureInfo.InvariantCulture),
            named.TryGetValue("solver-seed", out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : null, Log, named["shape"]),
        "greedy" => Runs.Greedy(size, sampleSeed, Log, named["shape"]),
        _ => throw new ArgumentException($"unknown worker {kind}"),
    };
    Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, json));
    return 0;
}

static string FindRepositoryRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BtsCcst.Grains.sln"))) return dir.FullName;
    }
    throw new InvalidOperationException("Run from inside the repository (BtsCcst.Grains.sln not found above the current directory).");
}

static string DescribeSource(string root)
{
    string Git(params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments) info.ArgumentList.Add(a);
            using var git = Process.Start(info)!;
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? output.Trim() : "";
        }
        catch (System.ComponentModel.Win32Exception) { return ""; }
    }
    var head = Git("rev-parse", "--short", "HEAD");
    if (head.Length == 0) return "unknown (no git)";
    var dirty = Git("status", "--porcelain", "--", "src", "ops/sample").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    var built = File.GetLastWriteTimeUtc(Path.Combine(AppContext.BaseDirectory, "BtsCcst.Scheduling.dll"));
    return $"commit {head}" + (dirty > 0 ? $" with {dirty} uncommitted file(s) under src/ or ops/sample/" : " (src/ and ops/sample/ as committed)")
           + $"; planner built {built:yyyy-MM-dd HH:mm} UTC";
}
