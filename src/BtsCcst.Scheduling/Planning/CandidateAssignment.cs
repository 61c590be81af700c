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
    /// <summary>
    /// Share of a room's free minutes that exams can use: a room is never taken all day long (an E4 waits for its hour
    /// of preparation at the start of each free stretch, stretches end before a long exam fits); with the whole of
    /// them, days were filled to 96% of their rooms and orals were left out (written-exam days); with 85 %, the academy
    /// "hard" sample's days were 90 % full and left 13 to 14 E4 out at 20 s, against 9 for the greedy baseline (4 to 7
    /// with 80 %).
    /// </summary>
    private const double RoomShare = 0.8;
    /// <summary>Units whose preparation holds back the first exam of each free stretch (<see cref="PreparedExamMinutesPerRoom"/>).</summary>
    private static readonly UnitCode[] PreparedUnits = [UnitCode.E4, UnitCode.E22, UnitCode.EF1];
    private const string Slots = "SLOTS:", Count = "COUNT:";
    private readonly Dictionary<CentreDay, Dictionary<string, double>> capacity = [];
    private readonly Dictionary<CentreDay, Dictionary<string, double>> load = [];

    public LoadBook(PlanningSession session, IReadOnlyDictionary<CentreDay, List<PlanningExaminer>> staff, IReadOnlyDictionary<CentreDay, IReadOnlyList<IReadOnlyList<PlanningExaminer>>> pinned)
    {
        foreach (var day in session.CentreDays)
        {
            capacity[day] = new() { [Room] = RoomShare * day.Centre.ExamRooms * day.FreeMinutes, [Prep] = day.Centre.PrepSeats * (double)day.FreeMinutes };
            foreach (var unit in PreparedUnits) capacity[day][Slots + unit] = PreparedExamMinutesPerRoom(day, unit);
            load[day] = [];
            var present = staff.GetValueOrDefault(day, []).Concat((pinned.GetValueOrDefault(day) ?? []).SelectMany(c => c)).Distinct();
            foreach (var examiner in present) Supply(day, examiner);
        }
    }

    /// <summary>
    /// The exam minutes of a unit with preparation that one room (and one commission) can hold in the centre-day: in
    /// each free stretch, it examines only once the first preparation is over. On a written-exam day (15 May: 08:00–10:30
    /// and 13:30–14:30) a room takes a single E4, whatever its free minutes; the day then holds as many E4 as it has
    /// rooms or E4 commissions (<see cref="Capacity"/>).
    /// </summary>
    private static double PreparedExamMinutesPerRoom(CentreDay day, UnitCode unit)
    {
        var timing = OralRules.Timing(unit, 0);
        return day.FreeWindows.Sum(w => Math.Max(0, w.Length - timing.PreparationMinutes) / timing.ExamMinutes) * (double)timing.ExamMinutes;
    }

    /// <summary>How many commissions of a prepared unit the examiners called can form at once (rooms apart).</summary>
    private double Commissions(CentreDay day, string unit) => unit switch
    {
        nameof(UnitCode.E4) => Math.Min(capacity[day].GetValueOrDefault(Count + Eco), capacity[day].GetValueOrDefault(Count + Sti)),
        nameof(UnitCode.E22) => capacity[day].GetValueOrDefault(Count + English),
        _ => double.PositiveInfinity,
    };

    /// <summary>An examiner called to a centre-day adds their day to its capacity.</summary>
    public void Supply(CentreDay day, PlanningExaminer examiner)
    {
        var minutes = (double)Math.Min(examiner.MaxMinutesPerDay, day.FreeMinutes);
        foreach (var key in SupplyKeys(examiner))
        {
            Add(capacity[day], key, minutes);
            Add(capacity[day], Count + key, 1);
        }
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
        if (PreparedUnits.Contains(oral.Unit)) yield return (Slots + oral.Unit, exam);
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
        if (key.StartsWith(Slots, StringComparison.Ordinal))
            return Math.Min(day.Centre.ExamRooms, Commissions(day, key[Slots.Length..])) * capacity[day][key];
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
/// (balanced loads), among those whose free stretches can hold all their orals (<see cref="CandidateDay.Fits"/>).
/// A candidate goes over two days, on two dates, when no centre-day can hold them all, or when every one that can is
/// nearly full (<see cref="SplitAbove"/>) and two days less full can: an extra day costs the organiser far less than
/// an oral left out (<see cref="PlannerWeights"/>). Not optimal: it estimates capacities instead of scheduling them.
/// </summary>
internal static class CandidateAssignment
{
    /// <summary>Above this estimated use of its fullest resource, a centre-day is nearly full: splitting the candidate is considered.</summary>
    private const double SplitAbove = 0.85;

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
            .ThenBy(p => p.Candidate.Number, StringComparer.Ordinal)
            .ToList())
        {
            var dates = Dates(part.Candidate);
            var whole = Best(book, part.Orals, part.Eligible.Where(d => CandidateDay.Fits(d, part.Orals)), dates);
            var wholeUse = whole is null ? double.PositiveInfinity : book.UtilisationWith(whole, part.Orals);
            if (wholeUse > SplitAbove && Split(book, part, dates, wholeUse) is { } split)
            {
                parts.Remove(part);
                foreach (var (half, day) in split)
                {
                    parts.Add(half);
                    Put(half, day);
                }
                continue;
            }
            // No centre-day can hold them all, nor two: the least loaded, where the centre-day's model places what it can.
            Put(part, whole ?? Best(book, part.Orals, part.Eligible, dates)!);
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

    /// <summary>The centre-day whose fullest resource stays the least full with these orals; a date the candidate already comes on, last.</summary>
    private static CentreDay? Best(LoadBook book, IReadOnlyCollection<Oral> orals, IEnumerable<CentreDay> days, HashSet<DateOnly> dates) =>
        days.OrderBy(d => (dates.Contains(d.Date) ? 100 : 0) + book.UtilisationWith(d, orals)).ThenBy(d => d.Index).FirstOrDefault();

    /// <summary>
    /// The part's orals over two centre-days on two dates, each holding its share (an EF3 stays with its U61), whose
    /// fuller day is the least full and below <paramref name="below"/>; null when there is none.
    /// </summary>
    private static List<(Part Part, CentreDay Day)>? Split(LoadBook book, Part part, HashSet<DateOnly> dates, double below) =>
        Split(book, part, dates, below, roomy: true) ?? Split(book, part, dates, below, roomy: false);

    /// <summary>
    /// A long oral on a day whose free stretches are short (an E4, 120 minutes, in the 150-minute morning of a written-exam
    /// day) holds a room and a commission for most of a stretch, and the estimates do not see it: with
    /// <paramref name="roomy"/>, each share goes to a centre-day whose longest free stretch is at least twice its longest oral.
    /// </summary>
    private static bool Roomy(CentreDay day, List<Oral> orals) => orals.Max(o => o.BlockMinutes) * 2 <= day.LongestWindow;

    private static List<(Part Part, CentreDay Day)>? Split(LoadBook book, Part part, HashSet<DateOnly> dates, double below, bool roomy)
    {
        var blocks = CandidateDay.Blocks(part.Orals);
        if (blocks.Count < 2 || blocks.Count > 10) return null;
        List<(Part, CentreDay)>? best = null;
        var bestUse = below;
        for (var mask = 1; mask < (1 << blocks.Count) - 1; mask++)
        {
            var first = blocks.Where((_, i) => (mask & (1 << i)) != 0).SelectMany(b => b).ToList();
            var second = blocks.Where((_, i) => (mask & (1 << i)) == 0).SelectMany(b => b).ToList();
            if (Best(book, first, part.Eligible.Where(d => (!roomy || Roomy(d, first)) && CandidateDay.Fits(d, first)), dates) is not { } day1) continue;
            var use1 = book.UtilisationWith(day1, first);
            if (use1 >= bestUse) continue;
            if (Best(book, second, part.Eligible.Where(d => d.Date != day1.Date && (!roomy || Roomy(d, second)) && CandidateDay.Fits(d, second)), dates) is not { } day2) continue;
            var use = Math.Max(use1, book.UtilisationWith(day2, second));
            if (use >= bestUse) continue;
            bestUse = use;
            best = [(new Part(part.Candidate, first, [.. part.Eligible]), day1), (new Part(part.Candidate, second, [.. part.Eligible]), day2)];
        }
        return best;
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

/// <summary>
/// Whether a candidate's orals fit in a centre-day for the candidate alone: each preparation and exam inside one free
/// stretch (<see cref="HardRules.CentreHours"/>, <see cref="HardRules.LunchBreak"/>, <see cref="HardRules.WrittenExams"/>),
/// 10 minutes from an exam to the next, an EF3 right after its U61 (<see cref="HardRules.CandidateOneThingAtATime"/>,
/// <see cref="HardRules.Ef3AfterU61"/>). Exact for the candidate (every order of their orals, each at its earliest
/// start); other candidates, examiners and rooms are left to the centre-day's model. A written-exam day (15 May in
/// Métropole: 210 free minutes) cannot hold a candidate with 250 minutes of orals.
/// </summary>
internal static class CandidateDay
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Known = new();

    /// <summary>The orals in blocks that go together: an EF3 with its U61, every other oral alone.</summary>
    public static List<List<Oral>> Blocks(IReadOnlyCollection<Oral> orals)
    {
        var u61 = orals.FirstOrDefault(o => o.Unit == UnitCode.U61);
        var blocks = orals.Where(o => o.Unit != UnitCode.EF3 || u61 is null).Select(o => new List<Oral> { o }).ToList();
        if (u61 is not null)
            blocks.Single(b => b[0] == u61).AddRange(orals.Where(o => o.Unit == UnitCode.EF3));
        return blocks;
    }

    public static bool Fits(CentreDay day, IReadOnlyCollection<Oral> orals)
    {
        var lengths = Blocks(orals).Select(b => b.Sum(o => o.BlockMinutes)).Order().ToArray();
        if (lengths.Sum() + OralRules.MinimumGapMinutes * (lengths.Length - 1) > day.FreeMinutes) return false;
        var key = string.Join(",", day.FreeWindows) + "|" + string.Join(",", lengths);
        return Known.GetOrAdd(key, _ => Place(day.FreeWindows, lengths, 0, day.Opens));
    }

    /// <summary>Every order of the blocks not yet placed (<paramref name="used"/>), each at its earliest start from <paramref name="from"/>.</summary>
    private static bool Place(IReadOnlyList<TimeWindow> windows, int[] lengths, int used, int from)
    {
        if (used == (1 << lengths.Length) - 1) return true;
        for (var i = 0; i < lengths.Length; i++)
        {
            if ((used & (1 << i)) != 0 || i > 0 && lengths[i] == lengths[i - 1] && (used & (1 << (i - 1))) == 0) continue;
            var start = windows.Select(w => Math.Max(from, w.Start)).Where((s, k) => s + lengths[i] <= windows[k].End).DefaultIfEmpty(-1).First();
            if (start >= 0 && Place(windows, lengths, used | (1 << i), start + lengths[i] + OralRules.MinimumGapMinutes)) return true;
        }
        return false;
    }
}
