using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>Hand-built pieces of small instances, for the scenario tests.</summary>
internal static class Given
{
    public const string Academy = "NORMANDIE";
    public static readonly DateOnly Monday = new(2024, 5, 27);
    public static readonly DateOnly Tuesday = new(2024, 5, 28);

    public static readonly IReadOnlyList<UnitCode> Ponctual = [UnitCode.E22, UnitCode.E4, UnitCode.U61, UnitCode.U62];

    public static PlanningCentre Centre(string id, IReadOnlyList<DateOnly> dates, int rooms = 6, int prepSeats = 6,
        string start = "08:00", string end = "18:00", string lunchStart = "12:00", string lunchEnd = "13:30", string academy = Academy) =>
        new(id, $"Lycée {id}", new HashSet<string> { academy }, "Europe/Paris", dates,
            TimeOnly.Parse(start), TimeOnly.Parse(end), TimeOnly.Parse(lunchStart), TimeOnly.Parse(lunchEnd), rooms, prepSeats, "");

    public static PlanningCandidate Candidate(string number, string uai, IReadOnlyList<UnitCode> orals, int extraTime = 0, string language = "", string academy = Academy) =>
        new(number, academy, uai, extraTime, language, orals);

    public static PlanningExaminer Examiner(string id, Discipline discipline, string uai, IEnumerable<string> centres, IEnumerable<DateOnly> dates,
        int maxMinutes = OralRules.DefaultMaxMinutesPerDay, params string[] languages) =>
        new(id, discipline, languages, uai, centres.ToHashSet(), dates.ToHashSet(), maxMinutes);

    /// <summary>A full team for a centre: <paramref name="pairs"/> économie-gestion + STI pairs with professionals, English and Spanish teachers, from outside schools.</summary>
    public static IEnumerable<PlanningExaminer> Team(string prefix, IReadOnlyList<string> centres, IReadOnlyList<DateOnly> dates, int pairs = 3)
    {
        for (var i = 1; i <= pairs; i++)
        {
            yield return Examiner($"{prefix}-ECO{i}", Discipline.EcoGestion, $"09900{i:00}E", centres, dates);
            yield return Examiner($"{prefix}-STI{i}", Discipline.Sti, $"09910{i:00}S", centres, dates);
            yield return Examiner($"{prefix}-PRO{i}", Discipline.Professionnel, "", centres, dates);
        }
        yield return Examiner($"{prefix}-ANG1", Discipline.Anglais, "0992001A", centres, dates, languages: ["anglais"]);
        yield return Examiner($"{prefix}-ESP1", Discipline.Langue, "0993001L", centres, dates, languages: ["espagnol", "allemand"]);
    }

    public static PlannerOptions Options(double seconds = 5) => new(TimeSpan.FromSeconds(seconds), Workers: 2, Seed: 1);
}
