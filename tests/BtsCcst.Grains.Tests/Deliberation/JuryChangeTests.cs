using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>During the deliberation: the jury changes marks, commissions enter theirs, reserves are lifted.</summary>
[Collection(DeliberationClusterCollection.Name)]
public sealed class JuryChangeTests(DeliberationClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task The_president_changes_a_mark_only_with_a_reason_and_the_change_is_traced()
    {
        const string sessionId = "jury-change";
        await Given.SessionWith(Grains, sessionId,
            [Given.Candidate("LY101"), Given.Candidate("NT101", "NANTES")],
            Given.Sheet("LY101", Given.Case2), Given.Sheet("NT101", Given.AllMarks(11)));
        var candidate = Grains.Candidate(sessionId, "LY101");
        var president = Given.PresidentOf("LYON", "Mme Roux");

        var noReason = await Assert.ThrowsAsync<RefusedException>(() => candidate.EnterResults([new ResultEntry("E1", "10")], president));
        Assert.Equal(RefusalKind.Invalid, noReason.Kind);
        var blankReason = await Assert.ThrowsAsync<RefusedException>(() => candidate.EnterResults([new ResultEntry("E1", "10", "  ")], president));
        Assert.Equal(RefusalKind.Invalid, blankReason.Kind);

        var otherJury = await Assert.ThrowsAsync<RefusedException>(() =>
            candidate.EnterResults([new ResultEntry("E1", "10", "Harmonisation")], Given.PresidentOf("NANTES")));
        Assert.Equal(RefusalKind.Forbidden, otherJury.Kind);
        Assert.Equal(8, (await candidate.GetView()).History.Length);

        var before = DateTimeOffset.UtcNow;
        var counts = await candidate.EnterResults([new ResultEntry("E1", "10", "Copie revue en jury")], president);
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(new EntryCounts(0, 1, 0), counts);
        var view = await candidate.GetView();
        var change = view.History[^1];
        Assert.Equal(("E1", "8", "10", president, "Copie revue en jury", "modification"),
            (change.Unit, change.OldResult, change.NewResult, change.By, change.Reason, change.Action));
        Assert.InRange(change.At, before, after);
        Assert.All(view.History[..^1], h => Assert.Equal((Given.Bureau, "saisie"), (h.By, h.Action)));

        // 247 + 2·3 = 253 → 10.12: the board follows at once.
        var row = (await Grains.Jury(sessionId, "LYON").GetBoard()).Row("LY101");
        Assert.Equal(("ADMIS", 10.12m, "10"), (row.Decision, row.Average!.Value, row.Cell("E1").Result));
        Assert.Equal(Given.Json(view.Summary), Given.Json(row));
    }

    [Fact]
    public async Task An_examiner_enters_only_for_their_commission_puts_only_E4_under_reserve_and_the_president_lifts_it()
    {
        const string sessionId = "jury-reserve";
        await Given.SessionWith(Grains, sessionId,
            [Given.Candidate("LY201"), Given.Candidate("LY202")],
            Given.Sheet("LY201", "E1=12 E21=12 E22=12 E3=12 E5=12 U61=12 U62=12"),
            Given.Sheet("LY202", "E1=12 E21=12 E22=12 E3=12 E5=12 U61=12 U62=12"));
        var candidate = Grains.Candidate(sessionId, "LY201");
        var examiner = Given.Examiner("ex-sti-04");

        var notTheirs = await Assert.ThrowsAsync<RefusedException>(() => candidate.EnterResults([new ResultEntry("E4", "9", UnderReserve: true)], examiner));
        Assert.Equal(RefusalKind.Forbidden, notTheirs.Kind);

        await candidate.AssignExaminers("E4", ["ex-eco-17", "ex-sti-04"]);
        await candidate.AssignExaminers("E22", ["ex-sti-04"]);
        Assert.True(await candidate.IsExaminedBy("ex-sti-04"));
        Assert.False(await Grains.Candidate(sessionId, "LY202").IsExaminedBy("ex-sti-04"));

        // The commission of LY201 has no say on LY202, nor on a unit it does not examine.
        var otherCandidate = await Assert.ThrowsAsync<RefusedException>(() =>
            Grains.Candidate(sessionId, "LY202").EnterResults([new ResultEntry("E4", "9")], examiner));
        Assert.Equal(RefusalKind.Forbidden, otherCandidate.Kind);
        var otherUnit = await Assert.ThrowsAsync<RefusedException>(() => candidate.EnterResults([new ResultEntry("E5", "9")], examiner));
        Assert.Equal(RefusalKind.Forbidden, otherUnit.Kind);

        // Circular §E4: only E4 goes under reserve.
        var reserveOnE22 = await Assert.ThrowsAsync<RefusedException>(() => candidate.EnterResults([new ResultEntry("E22", "9", UnderReserve: true)], examiner));
        Assert.Equal(RefusalKind.Invalid, reserveOnE22.Kind);

        Assert.Equal(new EntryCounts(1, 0, 0), await candidate.EnterResults([new ResultEntry("E4", "9", UnderReserve: true)], examiner));
        var board = await Grains.Jury(sessionId, "LYON").GetBoard();
        Assert.Equal(new UnitCell("E4", "9", true), board.Row("LY201").Cell("E4"));
        Assert.True(board.Row("LY201").HasReserve);
        Assert.Equal(1, board.Aggregates.MarksUnderReserve);
        var reserved = (await candidate.GetView()).History[^1];
        Assert.Equal(("E4", (string?)null, "9", examiner, "saisie sous réserve"), (reserved.Unit, reserved.OldResult, reserved.NewResult, reserved.By, reserved.Action));

        // Only the president of the candidate's jury lifts it, with a reason.
        var byExaminer = await Assert.ThrowsAsync<RefusedException>(() => candidate.LiftReserve("E4", null, "Vérifié", examiner));
        Assert.Equal(RefusalKind.Forbidden, byExaminer.Kind);
        var byOtherPresident = await Assert.ThrowsAsync<RefusedException>(() => candidate.LiftReserve("E4", null, "Vérifié", Given.PresidentOf("NANTES")));
        Assert.Equal(RefusalKind.Forbidden, byOtherPresident.Kind);
        var president = Given.PresidentOf("LYON");
        var withoutReason = await Assert.ThrowsAsync<RefusedException>(() => candidate.LiftReserve("E4", null, " ", president));
        Assert.Equal(RefusalKind.Invalid, withoutReason.Kind);
        var notReserved = await Assert.ThrowsAsync<RefusedException>(() => candidate.LiftReserve("E5", null, "Vérifié", president));
        Assert.Equal(RefusalKind.Conflict, notReserved.Kind);

        var lifted = await candidate.LiftReserve("E4", "11", "Attestation de stage produite", president);

        // Lifted with another result than the one entered: the board marks the mark as changed.
        Assert.Equal(new UnitCell("E4", "11", false, Changed: true), lifted.Cell("E4"));
        var liftTrace = (await candidate.GetView()).History[^1];
        Assert.Equal(("E4", "9", "11", president, "Attestation de stage produite", "levée de réserve"),
            (liftTrace.Unit, liftTrace.OldResult, liftTrace.NewResult, liftTrace.By, liftTrace.Reason, liftTrace.Action));
        board = await Grains.Jury(sessionId, "LYON").GetBoard();
        Assert.Equal(0, board.Aggregates.MarksUnderReserve);
        Assert.Equal(Given.Json(lifted), Given.Json(board.Row("LY201")));
    }

    [Fact]
    public async Task Importing_marks_again_leaves_a_mark_under_reserve_to_the_jury()
    {
        const string sessionId = "jury-reserve-reimport";
        var marks = Given.MarkRows(Given.Sheet("LY301", Given.AllMarks(12)));
        var session = await Given.SessionWith(Grains, sessionId, [Given.Candidate("LY301")]);
        Assert.Empty((await session.ImportMarks(marks, Given.Bureau)).Errors);
        var candidate = Grains.Candidate(sessionId, "LY301");
        await candidate.AssignExaminers("E4", ["ex-eco-17"]);
        await candidate.EnterResults([new ResultEntry("E4", "12", UnderReserve: true)], Given.Examiner("ex-eco-17"));
        var history = (await candidate.GetView()).History.Length;

        // The same marks.csv again: unchanged, and the reserve stands.
        var again = await session.ImportMarks(marks, Given.Bureau);

        Assert.Equal(new ImportCounts(0, 0, marks.Length), again.Counts);
        Assert.Equal(new UnitCell("E4", "12", true), (await candidate.GetSummary()).Cell("E4"));
        Assert.Equal(history, (await candidate.GetView()).History.Length);

        // Another mark for E4 in the file does not replace the mark under reserve: only the jury decides.
        var changed = await session.ImportMarks(marks.Select(m => m.Unit == "E4" ? m with { Result = "15" } : m).ToArray(), Given.Bureau);
        Assert.Null(changed.Counts);
        Assert.Equal([marks.Single(m => m.Unit == "E4").Line], changed.Errors.Select(e => e.Line));
        Assert.Equal(new UnitCell("E4", "12", true), (await candidate.GetSummary()).Cell("E4"));

        // Nor can the commission take its reserve back by entering its mark again.
        var commission = Given.Examiner("ex-eco-17");
        Assert.Equal(new EntryCounts(0, 0, 1), await candidate.EnterResults([new ResultEntry("E4", "12")], commission));
        var byCommission = await Assert.ThrowsAsync<RefusedException>(() => candidate.EnterResults([new ResultEntry("E4", "13")], commission));
        Assert.Equal(RefusalKind.Conflict, byCommission.Kind);
        Assert.Equal(new UnitCell("E4", "12", true), (await candidate.GetSummary()).Cell("E4"));
        Assert.Equal(history, (await candidate.GetView()).History.Length);
        Assert.Equal(1, (await Grains.Jury(sessionId, "LYON").GetBoard()).Aggregates.MarksUnderReserve);
    }

    [Fact]
    public async Task A_change_reaching_an_inactive_jury_reactivates_it_with_its_whole_board()
    {
        const string sessionId = "jury-reactivation";
        await Given.SessionWith(Grains, sessionId,
            [Given.Candidate("LY401"), Given.Candidate("LY402", livret: true)],
            Given.Sheet("LY401", Given.AllMarks(10)), Given.Sheet("LY402", Given.AllMarks(7)));
        var jury = Grains.Jury(sessionId, "LYON");
        var board = await jury.GetBoard();

        // The jury grain goes away (idle collection, silo restart...) while the candidates stay active.
        await fixture.Cluster.DeactivateAsync(jury);
        var counts = await Grains.Candidate(sessionId, "LY401")
            .EnterResults([new ResultEntry("E5", "14", "Erreur de report")], Given.PresidentOf("LYON"))
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(new EntryCounts(0, 1, 0), counts);
        var rebuilt = await jury.GetBoard();
        Assert.Equal(["LY401", "LY402"], rebuilt.Candidates.Select(c => c.CandidateNumber));
        Assert.Equal("14", rebuilt.Row("LY401").Cell("E5").Result);
        Assert.Equal(Given.Json(board.Row("LY402")), Given.Json(rebuilt.Row("LY402")));
        Assert.Equal(1, rebuilt.Aggregates.LivretsToAcknowledge);
    }
}
