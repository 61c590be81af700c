using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>
/// Issue 12: an import never removes or moves anything silently, and a closed jury's results never change,
/// whatever the organiser imports or sets afterwards.
/// </summary>
[Collection(DeliberationClusterCollection.Name)]
public sealed class SessionLifecycleTests(DeliberationClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private static readonly DeliberationSettings Stricter = new(12m, 10m, 12m, 0.5m);

    [Fact]
    public async Task A_header_only_juries_file_changes_nothing_and_a_closed_jury_keeps_its_decisions_against_new_thresholds()
    {
        const string sessionId = "lifecycle-header-only";
        Assert.Empty((await Grains.Session(sessionId).ImportJuries(
            [new JuryDefinition("LYON", ["LYON"], "Mme Roux", []), new JuryDefinition("NANTES", ["NANTES"], "M. Durand", [])], [2, 3])).Errors);
        var session = await Given.SessionWith(Grains, sessionId,
            [Given.Candidate("LY901"), Given.Candidate("NT901", "NANTES")],
            Given.Sheet("LY901", Given.AllMarks(11)), Given.Sheet("NT901", Given.AllMarks(11)));
        Assert.Equal("CLOSED", (await Grains.Jury(sessionId, "NANTES").Close(Given.PresidentOf("NANTES"))).Phase);
        var overview = Given.Json(await session.GetOverview());
        var nantesBoard = Given.BoardJson(await Grains.Jury(sessionId, "NANTES").GetBoard());

        var headerOnly = await session.ImportJuries([], []);
        Assert.Equal(new ImportCounts(0, 0, 0), headerOnly.Counts);
        Assert.Empty(headerOnly.Removed);
        Assert.Empty(headerOnly.Moved);
        Assert.Equal(overview, Given.Json(await session.GetOverview()));

        // The thresholds no longer change once a jury has closed: 11 stays ADMIS under the 10 of the session.
        var refused = await Assert.ThrowsAsync<RefusedException>(() => session.SetDeliberationSettings(Stricter));
        Assert.Equal(RefusalKind.Conflict, refused.Kind);
        Assert.Equal(["NANTES"], refused.Subjects);
        Assert.Equal(nantesBoard, Given.BoardJson(await Grains.Jury(sessionId, "NANTES").GetBoard()));
        Assert.Equal("ADMIS", (await Grains.Candidate(sessionId, "NT901").GetSummary()).Decision);
    }

    [Fact]
    public async Task A_frozen_candidate_keeps_the_thresholds_it_was_decided_under_even_when_told_new_ones()
    {
        const string sessionId = "lifecycle-frozen-rules";
        await Given.SessionWith(Grains, sessionId, [Given.Candidate("NT911", "NANTES")], Given.Sheet("NT911", Given.AllMarks(11)));
        Assert.Equal("CLOSED", (await Grains.Jury(sessionId, "NANTES").Close(Given.PresidentOf("NANTES"))).Phase);

        // Whatever route would reach it (settings pushed to every candidate), a CLOSED candidate's result stands.
        await Grains.Candidate(sessionId, "NT911").ApplyDeliberationSettings(Stricter);
        Assert.Equal("ADMIS", (await Grains.Candidate(sessionId, "NT911").GetSummary()).Decision);
        Assert.Equal("ADMIS", (await Grains.Jury(sessionId, "NANTES").GetBoard()).Row("NT911").Decision);
    }

    [Fact]
    public async Task Giving_an_academy_to_another_jury_moves_its_candidates_and_removes_the_emptied_jury_and_says_so()
    {
        const string sessionId = "lifecycle-moves";
        var session = await Given.SessionWith(Grains, sessionId,
            [Given.Candidate("LY921"), Given.Candidate("NT921", "NANTES"), Given.Candidate("NT922", "NANTES")],
            Given.Sheet("NT921", Given.AllMarks(12)));

        var outcome = await session.ImportJuries([new JuryDefinition("OUEST", ["NANTES"], "Mme Le Goff", [])], [2]);

        Assert.Empty(outcome.Errors);
        Assert.Equal(new ImportCounts(1, 0, 0), outcome.Counts);
        Assert.Equal(["NANTES"], outcome.Removed);
        Assert.Equal([new CandidateMove("NT921", "NANTES", "OUEST"), new CandidateMove("NT922", "NANTES", "OUEST")], outcome.Moved);
        Assert.Equal(["NT921", "NT922"], (await Grains.Jury(sessionId, "OUEST").GetBoard()).Candidates.Select(c => c.CandidateNumber));
        Assert.Equal("OUEST", (await Grains.Candidate(sessionId, "NT921").GetSummary()).JuryId);
        Assert.Equal(["LYON", "OUEST"], (await session.GetOverview()).Juries.Select(j => j.JuryId));
        await Assert.ThrowsAsync<RefusedException>(() => Grains.Jury(sessionId, "NANTES").GetBoard());
        // LYON, not named by the file, stays as it was.
        Assert.Equal(["LY921"], (await Grains.Jury(sessionId, "LYON").GetBoard()).Candidates.Select(c => c.CandidateNumber));
    }

    [Fact]
    public async Task A_move_out_of_a_jury_whose_president_acted_or_that_closed_is_refused_naming_the_row()
    {
        const string sessionId = "lifecycle-refused-moves";
        var session = await Given.SessionWith(Grains, sessionId,
            [Given.Candidate("LY931"), Given.Candidate("NT931", "NANTES")],
            Given.Sheet("LY931", Given.AllMarks(12)), Given.Sheet("NT931", Given.AllMarks(12)));
        await Grains.Candidate(sessionId, "LY931").EnterResults([new ResultEntry("E1", "13", "Copie revue")], Given.PresidentOf("LYON"));
        Assert.Equal("CLOSED", (await Grains.Jury(sessionId, "NANTES").Close(Given.PresidentOf("NANTES"))).Phase);

        var outcome = await session.ImportJuries(
            [new JuryDefinition("CENTRE-EST", ["LYON"], "M. Petit", []), new JuryDefinition("OUEST", ["NANTES"], "Mme Le Goff", [])], [2, 3]);

        Assert.Null(outcome.Counts);
        Assert.Contains(outcome.Errors, e => e.Line == 2 && e.Message.Contains("LY931") && e.Message.Contains("président"));
        Assert.Contains(outcome.Errors, e => e.Line == 3 && e.Message.Contains("NT931") && e.Message.Contains("délibéré"));
        Assert.Equal("LYON", (await Grains.Candidate(sessionId, "LY931").GetSummary()).JuryId);
        Assert.Equal(["LYON", "NANTES"], (await session.GetOverview()).Juries.Select(j => j.JuryId));
    }

    [Fact]
    public async Task A_jury_row_that_drops_an_academy_no_other_jury_takes_is_refused_naming_the_row_and_its_candidates()
    {
        const string sessionId = "lifecycle-orphans";
        var session = Grains.Session(sessionId);
        Assert.Empty((await session.ImportJuries([new JuryDefinition("EST", ["LYON", "GRENOBLE"], "Mme Roux", [])], [2])).Errors);
        await Given.SessionWith(Grains, sessionId, [Given.Candidate("LY951"), Given.Candidate("GR951", "GRENOBLE"), Given.Candidate("GR952", "GRENOBLE")]);
        var overview = Given.Json(await session.GetOverview());

        // EST keeps LYON only, and no row takes GRENOBLE: its two candidates would be left without a jury.
        var outcome = await session.ImportJuries([new JuryDefinition("NORD", ["LILLE"], "M. Petit", []), new JuryDefinition("EST", ["LYON"], "Mme Roux", [])], [2, 3]);

        Assert.Null(outcome.Counts);
        Assert.Contains(outcome.Errors, e => e.Line == 3 && e.Column == "academies" && e.Message.Contains("GR951") && e.Message.Contains("GRENOBLE"));
        Assert.Contains(outcome.Errors, e => e.Line == 3 && e.Message.Contains("GR952"));
        Assert.Equal(overview, Given.Json(await session.GetOverview()));
        Assert.Equal("EST", (await Grains.Candidate(sessionId, "GR951").GetSummary()).JuryId);
    }

    [Fact]
    public async Task A_jury_closed_straight_away_takes_no_livret_examination_afterwards()
    {
        const string sessionId = "lifecycle-closed-livret";
        await Given.SessionWith(Grains, sessionId, [Given.Candidate("NT941", "NANTES", livret: true)], Given.Sheet("NT941", Given.AllMarks(12)));
        var president = Given.PresidentOf("NANTES");
        Assert.Equal("CLOSED", (await Grains.Jury(sessionId, "NANTES").Close(president)).Phase);
        var row = Given.Json((await Grains.Jury(sessionId, "NANTES").GetBoard()).Row("NT941"));

        var refused = await Assert.ThrowsAsync<RefusedException>(() => Grains.Candidate(sessionId, "NT941").AcknowledgeLivret(president));

        Assert.Equal(RefusalKind.Conflict, refused.Kind);
        Assert.Equal(row, Given.Json((await Grains.Jury(sessionId, "NANTES").GetBoard()).Row("NT941")));
    }
}
