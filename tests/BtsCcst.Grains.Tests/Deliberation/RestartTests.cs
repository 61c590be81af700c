using BtsCcst.Grains.Tests.Storage;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>The server stops in the middle of the deliberation and starts again on the same database.</summary>
public sealed class RestartTests
{
    private const string SessionId = "restart-2024";

    private static readonly string[] LyonCandidates = ["LY801", "LY802", "LY803", "LY804"];
    private static readonly string[] NantesCandidates = ["NT801", "NT802"];

    [Fact]
    public async Task Every_mark_change_history_and_board_aggregate_is_found_again_by_a_new_cluster_on_the_same_file()
    {
        using var database = new TempSqliteDatabase();
        var lyonPresident = Given.PresidentOf("LYON", "Mme Roux");

        Dictionary<string, string> viewsBefore;
        Dictionary<string, string> boardsBefore;
        BoardSnapshot lyonBefore;
        var first = await DeliberationCluster.StartAsync(database.ConnectionString);
        try
        {
            var grains = first.GrainFactory;
            await Given.SessionWith(grains, SessionId,
                [
                    Given.Candidate("LY801", optional: ["EF1"]),
                    Given.Candidate("LY802", livret: true, dispensed: ["E1", "E21", "E22", "E3"]),
                    Given.Candidate("LY803", kept: ["E5:11"]),
                    Given.Candidate("LY804"),
                    Given.Candidate("NT801", "NANTES"),
                    Given.Candidate("NT802", "NANTES", livret: true),
                ],
                Given.Sheet("LY801", Given.Case2),
                Given.Sheet("LY802", "E4=9 E5=11 U61=10 U62=10"),
                Given.Sheet("LY803", "E1=13 E21=12.25 E22=14 E3=9.5 U61=15 U62=12"),
                Given.Sheet("LY804", "E1=ABSJ E21=10 E22=10"),
                Given.Sheet("NT801", Given.AllMarks(15.5m)),
                Given.Sheet("NT802", Given.AllMarks(7)));

            // The jury of LYON at work: two changes with their reasons, a livret examined, a reserve.
            await grains.Candidate(SessionId, "LY801").EnterResults(
                [new ResultEntry("E1", "8.5", "Barème harmonisé"), new ResultEntry("EF1", "ABSJ", "Convocation non reçue")], lyonPresident);
            await grains.Candidate(SessionId, "LY801").EnterResults([new ResultEntry("E3", "6", "Erreur de report corrigée")], lyonPresident);
            await grains.Candidate(SessionId, "LY802").AcknowledgeLivret(lyonPresident);
            await grains.Candidate(SessionId, "LY803").AssignExaminers("E4", ["ex-eco-17", "ex-sti-04"]);
            await grains.Candidate(SessionId, "LY803").EnterResults([new ResultEntry("E4", "16", UnderReserve: true)], Given.Examiner("ex-sti-04"));

            // The jury of NANTES has closed.
            await grains.Candidate(SessionId, "NT802").AcknowledgeLivret(Given.PresidentOf("NANTES"));
            Assert.Equal("CLOSED", (await grains.Jury(SessionId, "NANTES").Close(Given.PresidentOf("NANTES"))).Phase);

            viewsBefore = await ViewsOf(grains);
            boardsBefore = await BoardsOf(grains);
            lyonBefore = await grains.Jury(SessionId, "LYON").GetBoard();
        }
        finally
        {
            await DeliberationCluster.StopAsync(first);
        }

        // What the scenario built, so that the comparison below compares something.
        Assert.Equal(
            [("LY801", "SECOND_GROUPE"), ("LY802", "AJOURNE"), ("LY803", "ADMIS"), ("LY804", "INCOMPLET")],
            lyonBefore.Candidates.Select(c => (c.CandidateNumber, c.Decision)));
        Assert.Equal((245.5m, 9.82m), (lyonBefore.Row("LY801").Points!.Value, lyonBefore.Row("LY801").Average!.Value));
        Assert.Equal((327.875m, 13.12m), (lyonBefore.Row("LY803").Points!.Value, lyonBefore.Row("LY803").Average!.Value));
        var aggregates = lyonBefore.Aggregates;
        Assert.Equal((1, 1, 0, 1), (aggregates.MarksUnderReserve, aggregates.LivretsAcknowledged, aggregates.LivretsToAcknowledge, aggregates.Incomplete));
        Assert.Equal(0.3333m, aggregates.PassRate);

        var second = await DeliberationCluster.StartAsync(database.ConnectionString);
        try
        {
            var grains = second.GrainFactory;

            // Every mark and every trace, field by field (registration, summary, history).
            var viewsAfter = await ViewsOf(grains);
            Assert.Equal(viewsBefore.Keys, viewsAfter.Keys);
            foreach (var (number, view) in viewsBefore) Assert.Equal(view, viewsAfter[number]);

            // Both boards: rows, phase, aggregates.
            var boardsAfter = await BoardsOf(grains);
            foreach (var (jury, board) in boardsBefore) Assert.Equal(board, boardsAfter[jury]);

            var history = (await grains.Candidate(SessionId, "LY801").GetView()).History;
            Assert.Equal(
                [("E1", "8", "8.5", "Barème harmonisé"), ("EF1", null, "ABSJ", "Convocation non reçue"), ("E3", "7", "6", "Erreur de report corrigée")],
                history[^3..].Select(h => (h.Unit, h.OldResult, h.NewResult, h.Reason)));
            Assert.All(history[^3..], h => Assert.Equal(lyonPresident, h.By));
            var overview = await grains.Session(SessionId).GetOverview();
            Assert.Equal(6, overview.Candidates);
            Assert.Equal(["LYON", "NANTES"], overview.Juries.Select(j => j.JuryId));

            // The deliberation carries on where it stopped.
            var lifted = await grains.Candidate(SessionId, "LY803").LiftReserve("E4", null, "Vérification faite", lyonPresident);
            Assert.False(lifted.HasReserve);
            Assert.Equal(0, (await grains.Jury(SessionId, "LYON").GetBoard()).Aggregates.MarksUnderReserve);
            var frozen = await Assert.ThrowsAsync<RefusedException>(() =>
                grains.Candidate(SessionId, "NT801").EnterResults([new ResultEntry("E1", "16", "Après la clôture")], Given.PresidentOf("NANTES")));
            Assert.Equal(RefusalKind.Conflict, frozen.Kind);
        }
        finally
        {
            await DeliberationCluster.StopAsync(second);
        }
    }

    private static async Task<Dictionary<string, string>> ViewsOf(IGrainFactory grains)
    {
        var views = new Dictionary<string, string>();
        foreach (var number in LyonCandidates.Concat(NantesCandidates))
            views[number] = Given.Json(await grains.Candidate(SessionId, number).GetView());
        return views;
    }

    private static async Task<Dictionary<string, string>> BoardsOf(IGrainFactory grains) => new()
    {
        ["LYON"] = Given.BoardJson(await grains.Jury(SessionId, "LYON").GetBoard()),
        ["NANTES"] = Given.BoardJson(await grains.Jury(SessionId, "NANTES").GetBoard()),
    };
}
