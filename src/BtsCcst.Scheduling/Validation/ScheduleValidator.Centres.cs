namespace BtsCcst.Scheduling;

/// <summary>The rules about centres: rooms, preparation seats, dates and hours, lunch, written exams.</summary>
public static partial class ScheduleValidator
{
    /// <summary>
    /// At most exam_rooms room labels per centre and day, and one exam at a time per room (hence at most
    /// exam_rooms commissions examining at the same time). Every exam has a room.
    /// </summary>
    private static IEnumerable<Violation> Rooms(Input input)
    {
        var rule = HardRules.Rooms;
        foreach (var row in input.Rows.Where(r => r.Room.Trim().Length == 0))
            yield return V(rule, $"{At(row.Centre, row.Date, row.ExamStart)} : l'épreuve {row.What} n'a pas de salle.");

        foreach (var day in input.Rows.GroupBy(r => (Centre: r.Centre.ToUpperInvariant(), r.Date)))
        {
            var centre = day.First().CentreInfo;
            var labels = day.Select(r => r.Room.Trim()).Where(l => l.Length > 0).Distinct(Ids).ToList();
            if (centre is not null && labels.Count > centre.ExamRooms)
                yield return V(rule, $"Centre {centre.Id}, {Day(day.Key.Date)} : {labels.Count} salles utilisées ({List(labels)}) "
                                     + $"pour {centre.ExamRooms} salle(s) d'examen.");

            foreach (var room in day.Where(r => r.Room.Trim().Length > 0).GroupBy(r => r.Room.Trim(), Ids))
            {
                var rows = room.OrderBy(r => r.ExamStart).ToList();
                for (var i = 0; i < rows.Count; i++)
                {
                    for (var j = i + 1; j < rows.Count; j++)
                    {
                        var (a, b) = (rows[i], rows[j]);
                        if (!Overlap(a.ExamStart, a.ExamEnd, b.ExamStart, b.ExamEnd)) continue;
                        yield return V(rule, $"{At(b.Centre, b.Date, b.ExamStart)} : la salle {room.Key} accueille deux épreuves à la fois "
                                             + $"({a.What}, commission {a.Commission}, {Clock(a.ExamStart)}–{Clock(a.ExamEnd)} ; "
                                             + $"{b.What}, commission {b.Commission}, {Clock(b.ExamStart)}–{Clock(b.ExamEnd)}).");
                    }
                }
            }
        }
    }

    /// <summary>Preparation seats are a capacity: at most prep_seats preparations (prep_start to exam_start) at the same time in a centre.</summary>
    private static IEnumerable<Violation> PreparationSeats(Input input)
    {
        var rule = HardRules.PreparationSeats;
        foreach (var day in input.Rows.Where(r => r.CentreInfo is not null).GroupBy(r => (Centre: r.CentreInfo!, r.Date)))
        {
            var centre = day.Key.Centre;
            var preparations = day.Where(r => r.PrepStart is { } p && p < r.ExamStart).ToList();
            var times = preparations.Select(r => r.PrepStart!.Value).Distinct().Order();
            var reportedUntil = int.MinValue;
            foreach (var time in times)
            {
                // The preparations running at a moment only change when one starts.
                var running = preparations.Where(r => r.PrepStart <= time && time < r.ExamStart).ToList();
                if (running.Count <= centre.PrepSeats || time < reportedUntil) continue;
                reportedUntil = running.Min(r => r.ExamStart);
                yield return V(rule, $"{At(centre.Id, day.Key.Date, time)} : {running.Count} candidats en préparation en même temps "
                                     + $"({List(running.Select(r => r.What))}) pour {centre.PrepSeats} place(s) de préparation.");
            }
        }
    }

    /// <summary>Nothing (preparation or exam) outside the centre's dates and hours; the centre is one of the session.</summary>
    private static IEnumerable<Violation> CentreHours(Input input)
    {
        var rule = HardRules.CentreHours;
        foreach (var group in input.Rows.Where(r => r.CentreInfo is null).GroupBy(r => r.Centre, Ids))
            yield return V(rule, $"Centre {group.Key} : inconnu (absent de la liste des centres), {group.Count()} épreuve(s) y sont pourtant planifiées.");

        foreach (var day in input.Rows.Where(r => r.CentreInfo is not null).GroupBy(r => (Centre: r.CentreInfo!, r.Date)))
        {
            var centre = day.Key.Centre;
            var dates = centre.Dates ?? [];
            if (!dates.Contains(day.Key.Date))
            {
                yield return V(rule, $"Centre {centre.Id}, {Day(day.Key.Date)} : le centre n'est pas ouvert ce jour-là "
                                     + $"(jours d'ouverture : {(dates.Count == 0 ? "aucun" : List(dates.Order().Select(Day)))}) ; {day.Count()} épreuve(s) y sont planifiées.");
                continue;
            }
            var (open, close) = (Minutes(centre.DayStart), Minutes(centre.DayEnd));
            foreach (var row in day.Where(r => r.Start < open || r.ExamEnd > close))
                yield return V(rule, $"{At(centre.Id, row.Date, row.Start)} : l'épreuve {row.What} ({row.Span}) déborde des horaires du centre ({Clock(open)}–{Clock(close)}).");
        }
    }

    /// <summary>Nothing (preparation or exam) overlaps the centre's lunch break.</summary>
    private static IEnumerable<Violation> LunchBreak(Input input)
    {
        var rule = HardRules.LunchBreak;
        foreach (var row in input.Rows.Where(r => r.CentreInfo is not null))
        {
            var (start, end) = (Minutes(row.CentreInfo!.LunchStart), Minutes(row.CentreInfo.LunchEnd));
            if (start >= end || !Overlap(row.Start, row.ExamEnd, start, end)) continue;
            yield return V(rule, $"{At(row.Centre, row.Date, row.Start)} : l'épreuve {row.What} ({row.Span}) empiète sur la pause déjeuner ({Clock(start)}–{Clock(end)}).");
        }
    }

    /// <summary>Nothing overlaps a written exam of Annexe 2 in the centre's column (its time zone) on that date.</summary>
    private static IEnumerable<Violation> WrittenExams(Input input)
    {
        var rule = HardRules.WrittenExams;
        var calendar = input.Instance.WrittenExams;
        if (calendar is null) yield break;
        foreach (var row in input.Rows.Where(r => r.CentreInfo is not null))
        {
            foreach (var written in calendar.On(row.Date, row.CentreInfo!.TimeZone ?? ""))
            {
                if (!Overlap(row.Start, row.ExamEnd, Minutes(written.Start), Minutes(written.End))) continue;
                yield return V(rule, $"{At(row.Centre, row.Date, row.Start)} : l'épreuve {row.What} ({row.Span}) tombe pendant l'écrit {written.Unit} "
                                     + $"({Clock(written.Start)}–{Clock(written.End)}, annexe 2).");
            }
        }
    }
}
