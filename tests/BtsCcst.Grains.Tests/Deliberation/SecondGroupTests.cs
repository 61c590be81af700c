using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>
/// The second group (deliberation.md "Second group" and "The jury"): choices after FIRST_CLOSED, contrôle marks
/// only in SECOND_OPEN and only for the units chosen, the better mark kept, closing to CLOSED.
/// </summary>
[Collection(DeliberationClusterCollection.Name)]
public sealed class SecondGroupTests(DeliberationClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    /// <summary>Dispensed from E1: 217 points over 22, average 9.86, pro average 10.75 → SECOND_GROUPE, may choose C_E2 and C_E3 only.</summary>
    private const string DispensedE1Sheet = "E21=9 E22=11 E3=5 E4=12 E5=10 U61=11 U62=9";

    [Fact]
    public async Task A_jury_goes_through_both_groups_keeping_the_better_mark_and_refusing_what_its_phase_forbids()
    {
        const string sessionId = "second-group";
        await Given.SessionWith(Grains, sessionId,
            [
                Given.Candidate("SG01"),
                Given.Candidate("SG02"),
                Given.Candidate("SG03", livret: true, dispensed: ["E1"]),
            ],
            Given.Sheet("SG01", Given.Case2),
            Given.Sheet("SG02", Given.AllMarks(13)),
            Given.Sheet("SG03", DispensedE1Sheet));
        var jury = Grains.Jury(sessionId, "LYON");
        var president = Given.PresidentOf("LYON");
        AssertRefused(RefusalKind.Conflict, await Catch(() => Grains.Candidate(sessionId, "SG01").ChooseControles(["C_E1", "C_E3"], president)));

        Assert.Equal(new CloseOutcome("FIRST_CLOSED", 2), await jury.Close(president));

        // FIRST_CLOSED: choices are recorded, contrôle marks are not entered yet, and closing again needs the second group open.
        var sg01 = Grains.Candidate(sessionId, "SG01");
        var sg03 = Grains.Candidate(sessionId, "SG03");
        AssertRefused(RefusalKind.Conflict, await Catch(() => sg01.EnterResults([new ResultEntry("C_E1", "14", "Oral")], president)));
        AssertRefused(RefusalKind.Forbidden, await Catch(() => sg01.ChooseControles(["C_E1", "C_E3"], Given.PresidentOf("NANTES"))));
        AssertRefused(RefusalKind.Conflict, await Catch(() => Grains.Candidate(sessionId, "SG02").ChooseControles(["C_E1", "C_E3"], president)));
        AssertRefused(RefusalKind.Invalid, await Catch(() => sg01.ChooseControles(["C_E1"], president)));
        AssertRefused(RefusalKind.Invalid, await Catch(() => sg01.ChooseControles(["E1", "EF1"], president)));
        var dispensed = await Catch(() => sg03.ChooseControles(["C_E1", "C_E3"], Given.Bureau));
        AssertRefused(RefusalKind.Invalid, dispensed);
        Assert.Contains("C_E2 (E21 + E22), C_E3 (E3)", dispensed!.Message);
        var chosen = await sg01.ChooseControles(["E1", "C_E3"], president);
        Assert.Equal(["C_E1", "C_E3"], chosen.ControleChoices);
        var closedAlready = await Catch(() => jury.Close(president));
        AssertRefused(RefusalKind.Conflict, closedAlready);
        Assert.EndsWith("ouvrez le second groupe, puis clôturez-le.", closedAlready!.Message);

        Assert.Equal("SECOND_OPEN", await jury.OpenSecondGroup(president));
        AssertRefused(RefusalKind.Conflict, await Catch(() => jury.OpenSecondGroup(president)));

        // SECOND_OPEN: closing waits for every choice and every contrôle mark.
        var board = await jury.GetBoard();
        Assert.Equal("SECOND_OPEN", board.Phase);
        Assert.Equal(2, board.Aggregates.SecondGroupToExamine);
        Assert.Equal(2, board.Aggregates.ControlesToMark);
        var blocked = await Catch(() => jury.Close(president));
        AssertRefused(RefusalKind.Conflict, blocked);
        Assert.Equal(["SG01 : résultat manquant en C_E1, C_E3", "SG03 : épreuves de contrôle à choisir"], blocked!.Subjects);

        await sg03.ChooseControles(["E2", "E3"], Given.Bureau);
        AssertRefused(RefusalKind.Conflict, await Catch(() => sg01.EnterResults([new ResultEntry("C_E2", "15", "Oral")], president)));
        AssertRefused(RefusalKind.Invalid, await Catch(() => sg01.EnterResults([new ResultEntry("C_E1", "NV", "Oral")], president)));
        AssertRefused(RefusalKind.Conflict, await Catch(() => sg01.EnterResults([new ResultEntry("E1", "12", "Trop tard")], president)));
        AssertRefused(RefusalKind.Forbidden, await Catch(() => sg01.EnterResults([new ResultEntry("C_E1", "14")], Given.Examiner("ex-let-1"))));

        await sg01.AssignExaminers("C_E1", ["ex-let-1"]);
        await sg01.EnterResults([new ResultEntry("C_E1", "14")], Given.Examiner("ex-let-1"));
        await sg01.EnterResults([new ResultEntry("C_E3", "ABS", "Absent à l'oral de contrôle")], president);
        var sg01Row = await sg01.GetSummary();
        // E1 8 → 14 kept: 247 + 3 × 6 = 265 points over 25; E3 absent keeps its 7.
        Assert.Equal(("ADMIS", 2, 265m, 10.6m), (sg01Row.Decision, sg01Row.Group, sg01Row.Points!.Value, sg01Row.Average!.Value));
        Assert.Equal(("SECOND_GROUPE", 9.88m), (sg01Row.FirstGroupDecision, sg01Row.FirstGroupAverage!.Value));
        Assert.Equal(
            [("C_E1", true, 8m, "14", 14m), ("C_E2", false, 10m, null, 10m), ("C_E3", true, 7m, "ABS", 7m)],
            sg01Row.Controles.Select(c => (c.Unit, c.Chosen, c.FirstGroupMark, c.Result, c.Kept)));

        // SG03: E2's first-group mark is (1.5·9 + 1.5·11) / 3 = 10; neither contrôle mark is better, so 217 / 22 stays below 10.
        await sg03.EnterResults([new ResultEntry("C_E2", "9.5", "Oral"), new ResultEntry("C_E3", "5", "Oral")], president);
        var sg03Row = await sg03.GetSummary();
        Assert.Equal(("AJOURNE", 2), (sg03Row.Decision, sg03Row.Group));
        Assert.Equal([("C_E2", 10m, 10m), ("C_E3", 5m, 5m)], sg03Row.Controles.Select(c => (c.Unit, c.FirstGroupMark, c.Kept)));

        board = await jury.GetBoard();
        Assert.Equal(0, board.Aggregates.SecondGroupToExamine);
        Assert.Equal(0, board.Aggregates.ControlesToMark);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0], board.Aggregates.UnitDistributions["C_E1"]);
        // The livret of a candidate adjourned at the second group must be examined before closing (D643-26).
        var livret = await Catch(() => jury.Close(president));
        Assert.Equal(["SG03 : livret scolaire à examiner avant d'ajourner (D643-26)"], livret!.Subjects);
        Assert.Equal("SECOND_OPEN", (await jury.GetBoard()).Phase);
        await sg03.AcknowledgeLivret(president);

        Assert.Equal(new CloseOutcome("CLOSED", 2), await jury.Close(president));

        board = await jury.GetBoard();
        Assert.Equal("CLOSED", board.Phase);
        Assert.Equal([("SG01", "ADMIS", 2), ("SG02", "ADMIS", 1), ("SG03", "AJOURNE", 2)],
            board.Candidates.Select(c => (c.CandidateNumber, c.Decision, c.Group)));
        AssertRefused(RefusalKind.Conflict, await Catch(() => sg01.EnterResults([new ResultEntry("C_E1", "15", "Correction")], president)));
        AssertRefused(RefusalKind.Conflict, await Catch(() => sg01.ChooseControles(["C_E1", "C_E2"], president)));
        AssertRefused(RefusalKind.Conflict, await Catch(() => jury.Close(president)));
        Assert.Equal(["FIRST_CLOSED", "SECOND_OPEN", "CLOSED"], (await jury.GetPhaseChanges()).Select(c => c.Phase));
    }

    [Fact]
    public async Task Only_the_chosen_contrôle_orals_without_a_mark_are_planned_and_a_marked_choice_cannot_be_dropped()
    {
        const string sessionId = "second-group-plan";
        await Given.SessionWith(Grains, sessionId, [Given.Candidate("SP01"), Given.Candidate("SP02")],
            Given.Sheet("SP01", Given.Case2), Given.Sheet("SP02", Given.AllMarks(12)));
        var sp01 = Grains.Candidate(sessionId, "SP01");
        Assert.Empty((await sp01.GetControlePlanningData()).Orals);
        var jury = Grains.Jury(sessionId, "LYON");
        var president = Given.PresidentOf("LYON");
        await jury.Close(president);
        await sp01.ChooseControles(["C_E2", "C_E3"], Given.Bureau);

        Assert.Equal(["C_E2", "C_E3"], (await sp01.GetControlePlanningData()).Orals);
        Assert.Empty((await Grains.Candidate(sessionId, "SP02").GetControlePlanningData()).Orals);

        await jury.OpenSecondGroup(president);
        await sp01.EnterResults([new ResultEntry("C_E2", "11", "Oral")], president);
        Assert.Equal(["C_E3"], (await sp01.GetControlePlanningData()).Orals);
        AssertRefused(RefusalKind.Conflict, await Catch(() => sp01.ChooseControles(["C_E1", "C_E3"], Given.Bureau)));
        Assert.Equal(["C_E1", "C_E2"], (await sp01.ChooseControles(["C_E2", "C_E1"], Given.Bureau)).ControleChoices);
        Assert.Equal(["C_E1"], (await sp01.GetControlePlanningData()).Orals);
    }

    [Fact]
    public async Task The_session_configures_which_general_units_may_be_chosen_for_contrôle()
    {
        const string sessionId = "second-group-config";
        var session = Grains.Session(sessionId);
        await session.SetDeliberationSettings(new DeliberationSettings(10m, 8m, 10m, 0.5m, ["C_E1", "C_E3"]));
        AssertRefused(RefusalKind.Invalid, await Catch(() => session.SetDeliberationSettings(new DeliberationSettings(10m, 8m, 10m, 0.5m, ["C_E1", "EF1"]))));
        await Given.SessionWith(Grains, sessionId, [Given.Candidate("SC01")], Given.Sheet("SC01", Given.Case2));
        await Grains.Jury(sessionId, "LYON").Close(Given.PresidentOf("LYON"));
        var candidate = Grains.Candidate(sessionId, "SC01");

        var refused = await Catch(() => candidate.ChooseControles(["C_E1", "C_E2"], Given.Bureau));

        AssertRefused(RefusalKind.Invalid, refused);
        Assert.Contains("C_E1 (E1), C_E3 (E3)", refused!.Message);
        Assert.Equal(["C_E1", "C_E3"], (await candidate.ChooseControles(["E3", "E1"], Given.Bureau)).ControleChoices);
        Assert.Equal(["C_E1", "C_E3"], (await candidate.GetSummary()).Controles.Select(c => c.Unit));
    }

    private static async Task<RefusedException?> Catch(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (RefusedException e)
        {
            return e;
        }
    }

    private static void AssertRefused(RefusalKind kind, RefusedException? refusal)
    {
        Assert.NotNull(refusal);
        Assert.Equal(kind, refusal.Kind);
    }
}
