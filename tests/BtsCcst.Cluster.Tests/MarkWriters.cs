using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// Examiners' desks entering marks without pause: each writer owns some (candidate, unit) cells and
/// writes them in turn with changing values, through the targets in rotation. A request that fails
/// (the silo died, the grain was moving) is sent again, with the same value, to the next target
/// (what a user does); only after a 200 does the writer go on, and that value is "acknowledged".
/// </summary>
public sealed class MarkWriters
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<(string Candidate, string Unit), string> _acknowledged = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _acks;

    public IReadOnlyDictionary<(string Candidate, string Unit), string> Acknowledged => _acknowledged;

    public int Acks => Volatile.Read(ref _acks);

    /// <summary>What failed: "t=12.3s target: status or exception".</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <param name="targets">Name and client (one per target, with a token of the jury's president) for each jury.</param>
    public Task RunAsync(string session, IReadOnlyList<(string Candidate, string Jury)> candidates,
        IReadOnlyList<(string Name, IReadOnlyDictionary<string, HttpClient> ByJury)> targets, int writers, CancellationToken stop)
    {
        var cells = candidates.SelectMany(c => SessionData.MandatoryUnits.Select(u => (c.Candidate, c.Jury, Unit: u))).ToList();
        return Task.WhenAll(Enumerable.Range(0, writers).Select(w =>
            Task.Run(() => WriteAsync(session, cells.Where((_, i) => i % writers == w).ToList(), targets, w, stop))));
    }

    private async Task WriteAsync(string session, List<(string Candidate, string Jury, string Unit)> cells,
        IReadOnlyList<(string Name, IReadOnlyDictionary<string, HttpClient> ByJury)> targets, int writer, CancellationToken stop)
    {
        var target = writer;
        for (var k = 0; !stop.IsCancellationRequested; k++)
        {
            var (candidate, jury, unit) = cells[k % cells.Count];
            var value = ((k / cells.Count * 7 + writer + k) % 21).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var started = Stopwatch.StartNew();
            while (true)
            {
                var (name, byJury) = targets[target++ % targets.Count];
                string failure;
                try
                {
                    using var response = await byJury[jury].PutResultAsync(session, candidate, unit, value);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        _acknowledged[(candidate, unit)] = value;
                        Interlocked.Increment(ref _acks);
                        break;
                    }
                    var body = await response.Content.ReadAsStringAsync();
                    failure = $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {body[..Math.Min(body.Length, 160)]}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failure = $"{e.GetType().Name} {e.Message}";
                }
                _failures.Enqueue($"t={_clock.Elapsed.TotalSeconds:0.0}s {name} {candidate}/{unit}: {failure}");
                if (started.Elapsed > GiveUpAfter)
                    throw new TimeoutException($"Mark {candidate}/{unit} = {value} still refused after {GiveUpAfter.TotalSeconds} s: {failure}");
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }
}
