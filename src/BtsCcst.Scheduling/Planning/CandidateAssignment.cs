using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>
/// Estimated loads and capacities of the centre-days, in minutes per resource: economics-and-management and
/// STI examiners (also counted without each school's own examiners, who may not examine their pupils),
/// English and other language teachers, rooms, preparation seats, from the examiners called to each centre-day.
/// This is an estimate for balancing, not a rule.
/// </summary>
internal sealed class LoadBook
{
    private const string Eco = "EG", Sti = "STI", English = "EN", Room = "ROOM", Prep = "PREP";
    private readonly Dictionary<CentreDay, Dictionary<string, double>> capacity = [];
    private readonly Dictionary<CentreDay, Dictionary<string, double>> load = [];

    public LoadBook(PlanningSession session, IReadOnlyDictionary<CentreDay, List<PlanningExaminer>> staff, IReadOnlyDictionary<CentreDay, IReadOnlyList<IReadOnlyList<PlanningExaminer>>> pinned)
    {
        foreach (var day in session.CentreDays)
        {
            capacity[day] = new() { [Room] = day.Centre.ExamRooms * (double)day.FreeMinutes, [Prep] = day.Centre.PrepSeats * (double)day.FreeMinutes };
            load[day] = [];
            var present = staff.GetValueOrDefault(day, []).Concat((pinned.GetValueOrDefault(day) ?? []).SelectMany(c => c)).Distinct();
            foreach (var examiner in present) Supply(day, examiner);
        }
    }

    /// <summary>An examiner called to a centre-day adds their day to its capacity.</summary>
    public void Supply(CentreDay day, PlanningExaminer examiner)
    {
        var minutes = (double)Math.Min(examiner.MaxMinutesPerDay, day.FreeMinutes);
        foreach (var key in SupplyKeys(examiner)) Add(capacity[day], key, minutes);
        if (examiner.Discipline is Discipline.EcoGestion or Discipline.Sti && Schools.Key(examiner.EstablishmentUai) is { Length: > 0 } school)
            Add(capacity[day], Key(examiner.Discipline) + "@" + school, minutes);
    }

    private static string Key(Discipline discipline) => discipline == Discipline.EcoGestion ? Eco : Sti;

    private static IEnumerable<string> SupplyKeys(PlanningExaminer examiner) => examiner.Discipline switch
    {
        Discipline.EcoGestion => [Eco],
        Discipline.Sti => [Sti],
        Discipline.Anglais => [English],
        Discipline.Langue => examiner.Languages.Select(l => "LANG:" + OralRules.Fold(l)),
        _ => [],
    };

    /// <summary>What one oral asks of a centre-day, in minutes per resource.</summary>
    public static IEnumerable<(string Key, double Minutes)> Needs(Oral oral)
    {
        var exam = oral.Timing.ExamMinutes;
        yield return (Room, exam);
        if (oral.Timing.PreparationMinutes > 0) yield return (Prep, oral.Timing.PreparationMinutes);
        switch (oral.Unit)
        {
            case UnitCode.E22: yield return (English, exam); break;
            case UnitCode.EF1: yield return ("LANG:" + OralRules.Fold(oral.Candidate.Ef1Language), exam); break;
            default:
                yield return (Eco, exam);
                yield return (Sti, exam);
                if (Schools.Key(oral.Candidate.EstablishmentUai) is { Length: > 0 } school)
                {
                    yield return (Eco + "!" + school, exam);
                    yield return (Sti + "!" + school, exam);
                }
                break;
        }
    }

    private double Capacity(CentreDay day, string key)
    {
        var bang = key.IndexOf('!');
        if (bang < 0) return capacity[day].GetValueOrDefault(key);
        var discipline = key[..bang];
        return capacity[day].GetValueOrDefault(discipline) - capacity[day].GetValueOrDefault(discipline + "@" + key[(bang + 1)..]);
    }

    /// <summary>The fullest resource of the centre-day once these orals are added (1 = full; above 1 = over).</summary>
    public double UtilisationWith(CentreDay day, IEnumerable<Oral> orals)
    {
        var worst = 0.0;
        foreach (var group in orals.SelectMany(Needs).GroupBy(n => n.Key))
        {
            var cap = Capacity(day, group.Key);
            var total = load[day].GetValueOrDefault(group.Key) + group.Sum(n => n.Minutes);
            worst = Math.Max(worst, cap <= 0 ? 1_000 + total : total / cap);
        }
        return worst;
    }

    public void Add(CentreDay day, IEnumerable<Oral> orals, int sign = 1)
    {
        foreach (var (key, minutes) in orals.SelectMany(Needs)) Add(load[day], key, sign * minutes);
    }

    private static void Add(Dictionary<string, double> book, string key, double minutes) => book[key] = book.GetValueOrDefault(key) + minutes;
}

/// <summary>
/// Heuristic phase: assigns each candidate's orals to one centre-day serving their academy, so that a candidate
/// comes one day (<see cref="PlannerWeights.ExtraDay"/>); pins may split a candidate's orals over several days.
/// The most constrained candidates go first, each to the centre-day whose fullest resource stays the least full
/// (balanced loads). Not optimal: it estimates capacities instead of scheduling them.
/// </summary>
internal static class CandidateAssignment
{
    /// <summary>A group of a candidate's orals that go to the same centre-day, and the centre-days all of them may have.</summary>
    private sealed class Part(PlanningCandidate candidate, List<Oral> orals, List<CentreDay> eligible)
    {
        public PlanningCandidate Candidate { get; } = candidate;
        public List<Oral> Orals { get; } = orals;
        public List<CentreDay> Eligible { get; } = eligible;
    }

    public static Dictionary<CentreDay, List<Oral>> Assign(PlanningSession session, CheckedSession checkedSession, LoadBook book, List<UnplacedOral> unplaced)
    {
        var parts = new List<Part>();
        foreach (var group in checkedSession.Orals.GroupBy(o => o.Candidate))
            parts.AddRange(Split(group.ToList(), checkedSession.Eligible, unplaced));

        var assigned = session.CentreDays.ToDictionary(d => d, _ => new List<Oral>());
        var where = new Dictionary<Part, CentreDay>();
        var datesOf = new Dictionary<PlanningCandidate, HashSet<DateOnly>>();
        HashSet<DateOnly> Dates(PlanningCandidate candidate) => datesOf.TryGetValue(candidate, out var set) ? set : datesOf[candidate] = [];
        void Put(Part part, CentreDay day)
        {
            if (where.Remove(part, out var before))
            {
                assigned[before].RemoveAll(part.Orals.Contains);
                book.Add(before, part.Orals, -1);
                Dates(part.Candidate).Remove(before.Date);
            }
            where[part] = day;
            assigned[day].AddRange(part.Orals);
            book.Add(day, part.Orals);
            Dates(part.Candidate).Add(day.Date);
        }

        foreach (var part in parts
            .OrderBy(p => p.Eligible.Count)
            .ThenByDescending(p => p.Orals.Sum(o => o.Timing.TotalMinutes))
            .ThenBy(p => p.Candidate.Number, StringComparer.Ordinal))
        {
            var dates = Dates(part.Candidate);
            Put(part, part.Eligible
                .OrderBy(d => (dates.Contains(d.Date) ? 100 : 0) + book.UtilisationWith(d, part.Orals))
                .ThenBy(d => d.Index)
                .First());
        }

        // HardRules.Pins: a pinned commission examines. When no oral assigned to its centre-day may be examined by it,
        // the candidate who has the most orals it may examine moves there (orals it cannot take move on later).
        foreach (var (day, commissions) in checkedSession.PinnedCommissions.OrderBy(p => p.Key.Index))
            foreach (var members in commissions)
            {
                bool Examinable(Oral o) => !members.Any(m => Schools.Same(m.EstablishmentUai, o.Candidate.EstablishmentUai))
                    && Composition.Fits(o.Unit, members, o.Candidate.Ef1Language);
                if (assigned[day].Any(Examinable)) continue;
                var part = parts
                    .Where(p => p.Eligible.Contains(day) && p.Orals.Any(Examinable))
                    .Where(p => !checkedSession.PinnedCommissions.ContainsKey(where[p]))
                    .OrderByDescending(p => p.Orals.Count(Examinable)).ThenBy(p => p.Candidate.Number, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (part is not null) Put(part, day);
            }
        return assigned;
    }

    /// <summary>
    /// One part with all the candidate's orals when the centre-days they may have meet (pins, examiners able to sit);
    /// otherwise an oral joins the first part it agrees with, pinned orals first. EF3 always goes with the U61
    /// (<see cref="HardRules.Ef3AfterU61"/>).
    /// </summary>
    private static IEnumerable<Part> Split(List<Oral> orals, IReadOnlyDictionary<Oral, IReadOnlyList<CentreDay>> eligible, List<UnplacedOral> unplaced)
    {
        var parts = new List<Part>();
        foreach (var oral in orals.Where(o => o.Unit != UnitCode.EF3).OrderBy(o => o.Pin is null ? 1 : 0).ThenBy(o => o.Unit))
        {
            var days = eligible[oral];
            var part = parts.FirstOrDefault(p => p.Eligible.Intersect(days).Any());
            if (part is null) parts.Add(new Part(oral.Candidate, [oral], [.. days]));
            else
            {
                part.Orals.Add(oral);
                part.Eligible.RemoveAll(d => !days.Contains(d));
            }
        }
        foreach (var ef3 in orals.Where(o => o.Unit == UnitCode.EF3))
        {
            var part = parts.FirstOrDefault(p => p.Orals.Any(o => o.Unit == UnitCode.U61));
            if (part is null || !part.Eligible.Intersect(eligible[ef3]).Any())
            {
                unplaced.Add(new UnplacedOral(ef3.Candidate.Number, ef3.Unit,
                    "L'EF3 se passe à la suite de l'U61, devant la même commission : son épinglage (date ou centre) diffère de celui de l'U61."));
                continue;
            }
            part.Orals.Add(ef3);
            part.Eligible.RemoveAll(d => !eligible[ef3].Contains(d));
        }
        return parts;
    }
}
