using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>The instance indexed for planning: centre-days, who may sit where, the orals to plan.</summary>
internal sealed class PlanningSession
{
    /// <summary>
    /// The orals this planner places: the first-group orals of domain.md "Which orals are planned", and the
    /// second group's contrôle orals (deliberation.md "Second group"), planned by runs of their own.
    /// </summary>
    public static readonly IReadOnlySet<UnitCode> PlannedUnits = new HashSet<UnitCode>
        { UnitCode.E22, UnitCode.E4, UnitCode.U61, UnitCode.U62, UnitCode.EF1, UnitCode.EF2, UnitCode.EF3, UnitCode.C_E1, UnitCode.C_E2, UnitCode.C_E3 };

    public PlanningSession(PlanningInstance instance)
    {
        Instance = instance;
        var days = new List<CentreDay>();
        foreach (var centre in instance.Centres.OrderBy(c => c.Id, StringComparer.Ordinal))
            foreach (var date in centre.Dates.Distinct().Order())
                days.Add(new CentreDay(days.Count, centre, date, instance.WrittenExams));
        CentreDays = days;
        Centres = instance.Centres.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());
        byKey = days.ToDictionary(d => (d.Centre.Id, d.Date));
        Examiners = instance.Examiners.GroupBy(e => e.Id).Select(g => g.First()).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        ExaminersById = Examiners.ToDictionary(e => e.Id);
        var pools = days.ToDictionary(d => d, _ => new List<PlanningExaminer>());
        foreach (var examiner in Examiners)
            foreach (var day in days)
                if (MaySit(examiner, day)) pools[day].Add(examiner);
        pool = pools.ToDictionary(p => p.Key, p => (IReadOnlyList<PlanningExaminer>)p.Value);
        schoolsOf = pools.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value.Select(e => Schools.Key(e.EstablishmentUai)).Where(k => k.Length > 0).ToHashSet());
    }

    private readonly Dictionary<CentreDay, IReadOnlySet<string>> schoolsOf;

    /// <summary>The schools (UAI keys) of the examiners who may sit at a centre-day.</summary>
    public IReadOnlySet<string> SchoolsOf(CentreDay day) => schoolsOf[day];

    private readonly Dictionary<(string, DateOnly), CentreDay> byKey;
    private readonly Dictionary<CentreDay, IReadOnlyList<PlanningExaminer>> pool;

    public PlanningInstance Instance { get; }
    public IReadOnlyList<CentreDay> CentreDays { get; }
    public IReadOnlyDictionary<string, PlanningCentre> Centres { get; }
    public IReadOnlyList<PlanningExaminer> Examiners { get; }
    public IReadOnlyDictionary<string, PlanningExaminer> ExaminersById { get; }

    public CentreDay? Find(string centreId, DateOnly date) => byKey.GetValueOrDefault((centreId, date));

    /// <summary><see cref="HardRules.CentreServesAcademy"/>.</summary>
    public static bool Serves(PlanningCentre centre, string academy) =>
        centre.Academies.Any(a => OralRules.Fold(a) == OralRules.Fold(academy));

    /// <summary><see cref="HardRules.ExaminerAvailableDates"/> and <see cref="HardRules.ExaminerListedCentres"/>.</summary>
    public static bool MaySit(PlanningExaminer examiner, CentreDay day) =>
        examiner.MaxMinutesPerDay > 0 && examiner.Dates.Contains(day.Date) && examiner.CentreIds.Contains(day.Centre.Id);

    /// <summary>The examiners who may sit at a centre-day (available that date, listing that centre).</summary>
    public IReadOnlyList<PlanningExaminer> Pool(CentreDay day) => pool[day];

    private readonly Dictionary<string, IReadOnlyList<CentreDay>> serving = [];

    /// <summary>The centre-days serving an academy.</summary>
    public IReadOnlyList<CentreDay> Serving(string academy)
    {
        if (serving.TryGetValue(academy, out var days)) return days;
        var folded = OralRules.Fold(academy);
        var centres = Instance.Centres.Where(c => c.Academies.Any(a => OralRules.Fold(a) == folded)).Select(c => c.Id).ToHashSet();
        return serving[academy] = CentreDays.Where(d => centres.Contains(d.Centre.Id)).ToList();
    }
}
