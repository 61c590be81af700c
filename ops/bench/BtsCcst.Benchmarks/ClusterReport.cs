using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BtsCcst.Benchmarks;

/// <summary>
/// Writes the runs of <c>--cluster postgres|all</c> into RESULTS.md, between the <c>cluster:</c>
/// markers: the method, and one table row plus one detail line per configuration. A run replaces
/// the rows of the configurations it measured and keeps the others (so <c>--silos 1</c> and
/// <c>--silos 2</c> may run separately). The <c>bench:</c> blocks and the text written by people
/// are left as they are.
/// </summary>
public static partial class ClusterReport
{
    private const string MethodBegin = "<!-- cluster:method (written by the benchmark) -->";
    private const string MethodEnd = "<!-- /cluster:method -->";
    private const string ResultsBegin = "<!-- cluster:results (one row per configuration, replaced by that configuration's next run) -->";
    private const string ResultsEnd = "<!-- /cluster:results -->";

    private const string Header = """
        | Configuration | Run (UTC) | Load avg at start | marks.csv import (results/s) | Single PUTs (results/s) | PUT median / p99 (ms) | Board, spread: median / p99 (ms) | Board, one jury: median / p99 (ms) | Pairs missing | CPU during single PUTs: silos / PostgreSQL / other (cores) | PostgreSQL during single PUTs |
        |---|---|---|---:|---:|---:|---:|---:|---:|---|---|
        """;

    public static void WriteInto(string path, IReadOnlyList<Report> reports)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        if (!text.Contains(MethodBegin, StringComparison.Ordinal))
            text = text.TrimEnd() + "\n\n# Benchmark: one and two silos on PostgreSQL\n\n" + MethodBegin + "\n" + MethodEnd + "\n\n" + ResultsBegin + "\n" + ResultsEnd + "\n";
        var (rows, details) = Parse(Between(text, ResultsBegin, ResultsEnd));
        foreach (var report in reports)
        {
            rows[report.Configuration.Label] = Row(report);
            details[report.Configuration.Label] = Detail(report);
        }
        var order = rows.Keys.Union(details.Keys).OrderBy(Rank).ThenBy(k => k, StringComparer.Ordinal).ToArray();
        var body = new StringBuilder();
        body.AppendLine("### Figures");
        body.AppendLine();
        body.AppendLine(Header);
        foreach (var key in order.Where(rows.ContainsKey)) body.AppendLine(rows[key]);
        body.AppendLine();
        body.AppendLine("Per configuration (latest run of each):");
        body.AppendLine();
        foreach (var key in order.Where(details.ContainsKey)) body.AppendLine(details[key]);
        text = Replace(text, MethodBegin, MethodEnd, Method());
        text = Replace(text, ResultsBegin, ResultsEnd, body.ToString().TrimEnd());
        File.WriteAllText(path, text);
    }

    private static string Between(string text, string begin, string end)
    {
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        return from < 0 || to < from ? "" : text[(from + begin.Length)..to];
    }

    private static string Replace(string text, string begin, string end, string body)
    {
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from) return text.TrimEnd() + $"\n\n{begin}\n{body}\n{end}\n";
        return text[..(from + begin.Length)] + "\n" + body + "\n" + text[to..];
    }

    /// <summary>The rows and detail lines already in the block, by configuration label.</summary>
    private static (Dictionary<string, string> Rows, Dictionary<string, string> Details) Parse(string block)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in block.Split('\n').Select(l => l.TrimEnd()))
        {
            if (line.StartsWith("| ", StringComparison.Ordinal))
            {
                var label = line.Split('|')[1].Trim();
                if (Rank(label) < int.MaxValue) rows[label] = line;
            }
            else if (DetailLabel().Match(line) is { Success: true } m) details[m.Groups[1].Value] = line;
        }
        return (rows, details);
    }

    [GeneratedRegex(@"^- \*\*([^*]+)\*\*")]
    private static partial Regex DetailLabel();

    [GeneratedRegex(@"^(embedded SQLite|PostgreSQL), (\d+) silos?$")]
    private static partial Regex LabelPattern();

    private static int Rank(string label) => LabelPattern().Match(label) is { Success: true } m
        ? (m.Groups[1].Value == "embedded SQLite" ? 0 : 100) + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)
        : int.MaxValue;

    private static string F(double v, string format = "0") => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    private static string Pair(Distribution? d) => d is null || d.Count == 0 ? "–" : $"{Distribution.F(d.Median)} / {Distribution.F(d.P99)}";

    private static string Row(Report r)
    {
        var marks = r.Imports.FirstOrDefault(i => i.File == "marks.csv");
        var spread = r.Latencies.FirstOrDefault(l => l.Layout == WatchLayout.Spread);
        var oneJury = r.Latencies.FirstOrDefault(l => l.Layout == WatchLayout.OneJury);
        var missing = r.Latencies.Count == 0 ? "–" : r.Latencies.Sum(l => l.PairsMissing).ToString(CultureInfo.InvariantCulture);
        var p = r.Puts;
        var cpu = p is null ? "–" : $"{F(p.Cpu.ServerCores, "0.00")} / {(r.Configuration.Mode == ClusterMode.PostgreSql ? F(p.Cpu.DatabaseCores, "0.00") : "(in process)")} / {F(Math.Max(0, p.Cpu.MachineCores - p.Cpu.ServerCores - p.Cpu.BenchCores - (r.Configuration.Mode == ClusterMode.PostgreSql && !double.IsNaN(p.Cpu.DatabaseCores) ? p.Cpu.DatabaseCores : 0)), "0.00")}";
        var database = p?.Database is { } d ? $"{F(d.CommitsPerSecond)} transactions/s, {F(d.WalSyncsPerSecond)} WAL flushes/s" : "–";
        var failed = r.Failure is null ? "" : $" (**failed**: {r.Failure.ReplaceLineEndings(" ").Replace("|", "/", StringComparison.Ordinal)})";
        return $"| {r.Configuration.Label} | {r.Started:yyyy-MM-dd HH:mm} | {r.Machine.LoadAverage} | {(marks is null ? "–" : F(marks.Rows / marks.Answer.Elapsed.TotalSeconds))} | "
            + $"{(p is null ? "–" : F(p.PerSecond))}{failed} | {(p is null ? "–" : Pair(p.Latency))} | {Pair(spread?.Latency)} | {Pair(oneJury?.Latency)} | {missing} | {cpu} | {database} |";
    }

    private static string Detail(Report r)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"- **{r.Configuration.Label}**: `{r.Command}`, {r.Started:yyyy-MM-dd HH:mm} UTC, {(r.Finished - r.Started).TotalMinutes:0.0} min; ");
        s.Append(CultureInfo.InvariantCulture, $"{r.Candidates} candidates, {r.Results} results, {r.Juries} juries (seed {r.Seed}); {r.Machine.Cores} cores, load {r.Machine.LoadAverage}; {r.Source}; ");
        s.Append(CultureInfo.InvariantCulture, $"silos live{(r.Configuration.Silos > 1 ? " and active" : "")} {r.ServerStart.TotalSeconds:0.0} s after start.");
        if (r.ServerEnv.Count > 0) s.Append(CultureInfo.InvariantCulture, $" Extra server environment: {string.Join(", ", r.ServerEnv.Select(p => $"`{p.Key}={p.Value}`"))}.");
        foreach (var i in r.Imports.Where(i => i.File.StartsWith("marks.csv", StringComparison.Ordinal)))
            s.Append(CultureInfo.InvariantCulture, $" Import {i.File}: {i.Rows} rows in {i.Answer.Elapsed.TotalSeconds:0.00} s, silos {i.Cpu.ServerCores:0.00} cores{DatabasePart(r, i.Cpu, i.Database)}.");
        if (r.Puts is { } p)
        {
            var failures = p.Failed == 0 ? "" : $" ({string.Join(", ", p.Failures.Select(f => $"{f.Key}: {f.Value}"))})";
            s.Append(CultureInfo.InvariantCulture,
                $" Single PUTs: {p.Clients} clients{(r.Configuration.Silos > 1 ? $" spread over {r.Configuration.Silos} silos" : "")}, {p.Ok} ok, {p.Failed} failed{failures} in {p.Window.TotalSeconds:0.0} s; PUT ms median {Distribution.F(p.Latency.Median)}, p95 {Distribution.F(p.Latency.P95)}, p99 {Distribution.F(p.Latency.P99)}, max {Distribution.F(p.Latency.Max)}; benchmark {p.Cpu.BenchCores:0.00} cores, machine busy {p.Cpu.MachineCores:0.00} of {r.Machine.Cores}.");
        }
        foreach (var l in r.Latencies)
        {
            s.Append(CultureInfo.InvariantCulture,
                $" Board, {BoardLatency.Name(l.Layout)} ({l.Watchers} clients, {l.MarksSent} marks at {l.Rate:0.#}/s{(l.MarksRejected > 0 ? $", {l.MarksRejected} refused" : "")}): ms median {Distribution.F(l.Latency.Median)}, p95 {Distribution.F(l.Latency.P95)}, p99 {Distribution.F(l.Latency.P99)}, max {Distribution.F(l.Latency.Max)} over {l.PairsExpected} pairs ({l.PairsMissing} missing)");
            if (l.CrossSilo is { Count: > 0 } x)
                s.Append(CultureInfo.InvariantCulture, $", of which {x.Count} cross-silo pairs: median {Distribution.F(x.Median)}, p99 {Distribution.F(x.P99)}");
            s.Append(CultureInfo.InvariantCulture,
                $"; PUT round trip median {Distribution.F(l.PutResponse.Median)} / p99 {Distribution.F(l.PutResponse.P99)}, answer → arrival median {Distribution.F(l.AfterResponse.Median)} / p99 {Distribution.F(l.AfterResponse.P99)}; {l.ConnectionsClosed} connections dropped; silos {l.Cpu.ServerCores:0.00} cores{DatabasePart(r, l.Cpu, l.Database)}.");
        }
        s.Append(CultureInfo.InvariantCulture, $" Server log: {r.ServerLogWarnings}.");
        if (r.Failure is not null) s.Append(CultureInfo.InvariantCulture, $" **Failed**: {r.Failure.ReplaceLineEndings(" ")}");
        return s.ToString();
    }

    private static string DatabasePart(Report r, CpuUse cpu, DatabaseRates? rates) =>
        r.Configuration.Mode != ClusterMode.PostgreSql ? ""
            : $", PostgreSQL {F(cpu.DatabaseCores, "0.00")} cores" + (rates is null ? "" : $", {F(rates.CommitsPerSecond)} transactions/s, {F(rates.WalSyncsPerSecond)} WAL flushes/s");

    private static string Method() => """
        Same program and workload as above (`ops/bench/BtsCcst.Benchmarks`, 3,000 candidates, seed 1; 16 closed-loop PUT
        clients for 10 s; 50 SignalR board clients, 20 marks/s for 30 s, all on one jury then spread over every jury), run with
        `--cluster`:

        - `ops/bench/run.sh --cluster postgres --silos N` creates a fresh database on the PostgreSQL server given by `--postgres`
          (default: `BTSCCST_TEST_POSTGRES`, else `Host=127.0.0.1;Port=5432;Username=btsccst;Password=btsccst;Database=btsccst_test`;
          the user needs CREATEDB), starts N server processes at once (the built `BtsCcst.Server.dll`, as for the embedded run) with
          `BtsCcst__Cluster=PostgreSql`, `BtsCcst__PostgreSql__ConnectionString` (that database), `BtsCcst__AdvertisedAddress=127.0.0.1`,
          their own free HTTP / `SiloPort` / `GatewayPort` and `DataDirectory`, and one shared `BtsCcst__TokenIssuerKeyFile`; waits for
          `/health/live` on each and for N active rows in `OrleansMembershipTable`; measures; stops the silos (SIGTERM) and drops the
          database (`DROP DATABASE … WITH (FORCE)`). The dev-token route is off in cluster mode: tokens are signed in the benchmark
          with the server's `TokenService` and that key file. Orleans' default membership timings and the server's default GC.
          The silos' connection string gets `Maximum Pool Size=20` (`--pool-size`): with Npgsql's default of 100 per silo, the
          import of candidates.csv (hundreds of grain activations reading their state at once) took every connection of a
          PostgreSQL server left at its default `max_connections = 100` and failed with `53300: remaining connection slots are
          reserved` (HTTP 500).
        - `ops/bench/run.sh --cluster all` measures, one after the other from one generated sample: the embedded default (SQLite,
          1 silo, as a reference under the same machine conditions), PostgreSQL with 1 silo, PostgreSQL with 2 silos.
        - Imports go through silo 1 (the import spreads over the grains wherever Orleans placed them). Single-PUT client c sends
          through silo c mod N. Board clients: in the spread layout, the clients of the k-th jury connect to silo k mod N and that
          jury's marks are PUT through silo k+1 mod N, so with 2 silos every (mark, client) pair crosses silos; with all clients on
          one jury, client i connects to silo i mod N and mark k goes through silo k+1 mod N, so about half the pairs cross (their
          figures are given apart in the details).
        - CPU: silos = sum of the server processes; PostgreSQL = user + system time of every process named `postgres`
          (`/proc/PID/stat`); other = the machine's busy time minus silos, PostgreSQL and the benchmark. Transactions/s = `xact_commit`
          of the run's database (`pg_stat_database`: every committed transaction, reads included); WAL flushes/s = `wal_sync` of `pg_stat_wal` (the whole PostgreSQL server,
          so other users' databases count too). Each run rewrites this block's row of each configuration it measured; the
          `bench:` blocks above (embedded) are written only by `--cluster embedded`, the default.
        """;
}
