using System.Globalization;
using System.Text;

namespace BtsCcst.Benchmarks;

public sealed record ImportLine(string File, int Rows, Api.ImportAnswer Answer, CpuUse Cpu, DatabaseRates? Database = null);

/// <summary>
/// Writes the method and the latest figures into RESULTS.md, between markers; whatever else the file
/// holds (analysis written by people) is kept.
/// </summary>
public sealed class Report
{
    /// <summary>Issue 11, point 4 (group commit), embedded SQLite: marks.csv import.</summary>
    public const double TargetMarksPerSecond = 20000;
    /// <summary>Issue 11, point 4: single PUTs with 16 clients, and their p99.</summary>
    public const double TargetPutsPerSecond = 5000;
    public const double TargetPutP99Ms = 50;
    public const double TargetP99Ms = 250;

    public required string Command { get; init; }
    public required Machine Machine { get; init; }
    public required string Source { get; init; }
    public required DateTimeOffset Started { get; init; }
    public DateTimeOffset Finished { get; set; }
    public required int Candidates { get; init; }
    public required int Results { get; init; }
    public required int Juries { get; init; }
    public required int Seed { get; init; }
    public required IReadOnlyDictionary<string, string> ServerEnv { get; init; }
    public TimeSpan ServerStart { get; set; }
    public List<ImportLine> Imports { get; } = [];
    public PutThroughputResult? Puts { get; set; }
    public List<LatencyResult> Latencies { get; } = [];
    public List<CpuUse> Cpu { get; } = [];
    public string ServerLogWarnings { get; set; } = "not read";
    public Configuration Configuration { get; init; } = new(ClusterMode.Embedded, 1);

    /// <summary>Why the configuration's run stopped early (several configurations in one run), or null.</summary>
    public string? Failure { get; set; }

    private const string MethodBegin = "<!-- bench:method (written by the benchmark) -->";
    private const string MethodEnd = "<!-- /bench:method -->";
    private const string ResultsBegin = "<!-- bench:results (written by the benchmark at every run) -->";
    private const string ResultsEnd = "<!-- /bench:results -->";

    public void WriteInto(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : $"# Benchmark: ingestion and live-board latency\n\n{MethodBegin}\n{MethodEnd}\n\n{ResultsBegin}\n{ResultsEnd}\n";
        text = Replace(text, MethodBegin, MethodEnd, Method());
        text = Replace(text, ResultsBegin, ResultsEnd, Figures());
        File.WriteAllText(path, text);
    }

    private static string Replace(string text, string begin, string end, string body)
    {
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from) return text.TrimEnd() + $"\n\n{begin}\n{body}\n{end}\n";
        return text[..(from + begin.Length)] + "\n" + body + "\n" + text[to..];
    }

    private static string Method() => """
        `ops/bench/run.sh` builds the server (`src/BtsCcst.Server`, Release) and this benchmark, then runs
        `ops/bench/BtsCcst.Benchmarks`, which builds nothing and measures the real server from outside:

        1. It generates a sample session with the sample generator's library (`SampleSession.Generate(candidates, seed)`,
           written with `WriteTo`), then starts `dotnet src/BtsCcst.Server/bin/Release/net10.0/linux-x64/BtsCcst.Server.dll
           --urls http://127.0.0.1:<free port>` as a child process (working directory: its output folder, so its
           `appsettings.json` log levels apply), with `ASPNETCORE_ENVIRONMENT=Production`, a fresh temporary
           `BtsCcst__DataDirectory` (new SQLite database) and free `BtsCcst__SiloPort` / `BtsCcst__GatewayPort`, and waits
           for `GET /health/live`. Tokens come from `POST /api/dev/tokens` (organiser; one jury president per jury).
        2. **Ingestion.** `POST /api/sessions/2024/imports/{juries,candidates,marks}` with the generated files, each timed
           separately from sending the file to reading the answer; results/s = result rows of marks.csv / elapsed of that
           import. marks.csv is then imported a second time: every row is unchanged, so nothing is written, which separates
           the checking from the storing. Then **single PUTs**: N concurrent closed-loop clients, each the president of one
           jury, `PUT /api/sessions/2024/candidates/{n}/results/{unit}` with `{"result":"12.5"|"13","reason":"bench"}`
           (alternating, so every PUT stores a change) on their own share of that jury's candidates; after a 1 s warm-up,
           results/s = HTTP 200 answers completed in the window / window length.
        3. **Live-board latency.** M SignalR clients (`HubConnection`, `AccessTokenProvider` = a jury-president token)
           connect to `/hubs/board` and call `Watch("2024", jury)`. Marks are then PUT one at a time, open loop, at a
           steady rate (each send is scheduled on the clock, not after the previous answer), by the president of the
           candidate's jury, each on a distinct (candidate, unit) with a new value. For each mark and each client watching
           that jury, latency = from just before sending the PUT to the moment that client's handler receives a
           `boardChanged` whose `changed` rows hold the candidate with the new mark (one clock, `Stopwatch`, in the
           benchmark process). Reported: median, p95, p99, max over all (mark, client) pairs; pairs that never arrive
           (10 s grace) are counted as missing. Two layouts: all clients on the largest jury (each mark fans out to every
           client), and clients spread round-robin over all juries (marks round-robin over juries).
        4. CPU use per phase: the server's CPU time (process), the benchmark's, and the whole machine's (`/proc/stat`),
           divided by wall time, in cores. The benchmark shares the 2 cores with the server, which is part of what is
           measured; "other" is what other processes of the machine used meanwhile.

        Targets: marks.csv import ≥ 20,000 results/s, single PUTs ≥ 5,000/s with 16 clients and PUT p99 ≤ 50 ms (issue 11,
        embedded SQLite; issue 7 asked ≥ 2,000/s for both); board latency p99 ≤ 250 ms.
        """;

    private static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);

    private static string Verdict(bool met) => met ? "**met**" : "**missed**";

    private string Figures()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"## Latest run — {Started:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Command: `{Command}` (from the repository root; took {(Finished - Started).TotalMinutes:0.0} min)");
        s.AppendLine();
        s.AppendLine("| Machine | |");
        s.AppendLine("|---|---|");
        s.AppendLine(CultureInfo.InvariantCulture, $"| nproc | {Machine.Cores} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| CPU | {Machine.CpuModel} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| RAM | {Machine.Memory} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| OS | {Machine.Os}, kernel {Machine.Kernel} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| .NET | {Machine.DotNet} (server and benchmark) |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| Load average at start | {Machine.LoadAverage} (shared machine) |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| Date | {Started:yyyy-MM-dd HH:mm:ss} UTC |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| Server measured | {Source} |");
        s.AppendLine();
        var environment = ServerEnv.Count > 0 ? $" Extra server environment: {string.Join(", ", ServerEnv.Select(p => $"`{p.Key}={p.Value}`"))}." : "";
        s.AppendLine(CultureInfo.InvariantCulture,
            $"Sample: {Candidates} candidates, {Results} result rows in marks.csv, {Juries} juries (seed {Seed}). Server live {F(ServerStart.TotalSeconds, "0.0")} s after start.{environment} Server log: {ServerLogWarnings}.");
        s.AppendLine();

        s.AppendLine("### 1. Ingestion");
        s.AppendLine();
        s.AppendLine("| Step | Rows | Created / updated / unchanged | Elapsed (s) | Rows/s | Server CPU (cores) |");
        s.AppendLine("|---|---:|---|---:|---:|---:|");
        foreach (var i in Imports)
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| import {i.File} | {i.Rows} | {i.Answer.Created} / {i.Answer.Updated} / {i.Answer.Unchanged} | {F(i.Answer.Elapsed.TotalSeconds)} | {F(i.Rows / i.Answer.Elapsed.TotalSeconds, "0")} | {F(i.Cpu.ServerCores)} |");
        if (Puts is { } p)
        {
            var failures = p.Failed == 0 ? "" : $" ({string.Join(", ", p.Failures.Select(f => $"{f.Key}: {f.Value}"))})";
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| single PUTs, {p.Clients} clients | {p.Ok} ok, {p.Failed} failed{failures} | all updated | {F(p.Window.TotalSeconds, "0.0")} | {F(p.PerSecond, "0")} | {F(p.Cpu.ServerCores)} |");
        }
        s.AppendLine();
        var marks = Imports.FirstOrDefault(i => i.File == "marks.csv");
        if (marks is not null)
        {
            var rate = marks.Rows / marks.Answer.Elapsed.TotalSeconds;
            s.AppendLine(CultureInfo.InvariantCulture, $"- marks.csv import: **{F(rate, "0")} results/s** — target ≥ {TargetMarksPerSecond:0}: {Verdict(rate >= TargetMarksPerSecond)}.");
        }
        if (Puts is { } q)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- single PUTs: **{F(q.PerSecond, "0")} results/s** — target ≥ {TargetPutsPerSecond:0}: {Verdict(q.PerSecond >= TargetPutsPerSecond)}.");
            s.AppendLine(CultureInfo.InvariantCulture, $"  PUT round trip (ms): median {Distribution.F(q.Latency.Median)}, p95 {Distribution.F(q.Latency.P95)}, p99 **{Distribution.F(q.Latency.P99)}**, max {Distribution.F(q.Latency.Max)} — p99 target ≤ {TargetPutP99Ms:0} ms: {Verdict(q.Latency.P99 <= TargetPutP99Ms)}.");
        }
        s.AppendLine();

        s.AppendLine("### 2. Live-board latency (PUT sent → `boardChanged` with the new mark at each watching client)");
        s.AppendLine();
        s.AppendLine("| Layout | Juries watched | Clients | Marks (rate × s) | (mark, client) pairs | Missing | Median ms | p95 ms | p99 ms | Max ms |");
        s.AppendLine("|---|---|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var l in Latencies)
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {BoardLatency.Name(l.Layout)} | {l.Juries} | {l.Watchers} | {l.MarksSent} ({F(l.Rate, "0.#")}/s × {l.Duration.TotalSeconds:0}){(l.MarksRejected > 0 ? $", {l.MarksRejected} refused" : "")} | {l.PairsExpected} | {l.PairsMissing} {l.Latency.Row()}");
        s.AppendLine();
        s.AppendLine("Decomposition (ms): the PUT's own round trip (HTTP, candidate grain, SQLite write, call to the jury), and the");
        s.AppendLine("time from its answer to the arrival at a client (jury push timer, observer, SignalR fan-out, client).");
        s.AppendLine();
        s.AppendLine("| Layout | PUT round trip: median | p99 | max | Answer → arrival: median | p99 | max | Updates received | Connections dropped | Connect + Watch (s) |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var l in Latencies)
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {BoardLatency.Name(l.Layout)} | {Distribution.F(l.PutResponse.Median)} | {Distribution.F(l.PutResponse.P99)} | {Distribution.F(l.PutResponse.Max)} | {Distribution.F(l.AfterResponse.Median)} | {Distribution.F(l.AfterResponse.P99)} | {Distribution.F(l.AfterResponse.Max)} | {l.UpdatesReceived} | {l.ConnectionsClosed} | {F(l.ConnectTime.TotalSeconds, "0.0")} |");
        s.AppendLine();
        foreach (var l in Latencies)
            s.AppendLine(CultureInfo.InvariantCulture, $"- {BoardLatency.Name(l.Layout)}: p99 **{Distribution.F(l.Latency.P99)} ms** — target ≤ {TargetP99Ms:0} ms: {Verdict(l.Latency.Count > 0 && l.PairsMissing == 0 && l.Latency.P99 <= TargetP99Ms)}{(l.PairsMissing > 0 ? $" ({l.PairsMissing} pairs never arrived)" : "")}.");
        s.AppendLine();

        s.AppendLine("### CPU per phase (cores, averaged over the phase)");
        s.AppendLine();
        s.AppendLine("| Phase | Wall (s) | Server | Benchmark | Other processes | Machine busy |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var c in Cpu)
            s.AppendLine(CultureInfo.InvariantCulture, $"| {c.Phase} | {F(c.Wall.TotalSeconds, "0.0")} | {F(c.ServerCores)} | {F(c.BenchCores)} | {F(c.OtherCores)} | {F(c.MachineCores)} of {Machine.Cores} |");
        return s.ToString().TrimEnd();
    }
}
