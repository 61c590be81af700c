using System.Diagnostics;
using System.Globalization;
using BtsCcst.Benchmarks;
using BtsCcst.SampleGenerator;

const string Usage = """
usage: BtsCcst.Benchmarks [options]      (run through ops/bench/run.sh, which builds first)
  --candidates N        sample size (3000)            --seed S            sample seed (1)
  --put-clients N       concurrent PUT clients (16)   --put-seconds S     PUT measurement window (10)
  --watchers N          SignalR board clients (50)    --rate R            marks per second (20)
  --latency-seconds S   marking duration (30)         --layout L          one-jury | spread | both (both)
  --server-dll PATH     (src/BtsCcst.Server/bin/Release/net10.0/linux-x64/BtsCcst.Server.dll)
  --results PATH        (ops/bench/RESULTS.md)         --no-results        do not touch the results file
  --server-env K=V      extra environment for the server (repeatable), e.g. Logging__LogLevel__Default=Warning
  --keep-data           keep the temp folder (sample files, database, server.log)
  --cluster C           embedded | postgres | all (embedded). embedded: the default server, SQLite, writes the
                        bench: blocks. postgres: BtsCcst__Cluster=PostgreSql on a fresh database (created, then
                        dropped), --silos server processes. all: embedded 1 silo, then PostgreSQL 1 and 2 silos.
                        postgres and all write only the cluster: blocks (one table row per configuration).
  --silos N             silos (server processes) with --cluster postgres (1)
  --pool-size N         Maximum Pool Size added to each silo's connection string (20; 0: leave Npgsql's 100)
  --planning-size S     small | academy | national: the sample generator's planning size instead of --candidates
                        (its orals, centres and days are the planning benchmark's)
  --repairs N           instead of the measures above: plan the sample through the server (--plan-seconds, 60), then
                        repair its N busiest centre-days as a centre manager (events, then POST …/repairs), writing
                        only the server-repairs block of the results file (issue 13)
  --full-days LIST      with --repairs N: also full days of these sizes (e.g. 25,45,60): per size a session of one
                        centre and two days, N events one after the other on its busiest day (each accepted), two
                        requests of four events on the other
  --postgres CONN       Npgsql connection string of a user with CREATEDB (env BTSCCST_TEST_POSTGRES, else
                        Host=127.0.0.1;Port=5432;Username=btsccst;Password=btsccst;Database=btsccst_test)
""";

var options = new Dictionary<string, string>
{
    ["candidates"] = "3000", ["seed"] = "1", ["put-clients"] = "16", ["put-seconds"] = "10", ["watchers"] = "50",
    ["rate"] = "20", ["latency-seconds"] = "30", ["layout"] = "both", ["cluster"] = "embedded", ["silos"] = "1", ["pool-size"] = "20",
    ["repairs"] = "0", ["plan-seconds"] = "60", ["planning-size"] = "", ["full-days"] = "",
    ["postgres"] = Environment.GetEnvironmentVariable("BTSCCST_TEST_POSTGRES") is { Length: > 0 } pg ? pg : BenchDatabase.DefaultServer,
};
var serverEnv = new Dictionary<string, string>();
var keepData = false;
var writeResults = true;
for (var i = 0; i < args.Length; i++)
{
    var arg = args[i];
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
    switch (arg)
    {
        case "-h" or "--help": Console.WriteLine(Usage); return 0;
        case "--keep-data": keepData = true; break;
        case "--no-results": writeResults = false; break;
        case "--server-env":
            var pair = Value().Split('=', 2);
            if (pair.Length != 2) { Console.Error.WriteLine("--server-env wants KEY=VALUE"); return 2; }
            serverEnv[pair[0]] = pair[1];
            break;
        case var name when name.StartsWith("--", StringComparison.Ordinal) && (options.ContainsKey(name[2..]) || name is "--server-dll" or "--results"):
            options[name[2..]] = Value();
            break;
        default:
            Console.Error.WriteLine($"unknown argument {arg}\n{Usage}");
            return 2;
    }
}

int Int(string key) => int.Parse(options[key], CultureInfo.InvariantCulture);
double Num(string key) => double.Parse(options[key], CultureInfo.InvariantCulture);

var root = FindRepositoryRoot();
var serverDll = Path.GetFullPath(options.GetValueOrDefault("server-dll") ?? Path.Combine(root, "src/BtsCcst.Server/bin/Release/net10.0/linux-x64/BtsCcst.Server.dll"));
var resultsPath = Path.GetFullPath(options.GetValueOrDefault("results") ?? Path.Combine(root, "ops/bench/RESULTS.md"));
if (!File.Exists(serverDll))
{
    Console.Error.WriteLine($"{serverDll} not found: build the server first (ops/bench/run.sh does: dotnet build src/BtsCcst.Server -c Release).");
    return 1;
}
var layouts = options["layout"] switch
{
    "one-jury" => [WatchLayout.OneJury],
    "spread" => [WatchLayout.Spread],
    "both" => new[] { WatchLayout.OneJury, WatchLayout.Spread },
    var other => throw new ArgumentException($"--layout {other}: expected one-jury, spread or both."),
};

Configuration[] configurations = (options["cluster"], Int("silos")) switch
{
    ("embedded", 1) => [new(ClusterMode.Embedded, 1)],
    ("embedded", _) => throw new ArgumentException("--cluster embedded runs one server: --silos must be 1."),
    ("postgres" or "postgresql", >= 1 and var n) => [new(ClusterMode.PostgreSql, n)],
    ("all", _) => [new(ClusterMode.Embedded, 1), new(ClusterMode.PostgreSql, 1), new(ClusterMode.PostgreSql, 2)],
    var (other, n) => throw new ArgumentException($"--cluster {other} --silos {n}: expected embedded, postgres (silos ≥ 1) or all."),
};
var clusterReport = configurations is not [{ Mode: ClusterMode.Embedded }];

var machine = Machine.Describe();
var started = DateTimeOffset.UtcNow;
var command = Environment.GetEnvironmentVariable("BENCH_COMMAND") is { Length: > 0 } c ? c : "dotnet BtsCcst.Benchmarks.dll " + string.Join(' ', args);
void Say(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

var temp = Path.Combine(Path.GetTempPath(), "btsccst-bench", started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId);
Say($"machine: {machine.Cores} cores, {machine.CpuModel}, {machine.Memory}, load {machine.LoadAverage}");
Say($"work folder: {temp}");

var generate = Stopwatch.StartNew();
var planningSize = options["planning-size"] is { Length: > 0 } sizeName ? Enum.Parse<SampleSize>(sizeName, ignoreCase: true) : (SampleSize?)null;
var work = Workload.Generate(Int("candidates"), Int("seed"), Path.Combine(temp, "sample"), planningSize);
Say($"sample: {work.Sample.Candidates.Count} candidates, {work.Sample.Marks.Count} results, {work.Sample.Juries.Count} juries (generated in {generate.Elapsed.TotalSeconds:0.0} s)");

var reports = new List<Report>();
Deployment? deployment = null;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); deployment?.DisposeAsync().AsTask().Wait(); Environment.Exit(130); };
try
{
    foreach (var configuration in configurations)
    {
        var report = new Report { Command = command, Machine = configurations.Length > 1 ? Machine.Describe() : machine, Started = configurations.Length > 1 ? DateTimeOffset.UtcNow : started,
            Source = DescribeSource(root, serverDll), Candidates = work.Sample.Candidates.Count, Results = work.Sample.Marks.Count,
            Juries = work.Sample.Juries.Count, Seed = Int("seed"), ServerEnv = serverEnv, Configuration = configuration };
        reports.Add(report);
        if (configurations.Length > 1) Say($"=== {configuration.Label} (load {report.Machine.LoadAverage})");
        try
        {
            var boot = Stopwatch.StartNew();
            deployment = await Deployment.StartAsync(configuration, serverDll, Path.Combine(temp, $"{configuration.Mode}-{configuration.Silos}".ToLowerInvariant()),
                options["postgres"], Int("pool-size"), serverEnv, "2024", Say);
            report.ServerStart = boot.Elapsed;
            foreach (var server in deployment.Servers)
                Say($"server {server.BaseAddress} (pid {server.Id}) live{(configuration.Silos > 1 ? " and active" : "")} after {boot.Elapsed.TotalSeconds:0.0} s; log: {server.LogPath}");
            if (Int("repairs") > 0)
            {
                var lines = await ServerRepairs.RunAsync(deployment, work, Int("repairs"), Int("plan-seconds"), Say);
                if (options["full-days"] is { Length: > 0 } fullDays)
                    lines.AddRange(await FullDayRepairs.RunAsync(deployment, [.. fullDays.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))],
                        Int("repairs"), Int("plan-seconds"), Path.Combine(temp, "full-days"), Say));
                if (writeResults) ServerRepairs.WriteInto(resultsPath, lines, command, report.Machine, Machine.Describe().LoadAverage, Int("plan-seconds"));
                writeResults = false;
            }
            else await Measure(deployment, report);
        }
        catch (Exception e) when (configurations.Length > 1 && e is not OperationCanceledException)
        {
            report.Failure = e.Message;
            Say($"{configuration.Label} failed: {e}");
        }
        finally
        {
            if (deployment is not null)
            {
                await deployment.DisposeAsync();
                report.ServerLogWarnings = string.Join("; ", deployment.Servers.Select((s, i) =>
                    (deployment.Servers.Count > 1 ? $"silo{i + 1}: " : "") + SummarizeWarnings(s.LogPath)));
                Say($"server log: {report.ServerLogWarnings}");
                deployment = null;
            }
            report.Finished = DateTimeOffset.UtcNow;
        }
    }
}
finally
{
    if (writeResults && reports.Count > 0)
    {
        if (clusterReport) ClusterReport.WriteInto(resultsPath, reports);
        else reports[0].WriteInto(resultsPath);
        Say($"results written to {resultsPath}");
    }
    if (!keepData)
    {
        try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
    }
    else Say($"kept {temp}");
}
return reports.Any(r => r.Failure is not null) ? 1 : 0;

async Task Measure(Deployment deployment, Report report)
{
    var serverCpu = () => deployment.CpuTime;
    var api = deployment.Apis[0];
    var database = deployment.Database;
    var organiser = await deployment.TokenAsync("organiser", "bench");
    var presidents = new Dictionary<string, string>();
    foreach (var jury in work.JuryIds) presidents[jury] = await deployment.TokenAsync("jury-president", "p", jury);

    // Measure 1: ingestion (imports through the first silo; the import fans out to grains wherever they live).
    foreach (var (kind, label) in new[] { ("juries", "juries.csv"), ("candidates", "candidates.csv"), ("marks", "marks.csv"), ("marks", "marks.csv again (all unchanged)") })
    {
        var meter = new CpuMeter($"import {label}", serverCpu);
        var counters0 = database is null ? null : await database.CountersAsync();
        var answer = await api.ImportAsync(kind, work.PathOf(kind), organiser);
        var cpu = meter.Stop();
        var rates = database is null ? null : DatabaseCounters.Between(counters0!, await database.CountersAsync());
        var rows = answer.Created + answer.Updated + answer.Unchanged;
        report.Imports.Add(new ImportLine(label, rows, answer, cpu, rates));
        report.Cpu.Add(cpu);
        Say($"import {label}: {rows} rows (created {answer.Created}, updated {answer.Updated}, unchanged {answer.Unchanged}) in {answer.Elapsed.TotalSeconds:0.00} s = {rows / answer.Elapsed.TotalSeconds:0} rows/s; server CPU {cpu.ServerCores:0.00} cores{DatabaseNote(cpu, rates)}");
    }

    Say($"single PUTs: {Int("put-clients")} clients{(deployment.Apis.Count > 1 ? $" over {deployment.Apis.Count} silos" : "")} for {Int("put-seconds")} s (after 1 s warm-up)");
    var puts = await PutThroughput.RunAsync(deployment.Apis, work, presidents, Int("put-clients"), TimeSpan.FromSeconds(Int("put-seconds")), TimeSpan.FromSeconds(1), serverCpu, database);
    report.Puts = puts;
    report.Cpu.Add(puts.Cpu);
    Say($"  {puts.Ok} ok, {puts.Failed} failed in {puts.Window.TotalSeconds:0.0} s = {puts.PerSecond:0} results/s; PUT ms median {Distribution.F(puts.Latency.Median)} p99 {Distribution.F(puts.Latency.P99)}; server CPU {puts.Cpu.ServerCores:0.00} cores{DatabaseNote(puts.Cpu, puts.Database)}");

    // Measure 2: live board latency.
    foreach (var layout in layouts)
    {
        Say($"board latency, {BoardLatency.Name(layout)}: {Int("watchers")} clients, {Num("rate")} marks/s for {Int("latency-seconds")} s");
        var latency = await BoardLatency.RunAsync(deployment.Apis, work, presidents, layout, Int("watchers"), Num("rate"), TimeSpan.FromSeconds(Int("latency-seconds")), serverCpu, Say, database);
        report.Latencies.Add(latency);
        report.Cpu.Add(latency.Cpu);
        var l = latency.Latency;
        var cross = latency.CrossSilo is { Count: > 0 } x ? $"; cross-silo pairs ({x.Count}) median {Distribution.F(x.Median)} p99 {Distribution.F(x.P99)}" : "";
        Say($"  {latency.MarksSent} marks ({latency.MarksRejected} refused), {latency.PairsExpected} (mark, client) pairs, {latency.PairsMissing} missing; ms median {Distribution.F(l.Median)} p95 {Distribution.F(l.P95)} p99 {Distribution.F(l.P99)} max {Distribution.F(l.Max)}{cross}; server CPU {latency.Cpu.ServerCores:0.00} cores");
    }
}

static string DatabaseNote(CpuUse cpu, DatabaseRates? rates) => rates is null ? ""
    : $", PostgreSQL CPU {cpu.DatabaseCores:0.00} cores, {rates.CommitsPerSecond:0} transactions/s, {rates.WalSyncsPerSecond:0} WAL flushes/s";

static string FindRepositoryRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BtsCcst.Grains.sln"))) return dir.FullName;
    }
    throw new InvalidOperationException("Run from inside the repository (BtsCcst.Grains.sln not found above the current directory).");
}

static string DescribeSource(string root, string serverDll)
{
    if (!serverDll.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return $"`{serverDll}` (outside this repository)";
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
    var dirty = Git("status", "--porcelain", "--", "src").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    var built = File.GetLastWriteTimeUtc(serverDll);
    return $"commit {head}" + (dirty > 0 ? $" with {dirty} uncommitted file(s) under src/" : "") + $"; server built {built:yyyy-MM-dd HH:mm} UTC";
}

static string SummarizeWarnings(string logPath)
{
    try
    {
        // Console log lines look like "warn: Category[EventId]"; the message follows on the next lines.
        var categories = File.ReadLines(logPath)
            .Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal))
            .GroupBy(l => l.Trim()).Select(g => $"{g.Count()} × `{g.Key}`").ToArray();
        return categories.Length == 0 ? "no warn/fail lines" : string.Join(", ", categories);
    }
    catch (IOException) { return "not readable"; }
}
