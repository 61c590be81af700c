using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>The exam office imports candidates.csv and marks.csv; the jury sees its board.</summary>
[Collection(DeliberationClusterCollection.Name)]
public sealed class ImportTests(DeliberationClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task Imported_candidates_and_marks_fill_the_jury_board_with_decisions_and_aggregates()
    {
        var session = Grains.Session("import-board");

        var candidates = await session.ImportCandidates(Given.CandidateRows(
            Given.Candidate("LY001"),                                                       // all 10
            Given.Candidate("LY002", optional: ["EF1"]),                                    // worked case 2 with EF1 14
            Given.Candidate("LY003", livret: true),                                         // worked case 2 without EF1
            Given.Candidate("LY004", livret: true, dispensed: ["E1", "E21", "E22", "E3"]),  // worked case 4
            Given.Candidate("LY005"),                                                       // worked case 3: U61 NV
            Given.Candidate("LY006"),                                                       // absent at E1
            Given.Candidate("LY007", kept: ["E4:12.5"])));                                  // only E5 so far
        Assert.Empty(candidates.Errors);
        Assert.Equal(new ImportCounts(7, 0, 0), candidates.Counts);

        var rows = Given.MarkRows(
            Given.Sheet("LY001", Given.AllMarks(10)),
            Given.Sheet("LY002", Given.Case2 + " EF1=14"),
            Given.Sheet("LY003", Given.Case2),
            Given.Sheet("LY004", "E4=9 E5=11 U61=10 U62=10"),
            Given.Sheet("LY005", "E1=8 E21=9 E22=11 E3=7 E4=12 E5=10 U61=NV U62=9"),
            Given.Sheet("LY006", "E1=ABS E21=12 E22=12 E3=12 E4=12 E5=12 U61=12 U62=12"),
            Given.Sheet("LY007", "E5=13"));
        var marks = await session.ImportMarks(rows, Given.Bureau);
        Assert.Empty(marks.Errors);
        Assert.Equal(new ImportCounts(rows.Length, 0, 0), marks.Counts);

        // The session placed everyone on the default jury of their academy.
        var board = await Grains.Jury("import-board", "LYON").GetBoard();
        Assert.Equal("FIRST_OPEN", board.Phase);
        Assert.Equal(["LYON"], board.Academies);
        Assert.Equal(["LY001", "LY002", "LY003", "LY004", "LY005", "LY006", "LY007"], board.Candidates.Select(c => c.CandidateNumber));
        Assert.All(board.Candidates, c => Assert.Equal("LYON", c.JuryId));

        // Worked case 1: 250 points, 10.00.
        var allTen = board.Row("LY001");
        Assert.Equal(("ADMIS", 250m, 10.00m), (allTen.Decision, allTen.Points!.Value, allTen.Average!.Value));
        Assert.False(allTen.NearThreshold);

        // Worked case 2: EF1 adds 4 points above 10 → 251 / 25 = 10.04.
        var withEf1 = board.Row("LY002");
        Assert.Equal(("ADMIS", 251m, 10.04m), (withEf1.Decision, withEf1.Points!.Value, withEf1.Average!.Value));
        Assert.Equal("14", withEf1.Cell("EF1").Result);

        // Without EF1: 9.88 with a professional average of 10.75 → épreuves de contrôle.
        var secondGroup = board.Row("LY003");
        Assert.Equal(("SECOND_GROUPE", 9.88m, 10.75m), (secondGroup.Decision, secondGroup.Average!.Value, secondGroup.ProAverage!.Value));
        Assert.True(secondGroup.NearThreshold);
        Assert.False(secondGroup.LivretToAcknowledge);

        // Worked case 4: dispensed general units leave 158 points over 16 → 9.875, pro average too low.
        var dispensed = board.Row("LY004");
        Assert.Equal(("AJOURNE", 158m, 9.88m), (dispensed.Decision, dispensed.Points!.Value, dispensed.Average!.Value));
        Assert.Equal(["DISP", "DISP", "DISP", "DISP"], new[] { "E1", "E21", "E22", "E3" }.Select(u => dispensed.Cell(u).Result));
        Assert.True(dispensed.LivretToAcknowledge);

        // Worked case 3 and D643-24: no average, no award.
        Assert.Equal(("NON_VALIDE", (decimal?)null), (board.Row("LY005").Decision, board.Row("LY005").Average));
        Assert.Equal(("ABSENT", (decimal?)null), (board.Row("LY006").Decision, board.Row("LY006").Average));

        // The kept E4 is shown, the units still to come are listed.
        var incomplete = board.Row("LY007");
        Assert.Equal("INCOMPLET", incomplete.Decision);
        Assert.Equal(new UnitCell("E4", "BEN:12.5", false), incomplete.Cell("E4"));
        Assert.Equal(["E1", "E21", "E22", "E3", "U61", "U62"], incomplete.MissingUnits);

        var aggregates = board.Aggregates;
        Assert.Equal(7, aggregates.Candidates);
        Assert.Equal(
            new Dictionary<string, int> { ["INCOMPLET"] = 1, ["NON_VALIDE"] = 1, ["ABSENT"] = 1, ["ADMIS"] = 2, ["SECOND_GROUPE"] = 1, ["AJOURNE"] = 1 },
            aggregates.Decisions);
        Assert.Equal(0.3333m, aggregates.PassRate);          // 2 admitted among 6 decided
        Assert.Equal(20, aggregates.AverageDistribution.Length);
        Assert.Equal(2, aggregates.AverageDistribution[9]);  // 9.88, 9.88
        Assert.Equal(2, aggregates.AverageDistribution[10]); // 10.00, 10.04
        Assert.Equal(4, aggregates.AverageDistribution.Sum());
        Assert.Equal(2, aggregates.NearThreshold);
        Assert.Equal((2, 0, 1), (aggregates.LivretsSupplied, aggregates.LivretsAcknowledged, aggregates.LivretsToAcknowledge));
        Assert.Equal(0, aggregates.MarksUnderReserve);
        Assert.Equal(1, aggregates.Incomplete);

        var overview = await session.GetOverview();
        Assert.Equal(7, overview.Candidates);
        Assert.Equal(["LYON"], overview.Juries.Select(j => j.JuryId));
    }

    [Fact]
    public async Task Importing_the_same_files_again_changes_nothing_and_a_changed_row_is_an_update()
    {
        const string sessionId = "import-again";
        CandidateRegistration[] registrations = [Given.Candidate("NT001", "NANTES"), Given.Candidate("NT002", "NANTES"), Given.Candidate("NT003", "NANTES")];
        var marks = Given.MarkRows(Given.Sheet("NT001", Given.Case2), Given.Sheet("NT002", Given.AllMarks(12)), Given.Sheet("NT003", "E1=15 E4=14"));
        var session = await Given.SessionWith(Grains, sessionId, registrations);
        Assert.Empty((await session.ImportMarks(marks, Given.Bureau)).Errors);
        var jury = Grains.Jury(sessionId, "NANTES");
        var board = await jury.GetBoard();
        var history = await Grains.Candidate(sessionId, "NT001").GetView();

        var candidatesAgain = await session.ImportCandidates(Given.CandidateRows(registrations));
        var marksAgain = await session.ImportMarks(marks, Given.Bureau);

        Assert.Equal(new ImportCounts(0, 0, 3), candidatesAgain.Counts);
        Assert.Equal(new ImportCounts(0, 0, marks.Length), marksAgain.Counts);
        var boardAgain = await jury.GetBoard();
        Assert.Equal(board.Version, boardAgain.Version);
        Assert.Equal(Given.Json(board), Given.Json(boardAgain));
        Assert.Equal(Given.Json(history), Given.Json(await Grains.Candidate(sessionId, "NT001").GetView()));

        // A corrected name and a corrected mark are updates; the rest stays unchanged.
        registrations[1] = registrations[1] with { LastName = "MARTIN-LEROY" };
        var correctedMarks = marks.Select(m => m is { CandidateNumber: "NT001", Unit: "E1" } ? m with { Result = "9" } : m).ToArray();
        var before = DateTimeOffset.UtcNow;

        Assert.Equal(new ImportCounts(0, 1, 2), (await session.ImportCandidates(Given.CandidateRows(registrations))).Counts);
        Assert.Equal(new ImportCounts(0, 1, marks.Length - 1), (await session.ImportMarks(correctedMarks, Given.Bureau)).Counts);

        board = await jury.GetBoard();
        Assert.Equal("MARTIN-LEROY", board.Row("NT002").LastName);
        Assert.Equal("9", board.Row("NT001").Cell("E1").Result);
        Assert.Equal(250m, board.Row("NT001").Points);  // 247 + 3
        var view = await Grains.Candidate(sessionId, "NT001").GetView();
        Assert.Equal(9, view.History.Length);
        var change = view.History[^1];
        Assert.Equal(("E1", "8", "9", Given.Bureau, (string?)null, "modification"), (change.Unit, change.OldResult, change.NewResult, change.By, change.Reason, change.Action));
        Assert.InRange(change.At, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_marks_file_with_bad_rows_is_refused_whole_naming_every_bad_line_and_nothing_is_stored()
    {
        const string sessionId = "import-refused";
        var session = await Given.SessionWith(Grains, sessionId,
            [Given.Candidate("RN001", "RENNES"), Given.Candidate("RN002", "RENNES", optional: ["EF1"], dispensed: ["E1"])]);
        var jury = Grains.Jury(sessionId, "RENNES");
        var board = await jury.GetBoard();

        var outcome = await session.ImportMarks(
        [
            new MarkImportRow(2, "RN001", "E1", "12"),
            new MarkImportRow(3, "RN999", "E1", "12"),    // not registered
            new MarkImportRow(4, "RN001", "E21", "11.5"),
            new MarkImportRow(5, "RN001", "E3", "DISP"),  // RN001 is not dispensed from E3
            new MarkImportRow(6, "RN002", "E1", "DISP"),
            new MarkImportRow(7, "RN002", "EF2", "15"),   // RN002 chose EF1, not EF2
            new MarkImportRow(8, "RN002", "E4", "13"),
        ], Given.Bureau);

        Assert.Null(outcome.Counts);
        Assert.Equal([(3, "candidate_number"), (5, "result"), (7, "result")], outcome.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("RN999", outcome.Errors[0].Message);
        Assert.Contains("E3", outcome.Errors[1].Message);
        Assert.Contains("EF2", outcome.Errors[2].Message);

        var after = await jury.GetBoard();
        Assert.Equal(board.Version, after.Version);
        Assert.Equal(Given.Json(board), Given.Json(after));
        foreach (var number in new[] { "RN001", "RN002" })
        {
            var view = await Grains.Candidate(sessionId, number).GetView();
            Assert.Empty(view.History);
            Assert.Equal("INCOMPLET", view.Summary.Decision);
        }
        Assert.Null(board.Row("RN001").Results.FirstOrDefault(c => c.Unit == "E1"));
    }
}
