using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>The president closes the first-group deliberation once nothing prevents it (deliberation.md "The jury").</summary>
[Collection(DeliberationClusterCollection.Name)]
public sealed class ClosingTests(DeliberationClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task Closing_is_refused_naming_each_blocking_candidate_then_freezes_the_results_in_FIRST_CLOSED()
    {
        const string sessionId = "close-first";
        var session = await Given.SessionWith(Grains, sessionId,
            [
                Given.Candidate("LY501"),               // admitted
                Given.Candidate("LY502"),               // U62 not entered yet
                Given.Candidate("LY503"),               // E4 under reserve
                Given.Candidate("LY504", livret: true), // to be adjourned, livret not examined
                Given.Candidate("LY505", livret: true), // second group: the livret does not block
            ],
            Given.Sheet("LY501", Given.AllMarks(13)),
            Given.Sheet("LY502", "E1=11 E21=11 E22=11 E3=11 E4=11 E5=11 U61=11"),
            Given.Sheet("LY503", "E1=11 E21=11 E22=11 E3=11 E5=11 U61=11 U62=11"),
            Given.Sheet("LY504", Given.AllMarks(6)),
            Given.Sheet("LY505", Given.Case2));
        await Grains.Candidate(sessionId, "LY503").AssignExaminers("E4", ["ex-eco-17"]);
        await Grains.Candidate(sessionId, "LY503").EnterResults([new ResultEntry("E4", "12", UnderReserve: true)], Given.Examiner("ex-eco-17"));
        var jury = Grains.Jury(sessionId, "LYON");
        var president = Given.PresidentOf("LYON");

        Assert.Equal(RefusalKind.Forbidden, (await Assert.ThrowsAsync<RefusedException>(() => jury.Close(Given.PresidentOf("NANTES")))).Kind);
        Assert.Equal(RefusalKind.Forbidden, (await Assert.ThrowsAsync<RefusedException>(() => jury.Close(Given.Bureau))).Kind);

        var refused = await Assert.ThrowsAsync<RefusedException>(() => jury.Close(president));

        Assert.Equal(RefusalKind.Conflict, refused.Kind);
        Assert.Equal(["LY502", "LY503", "LY504"], refused.Subjects.Select(s => s.Split(' ')[0]));
        Assert.Contains("U62", refused.Subjects[0]);
        Assert.Contains("E4", refused.Subjects[1]);
        Assert.Contains("livret", refused.Subjects[2]);
        Assert.All(["LY502", "LY503", "LY504"], n => Assert.Contains(n, refused.Message));
        var board = await jury.GetBoard();
        Assert.Equal("FIRST_OPEN", board.Phase);
        Assert.All(board.Candidates, c => Assert.False(c.Frozen));

        // Each blocker removed in turn: the refusal names only those left.
        Assert.Empty((await session.ImportMarks([new MarkImportRow(2, "LY502", "U62", "11")], Given.Bureau)).Errors);
        await Grains.Candidate(sessionId, "LY503").LiftReserve("E4", null, "Réalité de la situation vérifiée", president);
        var stillRefused = await Assert.ThrowsAsync<RefusedException>(() => jury.Close(president));
        Assert.Equal(["LY504"], stillRefused.Subjects.Select(s => s.Split(' ')[0]));
        await Grains.Candidate(sessionId, "LY504").AcknowledgeLivret(president);

        var closed = await jury.Close(president);

        Assert.Equal(new CloseOutcome("FIRST_CLOSED", 1), closed);
        board = await jury.GetBoard();
        Assert.Equal("FIRST_CLOSED", board.Phase);
        Assert.All(board.Candidates, c => Assert.True(c.Frozen));
        Assert.Equal(
            [("LY501", "ADMIS"), ("LY502", "ADMIS"), ("LY503", "ADMIS"), ("LY504", "AJOURNE"), ("LY505", "SECOND_GROUPE")],
            board.Candidates.Select(c => (c.CandidateNumber, c.Decision)));

        // Frozen: no result changes any more, by anyone, nor the registration.
        var change = await Assert.ThrowsAsync<RefusedException>(() =>
            Grains.Candidate(sessionId, "LY505").EnterResults([new ResultEntry("E1", "12", "Trop tard")], president));
        Assert.Equal(RefusalKind.Conflict, change.Kind);
        var import = await session.ImportMarks([new MarkImportRow(2, "LY501", "E1", "14")], Given.Bureau);
        Assert.Null(import.Counts);
        Assert.Equal([2], import.Errors.Select(e => e.Line));
        var reregistered = await session.ImportCandidates(Given.CandidateRows(Given.Candidate("LY501", lastName: "MARTINEZ")));
        Assert.Null(reregistered.Counts);
        Assert.Equal([2], reregistered.Errors.Select(e => e.Line));
        Assert.Equal(new ImportCounts(0, 0, 1), (await session.ImportCandidates(Given.CandidateRows(Given.Candidate("LY501")))).Counts);
        // A closed jury takes no newcomer either: the import is refused and nothing is registered.
        var newcomer = await session.ImportCandidates(Given.CandidateRows(Given.Candidate("LY501"), Given.Candidate("LY509")));
        Assert.Null(newcomer.Counts);
        Assert.Equal([(3, "academy")], newcomer.Errors.Select(e => (e.Line, e.Column)));
        Assert.False(await Grains.Candidate(sessionId, "LY509").IsRegistered());
        Assert.False(await session.HasCandidate("LY509"));
        Assert.Equal(RefusalKind.Conflict, (await Assert.ThrowsAsync<RefusedException>(() => jury.Close(president))).Kind);

        var unchanged = await jury.GetBoard();
        Assert.Equal(Given.Json(board), Given.Json(unchanged));
        Assert.Equal("13", (await Grains.Candidate(sessionId, "LY501").GetView()).Summary.Cell("E1").Result);
    }

    [Fact]
    public async Task A_jury_without_second_group_candidates_closes_straight_to_CLOSED()
    {
        const string sessionId = "close-straight";
        await Given.SessionWith(Grains, sessionId,
            [Given.Candidate("NT501", "NANTES"), Given.Candidate("NT502", "NANTES"), Given.Candidate("NT503", "NANTES")],
            Given.Sheet("NT501", Given.AllMarks(14)),
            Given.Sheet("NT502", "E1=12 E21=12 E22=12 E3=12 E4=NV E5=12 U61=12 U62=12"),
            Given.Sheet("NT503", Given.AllMarks(5)));   // adjourned, no livret supplied
        var jury = Grains.Jury(sessionId, "NANTES");

        var closed = await jury.Close(Given.PresidentOf("NANTES"));

        Assert.Equal(new CloseOutcome("CLOSED", 0), closed);
        Assert.Equal("CLOSED", await jury.GetPhase());
        var board = await jury.GetBoard();
        Assert.Equal("CLOSED", board.Phase);
        Assert.All(board.Candidates, c => Assert.True(c.Frozen));
        var change = await Assert.ThrowsAsync<RefusedException>(() =>
            Grains.Candidate(sessionId, "NT503").EnterResults([new ResultEntry("E1", "20", "Trop tard")], Given.PresidentOf("NANTES")));
        Assert.Equal(RefusalKind.Conflict, change.Kind);
    }

    [Fact]
    public async Task Marks_entered_while_the_president_closes_neither_hang_nor_slip_past_the_freeze()
    {
        const string sessionId = "close-race";
        var numbers = Enumerable.Range(1, 12).Select(i => $"RN6{i:D2}").ToArray();
        await Given.SessionWith(Grains, sessionId,
            numbers.Select(n => Given.Candidate(n, "RENNES")).ToArray(),
            numbers.Select(n => Given.Sheet(n, Given.AllMarks(12))).ToArray());
        var jury = Grains.Jury(sessionId, "RENNES");
        var president = Given.PresidentOf("RENNES");

        // The jury keeps changing marks while its president closes: two changes are always on
        // their way to each candidate, so the close finds every one of them mid-change.
        async Task<int> ChangeUntilFrozen(string number, int seed)
        {
            var updated = 0;
            for (var round = 0; round < 200; round++)
            {
                var mark = (10 + (seed + round) % 7).ToString(System.Globalization.CultureInfo.InvariantCulture);
                try
                {
                    updated += (await Grains.Candidate(sessionId, number).EnterResults([new ResultEntry("E1", mark, "Harmonisation")], president)).Updated;
                }
                catch (RefusedException refused) when (refused.Kind == RefusalKind.Conflict)
                {
                    break;
                }
            }
            return updated;
        }
        var changes = numbers.Select(n => Task.WhenAll(ChangeUntilFrozen(n, 0), ChangeUntilFrozen(n, 3))).ToArray();
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        var closed = await jury.Close(president).WaitAsync(TimeSpan.FromSeconds(15));
        var updates = await Task.WhenAll(changes).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("CLOSED", closed.Phase);
        // Every change accepted before the freeze is traced and shown, none after it.
        var board = await jury.GetBoard();
        for (var i = 0; i < numbers.Length; i++)
        {
            var view = await Grains.Candidate(sessionId, numbers[i]).GetView();
            Assert.True(view.Summary.Frozen);
            var changed = view.History.Where(h => h.Action == "modification").ToArray();
            Assert.Equal(updates[i].Sum(), changed.Length);
            Assert.Equal(changed.LastOrDefault()?.NewResult ?? "12", view.Summary.Cell("E1").Result);
            Assert.Equal(Given.Json(view.Summary), Given.Json(board.Row(numbers[i])));
        }
    }
}
