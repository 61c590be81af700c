namespace BtsCcst.SampleGenerator;

/// <summary>
/// Calendar and staffing shapes the standard sizes do not produce (issue 18), for the planner's tests and benchmark.
/// The standard shape is the sizes as they always were (same files for the same seed).
/// </summary>
/// <param name="WrittenExamDays">
/// Orals from Wednesday 15 May 2024, the day of the written E21 and E1 (Annexe 2), so the oral window holds the
/// written-exam days 15 and 16 May: every other centre is open on them, with the free stretches the written exams
/// leave (15 May in Métropole: 08:00–10:30 and 13:30–14:30, 210 minutes); the others open on as many days after them.
/// </param>
/// <param name="OneCentrePerAcademy">One oral centre per academy group, whatever the size's number of centres.</param>
/// <param name="UnevenCentres">Centres of a group sized unevenly (rooms, seats and examiners at 1.5 and 0.5 times the mean).</param>
/// <param name="ScarceLanguageTeachers">EF1 teachers at the first centre of each group only, with no margin.</param>
/// <param name="TightCapacity">Margins of examiners (15–20% instead of 40–50%) and rooms (25% instead of 60%) cut, so that candidates must be split over days.</param>
/// <param name="OwnSchoolExaminers">Share of the teachers (beyond each centre's first) who teach in a candidate's school: 40% in the standard shape.</param>
public sealed record SampleShape(
    bool WrittenExamDays = false,
    bool OneCentrePerAcademy = false,
    bool UnevenCentres = false,
    bool ScarceLanguageTeachers = false,
    bool TightCapacity = false,
    double OwnSchoolExaminers = 0.4)
{
    public static SampleShape Standard { get; } = new();

    /// <summary>Written-exam days inside the oral window at every other centre.</summary>
    public static SampleShape WrittenDays { get; } = new(WrittenExamDays: true);

    /// <summary>Written-exam days, tight capacity, uneven centres, scarce language teachers, 60% own-school teachers.</summary>
    public static SampleShape Hard { get; } = new(WrittenExamDays: true, UnevenCentres: true, ScarceLanguageTeachers: true, TightCapacity: true, OwnSchoolExaminers: 0.6);

    /// <summary>One centre per academy group, with written-exam days at every other one.</summary>
    public static SampleShape OneCentre { get; } = new(WrittenExamDays: true, OneCentrePerAcademy: true);

    public static IReadOnlyDictionary<string, SampleShape> Named { get; } = new Dictionary<string, SampleShape>(StringComparer.OrdinalIgnoreCase)
    {
        ["standard"] = Standard,
        ["written-days"] = WrittenDays,
        ["hard"] = Hard,
        ["one-centre"] = OneCentre,
    };

    /// <summary>The first oral day when the window holds the written-exam days: Wednesday 15 May 2024 (E21, E1).</summary>
    public static DateOnly FirstOralDayWithWrittenExams { get; } = new(2024, 5, 15);

    /// <summary>Days of Annexe 2 with a written exam inside the window (Métropole and overseas alike).</summary>
    public static IReadOnlySet<DateOnly> WrittenExamDates { get; } = new HashSet<DateOnly> { new(2024, 5, 14), new(2024, 5, 15), new(2024, 5, 16) };
}
