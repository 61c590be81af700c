using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// A board connected to one silo receives what a mark entered through another silo changes: the
/// jury grain pushes to every silo's BoardRelay (grain observers), with no broker between the silos.
/// </summary>
public sealed class SignalRAcrossSilosTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    private const string Session = "cl-signalr";

    [Fact]
    public Task A_board_on_one_silo_receives_the_marks_entered_through_the_other() => OnClusterAsync("signalr", async cluster =>
    {
        var (silo1, silo2) = (cluster.Silos[0], cluster.Silos[1]);
        using var organiser = cluster.Client(silo1.Address, TestCluster.Organiser);
        var (csv, numbers) = SessionData.Candidates("NORMANDIE", "SIG", 3);
        await organiser.ImportAsync(Session, "candidates", csv);
        var token = cluster.Tokens.Issue(TestCluster.President("NORMANDIE"));
        using var presidentOn1 = cluster.Client(silo1.Address, TestCluster.President("NORMANDIE"));
        using var presidentOn2 = cluster.Client(silo2.Address, TestCluster.President("NORMANDIE"));

        await using var boardOn2 = await BoardClient.ConnectAsync(silo2.Address, token, Session, "NORMANDIE");
        await using var boardOn1 = await BoardClient.ConnectAsync(silo1.Address, token, Session, "NORMANDIE");

        // Through silo 1, seen on silo 2; then the other way round.
        foreach (var (through, board, candidate, mark) in new[] { (presidentOn1, boardOn2, numbers[0], "15"), (presidentOn2, boardOn1, numbers[1], "7") })
        {
            var clock = Stopwatch.StartNew();
            using var put = await through.PutResultAsync(Session, candidate, "E4", mark);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.True(await EventuallyAsync(() => Task.FromResult(board.Rows()[candidate].Contains($"E4={mark}", StringComparison.Ordinal)), TimeSpan.FromSeconds(3)),
                $"{candidate} E4={mark} did not reach the board of the other silo within 3 s: {board.Rows()[candidate]}");
            Output.WriteLine($"{candidate} E4={mark} on the other silo's board after {clock.ElapsedMilliseconds} ms");
        }

        // Both boards show the same rows as the jury.
        var snapshot = BoardClient.RowsOf(await organiser.BoardAsync(Session, "NORMANDIE"));
        Assert.True(await EventuallyAsync(() => Task.FromResult(Same(boardOn1.Rows(), snapshot) && Same(boardOn2.Rows(), snapshot)), TimeSpan.FromSeconds(3)));
    });
}
