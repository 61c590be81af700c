namespace BtsCcst.Scheduling;

/// <summary>The rules about examiners.</summary>
public static partial class ScheduleValidator
{
    /// <summary>(examiner as listed, row) for every member of every row, each member once per row.</summary>
    private static IEnumerable<(string Examiner, Row Row)> Seats(Input input) =>
        input.Rows.SelectMany(r => r.Members.Select(id => (id, r)));

    /// <summary>An examiner sits in one commission at a time: never two overlapping exams of different commissions.</summary>
    private static IEnumerable<Violation> ExaminerOneCommissionAtATime(Input input)
    {
        var rule = HardRules.ExaminerOneCommissionAtATime;
        foreach (var day in Seats(input).GroupBy(s => (Examiner: s.Examiner.ToUpperInvariant(), s.Row.Date)))
        {
            var rows = day.Select(s => s.Row).OrderBy(r => r.ExamStart).ToList();
            var examiner = day.First().Examiner;
            for (var i = 0; i < rows.Count; i++)
            {
                for (var j = i + 1; j < rows.Count; j++)
                {
                    var (a, b) = (rows[i], rows[j]);
                    if (SameId(a.Commission, b.Commission) || !Overlap(a.ExamStart, a.ExamEnd, b.ExamStart, b.ExamEnd)) continue;
                    yield return V(rule, $"{At(b.Centre, b.Date, Math.Max(a.ExamStart, b.ExamStart))} : l'examinateur {examiner} siège dans deux commissions à la fois ({a.Commission}, {b.Commission}).");
                }
            }
        }
    }

    /// <summary>An examiner sits only on the dates they are available.</summary>
    private static IEnumerable<Violation> ExaminerAvailableDates(Input input)
    {
        var rule = HardRules.ExaminerAvailableDates;
        foreach (var day in Seats(input).Where(s => input.Examiners.ContainsKey(s.Examiner)).GroupBy(s => (Examiner: input.Examiners[s.Examiner], s.Row.Date)))
        {
            var examiner = day.Key.Examiner;
            var dates = examiner.Dates ?? new HashSet<DateOnly>();
            if (dates.Contains(day.Key.Date)) continue;
            yield return V(rule, $"Examinateur {examiner.Id}, {Day(day.Key.Date)} : il siège ({Commissions(day.Select(s => s.Row.Commission))}) un jour où il n'est pas disponible "
                                 + $"(disponibilités : {(dates.Count == 0 ? "aucune" : List(dates.Order().Select(Day)))}).");
        }
    }

    /// <summary>An examiner sits only in the centres they listed.</summary>
    private static IEnumerable<Violation> ExaminerListedCentres(Input input)
    {
        var rule = HardRules.ExaminerListedCentres;
        foreach (var place in Seats(input).Where(s => input.Examiners.ContainsKey(s.Examiner)).GroupBy(s => (Examiner: input.Examiners[s.Examiner], Centre: s.Row.Centre.ToUpperInvariant())))
        {
            var examiner = place.Key.Examiner;
            var centres = examiner.CentreIds ?? new HashSet<string>();
            var centre = place.First().Row.Centre;
            if (centres.Any(c => SameId(c, centre))) continue;
            yield return V(rule, $"Examinateur {examiner.Id} : il siège au centre {centre} (le {List(place.Select(s => Day(s.Row.Date)).Distinct())}), "
                                 + $"qui n'est pas parmi ses centres ({(centres.Count == 0 ? "aucun" : List(centres.Order(StringComparer.Ordinal)))}).");
        }
    }

    /// <summary>An examiner sits in one centre a day.</summary>
    private static IEnumerable<Violation> ExaminerOneCentreADay(Input input)
    {
        var rule = HardRules.ExaminerOneCentreADay;
        foreach (var day in Seats(input).GroupBy(s => (Examiner: s.Examiner.ToUpperInvariant(), s.Row.Date)))
        {
            var centres = day.Select(s => s.Row.Centre).Distinct(Ids).ToList();
            if (centres.Count <= 1) continue;
            yield return V(rule, $"Examinateur {day.First().Examiner}, {Day(day.Key.Date)} : il siège dans plusieurs centres le même jour ({List(centres)}).");
        }
    }

    /// <summary>An examiner examines at most their minutes per day (exam time, not preparation).</summary>
    private static IEnumerable<Violation> ExaminerMinutesPerDay(Input input)
    {
        var rule = HardRules.ExaminerMinutesPerDay;
        foreach (var day in Seats(input).Where(s => input.Examiners.ContainsKey(s.Examiner)).GroupBy(s => (Examiner: input.Examiners[s.Examiner], s.Row.Date)))
        {
            var examiner = day.Key.Examiner;
            var minutes = day.Sum(s => s.Row.ExamMinutes);
            if (minutes <= examiner.MaxMinutesPerDay) continue;
            yield return V(rule, $"Examinateur {examiner.Id}, {Day(day.Key.Date)} : {minutes} min d'épreuves ({day.Count()} épreuve(s)), "
                                 + $"au-delà de son maximum de {examiner.MaxMinutesPerDay} min par jour.");
        }
    }

    /// <summary>An examiner never examines a candidate of their own school (same non-empty UAI).</summary>
    private static IEnumerable<Violation> ExaminerNotOwnSchool(Input input)
    {
        var rule = HardRules.ExaminerNotOwnSchool;
        foreach (var (id, row) in Seats(input))
        {
            if (row.CandidateInfo is not { } candidate || !input.Examiners.TryGetValue(id, out var examiner)) continue;
            var school = (candidate.EstablishmentUai ?? "").Trim();
            if (school.Length == 0 || !SameId(school, (examiner.EstablishmentUai ?? "").Trim())) continue;
            yield return V(rule, $"{At(row.Centre, row.Date, row.ExamStart)} : l'examinateur {examiner.Id} fait passer l'épreuve {row.What}, "
                                 + $"élève de son propre établissement ({school}).");
        }
    }
}
