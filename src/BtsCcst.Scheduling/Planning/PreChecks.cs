using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>The orals that passed the checks, each with the centre-days where it may take place, and the pinned commissions kept.</summary>
internal sealed record CheckedSession(
    IReadOnlyList<Oral> Orals,
    IReadOnlyDictionary<Oral, IReadOnlyList<CentreDay>> Eligible,
    IReadOnlyDictionary<CentreDay, IReadOnlyList<IReadOnlyList<PlanningExaminer>>> PinnedCommissions);

/// <summary>
/// Checks before solving. Each finds orals that no plan can place and says why in terms an organiser acts on
/// (a centre to open to an academy, an examiner to recruit, a pin to move), so that the solver never has to
/// answer a bare "infeasible". The orals that pass go on, each with the centre-days where it may take place.
/// </summary>
internal static class PreChecks
{
    public static CheckedSession Run(PlanningSession session, List<UnplacedOral> unplaced, List<string> reasons)
    {
        var pinnedCommissions = CheckCommissionPins(session, reasons);
        var orals = new List<Oral>();
        var eligible = new Dictionary<Oral, IReadOnlyList<CentreDay>>();
        var formable = new Dictionary<(int, UnitCode, string, string), bool>();
        var pinsByOral = session.Instance.OralPins.ToLookup(p => (p.CandidateNumber, p.Unit));
        var knownOrals = new HashSet<(string, UnitCode)>();

        foreach (var candidate in session.Instance.Candidates.OrderBy(c => c.Number, StringComparer.Ordinal))
        {
            var refused = new HashSet<UnitCode>();
            foreach (var unit in candidate.Orals.Distinct())
            {
                knownOrals.Add((candidate.Number, unit));
                var pins = pinsByOral[(candidate.Number, unit)].ToList();
                var (oral, days, reason) = CheckOral(session, candidate, unit, pins, orals.Count, formable);
                if (reason is not null)
                {
                    refused.Add(unit);
                    unplaced.Add(new UnplacedOral(candidate.Number, unit, reason));
                    continue;
                }
                orals.Add(oral!);
                eligible[oral!] = days!;
            }

            // HardRules.Ef3AfterU61: an EF3 goes with its U61.
            if (refused.Contains(UnitCode.U61) && orals.FirstOrDefault(o => o.Candidate == candidate && o.Unit == UnitCode.EF3) is { } ef3)
            {
                orals.Remove(ef3);
                eligible.Remove(ef3);
                unplaced.Add(new UnplacedOral(candidate.Number, UnitCode.EF3, "L'engagement étudiant (EF3) se passe à la suite de l'U61, qui ne peut pas être placée (voir l'U61)."));
            }
        }

        foreach (var pin in session.Instance.OralPins.Where(p => !knownOrals.Contains((p.CandidateNumber, p.Unit))))
            reasons.Add($"Épinglage ignoré : le candidat {pin.CandidateNumber} n'a pas d'oral {pin.Unit} à passer.");

        return new CheckedSession(orals, eligible, pinnedCommissions);
    }

    /// <summary>
    /// One oral of a candidate: the centre-days where some plan may place it (numbered <paramref name="index"/>), or why
    /// none may. <paramref name="formable"/> remembers which centre-days can gather a commission for which candidates.
    /// </summary>
    private static (Oral? Oral, List<CentreDay>? Days, string? Reason) CheckOral(PlanningSession session, PlanningCandidate candidate, UnitCode unit,
        List<OralPin> pins, int index, Dictionary<(int, UnitCode, string, string), bool> formable)
    {
        if (CandidateRefusal(candidate, unit) is { } refusal) return (null, null, refusal);
        var oral = new Oral(index, candidate, unit, OralRules.Timing(unit, candidate.ExtraTimePercent), pins.FirstOrDefault());

        // HardRules.CentreServesAcademy.
        var days = session.Serving(candidate.Academy).ToList();
        if (days.Count == 0)
            return (null, null, session.Instance.Centres.Any(c => PlanningSession.Serves(c, candidate.Academy))
                ? $"Aucun centre examinant l'académie {candidate.Academy} n'a de date d'oral (centres.csv, colonne dates)."
                : $"Aucun centre d'oral n'examine les candidats de l'académie {candidate.Academy} (centres.csv, colonne academies).");

        // HardRules.Pins: the oral stays on its pinned date and centre.
        if (ApplyPins(session, candidate, unit, pins, ref days) is { } pinProblem) return (null, null, pinProblem);

        // Durations, centre hours, lunch break and written exams: the block must fit in a free stretch of a day.
        var block = unit == UnitCode.EF3
            ? OralRules.Timing(UnitCode.U61, candidate.ExtraTimePercent).ExamMinutes + oral.Timing.ExamMinutes
            : oral.BlockMinutes;
        var fitting = days.Where(d => d.LongestWindow >= block).ToList();
        if (fitting.Count == 0) return (null, null, NoWindowReason(unit, block, days, pins.Count > 0));

        // HardRules.Rooms and PreparationSeats: a centre without exam rooms (or preparation seats) examines no one there.
        fitting = fitting.Where(d => d.Centre.ExamRooms > 0 && (oral.Timing.PreparationMinutes == 0 || d.Centre.PrepSeats > 0)).ToList();
        if (fitting.Count == 0)
            return (null, null, oral.Timing.PreparationMinutes > 0
                ? "Aucun centre possible pour cet oral n'a de salle d'examen et de place de préparation (centres.csv, colonnes exam_rooms et prep_seats)."
                : "Aucun centre possible pour cet oral n'a de salle d'examen (centres.csv, colonne exam_rooms).");

        // Commission composition and own school: some centre-day must gather a commission able to examine the candidate.
        var (school, language) = (Schools.Key(candidate.EstablishmentUai), Lang(candidate, unit));
        bool Staffed(CentreDay d)
        {
            // The school matters only where some examiner teaches in it.
            var key = (d.Index, unit, session.SchoolsOf(d).Contains(school) ? school : "", language);
            return formable.TryGetValue(key, out var ok) ? ok : formable[key] = CanForm(session.Pool(d), unit, candidate);
        }
        var staffed = fitting.Where(Staffed).ToList();
        return staffed.Count == 0 ? (null, null, NoCommissionReason(session, candidate, unit, fitting)) : (oral, staffed, null);
    }

    /// <summary>What makes an oral unplannable whatever the centres: not an oral, extra time out of range, an EF3 without its U61, no EF1 language.</summary>
    private static string? CandidateRefusal(PlanningCandidate candidate, UnitCode unit)
    {
        // Orals to plan: the first-group orals (domain.md "Which orals are planned") and the contrôle orals.
        if (!PlanningSession.PlannedUnits.Contains(unit)) return $"{unit} n'est pas une épreuve orale : le planificateur ne la place pas.";
        if (candidate.ExtraTimePercent is < 0 or > 100)
            return $"Le temps majoré du candidat ({candidate.ExtraTimePercent} %) doit être compris entre 0 et 100 %.";
        if (unit == UnitCode.EF3 && !candidate.Orals.Contains(UnitCode.U61))
            return "L'engagement étudiant (EF3) se passe à la suite de l'U61, qui n'est pas à planifier pour ce candidat.";
        if (unit == UnitCode.EF1 && string.IsNullOrWhiteSpace(candidate.Ef1Language))
            return "La langue choisie pour l'EF1 n'est pas renseignée (candidates.csv, colonne ef1_language).";
        return null;
    }

    private static string Lang(PlanningCandidate candidate, UnitCode unit) => unit == UnitCode.EF1 ? OralRules.Fold(candidate.Ef1Language) : "";

    private static string? ApplyPins(PlanningSession session, PlanningCandidate candidate, UnitCode unit, IReadOnlyList<OralPin> pins, ref List<CentreDay> days)
    {
        foreach (var pin in pins)
        {
            if (pin.CentreId is { } centreId)
            {
                if (!session.Centres.TryGetValue(centreId, out var centre))
                    return $"L'oral est épinglé au centre {centreId}, qui n'existe pas (centres.csv).";
                if (!PlanningSession.Serves(centre, candidate.Academy))
                    return $"L'oral est épinglé au centre {centreId}, qui n'examine pas l'académie {candidate.Academy} du candidat.";
                if (pin.Date is { } d && !centre.Dates.Contains(d))
                    return $"L'oral est épinglé au centre {centreId} le {Clock.Day(d)}, jour où ce centre n'est pas ouvert.";
            }
            else if (pin.Date is { } d && !days.Any(x => x.Date == d))
                return $"L'oral est épinglé le {Clock.Day(d)} : aucun centre examinant l'académie {candidate.Academy} n'est ouvert ce jour-là.";
            days = days.Where(x => (pin.CentreId is null || x.Centre.Id == pin.CentreId) && (pin.Date is null || x.Date == pin.Date)).ToList();
        }
        return days.Count == 0 ? "Les épinglages de cet oral se contredisent (dates ou centres différents)." : null;
    }

    private static string NoWindowReason(UnitCode unit, int block, IReadOnlyList<CentreDay> days, bool pinned)
    {
        var what = unit == UnitCode.EF3 ? "l'U61 suivie de l'EF3" : unit is UnitCode.E4 or UnitCode.E22 or UnitCode.EF1 ? "la préparation et l'épreuve" : "l'épreuve";
        if (pinned && days.Count <= 3)
            return $"Oral épinglé : aucune plage libre ne peut contenir {what} ({block} min d'affilée) ; "
                + string.Join(" ; ", days.Select(d => $"{d.Label} : {d.DescribeHours()}, plus longue plage libre {d.LongestWindow} min")) + ".";
        return $"Aucune plage libre des {days.Count} journées de centre possibles ne peut contenir {what} ({block} min d'affilée) : "
            + $"la plus longue fait {days.Max(d => d.LongestWindow)} min entre ouverture, pause déjeuner et épreuves écrites.";
    }

    /// <summary>Whether the examiners who may sit at a centre-day can form a commission for the unit, none of the candidate's school.</summary>
    internal static bool CanForm(IReadOnlyList<PlanningExaminer> pool, UnitCode unit, PlanningCandidate candidate)
    {
        var seats = UnitCatalogue.Get(unit).Commission;
        var mandatory = seats.Count(s => !s.Optional);
        // A few representatives of each discipline suffice to find a composition.
        var representatives = pool
            .Where(e => !Schools.Same(e.EstablishmentUai, candidate.EstablishmentUai))
            .Where(e => seats.Any(s => OralRules.MayFill(s, e.Discipline, e.Languages, unit, candidate.Ef1Language)))
            .GroupBy(e => e.Discipline)
            .SelectMany(g => g.Take(seats.Count))
            .ToList();
        return Subsets(representatives, mandatory).Any(members => Composition.Fits(unit, members, candidate.Ef1Language));
    }

    private static IEnumerable<IReadOnlyList<T>> Subsets<T>(IReadOnlyList<T> items, int size, int from = 0)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }
        for (var i = from; i <= items.Count - size; i++)
            foreach (var rest in Subsets(items, size - 1, i + 1))
                yield return [items[i], .. rest];
    }

    private static string NoCommissionReason(PlanningSession session, PlanningCandidate candidate, UnitCode unit, IReadOnlyList<CentreDay> days)
    {
        var where = days.Select(d => d.Centre.Id).Distinct().Count() == 1 && days.Count <= 2
            ? string.Join(" et ", days.Select(d => d.Label))
            : $"les centres de l'académie {candidate.Academy} aux dates d'oral";
        var pool = days.SelectMany(session.Pool).Distinct().ToList();
        foreach (var seat in UnitCatalogue.Get(unit).Commission.Where(s => !s.Optional))
        {
            var able = pool.Where(e => OralRules.MayFill(seat, e.Discipline, e.Languages, unit, candidate.Ef1Language)).ToList();
            var who = unit == UnitCode.EF1
                ? $"professeur {French.OfLanguage(candidate.Ef1Language)}"
                : string.Join(" ou ", seat.AnyOf.Select(French.Examiner));
            var whoPlural = unit == UnitCode.EF1
                ? $"professeurs {French.OfLanguage(candidate.Ef1Language)}"
                : string.Join(" ou ", seat.AnyOf.Select(French.Examiners));
            if (able.Count == 0)
                return $"Aucun {who} ne peut siéger ({where}) : vérifier les disponibilités et les centres déclarés (examiners.csv) ou recruter.";
            if (able.All(e => Schools.Same(e.EstablishmentUai, candidate.EstablishmentUai)))
                return $"{French.Count(able.Count, who, whoPlural)} pouvant siéger ({where}) "
                    + $"{(able.Count == 1 ? "est" : "sont tous")} de l'établissement {candidate.EstablishmentUai.Trim()} du candidat ; "
                    + "un examinateur n'interroge jamais un candidat de son établissement : recruter un examinateur d'un autre établissement.";
        }
        return $"Aucune journée de centre ne réunit une commission complète pour {unit} ({where}) sans examinateur de l'établissement du candidat.";
    }

    /// <summary><see cref="HardRules.Pins"/>: commission pins that can hold; the others are reported and not applied.</summary>
    private static Dictionary<CentreDay, IReadOnlyList<IReadOnlyList<PlanningExaminer>>> CheckCommissionPins(PlanningSession session, List<string> reasons)
    {
        var kept = new Dictionary<CentreDay, List<IReadOnlyList<PlanningExaminer>>>();
        var taken = new HashSet<(string, DateOnly)>();
        foreach (var pin in session.Instance.CommissionPins)
        {
            var name = $"Commission épinglée ({string.Join(", ", pin.ExaminerIds)}) au centre {pin.CentreId} le {Clock.Day(pin.Date)}";
            var day = session.Find(pin.CentreId, pin.Date);
            if (day is null)
            {
                reasons.Add($"{name} non appliquée : le centre {(session.Centres.ContainsKey(pin.CentreId) ? "n'est pas ouvert ce jour-là" : "n'existe pas")}.");
                continue;
            }
            var unknown = pin.ExaminerIds.Where(id => !session.ExaminersById.ContainsKey(id)).ToList();
            if (unknown.Count > 0 || pin.ExaminerIds.Count == 0)
            {
                reasons.Add($"{name} non appliquée : examinateur inconnu ({string.Join(", ", unknown)}).");
                continue;
            }
            var members = pin.ExaminerIds.Distinct().Select(id => session.ExaminersById[id]).ToList();
            var absent = members.Where(m => !PlanningSession.MaySit(m, day)).ToList();
            if (absent.Count > 0)
            {
                reasons.Add($"{name} non appliquée : {string.Join(", ", absent.Select(m => m.Id))} "
                    + $"{(absent.Count == 1 ? "n'est pas disponible" : "ne sont pas disponibles")} ce jour-là dans ce centre (examiners.csv, colonnes available_dates et centre_ids).");
                continue;
            }
            var twice = members.Where(m => taken.Contains((m.Id, day.Date))).ToList();
            if (twice.Count > 0)
            {
                reasons.Add($"{name} non appliquée : {string.Join(", ", twice.Select(m => m.Id))} figure déjà dans une autre commission épinglée ce jour-là.");
                continue;
            }
            if (!PlanningSession.PlannedUnits.Any(u => Composition.Fits(u, members, u == UnitCode.EF1 ? members.SelectMany(m => m.Languages).FirstOrDefault() ?? "" : "")))
            {
                reasons.Add($"{name} non appliquée : ces membres ne composent la commission d'aucune épreuve orale.");
                continue;
            }
            foreach (var m in members) taken.Add((m.Id, day.Date));
            if (!kept.TryGetValue(day, out var list)) kept[day] = list = [];
            list.Add(members);
        }
        return kept.ToDictionary(k => k.Key, k => (IReadOnlyList<IReadOnlyList<PlanningExaminer>>)k.Value);
    }
}
