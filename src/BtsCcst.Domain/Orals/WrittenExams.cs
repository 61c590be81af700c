namespace BtsCcst.Domain;

/// <summary>A column of Annexe 2: the written exams happen at different wall-clock times overseas.</summary>
public enum CalendarColumn { Metropole, AntillesGuyane, Reunion }

/// <summary>One written exam of Annexe 2 in one column, in the local wall-clock time of that column.</summary>
public sealed record WrittenExam(DateOnly Date, UnitCode Unit, CalendarColumn Column, TimeOnly Start, TimeOnly End);

/// <summary>
/// Annexe 2: the written exams of session 2024. No candidate may be convoked to an oral during a
/// written exam of their centre's column. The annexe gives no times for the other overseas
/// territories: the session configuration may add rows (<see cref="WithExtraRows"/>).
/// </summary>
public sealed class WrittenExamCalendar
{
    private static readonly (DateOnly Date, UnitCode Unit, string Metropole, string Antilles, string Reunion)[] Annexe2 =
    [
        (new DateOnly(2024, 5, 14), UnitCode.E3, "14:00-18:00", "08:00-12:00", "16:00-20:00"),
        (new DateOnly(2024, 5, 15), UnitCode.E21, "10:30-12:30", "06:30-08:30", "12:30-14:30"),
        (new DateOnly(2024, 5, 15), UnitCode.E1, "14:30-18:30", "10:30-14:30", "16:30-20:30"),
        (new DateOnly(2024, 5, 16), UnitCode.E5, "14:30-18:30", "10:30-14:30", "16:30-20:30"),
    ];

    public WrittenExamCalendar(IReadOnlyList<WrittenExam> exams) => Exams = exams;

    public IReadOnlyList<WrittenExam> Exams { get; }

    /// <summary>Annexe 2 of the 2024 circular.</summary>
    public static WrittenExamCalendar Session2024 { get; } = new(Annexe2.SelectMany(row => new[]
    {
        Row(row.Date, row.Unit, CalendarColumn.Metropole, row.Metropole),
        Row(row.Date, row.Unit, CalendarColumn.AntillesGuyane, row.Antilles),
        Row(row.Date, row.Unit, CalendarColumn.Reunion, row.Reunion),
    }).ToList());

    public WrittenExamCalendar WithExtraRows(IEnumerable<WrittenExam> rows) => new(Exams.Concat(rows).ToList());

    /// <summary>Annexe 2 columns by IANA time zone: Guadeloupe, Martinique and Guyane use the second, La Réunion the third.</summary>
    public static CalendarColumn? ColumnOf(string timeZone) => timeZone switch
    {
        "Europe/Paris" => CalendarColumn.Metropole,
        "America/Guadeloupe" or "America/Martinique" or "America/Cayenne" => CalendarColumn.AntillesGuyane,
        "Indian/Reunion" => CalendarColumn.Reunion,
        _ => null,
    };

    /// <summary>The written exams in a centre's time zone on a date (none for a zone without a column).</summary>
    public IEnumerable<WrittenExam> On(DateOnly date, string timeZone) =>
        ColumnOf(timeZone) is { } column ? Exams.Where(e => e.Date == date && e.Column == column) : [];

    private static WrittenExam Row(DateOnly date, UnitCode unit, CalendarColumn column, string window)
    {
        var parts = window.Split('-');
        return new WrittenExam(date, unit, column, TimeOnly.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
