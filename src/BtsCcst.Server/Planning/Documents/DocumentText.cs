using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Server.Planning.Documents;

/// <summary>French wording shared by the convocations and the calendars (no culture data needed).</summary>
public static class DocumentText
{
    public const string Diploma = "BTS Conseil et commercialisation de solutions techniques";
    public const string DiplomaShort = "BTS CCST";

    private static readonly string[] Days = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];

    private static readonly string[] Months =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    /// <summary>e.g. "lundi 27 mai 2024", "samedi 1er juin 2024".</summary>
    public static string LongDate(DateOnly date) =>
        $"{Days[(int)date.DayOfWeek]} {(date.Day == 1 ? "1er" : date.Day.ToString())} {Months[date.Month - 1]} {date.Year}";

    /// <summary>"HH:MM", as schedule.csv writes times.</summary>
    public static string Time(TimeOnly time) => time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The session as printed ("2024"): its id when the id is a year, else the year of its first oral.
    /// </summary>
    public static string SessionLabel(string sessionId, IEnumerable<DateOnly> dates)
    {
        if (sessionId.Length == 4 && sessionId.All(char.IsAsciiDigit)) return sessionId;
        var first = dates.DefaultIfEmpty().Min();
        return first == default ? sessionId : first.Year.ToString();
    }

    /// <summary>The unit's title in the catalogue, or null for a code it does not know.</summary>
    public static string? UnitTitle(string unit) =>
        Enum.TryParse<UnitCode>(unit, ignoreCase: false, out var code) && Enum.IsDefined(code) ? UnitCatalogue.Get(code).Title : null;

    /// <summary>"E4 — Conception et commercialisation…", or the bare code.</summary>
    public static string UnitHeading(string unit) => UnitTitle(unit) is { } title ? $"{unit} — {title}" : unit;

    /// <summary>Centre name then address, as printed on a convocation and put in a calendar's LOCATION.</summary>
    public static string Location(string centreId, CentreDefinition? centre) => centre is null
        ? $"Centre {centreId}"
        : string.IsNullOrWhiteSpace(centre.Address) ? centre.Name : $"{centre.Name}, {centre.Address}";

    /// <summary>"Salle : B12", or the planner's label as it is when it already says "Salle 1".</summary>
    public static string Room(string room) =>
        room.StartsWith("salle", StringComparison.OrdinalIgnoreCase) ? room : $"Salle : {room}";
}
