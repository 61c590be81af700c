using System.Net;
using Xunit.Abstractions;

namespace BtsCcst.Cluster.Tests;

/// <summary>The whole cluster killed and started again on the same database finds every mark and the juries' phases.</summary>
public sealed class ClusterRestartTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    private const string Session = "cl-restart";

    [Fact]
    public Task A_restarted_cluster_finds_every_mark_and_the_jury_phase() => OnClusterAsync("restart", async cluster =>
    {
        var (silo1, silo2) = (cluster.Silos[0], cluster.Silos[1]);
        var normandie = SessionData.Candidates("NORMANDIE", "RSN", 4);
        var lille = SessionData.Candidates("LILLE", "RSL", 2);
        using (var organiser = cluster.Client(silo1.Address, TestCluster.Organiser))
        {
            await organiser.ImportAsync(Session, "candidates", normandie.Csv);
            await organiser.ImportAsync(Session, "candidates", lille.Csv);
            await organiser.ImportAsync(Session, "marks", SessionData.Marks(normandie.Numbers.Concat(lille.Numbers), "12"));
        }

        using (var normandieOn1 = cluster.Client(silo1.Address, TestCluster.President("NORMANDIE")))
        using (var normandieOn2 = cluster.Client(silo2.Address, TestCluster.President("NORMANDIE")))
        using (var lilleOn2 = cluster.Client(silo2.Address, TestCluster.President("LILLE")))
        {
            Assert.Equal(HttpStatusCode.OK, (await normandieOn1.PutResultAsync(Session, normandie.Numbers[0], "E4", "17")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await normandieOn2.PutResultAsync(Session, normandie.Numbers[1], "E5", "9.5")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await lilleOn2.PutResultAsync(Session, lille.Numbers[0], "U61", "4")).StatusCode);
            using var close = await normandieOn2.PostAsync($"api/sessions/{Session}/juries/NORMANDIE/close", null);
            Assert.True(close.StatusCode == HttpStatusCode.OK, await close.Content.ReadAsStringAsync());
        }

        var before = await ReadAllAsync(cluster, silo2.Address, normandie.Numbers.Concat(lille.Numbers));
        Assert.NotEqual("FIRST_OPEN", before["phase NORMANDIE"]);
        Assert.Equal("FIRST_OPEN", before["phase LILLE"]);

        cluster.KillAll();
        await cluster.StartAllAsync();

        foreach (var silo in cluster.Silos)
        {
            var after = await ReadAllAsync(cluster, silo.Address, normandie.Numbers.Concat(lille.Numbers));
            Assert.True(Same(after, before), $"After the restart, silo{silo.Index} reads: {Difference(after, before)}");
        }
        Output.WriteLine($"found again: {string.Join("; ", before.Select(kv => $"{kv.Key} = {kv.Value}"))}");
    });

    /// <summary>Every candidate's results and both boards (rows and phase), through one silo.</summary>
    private static async Task<Dictionary<string, string>> ReadAllAsync(TestCluster cluster, Uri silo, IEnumerable<string> candidates)
    {
        using var organiser = cluster.Client(silo, TestCluster.Organiser);
        var state = new Dictionary<string, string>();
        foreach (var candidate in candidates)
        {
            var results = await organiser.ResultsAsync(Session, candidate);
            state[$"candidate {candidate}"] = string.Join(" ", results.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));
        }
        foreach (var jury in new[] { "NORMANDIE", "LILLE" })
        {
            var board = await organiser.BoardAsync(Session, jury);
            state[$"phase {jury}"] = board.Phase;
            foreach (var (number, row) in BoardClient.RowsOf(board)) state[$"board {jury} {number}"] = row;
        }
        return state;
    }
}
