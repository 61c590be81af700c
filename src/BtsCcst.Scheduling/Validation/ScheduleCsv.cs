using System.Globalization;
using BtsCcst.Domain;
using BtsCcst.Domain.Imports;

namespace BtsCcst.Scheduling;

/// <summary>
/// One problem of a schedule.csv file: <paramref name="Line"/> is the physical line where the record
/// starts (the header being line 1), <paramref name="Column"/> the header name of the bad field (empty
/// for the record as a whole), <paramref name="Message"/> French, for the organisers.
/// </summary>
public sealed record ScheduleCsvError(int Line, string Column, string Message);

/// <summary>
/// schedule.csv (formats.md): one row per oral exam. Writing follows the contract's columns and order;
/// reading matches columns by header name (extra columns ignored) with the importers' CSV reader, and
/// checks what the file alone can tell. Whether the schedule keeps the rules is
/// <see cref="ScheduleValidator"/>'s business.
/// </summary>
public static class ScheduleCsv
{
    public const string CentreId = "centre_id";
    public const string Date = "date";
    public const string Room = "room";
    public const string CommissionId = "commission_id";
    public const string Unit = "unit";
    public const string CandidateNumber = "candidate_number";
    public const string PrepStart = "prep_start";
    public const string ExamStart = "exam_start";
    public const string ExamEnd = "exam_end";
    public const string ExaminerIds = "examiner_ids";

    /// <summary>The contract's columns, in export order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        [CentreId, Date, Room, CommissionId, Unit, CandidateNumber, PrepStart, ExamStart, ExamEnd, ExaminerIds];

    private const string TimeFormat = "HH:mm";
    private static readonly string[] TimeFormats = ["HH:mm", "H:mm"];

    /// <summary>
    /// Writes the header and one row per exam, sorted by centre, date, room and exam start (then
    /// commission and candidate, so that the output is stable). Lines end with CRLF (RFC 4180).
    /// </summary>
    public static void Write(TextWriter writer, IEnumerable<ScheduledExam> exams)
    {
        writer.Write(string.Join(",", Columns));
        writer.Write("\r\n");
        var sorted = exams
            .OrderBy(e => e.CentreId, StringComparer.Ordinal)
            .ThenBy(e => e.Date)
            .ThenBy(e => e.Room, StringComparer.Ordinal)
            .ThenBy(e => e.ExamStart)
            .ThenBy(e => e.CommissionId, StringComparer.Ordinal)
            .ThenBy(e => e.CandidateNumber, StringComparer.Ordinal);
        foreach (var e in sorted)
        {
            string[] fields =
            [
                e.CentreId,
                e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                e.Room,
                e.CommissionId,
                e.Unit.ToString(),
                e.CandidateNumber,
                e.PrepStart is { } prep ? prep.ToString(TimeFormat, CultureInfo.InvariantCulture) : "",
                e.ExamStart.ToString(TimeFormat, CultureInfo.InvariantCulture),
                e.ExamEnd.ToString(TimeFormat, CultureInfo.InvariantCulture),
                string.Join(";", e.ExaminerIds),
            ];
            writer.Write(string.Join(",", fields.Select(Quote)));
            writer.Write("\r\n");
        }
    }

    /// <summary>The file as a string (see <see cref="Write(TextWriter, IEnumerable{ScheduledExam})"/>).</summary>
    public static string Write(IEnumerable<ScheduledExam> exams)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, exams);
        return writer.ToString();
    }

    /// <summary>
    /// Reads schedule.csv. Returns the rows that parsed and every error of the file, ordered by line;
    /// a file with any error is to be refused whole (formats.md).
    /// </summary>
    public static (IReadOnlyList<ScheduledExam> Rows, IReadOnlyList<ScheduleCsvError> Errors) Parse(TextReader reader)
    {
        var table = CsvTable.Read(reader, Columns);
        var rows = new List<ScheduledExam>();
        foreach (var record in table.Rows)
        {
            var check = table.Check(record);
            var row = ParseRow(check);
            check.Complete();
            if (row is not null) rows.Add(row);
        }
        var errors = table.SortedErrors().Select(e => new ScheduleCsvError(e.Line, e.Column, e.Message)).ToList();
        return (rows, errors);
    }

    private static ScheduledExam? ParseRow(RowCheck check)
    {
        var centre = Id(check, CentreId, "Identifiant de centre");

        var dateText = check.Field(Date);
        var date = default(DateOnly);
        if (dateText is not null && !FieldRules.TryParseDate(dateText, out date))
            check.Error(Date, FieldRules.DateError(dateText));

        var room = check.Field(Room);
        if (room is { Length: 0 }) check.Error(Room, "Salle manquante.");

        var commission = Id(check, CommissionId, "Identifiant de commission");
        var unit = ParseUnit(check);
        var candidate = Id(check, CandidateNumber, "Numéro de candidat");
        var (prep, start, end) = ParseTimes(check);
        var examiners = ParseExaminers(check);

        if (check.Failed) return null;
        return new ScheduledExam(centre!, date, room!, commission!, unit, candidate!, prep, start, end, examiners);
    }

    /// <summary>unit: an oral unit (a written one has no place in the orals' schedule).</summary>
    private static UnitCode ParseUnit(RowCheck check)
    {
        var unitText = check.Field(Unit);
        var unit = default(UnitCode);
        if (unitText is null) return unit;
        var oralUnits = string.Join(", ", UnitCatalogue.All.Where(u => u.PonctualMode == ExamMode.Oral).Select(u => u.Code));
        if (!UnitCatalogue.TryParse(unitText, out unit))
            check.Error(Unit, unitText.Length == 0
                ? $"Unité manquante (attendu : {oralUnits})."
                : $"Unité inconnue « {unitText} » (attendu : {oralUnits}).");
        else if (UnitCatalogue.Get(unit).PonctualMode != ExamMode.Oral)
            check.Error(Unit, $"L'unité {unit} est une épreuve écrite : elle n'a pas sa place dans le planning des oraux (attendu : {oralUnits}).");
        return unit;
    }

    /// <summary>prep_start (empty when none), exam_start and exam_end: times in order, the preparation ending when the exam starts.</summary>
    private static (TimeOnly? Prep, TimeOnly Start, TimeOnly End) ParseTimes(RowCheck check)
    {
        var prepText = check.Field(PrepStart);
        TimeOnly? prep = null;
        if (prepText is { Length: > 0 })
        {
            if (TryParseTime(prepText, out var p)) prep = p;
            else check.Error(PrepStart, TimeError(prepText, "Heure de début de préparation", emptyAllowed: true));
        }

        var startText = check.Field(ExamStart);
        var start = default(TimeOnly);
        var startOk = startText is not null && TryParseTime(startText, out start);
        if (startText is not null && !startOk)
            check.Error(ExamStart, TimeError(startText, "Heure de début d'épreuve", emptyAllowed: false));

        var endText = check.Field(ExamEnd);
        var end = default(TimeOnly);
        var endOk = endText is not null && TryParseTime(endText, out end);
        if (endText is not null && !endOk)
            check.Error(ExamEnd, TimeError(endText, "Heure de fin d'épreuve", emptyAllowed: false));

        if (startOk && endOk && end <= start)
            check.Error(ExamEnd, $"L'épreuve finit à {Format(end)}, pas après son début ({Format(start)}).");
        if (prep is { } prepTime && startOk && prepTime >= start)
            check.Error(PrepStart, $"La préparation commence à {Format(prepTime)}, pas avant l'épreuve ({Format(start)}) : elle se termine quand l'épreuve commence.");
        return (prep, start, end);
    }

    /// <summary>examiner_ids: identifiers separated by « ; », at least one, none repeated.</summary>
    private static List<string> ParseExaminers(RowCheck check)
    {
        var examinersText = check.Field(ExaminerIds);
        var examiners = new List<string>();
        if (examinersText is null) return examiners;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in FieldRules.SplitList(examinersText))
        {
            if (!FieldRules.IsId(id)) check.Error(ExaminerIds, FieldRules.IdError("Identifiant d'examinateur", id));
            else if (!seen.Add(id)) check.Error(ExaminerIds, $"L'examinateur {id} est répété.");
            else examiners.Add(id);
        }
        if (examiners.Count == 0 && !check.HasError(ExaminerIds))
            check.Error(ExaminerIds, "Aucun examinateur : la liste des membres de la commission est séparée par « ; ».");
        return examiners;
    }

    private static string? Id(RowCheck check, string column, string what)
    {
        var text = check.Field(column);
        if (text is not null && !FieldRules.IsId(text)) check.Error(column, FieldRules.IdError(what, text));
        return text;
    }

    private static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static string TimeError(string text, string what, bool emptyAllowed) => text.Length == 0
        ? $"{what} manquante (format HH:MM, par exemple 09:30)."
        : $"{what} « {text} » invalide (format HH:MM, par exemple 09:30{(emptyAllowed ? " ; vide quand l'épreuve n'a pas de préparation" : "")}).";

    private static string Format(TimeOnly time) => time.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static string Quote(string? field)
    {
        field ??= "";
        return field.IndexOfAny([',', '"', '\r', '\n']) >= 0
            ? "\"" + field.Replace("\"", "\"\"") + "\""
            : field;
    }
}
