using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>The shape of a generated session.</summary>
/// <param name="Candidates">Candidates in all, spread evenly over the academies.</param>
/// <param name="Academies">Academies, each with its own centres, schools and examiners.</param>
/// <param name="CentresPerAcademy">Oral centres of each academy, all open every day of the session.</param>
/// <param name="Days">Oral days (weekdays from Monday 27 May 2024, after the written exams of Annexe 2).</param>
/// <param name="ExaminerMargin">Examiners called per centre-day, relative to the estimated need.</param>
/// <param name="StiShare">Share of the STI teachers generated (1 = as many as needed, with the margin).</param>
internal sealed record SessionShape(
    int Candidates,
    int Academies,
    int CentresPerAcademy,
    int Days,
    int Seed = 1,
    double ExaminerMargin = 1.35,
    double StiShare = 1.0);

/// <summary>
/// A deterministic generator of plausible sessions: candidates of several schools per academy, most in ponctual form
/// (with their optional units and some extra time), économie-gestion and STI teachers half from the candidates'
/// schools (so the own-school rule bites), professionals, English and language teachers of other schools, centres
/// with enough rooms and preparation seats.
/// </summary>
internal static class SessionGenerator
{
    public static readonly DateOnly FirstDay = new(2024, 5, 27);

    private static readonly string[] AcademyNames =
    [
        "NORMANDIE", "BORDEAUX", "LYON", "LILLE", "NANTES", "RENNES", "TOULOUSE", "GRENOBLE", "MONTPELLIER", "NICE",
        "AMIENS", "ORLEANS-TOURS", "AIX-MARSEILLE", "NANCY-METZ", "BESANCON", "CLERMONT-FERRAND",
    ];

    public static IReadOnlyList<DateOnly> Dates(int days)
    {
        var dates = new List<DateOnly>();
        for (var d = FirstDay; dates.Count < days; d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) dates.Add(d);
        return dates;
    }

    public static PlanningInstance Generate(SessionShape shape)
    {
        var random = new Random(shape.Seed);
        var dates = Dates(shape.Days);
        var candidates = new List<PlanningCandidate>();
        var examiners = new List<PlanningExaminer>();
        var centres = new List<PlanningCentre>();
        var number = 0;
        var examinerNumber = 0;
        for (var a = 0; a < shape.Academies; a++)
        {
            var academy = AcademyNames[a % AcademyNames.Length] + (a >= AcademyNames.Length ? $"-{a}" : "");
            var count = shape.Candidates / shape.Academies + (a < shape.Candidates % shape.Academies ? 1 : 0);
            var schools = Enumerable.Range(1, Math.Max(6, count / 12)).Select(k => $"{10 + a:00}{k:00000}A").ToList();
            // Teachers come from the candidates' schools and from other schools of the academy.
            var otherSchools = Enumerable.Range(1, schools.Count).Select(k => $"{10 + a:00}9{k:0000}B").ToList();
            var teacherSchools = schools.Concat(otherSchools).ToList();

            var mine = new List<PlanningCandidate>();
            while (mine.Count < count)
            {
                var ponctual = random.NextDouble() < 0.9;
                var optional = new HashSet<UnitCode>();
                var language = "";
                if (random.NextDouble() < 0.25)
                {
                    optional.Add(UnitCode.EF1);
                    var r = random.NextDouble();
                    language = r < 0.6 ? "espagnol" : r < 0.9 ? "allemand" : "italien";
                }
                if (random.NextDouble() < 0.3) optional.Add(UnitCode.EF2);
                if (random.NextDouble() < 0.2) optional.Add(UnitCode.EF3);
                var orals = OralRules.OralsToPlan(ponctual ? ExamForm.Ponctuel : ExamForm.Ccf, optional, new HashSet<UnitCode>(), new HashSet<UnitCode>(), new HashSet<UnitCode>());
                if (orals.Count == 0) continue;
                var extra = random.NextDouble() < 0.05 ? 33 : 0;
                mine.Add(new PlanningCandidate($"24{++number:00000}", academy, schools[random.Next(schools.Count)], extra, language, orals));
            }
            candidates.AddRange(mine);

            var centreIds = Enumerable.Range(1, shape.CentresPerAcademy).Select(k => $"{academy[..Math.Min(4, academy.Length)]}{a}-{k}").ToList();
            // Minutes of exam per centre-day, by the commission they need.
            double PerCentreDay(Func<UnitCode, bool> unit) =>
                mine.Sum(c => c.Orals.Where(unit).Sum(u => OralRules.Timing(u, c.ExtraTimePercent).ExamMinutes)) / (double)(shape.CentresPerAcademy * shape.Days);
            var pair = PerCentreDay(u => u is UnitCode.E4 or UnitCode.U61 or UnitCode.U62 or UnitCode.EF2 or UnitCode.EF3);
            var english = PerCentreDay(u => u == UnitCode.E22);
            var languages = new[] { "espagnol", "allemand", "italien" }
                .ToDictionary(l => l, l => mine.Where(c => OralRules.Fold(c.Ef1Language) == l).Sum(c => OralRules.Timing(UnitCode.EF1, c.ExtraTimePercent).ExamMinutes)
                    / (double)(shape.CentresPerAcademy * shape.Days));
            int Needed(double minutes) => minutes <= 0 ? 0 : (int)Math.Ceiling(minutes * shape.ExaminerMargin / 360.0);
            var centreCandidates = count / (double)(shape.CentresPerAcademy * shape.Days);
            var rooms = (int)Math.Ceiling(Needed(pair) + Needed(english) + languages.Values.Sum(Needed) + 2.0);
            var seats = (int)Math.Ceiling(centreCandidates * 85 / 480.0 * 1.6) + 2;

            for (var k = 0; k < centreIds.Count; k++)
            {
                centres.Add(new PlanningCentre(centreIds[k], $"Lycée {centreIds[k]}", new HashSet<string> { academy }, "Europe/Paris", dates,
                    new(8, 0), new(18, 0), new(12, 0), new(13, 30), rooms, seats, $"{k + 1} rue des Examens"));
                var neighbour = centreIds[(k + 1) % centreIds.Count];
                PlanningExaminer Examiner(Discipline discipline, string uai, IReadOnlyList<string> languagesTaught, int minutes = OralRules.DefaultMaxMinutesPerDay)
                {
                    var listed = new HashSet<string> { centreIds[k] };
                    if (random.NextDouble() < 0.3) listed.Add(neighbour);
                    return new PlanningExaminer($"EX{++examinerNumber:00000}", discipline, languagesTaught, uai, listed, dates.ToHashSet(), minutes);
                }
                var teachers = Needed(pair);
                for (var i = 0; i < teachers; i++) examiners.Add(Examiner(Discipline.EcoGestion, teacherSchools[random.Next(teacherSchools.Count)], [], random.NextDouble() < 0.1 ? 300 : 420));
                for (var i = 0; i < Math.Ceiling(teachers * shape.StiShare); i++) examiners.Add(Examiner(Discipline.Sti, teacherSchools[random.Next(teacherSchools.Count)], [], random.NextDouble() < 0.1 ? 300 : 420));
                for (var i = 0; i < (int)Math.Ceiling(teachers * 0.7); i++) examiners.Add(Examiner(Discipline.Professionnel, "", [], random.NextDouble() < 0.3 ? 240 : 420));
                for (var i = 0; i < Needed(english) + 1; i++) examiners.Add(Examiner(Discipline.Anglais, otherSchools[random.Next(otherSchools.Count)], ["anglais"]));
                foreach (var (language, minutes) in languages)
                    for (var i = 0; i < (minutes > 0 ? Needed(minutes) + 1 : 0); i++)
                        examiners.Add(Examiner(Discipline.Langue, otherSchools[random.Next(otherSchools.Count)], [language]));
            }
        }
        return PlanningInstance.Of(candidates, examiners, centres);
    }
}
