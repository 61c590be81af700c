using BtsCcst.Grains.Abstractions;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace BtsCcst.Server.Planning.Documents;

/// <summary>
/// An examiner's slots of the adopted plan as an iCalendar file: one VEVENT per oral they sit on,
/// from the exam's start to its end, in the centre's own time zone (TZID = the centre's IANA
/// time_zone, with its VTIMEZONE), so a calendar shows the right hour wherever it is opened.
/// </summary>
public static class ExaminerCalendar
{
    public const string ProductId = "-//BTS CCST//Planning des oraux//FR";

    /// <summary>Stable per (session, commission, candidate, unit): a calendar fetched again updates its events instead of duplicating them.</summary>
    public static string Uid(string sessionId, ScheduleRow row) => $"{sessionId}.{row.CommissionId}.{row.CandidateNumber}.{row.Unit}@bts-ccst";

    /// <summary>"BTS CCST — E4, candidat 24001".</summary>
    public static string Summary(ScheduleRow row) => $"{DocumentText.DiplomaShort} — {row.Unit}, candidat {row.CandidateNumber}";

    /// <summary>The calendar of <paramref name="examinerId"/>: the rows of <paramref name="schedule"/> they sit on.</summary>
    /// <param name="stamp">DTSTAMP of every event (when the file is produced).</param>
    public static Calendar Build(string sessionId, string sessionLabel, string examinerId, string? examinerName,
        IEnumerable<ScheduleRow> schedule, IReadOnlyDictionary<string, CentreDefinition> centres, DateTimeOffset stamp)
    {
        var slots = schedule.Where(r => r.ExaminerIds.Contains(examinerId, StringComparer.Ordinal))
            .OrderBy(r => r.Date).ThenBy(r => r.ExamStart).ThenBy(r => r.CommissionId, StringComparer.Ordinal)
            .ToList();
        var calendar = new Calendar { ProductId = ProductId, Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", $"{DocumentText.DiplomaShort} session {sessionLabel} — oraux de {examinerName ?? examinerId}");

        // One VTIMEZONE per zone used, covering the plan's dates.
        foreach (var zone in slots.GroupBy(r => ZoneOf(r, centres)).Where(g => g.Key is not null))
        {
            var earliest = zone.Min(r => r.Date).AddDays(-1).ToDateTime(TimeOnly.MinValue);
            calendar.AddTimeZone(zone.Key!, earliest, includeHistoricalData: false);
        }

        var dtStamp = new CalDateTime(stamp.UtcDateTime, CalDateTime.UtcTzId);
        foreach (var row in slots)
        {
            centres.TryGetValue(row.CentreId, out var centre);
            var zone = centre?.TimeZone;
            calendar.Events.Add(new CalendarEvent
            {
                Uid = Uid(sessionId, row),
                DtStamp = dtStamp,
                DtStart = new CalDateTime(row.Date, row.ExamStart, zone),
                DtEnd = new CalDateTime(row.Date, row.ExamEnd, zone),
                Summary = Summary(row),
                Location = DocumentText.Location(row.CentreId, centre),
                Description = Description(row, examinerId),
                Categories = [DocumentText.DiplomaShort, row.Unit],
                Transparency = "OPAQUE",
                Status = "CONFIRMED",
            });
        }
        return calendar;
    }

    public static string Write(Calendar calendar) => new CalendarSerializer(calendar).SerializeToString() ?? "";

    private static string? ZoneOf(ScheduleRow row, IReadOnlyDictionary<string, CentreDefinition> centres) =>
        centres.TryGetValue(row.CentreId, out var centre) ? centre.TimeZone : null;

    private static string Description(ScheduleRow row, string examinerId)
    {
        var lines = new List<string>
        {
            $"{DocumentText.UnitHeading(row.Unit)}",
            $"Candidat : {row.CandidateNumber}",
            $"Date : {DocumentText.LongDate(row.Date)}",
        };
        if (row.PrepStart is { } prep) lines.Add($"Préparation du candidat : {DocumentText.Time(prep)}");
        lines.Add($"Épreuve : {DocumentText.Time(row.ExamStart)} – {DocumentText.Time(row.ExamEnd)}");
        if (!string.IsNullOrWhiteSpace(row.Room)) lines.Add(DocumentText.Room(row.Room));
        var others = row.ExaminerIds.Where(e => e != examinerId).ToArray();
        lines.Add($"Commission : {row.CommissionId}" + (others.Length > 0 ? $" (avec {string.Join(", ", others)})" : ""));
        return string.Join("\n", lines);
    }
}
