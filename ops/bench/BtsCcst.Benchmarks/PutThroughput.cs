using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace BtsCcst.Benchmarks;

public sealed record PutThroughputResult(
    int Clients, TimeSpan Window, int Ok, int Failed, IReadOnlyDictionary<string, int> Failures, Distribution Latency, double PerSecond, CpuUse Cpu,
    DatabaseRates? Database = null);

/// <summary>
/// Closed-loop single-result PUTs: each client is the president of one jury and rewrites, one at a
/// time, marks of its own share of that jury's candidates (alternating 12.5 / 13, so every PUT
/// stores a change). Requests completing in the first second (warm-up) are not counted. With several
/// silos, client c sends through silo c mod N (its own HTTP connections to that silo's address).
/// </summary>
public static class PutThroughput
{
    public static async Task<PutThroughputResult> RunAsync(IReadOnlyList<Api> apis, Workload work, IReadOnlyDictionary<string, string> presidentTokens,
        int clients, TimeSpan duration, TimeSpan warmUp, Func<TimeSpan> serverCpu, BenchDatabase? database = null)
    {
        var juries = work.JuryIds;
        var plans = Enumerable.Range(0, clients).Select(c =>
        {
            var juryIndex = c % juries.Count;
            var jury = juries[juryIndex];
            var sharing = (clients - juryIndex + juries.Count - 1) / juries.Count;
            var rank = c / juries.Count;
            var candidates = work.CandidatesByJury[jury].Where((_, i) => i % sharing == rank).ToHashSet();
            return (jury, slots: work.SlotsByJury[jury].Where(s => candidates.Contains(s.Candidate)).ToArray());
        }).ToArray();

        var latencies = new ConcurrentBag<double>();
        var failures = new ConcurrentDictionary<string, int>();
        var ok = 0;
        var failed = 0;
        var start = Stopwatch.GetTimestamp();
        var countFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var stopAt = countFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task Client(int c)
        {
            var (jury, slots) = plans[c];
            var api = apis[c % apis.Count];
            var token = presidentTokens[jury];
            for (var i = 0; Stopwatch.GetTimestamp() < stopAt; i++)
            {
                var slot = slots[i % slots.Length];
                var value = slot.NextValue();
                var t0 = Stopwatch.GetTimestamp();
                string? failure = null;
                try
                {
                    var status = await api.PutResultAsync(slot.Candidate, slot.Unit, value, token);
                    if (status == HttpStatusCode.OK) slot.Current = value;
                    else failure = $"HTTP {(int)status}";
                }
                catch (HttpRequestException e) { failure = e.GetType().Name; }
                var t1 = Stopwatch.GetTimestamp();
                if (t0 < countFrom || t1 > stopAt) continue;
                if (failure is null)
                {
                    Interlocked.Increment(ref ok);
                    latencies.Add(Distribution.Ms(t1 - t0));
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
                }
            }
        }

        var running = Enumerable.Range(0, clients).Select(c => Task.Run(() => Client(c))).ToArray();
        await Task.Delay(warmUp);
        var meter = new CpuMeter($"single PUTs, {clients} clients", serverCpu);
        var counters0 = database is null ? null : await database.CountersAsync();
        await Task.WhenAll(running);
        var cpu = meter.Stop();
        var rates = database is null ? null : DatabaseCounters.Between(counters0!, await database.CountersAsync());
        var window = TimeSpan.FromSeconds((double)(stopAt - countFrom) / Stopwatch.Frequency);
        return new PutThroughputResult(clients, window, ok, failed, failures, Distribution.Of(latencies), ok / window.TotalSeconds, cpu, rates);
    }
}
