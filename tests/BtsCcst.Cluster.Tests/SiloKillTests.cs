using System.Diagnostics;
using Xunit.Abstractions;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// Issue 5's fault test: marks keep being entered, through HAProxy and through both silos, while a
/// silo is killed (SIGKILL). Every acknowledged mark must be there, read from the surviving silo,
/// and a board whose connection was on the dead silo reconnects through the proxy to the other one
/// and shows the full state within 15 s.
/// </summary>
public sealed class SiloKillTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    private const string Session = "cl-kill";
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(15);

    [Fact]
    public Task Killing_a_silo_while_marks_are_entered_loses_no_acknowledged_mark_and_the_board_converges() => OnClusterAsync("kill", async cluster =>
    {
        await cluster.StartProxyAsync();
        var (dying, surviving) = (cluster.Silos[0], cluster.Silos[1]);
        using var organiser = cluster.Client(cluster.ProxyAddress, TestCluster.Organiser);
        var normandie = SessionData.Candidates("NORMANDIE", "NOR", 12);
        var lille = SessionData.Candidates("LILLE", "LIL", 6);
        await organiser.ImportAsync(Session, "candidates", normandie.Csv);
        await organiser.ImportAsync(Session, "candidates", lille.Csv);
        var candidates = normandie.Numbers.Select(n => (n, "NORMANDIE")).Concat(lille.Numbers.Select(n => (n, "LILLE"))).ToList();

        // The board's connection starts on the silo that will die (the proxy's cookie names it).
        await using var board = await BoardClient.ConnectAsync(cluster.ProxyAddress, cluster.Tokens.Issue(TestCluster.President("NORMANDIE")),
            Session, "NORMANDIE", stickyCookie: "silo1");

        var clients = new List<HttpClient>();
        IReadOnlyDictionary<string, HttpClient> PresidentsOn(Uri address)
        {
            var byJury = new[] { "NORMANDIE", "LILLE" }.ToDictionary(j => j, j => cluster.Client(address, TestCluster.President(j)));
            clients.AddRange(byJury.Values);
            return byJury;
        }

        try
        {
            var targets = new List<(string, IReadOnlyDictionary<string, HttpClient>)>
            {
                ("proxy", PresidentsOn(cluster.ProxyAddress)),
                ("silo1", PresidentsOn(dying.Address)),
                ("silo2", PresidentsOn(surviving.Address)),
            };
            var writers = new MarkWriters();
            using var stop = new CancellationTokenSource();
            var writing = writers.RunAsync(Session, candidates, targets, writers: 4, stop.Token);

            // Marks flow for a while, then silo 1 dies in the middle of the stream.
            await EventuallyAsync(() => Task.FromResult(writers.Acks >= 60 || writing.IsCompleted), TimeSpan.FromSeconds(15));
            Assert.False(writing.IsFaulted, writing.Exception?.ToString());
            var acksBeforeKill = writers.Acks;
            cluster.Kill(dying);
            var sinceKill = Stopwatch.StartNew();

            await Task.Delay(TimeSpan.FromSeconds(5));
            stop.Cancel();
            await writing; // each writer ends once its mark under way is acknowledged
            var writingEnded = sinceKill.Elapsed;
            Output.WriteLine($"{acksBeforeKill} marks acknowledged before the kill, {writers.Acks} in all; writers done {writingEnded.TotalSeconds:0.0} s after the kill");
            Output.WriteLine($"{writers.Failures.Count} failed requests (sent again):\n  {string.Join("\n  ", writers.Failures)}");
            Assert.True(writers.Acks > acksBeforeKill, "No mark was acknowledged after the kill.");

            // The cluster knows silo 1 is dead.
            await cluster.WaitForActiveSilosAsync(1, TimeSpan.FromSeconds(10));
            Output.WriteLine($"silo 1 out of the membership {sinceKill.Elapsed.TotalSeconds:0.0} s after the kill (checked then)");

            // Every acknowledged mark is there, read from the surviving silo: on each candidate and on the boards.
            using var organiserOn2 = cluster.Client(surviving.Address, TestCluster.Organiser);
            var missing = new List<string>();
            foreach (var (candidate, _) in candidates)
            {
                var results = await organiserOn2.ResultsAsync(Session, candidate);
                foreach (var unit in SessionData.MandatoryUnits)
                {
                    if (writers.Acknowledged.TryGetValue((candidate, unit), out var mark) && results.GetValueOrDefault(unit) != mark)
                        missing.Add($"{candidate}/{unit}: {results.GetValueOrDefault(unit) ?? "(none)"} instead of {mark}");
                }
            }
            Assert.True(missing.Count == 0, $"Acknowledged marks not found on the surviving silo: {string.Join("; ", missing)}");
            foreach (var (jury, numbers) in new[] { ("NORMANDIE", normandie.Numbers), ("LILLE", lille.Numbers) })
            {
                var rows = (await organiserOn2.BoardAsync(Session, jury)).Candidates.ToDictionary(r => r.CandidateNumber);
                Assert.Equal(numbers.Order(), rows.Keys.Order());
                var stale = writers.Acknowledged.Where(a => rows.TryGetValue(a.Key.Candidate, out var row)
                        && row.Results.FirstOrDefault(c => c.Unit == a.Key.Unit)?.Result != a.Value)
                    .Select(a => $"{a.Key.Candidate}/{a.Key.Unit}={a.Value}").ToList();
                Assert.True(stale.Count == 0, $"Board {jury} on the surviving silo misses acknowledged marks: {string.Join(", ", stale)}");
            }

            // The board that was on the dead silo reconnected (through the proxy, to silo 2), watched again, and shows the jury's full state.
            Dictionary<string, string> expected = [];
            var converged = await EventuallyAsync(async () =>
            {
                expected = BoardClient.RowsOf(await organiserOn2.BoardAsync(Session, "NORMANDIE"));
                return board.Rewatches >= 1 && Same(board.Rows(), expected);
            }, Convergence - sinceKill.Elapsed);
            Assert.True(board.Reconnections >= 1, "The board's connection did not notice the death of its silo.");
            Assert.True(converged, $"{sinceKill.Elapsed.TotalSeconds:0.0} s after the kill the board has not converged (re-watched {board.Rewatches}, {board.LastWatchError}): {Difference(board.Rows(), expected)}");
            Output.WriteLine($"board converged {sinceKill.Elapsed.TotalSeconds:0.0} s after the kill");
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    });
}
