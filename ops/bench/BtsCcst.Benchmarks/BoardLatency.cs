using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;

namespace BtsCcst.Benchmarks;

// The parts of the hub's BoardSnapshot / BoardUpdate the benchmark reads (JSON hub protocol, camelCase).
public sealed class CellDto
{
    public string Unit { get; set; } = "";
    public string Result { get; set; } = "";
    public bool UnderReserve { get; set; }
}

public sealed class RowDto
{
    public string CandidateNumber { get; set; } = "";
    public string JuryId { get; set; } = "";
    public CellDto[] Results { get; set; } = [];
}

public sealed class SnapshotDto
{
    public string JuryId { get; set; } = "";
    public string Phase { get; set; } = "";
    public RowDto[] Candidates { get; set; } = [];
    public long Version { get; set; }
}

public sealed class UpdateDto
{
    public string JuryId { get; set; } = "";
    public RowDto[] Changed { get; set; } = [];
    public string[] Removed { get; set; } = [];
    public long Version { get; set; }
}

public enum WatchLayout
{
    /// <summary>Every board client watches the same jury (the largest): each mark fans out to all of them.</summary>
    OneJury,
    /// <summary>Board clients are spread round-robin over all juries; marks go round-robin over juries.</summary>
    Spread,
}

public sealed record LatencyResult(
    WatchLayout Layout,
    string Juries,
    int Watchers,
    double Rate,
    TimeSpan Duration,
    int MarksSent,
    int MarksRejected,
    int PairsExpected,
    int PairsMissing,
    Distribution Latency,
    Distribution PutResponse,
    Distribution AfterResponse,
    long UpdatesReceived,
    int ConnectionsClosed,
    TimeSpan ConnectTime,
    CpuUse Cpu,
    int Silos = 1,
    Distribution? CrossSilo = null,
    DatabaseRates? Database = null);

/// <summary>
/// Board clients connected and watching; marks PUT one by one at a steady (open-loop) rate by the
/// president of the candidate's jury. For each mark and each client watching that jury, the
/// latency is from just before sending the PUT to the arrival at that client of a "boardChanged"
/// whose changed rows hold the candidate with the new mark.
/// With several silos (PostgreSQL mode), clients and marks are spread over them: in the spread
/// layout the clients of the k-th jury connect to silo k mod N and its marks are PUT through silo
/// k+1 mod N (with two silos, every pair crosses silos); with all clients on one jury, client i
/// connects to silo i mod N and mark k goes through silo k+1 mod N (about half the pairs cross).
/// </summary>
public static class BoardLatency
{
    private sealed class Expectation(MarkSlot slot, string value, string jury, int silo, int watchers)
    {
        public int Silo { get; } = silo;
        public MarkSlot Slot { get; } = slot;
        public string Value { get; } = value;
        public string Jury { get; } = jury;
        public long Sent;
        public long Answered;
        public HttpStatusCode Status;
        public readonly long[] Arrivals = new long[watchers];
    }

    public static async Task<LatencyResult> RunAsync(IReadOnlyList<Api> apis, Workload work, IReadOnlyDictionary<string, string> presidentTokens,
        WatchLayout layout, int watchers, double rate, TimeSpan duration, Func<TimeSpan> serverCpu, Action<string> say,
        BenchDatabase? database = null)
    {
        var api = apis[0];
        var silos = apis.Count;
        var juries = layout == WatchLayout.OneJury
            ? [work.JuryIds.OrderByDescending(j => work.CandidatesByJury[j].Length).ThenBy(j => j, StringComparer.Ordinal).First()]
            : work.JuryIds.ToArray();
        var juryOfWatcher = Enumerable.Range(0, watchers).Select(i => juries[i % juries.Length]).ToArray();
        var siloOfWatcher = Enumerable.Range(0, watchers)
            .Select(i => layout == WatchLayout.Spread ? Array.IndexOf(juries, juryOfWatcher[i]) % silos : i % silos).ToArray();
        int EntrySilo(int k, string jury) => (1 + (layout == WatchLayout.Spread ? Array.IndexOf(juries, jury) : k)) % silos;
        var pending = new ConcurrentDictionary<(string Candidate, string Unit), Expectation>();
        long updates = 0;
        var closed = 0;

        // Connect and Watch.
        var connectWatch = Stopwatch.StartNew();
        var connections = new HubConnection[watchers];
        var snapshots = new ConcurrentDictionary<string, SnapshotDto>();
        using (var gate = new SemaphoreSlim(8))
        {
            await Task.WhenAll(Enumerable.Range(0, watchers).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var jury = juryOfWatcher[i];
                    var token = presidentTokens[jury];
                    var connection = new HubConnectionBuilder()
                        .WithUrl(new Uri(apis[siloOfWatcher[i]].BaseAddress, "hubs/board"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                        .Build();
                    connection.On<UpdateDto>("boardChanged", update => OnUpdate(i, jury, update));
                    connection.Closed += _ => { Interlocked.Increment(ref closed); return Task.CompletedTask; };
                    connections[i] = connection;
                    await connection.StartAsync();
                    var snapshot = await connection.InvokeAsync<SnapshotDto>("Watch", api.SessionId, jury);
                    snapshots.TryAdd(jury, snapshot);
                }
                finally { gate.Release(); }
            }));
        }
        connectWatch.Stop();
        say($"  {watchers} board clients watching {string.Join(", ", juries)}{(silos > 1 ? $" over {silos} silos" : "")} (connected in {connectWatch.Elapsed.TotalSeconds:0.0} s)");

        void OnUpdate(int watcher, string jury, UpdateDto update)
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref updates);
            foreach (var row in update.Changed)
            foreach (var cell in row.Results)
            {
                if (pending.TryGetValue((row.CandidateNumber, cell.Unit), out var expectation)
                    && expectation.Jury == jury && cell.Result == expectation.Value)
                    Interlocked.CompareExchange(ref expectation.Arrivals[watcher], now, 0);
            }
        }

        // The marks to send: per jury, numeric marks taken from the snapshot, one unit of every
        // candidate before the second unit of any, never the same (candidate, unit) twice.
        var queues = juries.ToDictionary(j => j, j => new Queue<MarkSlot>(
            snapshots[j].Candidates
                .SelectMany(row => row.Results.Where(c => !c.UnderReserve && Workload.IsMark(c.Result))
                    .Select((c, k) => (k, slot: new MarkSlot(row.CandidateNumber, c.Unit, c.Result))))
                .OrderBy(x => x.k).Select(x => x.slot)));
        var total = (int)Math.Round(rate * duration.TotalSeconds);
        var plan = new List<(MarkSlot Slot, string Jury)>(total);
        for (var k = 0; k < total; k++)
        {
            var jury = juries[k % juries.Length];
            if (!queues[jury].TryDequeue(out var slot)) throw new InvalidOperationException($"Jury {jury} has too few marks for {total} distinct PUTs.");
            plan.Add((slot, jury));
        }

        // Send at a steady rate, not waiting for answers (so a slow answer does not hide later ones).
        var meter = new CpuMeter($"board latency ({Name(layout)})", serverCpu);
        var counters0 = database is null ? null : await database.CountersAsync();
        var expectations = new List<Expectation>(total);
        var sends = new List<Task>(total);
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        for (var k = 0; k < total; k++)
        {
            var due = start + (long)(k * interval);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            var (slot, jury) = plan[k];
            var silo = EntrySilo(k, jury);
            var expectation = new Expectation(slot, Workload.Canonical(slot.NextValue()), jury, silo, watchers);
            pending[(slot.Candidate, slot.Unit)] = expectation;
            expectations.Add(expectation);
            sends.Add(Task.Run(async () =>
            {
                expectation.Sent = Stopwatch.GetTimestamp();
                try { expectation.Status = await apis[silo].PutResultAsync(slot.Candidate, slot.Unit, expectation.Value, presidentTokens[jury]); }
                catch (HttpRequestException) { expectation.Status = 0; }
                expectation.Answered = Stopwatch.GetTimestamp();
            }));
        }
        await Task.WhenAll(sends);

        // Let the last pushes arrive.
        bool Complete(Expectation e) => e.Status != HttpStatusCode.OK
            || Enumerable.Range(0, watchers).All(i => juryOfWatcher[i] != e.Jury || Volatile.Read(ref e.Arrivals[i]) != 0);
        var grace = Stopwatch.StartNew();
        while (!expectations.All(Complete) && grace.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        var cpu = meter.Stop();
        var rates = database is null ? null : DatabaseCounters.Between(counters0!, await database.CountersAsync());

        var latency = new List<double>();
        var afterResponse = new List<double>();
        var crossSilo = new List<double>();
        var expected = 0;
        var missing = 0;
        foreach (var e in expectations.Where(e => e.Status == HttpStatusCode.OK))
        {
            for (var i = 0; i < watchers; i++)
            {
                if (juryOfWatcher[i] != e.Jury) continue;
                expected++;
                var arrival = e.Arrivals[i];
                if (arrival == 0) { missing++; continue; }
                latency.Add(Distribution.Ms(arrival - e.Sent));
                if (siloOfWatcher[i] != e.Silo) crossSilo.Add(Distribution.Ms(arrival - e.Sent));
                afterResponse.Add(Distribution.Ms(arrival - e.Answered));
            }
        }
        var putResponse = expectations.Where(e => e.Status == HttpStatusCode.OK).Select(e => Distribution.Ms(e.Answered - e.Sent));

        // Closing the connections at the end is not a drop: count only what closed before.
        var closedDuringRun = Volatile.Read(ref closed);
        await Task.WhenAll(connections.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
        return new LatencyResult(layout, string.Join(", ", juries), watchers, rate, duration, total,
            expectations.Count(e => e.Status != HttpStatusCode.OK), expected, missing,
            Distribution.Of(latency), Distribution.Of(putResponse), Distribution.Of(afterResponse), Interlocked.Read(ref updates),
            closedDuringRun, connectWatch.Elapsed, cpu, silos, silos > 1 ? Distribution.Of(crossSilo) : null, rates);
    }

    public static string Name(WatchLayout layout) => layout == WatchLayout.OneJury ? "all clients on one jury" : "clients spread over every jury";
}
