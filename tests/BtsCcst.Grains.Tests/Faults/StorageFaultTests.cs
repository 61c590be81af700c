using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Tests.Deliberation;
using BtsCcst.Grains.Tests.Storage;
using Orleans.TestingHost;

namespace BtsCcst.Grains.Tests.Faults;

/// <summary>
/// Issue 11: nothing acknowledged is lost, and nothing unstored is shown. Storage fails on chosen writes;
/// after each fault every acknowledged change is stored (a new cluster on the same file finds it), every
/// board equals its candidates, and the same request sent again does the work.
/// </summary>
public sealed class StorageFaultTests : IAsyncLifetime
{
    private const string SessionId = "faults-2024";

    private readonly TempSqliteDatabase database = new();
    private readonly StorageFaults faults = new();
    private TestCluster cluster = null!;

    private IGrainFactory Grains => cluster.GrainFactory;

    public async Task InitializeAsync() => cluster = await FaultyCluster.StartAsync(database.ConnectionString, faults);

    public async Task DisposeAsync()
    {
        await DeliberationCluster.StopAsync(cluster);
        database.Dispose();
    }

    private static readonly string[] Numbers = [.. Enumerable.Range(1, 12).Select(i => $"FA{i:000}")];

    private async Task<ISessionGrain> ImportedSession()
    {
        var session = Grains.Session(SessionId);
        var imported = await session.ImportCandidates(Given.CandidateRows([.. Numbers.Select(n => Given.Candidate(n))]));
        Assert.Empty(imported.Errors);
        return session;
    }

    [Fact]
    public async Task A_mark_whose_write_failed_is_neither_kept_nor_shown_and_the_same_entry_again_stores_it()
    {
        await ImportedSession();
        var candidate = Grains.Candidate(SessionId, "FA001");
        await candidate.EnterResults([new ResultEntry("E1", "8")], Given.Bureau);

        faults.FailWrites(1, ofStates: "candidate");
        var failed = await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            candidate.EnterResults([new ResultEntry("E1", "14.5")], Given.Bureau));
        Assert.Contains("rien n'a été enregistré", failed.Message);
        Assert.Contains("Injected storage failure", failed.Cause);

        // Nothing of the failed change is shown, by the candidate or the board.
        Assert.Equal("8", (await candidate.GetSummary()).Cell("E1").Result);
        Assert.Equal("8", (await Board()).Row("FA001").Cell("E1").Result);

        // The same entry again is a change, stored and shown, with one history line.
        var retried = await candidate.EnterResults([new ResultEntry("E1", "14.5")], Given.Bureau);
        Assert.Equal(1, retried.Updated);
        await AssertBoardsEqualCandidates();

        var view = await RestartedView("FA001");
        Assert.Equal("14.5", view.Summary.Cell("E1").Result);
        Assert.Equal(["8", "14.5"], view.History.Where(h => h.Unit == "E1").Select(h => h.NewResult));
    }

    [Fact]
    public async Task A_marks_import_interrupted_on_its_fifth_write_is_in_the_audit_trail_and_importing_it_again_completes_it()
    {
        var session = await ImportedSession();
        var rows = Given.MarkRows([.. Numbers.Select(n => Given.Sheet(n, Given.AllMarks(11)))]);

        faults.FailWrites(1, succeedFirst: 4, ofStates: "candidate");
        await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            BtsCcst.Grains.Abstractions.Operations.SessionImports.RunAsync(session, "marks", MarksCsv(rows), Given.Bureau));
        var trail = await session.GetImportLog();
        Assert.Equal(BtsCcst.Grains.Abstractions.Operations.SessionImports.InterruptedMessage, trail[^1].Failure);
        await AssertBoardsEqualCandidates();

        var again = await BtsCcst.Grains.Abstractions.Operations.SessionImports.RunAsync(session, "marks", MarksCsv(rows), Given.Bureau);
        Assert.Empty(again.Errors);
        Assert.Equal(rows.Length, again.Counts!.Created + again.Counts.Unchanged);
        Assert.True(again.Counts.Created > 0);
        await AssertBoardsEqualCandidates();

        await Restart();
        foreach (var number in Numbers)
            Assert.All((await Grains.Candidate(SessionId, number).GetSummary()).Results.Where(r => r.Unit != "EF1"), r => Assert.Equal("11", r.Result));
        await AssertBoardsEqualCandidates();
    }

    [Fact]
    public async Task A_registration_whose_write_failed_leaves_no_candidate_behind_and_the_same_import_again_registers_everyone()
    {
        var session = Grains.Session(SessionId);
        faults.FailWrites(2, succeedFirst: 3, ofStates: "candidate");
        await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            session.ImportCandidates(Given.CandidateRows([.. Numbers.Select(n => Given.Candidate(n))])));

        var again = await session.ImportCandidates(Given.CandidateRows([.. Numbers.Select(n => Given.Candidate(n))]));
        Assert.Empty(again.Errors);
        Assert.Equal(Numbers.Length, again.Counts!.Created + again.Counts.Unchanged);

        await Restart();
        Assert.Equal(Numbers.Length, (await Grains.Session(SessionId).GetOverview()).Candidates);
        Assert.Equal(Numbers, (await Board()).Candidates.Select(c => c.CandidateNumber));
        await AssertBoardsEqualCandidates();
    }

    [Fact]
    public async Task A_closing_whose_phase_write_failed_leaves_the_jury_open_and_closing_again_closes_it()
    {
        await ImportedSession();
        var marks = await Grains.Session(SessionId).ImportMarks(Given.MarkRows([.. Numbers.Select(n => Given.Sheet(n, Given.AllMarks(12)))]), Given.Bureau);
        Assert.Empty(marks.Errors);
        var president = Given.PresidentOf("LYON");

        faults.FailWrites(1, ofStates: "jury");
        await Assert.ThrowsAsync<StorageUnavailableException>(() => Grains.Jury(SessionId, "LYON").Close(president));
        Assert.Equal("FIRST_OPEN", await Grains.Jury(SessionId, "LYON").GetPhase());

        Assert.Equal("CLOSED", (await Grains.Jury(SessionId, "LYON").Close(president)).Phase);
        await Restart();
        Assert.Equal("CLOSED", await Grains.Jury(SessionId, "LYON").GetPhase());
        Assert.All((await Board()).Candidates, c => Assert.Equal("ADMIS", c.Decision));
    }

    [Fact]
    public async Task On_slow_storage_concurrent_entries_are_all_acknowledged_after_their_write_and_all_stored()
    {
        await ImportedSession();
        faults.WriteDelay = TimeSpan.FromMilliseconds(150);
        await Task.WhenAll(Numbers.Select(n => Grains.Candidate(SessionId, n).EnterResults([new ResultEntry("E4", "13.5")], Given.Bureau)));
        faults.Heal();
        await AssertBoardsEqualCandidates();
        await Restart();
        foreach (var number in Numbers)
            Assert.Equal("13.5", (await Grains.Candidate(SessionId, number).GetSummary()).Cell("E4").Result);
    }

    private Task<BoardSnapshot> Board() => Grains.Jury(SessionId, "LYON").GetBoard();

    /// <summary>Each board row is its candidate's summary, value for value.</summary>
    private async Task AssertBoardsEqualCandidates()
    {
        var board = await Board();
        foreach (var row in board.Candidates)
            Assert.Equal(Given.Json(await Grains.Candidate(SessionId, row.CandidateNumber).GetSummary()), Given.Json(row));
    }

    private async Task Restart()
    {
        faults.Heal();
        await DeliberationCluster.StopAsync(cluster);
        cluster = await FaultyCluster.StartAsync(database.ConnectionString, faults);
    }

    private async Task<CandidateView> RestartedView(string number)
    {
        await Restart();
        return await Grains.Candidate(SessionId, number).GetView();
    }

    private static StringReader MarksCsv(MarkImportRow[] rows) =>
        new("candidate_number,unit,result\n" + string.Join("\n", rows.Select(r => $"{r.CandidateNumber},{r.Unit},{r.Result}")) + "\n");
}
