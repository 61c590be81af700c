using System.Globalization;
using System.Text.RegularExpressions;

namespace BtsCcst.Domain.Imports;

/// <summary>One oral centre of centres.csv, checked. Times are the centre's local wall-clock times.</summary>
/// <param name="Academies">Academies whose candidates the centre examines, normalised to their Annexe 1 name.</param>
/// <param name="TimeZone">The IANA time zone, as the system spells it (e.g. <c>Europe/Paris</c>).</param>
/// <param name="Dates">Days the centre is open for orals, in order, each once.</param>
/// <param name="LunchStart">Start of the lunch break, which no exam or preparation overlaps; the break is required.</param>
/// <param name="Address">Postal address printed on convocations; empty when not given.</param>
/// <param name="ManagerName">Optional column manager_name: the centre manager, who receives an access link; empty when not given.</param>
/// <param name="ManagerEmail">Optional column manager_email: where the manager's access link is sent.</param>
public sealed record CentreRow(
    int Line,
    string CentreId,
    string Name,
    IReadOnlySet<string> Academies,
    string TimeZone,
    IReadOnlyList<DateOnly> Dates,
    TimeOnly DayStart,
    TimeOnly DayEnd,
    TimeOnly LunchStart,
    TimeOnly LunchEnd,
    int ExamRooms,
    int PrepSeats,
    string Address,
    string ManagerName = "",
    string ManagerEmail = "");

/// <summary>
/// Parses centres.csv (formats.md). A day reads <c>day_start &lt; lunch_start &lt; lunch_end &lt; day_end</c>:
/// the lunch break is required (formats.md: no exam or preparation overlaps it).
/// </summary>
public static partial class CentresCsv
{
    public const string CentreId = "centre_id";
    public const string Name = "name";
    public const string AcademiesColumn = "academies";
    public const string TimeZone = "time_zone";
    public const string Dates = "dates";
    public const string DayStart = "day_start";
    public const string DayEnd = "day_end";
    public const string LunchStart = "lunch_start";
    public const string LunchEnd = "lunch_end";
    public const string ExamRooms = "exam_rooms";
    public const string PrepSeats = "prep_seats";
    public const string Address = "address";

    /// <summary>Optional columns (not in <see cref="Columns"/>): the centre manager, for their access link.</summary>
    public const string ManagerName = "manager_name";

    public const string ManagerEmail = "manager_email";

    /// <summary>The contract's columns, in export order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        CentreId, Name, AcademiesColumn, TimeZone, Dates, DayStart, DayEnd, LunchStart, LunchEnd, ExamRooms, PrepSeats, Address,
    ];

    public const int MaximumExamRooms = 200;
    public const int MaximumPrepSeats = 500;

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*\z")]
    private static partial Regex TimeZonePattern();

    /// <summary>The four times of a day, in the order they must follow each other, with their French names.</summary>
    private static readonly (string Column, string Label)[] DayOrder =
    [
        (DayStart, "le début de journée"), (LunchStart, "le début de la pause méridienne"),
        (LunchEnd, "la fin de la pause méridienne"), (DayEnd, "la fin de journée"),
    ];

    public static ParsedFile<CentreRow> Parse(TextReader reader)
    {
        var table = CsvTable.Read(reader, Columns);
        var rows = new List<CentreRow>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        foreach (var record in table.Rows)
        {
            var check = table.Check(record);
            var row = ParseRow(check, firstLineOf);
            check.Complete();
            if (row is not null) rows.Add(row);
        }
        return new(rows, table.SortedErrors());
    }

    /// <summary>
    /// The IANA time zones of the system by name, ignoring case. Looking a zone up by a name in another
    /// case only succeeds once the runtime has cached it, so the case is settled here first.
    /// </summary>
    private static readonly Lazy<Dictionary<string, string>> IanaZones = new(() =>
        TimeZoneInfo.GetSystemTimeZones(skipSorting: true).Where(z => z.HasIanaId)
            .ToDictionary(z => z.Id, z => z.Id, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The IANA time zone named by <paramref name="text"/> (case aside), as the system spells it, e.g.
    /// <c>america/guadeloupe</c> gives <c>America/Guadeloupe</c>; false for an unknown or a Windows name.
    /// </summary>
    public static bool TryNormalizeTimeZone(string? text, out string timeZone)
    {
        timeZone = "";
        if (text is null || !TimeZonePattern().IsMatch(text)) return false;
        var name = IanaZones.Value.GetValueOrDefault(text, text);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) || !zone.HasIanaId) return false;
        timeZone = zone.Id;
        return true;
    }

    private static CentreRow? ParseRow(RowCheck check, Dictionary<string, int> firstLineOf)
    {
        var id = check.UniqueId(CentreId, "Identifiant de centre", c => $"Le centre {c}", firstLineOf);

        var name = check.Field(Name);
        if (name is { Length: 0 }) check.Error(Name, "Nom du centre manquant.");

        // academies: Annexe 1 names; several centres may examine the same academy.
        var academiesText = check.Field(AcademiesColumn);
        var academies = new SortedSet<string>(StringComparer.Ordinal);
        if (academiesText is not null)
        {
            var items = FieldRules.SplitList(academiesText);
            if (items.Count == 0)
                check.Error(AcademiesColumn, "Aucune académie : un centre examine les candidats d'au moins une académie.");
            foreach (var item in items)
            {
                if (!Academies.TryNormalize(item, out var academy)) check.Error(AcademiesColumn, Academies.UnknownMessage(item));
                else if (!academies.Add(academy)) check.Error(AcademiesColumn, $"L'académie {academy} est répétée.");
            }
        }

        var zoneText = check.Field(TimeZone);
        var zone = "";
        if (zoneText is not null && !TryNormalizeTimeZone(zoneText, out zone))
            check.Error(TimeZone, zoneText.Length == 0
                ? "Fuseau horaire manquant (nom IANA, par exemple Europe/Paris ou America/Guadeloupe)."
                : $"Fuseau horaire « {zoneText} » inconnu : un nom IANA, par exemple Europe/Paris ou America/Guadeloupe.");

        var datesText = check.Field(Dates);
        var dates = datesText is null ? [] : FieldRules.ParseDateList(check, Dates, datesText,
            "Aucune date d'ouverture : indiquer au moins une date (AAAA-MM-JJ), séparées par « ; ».");

        // day_start < lunch_start < lunch_end < day_end, each compared with the previous time that parsed.
        var times = new Dictionary<string, TimeOnly>();
        (string Label, TimeOnly Time)? previous = null;
        foreach (var (column, label) in DayOrder)
        {
            var text = check.Field(column);
            if (text is null) continue;
            if (!TryParseTime(text, out var time))
            {
                check.Error(column, text.Length == 0
                    ? $"Heure manquante pour {label} (format HH:MM, par exemple 08:00)."
                    : $"Heure « {text} » invalide pour {label} (format HH:MM, par exemple 08:00).");
                continue;
            }
            times[column] = time;
            if (previous is { } p && time <= p.Time)
                check.Error(column, $"{Capitalize(label)} ({Hm(time)}) doit venir après {p.Label} ({Hm(p.Time)}) : "
                                    + $"attendu {DayStart} < {LunchStart} < {LunchEnd} < {DayEnd}.");
            previous = (label, time);
        }

        var rooms = ParseCount(check, ExamRooms, 1, MaximumExamRooms, "Nombre de salles d'interrogation");
        var seats = ParseCount(check, PrepSeats, 0, MaximumPrepSeats, "Nombre de places de préparation surveillée");

        var address = check.Field(Address);

        var managerName = check.OptionalField(ManagerName);
        var managerEmail = check.OptionalField(ManagerEmail);
        ExaminersCsv.CheckOptionalEmail(check, ManagerEmail, managerEmail);
        if (managerEmail.Length > 0 && managerName.Length == 0)
            check.Error(ManagerName, "Nom du responsable de centre manquant : une adresse manager_email est donnée sans manager_name.");

        if (check.Failed) return null;
        return new CentreRow(check.Line, id!, name!, academies, zone, dates.ToList(),
            times[DayStart], times[DayEnd], times[LunchStart], times[LunchEnd], rooms, seats, address!, managerName, managerEmail);
    }

    private static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static string Hm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>A required whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    private static int ParseCount(RowCheck check, string column, int min, int max, string what)
    {
        var text = check.Field(column);
        if (text is null) return 0;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        check.Error(column, text.Length == 0
            ? $"{what} manquant (un entier de {min} à {max})."
            : $"{what} « {text} » invalide : un entier de {min} à {max}.");
        return 0;
    }
}
