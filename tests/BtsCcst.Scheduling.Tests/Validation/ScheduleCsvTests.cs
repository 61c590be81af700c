using BtsCcst.Domain;
using static BtsCcst.Scheduling.Tests.Validation.ValidSchedule;

namespace BtsCcst.Scheduling.Tests.Validation;

public class ScheduleCsvTests
{
    private const string Header = "centre_id,date,room,commission_id,unit,candidate_number,prep_start,exam_start,exam_end,examiner_ids";

    private static string Text(ScheduledExam e) =>
        $"{e.CentreId}|{e.Date:yyyy-MM-dd}|{e.Room}|{e.CommissionId}|{e.Unit}|{e.CandidateNumber}|{e.PrepStart:HH:mm}|{e.ExamStart:HH:mm}|{e.ExamEnd:HH:mm}|{string.Join(";", e.ExaminerIds)}";

    private static (IReadOnlyList<ScheduledExam> Rows, IReadOnlyList<ScheduleCsvError> Errors) Parse(params string[] lines) =>
        ScheduleCsv.Parse(new StringReader(string.Join("\n", lines) + "\n"));

    [Fact]
    public void Writes_the_contract_columns_sorted_by_centre_date_room_and_start()
    {
        var csv = ScheduleCsv.Write(Schedule());
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Header, lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.Equal("CAEN-1,2024-05-16,S1,COM1,E4,24001,08:00,09:20,10:40,EX-ECO1;EX-STI1;EX-PRO1", lines[1]);
        Assert.Equal("CAEN-1,2024-05-16,S1,COM1,U62,24002,,13:00,13:30,EX-ECO1;EX-STI1", lines[4]);
        Assert.StartsWith("CAEN-1,2024-05-16,S2,COM2,E22,24002,08:00,08:20,08:40", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public void Round_trip_write_then_parse_gives_the_same_rows()
    {
        var schedule = Schedule();
        schedule.Add(schedule[0] with { CentreId = Rouen, Room = "Salle \"B\", 1er étage", CommissionId = "COM9" });
        var (rows, errors) = ScheduleCsv.Parse(new StringReader(ScheduleCsv.Write(schedule)));
        Assert.Empty(errors);
        var expected = schedule.Select(Text).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, rows.Select(Text).Order(StringComparer.Ordinal).ToList());
        // Parsing the written file and writing it again gives the same text.
        Assert.Equal(ScheduleCsv.Write(schedule), ScheduleCsv.Write(rows));
    }

    [Fact]
    public void Columns_are_matched_by_name_and_extra_columns_ignored()
    {
        var (rows, errors) = Parse(
            "examiner_ids,unit,note,candidate_number,centre_id,date,room,commission_id,prep_start,exam_start,exam_end",
            "EX-ANG1,E22,rien,24002,CAEN-1,2024-05-16,S2,COM2,8:00,08:20,08:40");
        Assert.Empty(errors);
        var row = Assert.Single(rows);
        Assert.Equal(UnitCode.E22, row.Unit);
        Assert.Equal(new TimeOnly(8, 0), row.PrepStart);
        Assert.Equal([Ang], row.ExaminerIds);
    }

    [Fact]
    public void Errors_give_the_physical_line_and_the_column()
    {
        var (rows, errors) = Parse(
            Header,
            "CAEN-1,2024-05-16,S1,COM1,E4,24001,08:00,09:20,10:40,EX-ECO1;EX-STI1",
            "",
            "CAEN-1,2024-02-30,S1,COM1,E1,24001,,9h20,10:40,EX-ECO1;EX-ECO1",
            "CAEN 1,2024-05-16,,COM1,U61,24001,10:00,10:50,10:30,",
            "CAEN-1,2024-05-16,\"S1",
            "second line of a quoted room\",COM1,U62,24002,,13:00,13:30,EX-ECO1",
            "CAEN-1,2024-05-16,S1,COM1,XX,24002,,13:00,13:30,EX-ECO1");

        Assert.Equal(2, rows.Count); // line 2 and the record starting line 6
        Assert.Contains(errors, e => e is { Line: 4, Column: "date" } && e.Message.Contains("2024-02-30"));
        Assert.Contains(errors, e => e is { Line: 4, Column: "unit" } && e.Message.Contains("écrite"));
        Assert.Contains(errors, e => e is { Line: 4, Column: "exam_start" } && e.Message.Contains("9h20"));
        Assert.Contains(errors, e => e is { Line: 4, Column: "examiner_ids" } && e.Message.Contains("répété"));
        Assert.Contains(errors, e => e is { Line: 5, Column: "centre_id" });
        Assert.Contains(errors, e => e is { Line: 5, Column: "room" });
        Assert.Contains(errors, e => e is { Line: 5, Column: "exam_end" } && e.Message.Contains("pas après son début"));
        Assert.Contains(errors, e => e is { Line: 5, Column: "examiner_ids" } && e.Message.Contains("Aucun examinateur"));
        Assert.Contains(errors, e => e is { Line: 8, Column: "unit" } && e.Message.Contains("XX"));
        Assert.DoesNotContain(errors, e => e.Line is 2 or 6 or 7);
        Assert.Equal(errors.OrderBy(e => e.Line).ToList(), errors);
    }

    [Fact]
    public void A_missing_column_is_reported_on_the_header_line()
    {
        var (rows, errors) = Parse(
            "centre_id,date,room,commission_id,unit,candidate_number,prep_start,exam_start,examiner_ids",
            "CAEN-1,2024-05-16,S1,COM1,U61,24001,,10:50,EX-ECO1");
        Assert.Empty(rows);
        Assert.Contains(errors, e => e is { Line: 1, Column: "exam_end" });
    }

    [Fact]
    public void An_empty_file_is_an_error()
    {
        var (rows, errors) = ScheduleCsv.Parse(new StringReader(""));
        Assert.Empty(rows);
        Assert.Equal(1, Assert.Single(errors).Line);
    }
}
