using BtsCcst.Domain;

namespace BtsCcst.Scheduling;

/// <summary>The rules about commissions: composition, fixed members, one candidate at a time; the pins.</summary>
public static partial class ScheduleValidator
{
    /// <summary>
    /// Each exam's members fill the unit's seats exactly (<see cref="UnitCatalogue"/>, <see cref="OralRules.MayFill"/>):
    /// every required seat taken by a distinct member, and no member without a seat (§2, each unit's "Composition de la
    /// commission d'évaluation"; see the class remarks). Every member is an examiner of the session.
    /// </summary>
    private static IEnumerable<Violation> CommissionComposition(Input input)
    {
        var rule = HardRules.CommissionComposition;

        var unknown = input.Rows
            .SelectMany(r => r.Members.Where(id => !input.Examiners.ContainsKey(id)).Select(id => (Id: id, Row: r)))
            .GroupBy(x => x.Id, Ids);
        foreach (var group in unknown)
        {
            yield return V(rule, $"Examinateur {group.Key} : inconnu (absent de la liste des examinateurs), il siège pourtant dans "
                                 + $"{Commissions(group.Select(x => x.Row.Commission))} ({group.Count()} épreuve(s)).");
        }

        foreach (var row in input.Rows)
        {
            var at = At(row.Centre, row.Date, row.ExamStart);
            foreach (var repeated in row.Examiners.GroupBy(id => id, Ids).Where(g => g.Count() > 1))
                yield return V(rule, $"{at} : l'examinateur {repeated.Key} figure plusieurs fois dans la commission {row.Commission} ({row.What}).");

            var definition = UnitCatalogue.Get(row.Unit);
            if (definition.PonctualMode != ExamMode.Oral) continue;
            var members = row.Members;
            if (members.Any(id => !input.Examiners.ContainsKey(id))) continue;

            var examiners = members.Select(id => input.Examiners[id]).ToList();
            if (CanSit(examiners, definition, row.CandidateInfo)) continue;

            var language = row.Unit == UnitCode.EF1 ? row.CandidateInfo?.Ef1Language : null;
            var composition = examiners.Count == 0
                ? "aucun membre"
                : List(examiners.Select(e => $"{e.Id} {DisciplineName(e.Discipline)}"
                                             + (e.Discipline is Discipline.Langue or Discipline.Anglais && e.Languages is { Count: > 0 } ? $" ({string.Join(", ", e.Languages)})" : "")));
            yield return V(rule, $"{at} : la commission {row.Commission} ({composition}) ne peut pas faire passer l'épreuve {row.What} : "
                                 + $"il faut {Expected(definition, language)}, aucun autre membre.");
        }
    }

    /// <summary>
    /// Whether the members can sit for the unit: an assignment of distinct members to seats filling every
    /// required seat, every member taking a seat. Seats are few, so a search over (member, seats taken) suffices.
    /// </summary>
    private static bool CanSit(IReadOnlyList<PlanningExaminer> members, UnitDefinition unit, PlanningCandidate? candidate)
    {
        var seats = unit.Commission;
        if (seats.Count > 16) return false;
        var required = 0;
        for (var s = 0; s < seats.Count; s++)
        {
            if (!seats[s].Optional) required |= 1 << s;
        }

        bool Fills(PlanningExaminer examiner, CommissionSeat seat) =>
            candidate is null && unit.Code == UnitCode.EF1
                ? seat.AnyOf.Contains(examiner.Discipline) // unknown candidate: the language cannot be checked (reported elsewhere)
                : OralRules.MayFill(seat, examiner.Discipline, examiner.Languages ?? [], unit.Code, candidate?.Ef1Language ?? "");

        var failed = new HashSet<(int, int)>();
        bool Place(int member, int taken)
        {
            if (member == members.Count) return (taken & required) == required;
            if (failed.Contains((member, taken))) return false;
            var examiner = members[member];
            for (var s = 0; s < seats.Count; s++)
            {
                if ((taken & (1 << s)) == 0 && Fills(examiner, seats[s]) && Place(member + 1, taken | (1 << s))) return true;
            }
            failed.Add((member, taken));
            return false;
        }
        return Place(0, 0);
    }

    /// <summary>"1 membre économie-gestion + 1 membre STI + 1 membre professionnel (facultatif)"; EF1 names the language.</summary>
    private static string Expected(UnitDefinition unit, string? language) =>
        unit.Commission.Count == 0
            ? "aucune commission (épreuve écrite)"
            : string.Join(" + ", unit.Commission.Select(seat =>
                "1 membre " + string.Join(" ou ", seat.AnyOf.Select(DisciplineName))
                + (unit.Code == UnitCode.EF1 && !string.IsNullOrWhiteSpace(language) ? $" ({language.Trim()})" : "")
                + (seat.Optional ? " (facultatif)" : "")));

    /// <summary>
    /// A commission is one fixed set of members for one centre and one day: its members are everyone its rows list, and
    /// a row leaves out only a member who could not take a seat in that exam (the professional during a U62): a member
    /// missing from an exam they could have examined means the commission changed during the day.
    /// </summary>
    private static IEnumerable<Violation> CommissionFixedMembers(Input input)
    {
        var rule = HardRules.CommissionFixedMembers;
        foreach (var commission in input.Rows.GroupBy(r => r.Commission, Ids))
        {
            var rows = commission.OrderBy(r => r.Date).ThenBy(r => r.ExamStart).ToList();
            var places = rows.Select(r => (Centre: r.Centre.ToUpperInvariant(), r.Date)).Distinct().ToList();
            if (places.Count > 1)
                yield return V(rule, $"Commission {commission.Key} : elle siège dans plusieurs centres ou à plusieurs dates "
                                     + $"({List(rows.GroupBy(r => (Centre: r.Centre.ToUpperInvariant(), r.Date)).Select(g => $"{g.First().Centre} le {Day(g.Key.Date)}"))}), "
                                     + "alors qu'une commission est attachée à un centre et un jour.");
            var members = rows.SelectMany(r => r.Members).Distinct(Ids).ToList();
            var changed = rows
                .Select(r => (Row: r, Missing: members.Where(m => !r.Members.Contains(m, Ids) && CouldSit(input, r, m)).ToList()))
                .Where(x => x.Missing.Count > 0)
                .ToList();
            if (changed.Count > 0)
                yield return V(rule, $"Commission {commission.Key} : sa composition varie (membres : {List(members)} ; "
                                     + string.Join(" ; ", changed.Select(x => $"sans {List(x.Missing)} pour {x.Row.What} le {Day(x.Row.Date)} à {Clock(x.Row.ExamStart)}"))
                                     + "), alors que ses membres sont fixes pour le centre et le jour : seul un membre sans siège dans l'épreuve n'y siège pas.");
        }
    }

    /// <summary>Whether the row's members with <paramref name="member"/> added would still sit exactly for the row's unit.</summary>
    private static bool CouldSit(Input input, Row row, string member)
    {
        if (!input.Examiners.TryGetValue(member, out var added) || row.Members.Any(id => !input.Examiners.ContainsKey(id))) return false;
        var definition = UnitCatalogue.Get(row.Unit);
        return definition.PonctualMode == ExamMode.Oral
               && CanSit([.. row.Members.Select(id => input.Examiners[id]), added], definition, row.CandidateInfo);
    }

    /// <summary>A commission examines one candidate at a time.</summary>
    private static IEnumerable<Violation> CommissionOneCandidateAtATime(Input input)
    {
        var rule = HardRules.CommissionOneCandidateAtATime;
        foreach (var day in input.Rows.GroupBy(r => (Commission: r.Commission.ToUpperInvariant(), r.Date)))
        {
            var rows = day.OrderBy(r => r.ExamStart).ToList();
            for (var i = 0; i < rows.Count; i++)
            {
                for (var j = i + 1; j < rows.Count; j++)
                {
                    var (a, b) = (rows[i], rows[j]);
                    if (!Overlap(a.ExamStart, a.ExamEnd, b.ExamStart, b.ExamEnd)) continue;
                    yield return V(rule, $"{At(b.Centre, b.Date, b.ExamStart)} : la commission {b.Commission} fait passer deux candidats à la fois "
                                         + $"({a.What}, {Clock(a.ExamStart)}–{Clock(a.ExamEnd)} ; {b.What}, {Clock(b.ExamStart)}–{Clock(b.ExamEnd)}).");
                }
            }
        }
    }

    /// <summary>
    /// Every pin holds: an oral pinned to a date and/or centre is planned there (an oral reported unplaced
    /// breaks no pin); a commission pin is met by a commission of that centre and date with exactly those members.
    /// </summary>
    private static IEnumerable<Violation> Pins(Input input)
    {
        var rule = HardRules.Pins;
        foreach (var pin in input.Instance.OralPins ?? [])
        {
            if (pin is null) continue;
            foreach (var row in input.Rows.Where(r => SameId(r.Candidate, pin.CandidateNumber) && r.Unit == pin.Unit))
            {
                var wrongDate = pin.Date is { } date && row.Date != date;
                var wrongCentre = !string.IsNullOrEmpty(pin.CentreId) && !SameId(row.Centre, pin.CentreId);
                if (!wrongDate && !wrongCentre) continue;
                var pinned = string.Join(" ", new[]
                {
                    pin.Date is { } d ? $"le {Day(d)}" : null,
                    string.IsNullOrEmpty(pin.CentreId) ? null : $"au centre {pin.CentreId}",
                }.Where(s => s is not null));
                yield return V(rule, $"Candidat {row.Candidate}, {row.Unit} : épinglée {pinned}, l'épreuve est planifiée {row.Where}.");
            }
        }

        foreach (var pin in input.Instance.CommissionPins ?? [])
        {
            if (pin is null) continue;
            var key = MemberKey(pin.ExaminerIds ?? []);
            var there = input.Rows.Where(r => SameId(r.Centre, pin.CentreId) && r.Date == pin.Date).ToList();
            var members = there.GroupBy(r => r.Commission, Ids).Select(g => (Commission: g.Key, Members: g.SelectMany(r => r.Members).Distinct(Ids).ToList())).ToList();
            if (members.Any(c => MemberKey(c.Members) == key)) continue;
            var existing = members.Select(c => $"{c.Commission} : {List(c.Members)}").ToList();
            yield return V(rule, $"Centre {pin.CentreId}, {Day(pin.Date)} : aucune commission n'a exactement les membres épinglés ({List(pin.ExaminerIds ?? [])})"
                                 + (existing.Count == 0 ? " ; aucune commission n'y siège." : $" ; commissions de ce jour : {string.Join(" ; ", existing)}."));
        }
    }
}
