using BtsCcst.Domain.Imports;

namespace BtsCcst.Domain.Tests.Imports;

public class CentresCsvTests
{
    private const string Header =
        "centre_id,name,academies,time_zone,dates,day_start,day_end,lunch_start,lunch_end,exam_rooms,prep_seats,address";

    private const string Valid = "CAEN-1,Lycée Malherbe,NORMANDIE,Europe/Paris,2024-05-27,08:00,18:00,12:00,13:30,12,20,";

    private static ParsedFile<CentreRow> Parse(string text) => CentresCsv.Parse(new StringReader(text));

    private static string File(params string[] rows) => string.Join("\n", [Header, .. rows]) + "\n";

    /// <summary>The valid row with some fields (by column name) replaced.</summary>
    private static string With(params (string Column, string Value)[] changes)
    {
        var fields = Valid.Split(',');
        foreach (var (column, value) in changes) fields[CentresCsv.Columns.ToList().IndexOf(column)] = value;
        return string.Join(",", fields);
    }

    [Fact]
    public void A_valid_file_gives_every_centre()
    {
        var parsed = Parse(File(
            "CAEN-1,\"Lycée Malherbe, Caen\",\"Normandie; Nouvelle-Calédonie;polynesie-francaise\",Europe/Paris,2024-05-28;2024-05-27,08:00,18:00,12:00,13:30,12,20,\"14 avenue Albert Sorel\n14000 Caen\"",
            "PAP-1,Lycée Baimbridge,GUADELOUPE;MARTINIQUE;GUYANE,america/guadeloupe,2024-05-27,7:30,16:00,12:00,13:00,1,0,"));

        Assert.Empty(parsed.Errors);
        Assert.Equal(2, parsed.Rows.Count);

        var caen = parsed.Rows[0];
        Assert.Equal((2, "CAEN-1", "Lycée Malherbe, Caen"), (caen.Line, caen.CentreId, caen.Name));
        Assert.Equal(["NORMANDIE", "NOUVELLE-CALEDONIE", "POLYNESIE FRANCAISE"], caen.Academies.Order());
        Assert.Equal("Europe/Paris", caen.TimeZone);
        Assert.Equal([new DateOnly(2024, 5, 27), new DateOnly(2024, 5, 28)], caen.Dates);
        Assert.Equal((new TimeOnly(8, 0), new TimeOnly(18, 0)), (caen.DayStart, caen.DayEnd));
        Assert.Equal((new TimeOnly(12, 0), new TimeOnly(13, 30)), (caen.LunchStart, caen.LunchEnd));
        Assert.Equal((12, 20), (caen.ExamRooms, caen.PrepSeats));
        Assert.Equal("14 avenue Albert Sorel\n14000 Caen", caen.Address);

        var pointeAPitre = parsed.Rows[1];
        Assert.Equal(4, pointeAPitre.Line);
        Assert.Equal("America/Guadeloupe", pointeAPitre.TimeZone);
        Assert.Equal(new TimeOnly(7, 30), pointeAPitre.DayStart);
        Assert.Equal((1, 0), (pointeAPitre.ExamRooms, pointeAPitre.PrepSeats));
        Assert.Equal("", pointeAPitre.Address);
    }

    [Theory]
    [InlineData("centre_id", "CAEN 1")]
    [InlineData("centre_id", "")]
    [InlineData("name", "")]
    [InlineData("academies", "")]
    [InlineData("academies", "CAEN")]
    [InlineData("academies", "LYON;lyon")]
    [InlineData("time_zone", "")]
    [InlineData("time_zone", "Paris")]
    [InlineData("time_zone", "Europe/Pariss")]
    [InlineData("time_zone", "Romance Standard Time")]
    [InlineData("time_zone", "../etc/passwd")]
    [InlineData("time_zone", "+01:00")]
    [InlineData("dates", "")]
    [InlineData("dates", "2024-13-01")]
    [InlineData("dates", "2024-05-27;2024-05-27")]
    [InlineData("day_start", "8h00")]
    [InlineData("day_start", "")]
    [InlineData("day_end", "25:00")]
    [InlineData("lunch_start", "")]
    [InlineData("lunch_end", "")]
    [InlineData("lunch_end", "13:30:00")]
    [InlineData("exam_rooms", "0")]
    [InlineData("exam_rooms", "201")]
    [InlineData("exam_rooms", "")]
    [InlineData("exam_rooms", "douze")]
    [InlineData("prep_seats", "-1")]
    [InlineData("prep_seats", "501")]
    [InlineData("prep_seats", "")]
    [InlineData("prep_seats", "2.5")]
    public void Each_rule_reports_its_column(string column, string value)
    {
        var parsed = Parse(File(With((column, value))));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Empty(parsed.Rows);
    }

    [Theory]
    [InlineData("19:00", "12:00", "13:30", "18:00", "lunch_start")]
    [InlineData("08:00", "07:00", "13:30", "18:00", "lunch_start")]
    [InlineData("08:00", "12:00", "12:00", "18:00", "lunch_end")]
    [InlineData("08:00", "12:00", "11:00", "18:00", "lunch_end")]
    [InlineData("08:00", "12:00", "13:30", "13:30", "day_end")]
    [InlineData("08:00", "12:00", "13:30", "10:00", "day_end")]
    [InlineData("08:00", "", "13:30", "12:00", "day_end")]
    public void The_day_reads_start_lunch_end_in_order(string dayStart, string lunchStart, string lunchEnd, string dayEnd, string column)
    {
        var parsed = Parse(File(With(("day_start", dayStart), ("lunch_start", lunchStart), ("lunch_end", lunchEnd), ("day_end", dayEnd))));

        var error = Assert.Single(parsed.Errors, e => e.Message.Contains("day_start < lunch_start < lunch_end < day_end"));
        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.Equal(lunchStart == "" ? 2 : 1, parsed.Errors.Count);
        Assert.Empty(parsed.Rows);
    }

    [Fact]
    public void A_bad_file_is_refused_whole_with_every_error_and_the_rows_that_parsed()
    {
        var parsed = Parse(File(
            Valid,
            "ROUEN-1,Lycée Corneille,NORMANDIE;ROUEN,Europe/Rouen,2024-05-27,08:00,18:00,12:00,13:30,12,20,",
            "caen-1,Lycée Malherbe bis,NORMANDIE,Europe/Paris,2024-05-27,08:00,18:00,12:00,13:30,12,20,",
            "LH-1,Lycée Porte Océane,NORMANDIE,Europe/Paris,2024-05-27,14:00,18:00,12:00,13:30,0,20,",
            "CHERBOURG-1,Lycée Tocqueville,NORMANDIE,Europe/Paris,2024-05-27;2024-05-28,08:00,18:00,12:00,13:30,6,10,\"1 rue Tocqueville, 50100 Cherbourg\""));

        Assert.False(parsed.IsValid);
        Assert.Equal(
            [(3, "academies"), (3, "time_zone"), (4, "centre_id"), (5, "lunch_start"), (5, "exam_rooms")],
            parsed.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("ROUEN", parsed.Errors[0].Message);
        Assert.Contains("Europe/Rouen", parsed.Errors[1].Message);
        Assert.Contains("ligne 2", parsed.Errors[2].Message);
        Assert.Contains("14:00", parsed.Errors[3].Message);
        Assert.Equal([(2, "CAEN-1"), (6, "CHERBOURG-1")], parsed.Rows.Select(r => (r.Line, r.CentreId)));
        Assert.Equal("1 rue Tocqueville, 50100 Cherbourg", parsed.Rows[1].Address);
    }

    [Fact]
    public void Columns_are_matched_by_name_and_extra_columns_ignored()
    {
        var parsed = Parse("address,prep_seats,exam_rooms,lunch_end,lunch_start,day_end,day_start,dates,time_zone,academies,name,centre_id,capacite\r\n"
                           + ",20,12,13:30,12:00,18:00,08:00,2024-05-27,Europe/Paris,NORMANDIE,Lycée Malherbe,CAEN-1,300\r\n");

        Assert.Empty(parsed.Errors);
        Assert.Equal("CAEN-1", Assert.Single(parsed.Rows).CentreId);
    }

    [Fact]
    public void Every_missing_column_is_reported_on_line_1()
    {
        var parsed = Parse("centre_id,name,academies,time_zone,dates,day_start,day_end\nCAEN-1,Lycée Malherbe,NORMANDIE,Europe/Paris,2024-05-27,08:00,18:00\n");

        Assert.Equal(["lunch_start", "lunch_end", "exam_rooms", "prep_seats", "address"], parsed.Errors.Select(e => e.Column));
        Assert.All(parsed.Errors, e => Assert.Equal(1, e.Line));
        Assert.Empty(parsed.Rows);
    }
}
