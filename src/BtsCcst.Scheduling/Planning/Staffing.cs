using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>
/// Heuristic phase: calls examiners to centre-days before the candidates are assigned, so that candidates then go
/// where the examiners are. Each oral's demand is spread evenly over the centre-days where it may take place (a
/// pinned oral weighs on its pinned centre-day alone). On each date an examiner goes to at most one centre
/// (<see cref="HardRules.ExaminerOneCentreADay"/>), one they listed and on a date they are available
/// (<see cref="HardRules.ExaminerListedCentres"/>, <see cref="HardRules.ExaminerAvailableDates"/>): the least mobile
/// first, each to the centre-day with the largest uncovered need for their discipline, up to a margin above it. EF1
/// language teachers are called against the need of all the centre-days of the same academies (<see cref="Pooled"/>), so
/// that the EF1 candidates gather where a few of them sit instead of a teacher of each language sitting at every centre-day
/// for two or three of them.
/// Examiners left uncalled are kept for the centre-days that turn out short once the candidates are assigned. The
/// per-centre-day model then calls as few of them as it can (<see cref="PlannerWeights.ExaminerDay"/>). Not optimal.
/// </summary>
internal static class ExaminerAssignment
{
    /// <summary>Margin above the estimated need: scheduling never uses every minute of every examiner.</summary>
    private const double Margin = 1.3;

    public static Dictionary<CentreDay, List<PlanningExaminer>> Assign(
        PlanningSession session,
        CheckedSession checkedSession,
        Dictionary<DateOnly, HashSet<string>> called)
    {
        var share = session.CentreDays.ToDictionary(d => d, _ => new List<(Oral, double)>());
        foreach (var oral in checkedSession.Orals)
        {
            var days = checkedSession.Eligible[oral];
            foreach (var day in days) share[day].Add((oral, 1.0 / days.Count));
        }
        var result = session.CentreDays.ToDictionary(d => d, _ => new List<PlanningExaminer>());
        var need = session.CentreDays.ToDictionary(d => d, d => Needs(share[d]));
        var pooled = Pooled(session, need);
        // Whose need an examiner covers at a centre-day: a language teacher that of the day's pool, any other that of the day.
        Dictionary<string, double> NeedOf(PlanningExaminer examiner, CentreDay day) =>
            examiner.Discipline == Discipline.Langue ? pooled[day] : need[day];
        foreach (var (day, commissions) in checkedSession.PinnedCommissions)
            foreach (var member in commissions.SelectMany(c => c))
            {
                Called(called, day.Date).Add(member.Id);
                Cover(NeedOf(member, day), member, day, ShareOf(member));
            }
        foreach (var date in session.CentreDays.Select(d => d.Date).Distinct().Order())
        {
            var days = session.CentreDays.Where(d => d.Date == date && share[d].Count > 0).ToList();
            var options = session.Examiners
                .Where(e => !Called(called, date).Contains(e.Id))
                .Select(e => (Examiner: e, Days: days.Where(d => PlanningSession.MaySit(e, d)).ToList()))
                .Where(x => x.Days.Count > 0)
                .OrderBy(x => x.Days.Count).ThenBy(x => x.Examiner.Id, StringComparer.Ordinal);
            foreach (var (examiner, examinerDays) in options)
            {
                var best = examinerDays
                    .Select(d => (Day: d, Need: Useful(NeedOf(examiner, d), examiner)))
                    .Where(x => x.Need > 0)
                    .OrderByDescending(x => x.Need).ThenBy(x => x.Day.Index)
                    .FirstOrDefault();
                if (best.Day is null) continue;
                result[best.Day].Add(examiner);
                Called(called, date).Add(examiner.Id);
                Cover(NeedOf(examiner, best.Day), examiner, best.Day, ShareOf(examiner));
            }
        }
        return result;
    }

    /// <summary>
    /// The EF1 language needs of the centre-days, summed over the centre-days of centres serving the same academies (one
    /// dictionary shared by those centre-days). A language teacher examines a day's EF1 candidates in well under an hour,
    /// so calling one to every centre-day where a few might come called many teachers for little; called against the
    /// pool, they sit on the first centre-days until the pool's minutes are covered, and the candidate assignment sends
    /// the EF1 candidates where they sit (<see cref="LoadBook"/>). Centre-days short of them call more (<see cref="CallIdle"/>).
    /// A centre-day much shorter than the longest of its pool (a written-exam day) keeps its own need (<see cref="FullDayShare"/>).
    /// </summary>
    private static Dictionary<CentreDay, Dictionary<string, double>> Pooled(PlanningSession session, Dictionary<CentreDay, Dictionary<string, double>> need)
    {
        var result = new Dictionary<CentreDay, Dictionary<string, double>>();
        foreach (var group in session.CentreDays.GroupBy(d => string.Join("|", d.Centre.Academies.Select(OralRules.Fold).Order(StringComparer.Ordinal))))
        {
            var pool = new Dictionary<string, double>();
            var longest = group.Max(d => d.FreeMinutes);
            foreach (var day in group)
            {
                // A shorter day (a written-exam day) keeps its own need: EF1 candidates, whose days are long, gathered there
                // overflowed it and were split over two days.
                if (day.FreeMinutes < FullDayShare * longest)
                {
                    result[day] = need[day];
                    continue;
                }
                foreach (var (k, minutes) in need[day].Where(n => n.Key.StartsWith(LanguageKey, StringComparison.Ordinal)))
                    pool[k] = pool.GetValueOrDefault(k) + minutes;
                result[day] = pool;
            }
        }
        return result;
    }

    private const string LanguageKey = "LANG:";

    /// <summary>Centre-days with less free time than this share of the longest of their pool keep their own language need.</summary>
    private const double FullDayShare = 0.9;

    /// <summary>
    /// Share of a language teacher's day counted against the pool's need: a centre-day then takes the EF1 candidates of a
    /// few teachers' days, not of a whole day each (with all of it, the first dates took every EF1 candidate of the academy,
    /// and their days overflowed into split candidates). 0.4 of 420 minutes: about six EF1 with the margin.
    /// </summary>
    private const double PooledShare = 0.4;

    private static double ShareOf(PlanningExaminer examiner) => examiner.Discipline == Discipline.Langue ? PooledShare : 1;

    /// <summary>
    /// Examiners not yet called anywhere that date, called to a centre-day whose orals need more than the examiners
    /// <paramref name="present"/> there can give (once the candidates are assigned, and when orals move there).
    /// </summary>
    public static List<PlanningExaminer> CallIdle(PlanningSession session, CentreDay day, IEnumerable<Oral> orals, IEnumerable<PlanningExaminer> present, Dictionary<DateOnly, HashSet<string>> called)
    {
        var need = Needs(orals.Select(o => (o, 1.0)));
        foreach (var examiner in present.Distinct()) Cover(need, examiner, day);
        var extra = new List<PlanningExaminer>();
        foreach (var examiner in session.Pool(day).Where(e => !Called(called, day.Date).Contains(e.Id)))
        {
            if (Useful(need, examiner) <= 0) continue;
            extra.Add(examiner);
            Called(called, day.Date).Add(examiner.Id);
            Cover(need, examiner, day);
        }
        return extra;
    }

    private static HashSet<string> Called(Dictionary<DateOnly, HashSet<string>> called, DateOnly date) =>
        called.TryGetValue(date, out var set) ? set : called[date] = [];

    /// <summary>
    /// Minutes needed per discipline key ("EG", "STI", "PRO", "EN", "LANG:espagnol"; for the contrôle orals "LET" and
    /// "CE3", an economics-and-management teacher alone), with the margin, and per school for EG and STI.
    /// </summary>
    private static Dictionary<string, double> Needs(IEnumerable<(Oral Oral, double Weight)> orals)
    {
        var need = new Dictionary<string, double>();
        foreach (var (oral, weight) in orals)
        {
            void Add(string key, double minutes) => need[key] = need.GetValueOrDefault(key) + minutes * weight * Margin;
            var exam = oral.Timing.ExamMinutes;
            var school = Schools.Key(oral.Candidate.EstablishmentUai);
            // A commission of one teacher: its own school's candidates need a teacher of another school.
            void AddSolo(string key)
            {
                Add(key, exam);
                if (school.Length > 0) Add(key + SchoolSeparator + school, exam);
            }
            switch (oral.Unit)
            {
                case UnitCode.E22 or UnitCode.C_E2: AddSolo("EN"); break;
                case UnitCode.C_E1: AddSolo("LET"); break;
                case UnitCode.C_E3: AddSolo("CE3"); break;
                case UnitCode.EF1: AddSolo("LANG:" + OralRules.Fold(oral.Candidate.Ef1Language)); break;
                default:
                    Add("EG", exam);
                    Add("STI", exam);
                    Add("PAIR", exam);
                    // Whose pupils the teachers of a school may not examine.
                    if (school.Length > 0) Add("OWN:" + school, exam);
                    Add("PRO", exam / Margin);
                    break;
            }
        }
        return need;
    }

    private static IEnumerable<string> Keys(PlanningExaminer examiner) => examiner.Discipline switch
    {
        Discipline.EcoGestion => ["EG", "CE3"],
        Discipline.Sti => ["STI"],
        Discipline.Lettres => ["LET"],
        Discipline.Professionnel => ["PRO"],
        Discipline.Anglais => ["EN"],
        Discipline.Langue => examiner.Languages.Select(l => "LANG:" + OralRules.Fold(l)),
        _ => [],
    };

    private static double Useful(Dictionary<string, double> need, PlanningExaminer examiner)
    {
        // In a pair, a teacher whose school sends every candidate of this centre-day is of no use there.
        var pairUseful = !(Schools.Key(examiner.EstablishmentUai) is { Length: > 0 } school
            && need.GetValueOrDefault("PAIR") - need.GetValueOrDefault("OWN:" + school) <= 0);
        return Keys(examiner).Where(k => pairUseful || k is not ("EG" or "STI"))
            .Sum(k => Math.Max(0, need.GetValueOrDefault(k)) + OtherSchools(need, k, examiner).Sum(s => Math.Max(0, need[s])));
    }

    /// <summary>Separates a solo key from the school whose candidates it counts ("LET!0140001A").</summary>
    private const char SchoolSeparator = '!';

    /// <summary>The per-school needs of a solo key that this examiner may meet: those of the schools other than theirs.</summary>
    private static List<string> OtherSchools(Dictionary<string, double> need, string key, PlanningExaminer examiner)
    {
        var own = key + SchoolSeparator + Schools.Key(examiner.EstablishmentUai);
        return [.. need.Keys.Where(k => k.StartsWith(key + SchoolSeparator, StringComparison.Ordinal) && k != own)];
    }

    private static void Cover(Dictionary<string, double> need, PlanningExaminer examiner, CentreDay day, double share = 1)
    {
        var minutes = Math.Min(examiner.MaxMinutesPerDay, day.FreeMinutes) * share;
        foreach (var key in Keys(examiner))
        {
            need[key] = need.GetValueOrDefault(key) - minutes;
            foreach (var school in OtherSchools(need, key, examiner)) need[school] -= minutes;
        }
    }
}

/// <summary>
/// Heuristic phase: forms the commissions of a centre-day from its examiners (<see cref="HardRules.CommissionComposition"/>).
/// Pinned commissions are kept as they are. Each English teacher is an E22 commission, each language teacher an
/// EF1 commission. Economics-and-management and STI teachers are paired, teachers of the same school together
/// (a commission may examine no pupil of any of its members' schools, so this leaves the fewest candidates out);
/// each pair also sits with a professional, professionals shared round the pairs when they are fewer
/// (<see cref="PlannerWeights.NoProfessional"/>). Teachers left
/// without a partner pair among themselves for EF2.
/// </summary>
internal static class CommissionFormation
{
    public static List<Commission> Form(IReadOnlyList<IReadOnlyList<PlanningExaminer>> pinned, IReadOnlyList<PlanningExaminer> examiners, IReadOnlyList<Oral> orals, int firstIndex = 0)
    {
        var commissions = new List<Commission>();
        void Add(IReadOnlyList<PlanningExaminer> members, bool isPinned = false) => commissions.Add(new Commission(firstIndex + commissions.Count, members, isPinned));

        foreach (var members in pinned) Add(members, isPinned: true);
        var free = examiners.Where(e => !pinned.Any(p => p.Contains(e))).ToList();

        // Candidates per school: a teacher of a school with many candidates here is the least useful.
        var pupils = orals.Select(o => o.Candidate).Distinct().GroupBy(c => Schools.Key(c.EstablishmentUai)).ToDictionary(g => g.Key, g => g.Count());
        int Pupils(PlanningExaminer e) => pupils.GetValueOrDefault(Schools.Key(e.EstablishmentUai));

        // The second group's contrôle orals are examined by one teacher each: C_E3 by an economics-and-management teacher alone.
        var wantsPairs = orals.Any(o => o.Unit is UnitCode.E4 or UnitCode.U61 or UnitCode.U62 or UnitCode.EF2 or UnitCode.EF3);
        var eco = free.Where(e => e.Discipline == Discipline.EcoGestion).OrderByDescending(Pupils).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var sti = wantsPairs ? free.Where(e => e.Discipline == Discipline.Sti).OrderByDescending(Pupils).ThenBy(e => e.Id, StringComparer.Ordinal).ToList() : [];
        var pairs = new List<(PlanningExaminer Eco, PlanningExaminer Sti)>();
        foreach (var e in eco.ToList())
        {
            if (Schools.Key(e.EstablishmentUai).Length == 0) continue;
            var partner = sti.FirstOrDefault(s => Schools.Same(s.EstablishmentUai, e.EstablishmentUai));
            if (partner is null) continue;
            pairs.Add((e, partner));
            eco.Remove(e);
            sti.Remove(partner);
        }
        while (eco.Count > 0 && sti.Count > 0)
        {
            pairs.Add((eco[0], sti[0]));
            eco.RemoveAt(0);
            sti.RemoveAt(0);
        }
        // The cleanest pairs (fewest candidates of their schools) first: they get the professionals first. When pairs
        // outnumber professionals, each professional sits with several pairs and every pair is also a commission alone
        // (one commission at a time, HardRules.ExaminerOneCommissionAtATime): while a pair examines a U62 or an EF2, which
        // seat no professional, its professional examines an E4 or a U61 with another pair instead of waiting (with a
        // professional fixed to one pair, professionals examined about two thirds of their day and a third of the E4
        // and U61 had none). With a professional for each pair, the pair alone is a commission only when its
        // professional's day is shorter than the teachers': a pair alone beside its trio would let a day with few E4 and
        // U61 send its professional home (an examiner-day costs more than an E4 without one).
        pairs = pairs.OrderBy(p => Pupils(p.Eco) + Pupils(p.Sti)).ThenBy(p => p.Eco.Id, StringComparer.Ordinal).ToList();
        var professionals = free.Where(e => e.Discipline == Discipline.Professionnel)
            .OrderByDescending(e => e.MaxMinutesPerDay).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var withProfessional = Math.Min(professionals.Count, pairs.Count);
        var shared = professionals.Count < pairs.Count;
        for (var i = 0; i < pairs.Count; i++)
        {
            var (e, s) = pairs[i];
            if (withProfessional > 0) Add([e, s, professionals[i % withProfessional]]);
            if (shared || withProfessional == 0 || professionals[i].MaxMinutesPerDay < Math.Min(e.MaxMinutesPerDay, s.MaxMinutesPerDay)) Add([e, s]);
        }

        var wantsEf2 = orals.Any(o => o.Unit == UnitCode.EF2);
        if (wantsEf2)
        {
            var left = eco.Concat(sti).ToList();
            var spareProfessionals = professionals.Skip(withProfessional).ToList();
            for (var i = 0; i + 1 < left.Count; i += 2) Add([left[i], left[i + 1]]);
            if (left.Count % 2 == 1 && spareProfessionals.Count > 0) Add([left[^1], spareProfessionals[0]]);
        }
        if (orals.Any(o => o.Unit == UnitCode.C_E3))
            foreach (var e in eco.OrderBy(e => e.Id, StringComparer.Ordinal)) Add([e]);
        foreach (var e in free.Where(e => e.Discipline == Discipline.Lettres).OrderBy(e => e.Id, StringComparer.Ordinal)) Add([e]);
        foreach (var e in free.Where(e => e.Discipline == Discipline.Anglais).OrderBy(e => e.Id, StringComparer.Ordinal)) Add([e]);
        foreach (var e in free.Where(e => e.Discipline == Discipline.Langue).OrderBy(e => e.Id, StringComparer.Ordinal)) Add([e]);
        return commissions;
    }
}
