using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Tests.Validation;

/// <summary>
/// A small hand-built instance and a schedule that keeps every hard rule, worked out by hand:
/// centre CAEN-1 on Thursday 16 May 2024 (written E5 14:30–18:30, Annexe 2), lunch 12:00–13:00,
/// 2 exam rooms, 2 preparation seats.
/// <list type="bullet">
/// <item>24001, 33 % extra time: E4 preparation 80 min (60 → 79.8 → 80), exam 80 min; U61 40 min;
/// EF3 30 min (20 → 26.6 → 30) right after U61, before the same commission COM1.</item>
/// <item>24002: E22 (20 + 20), EF1 in Spanish (20 + 20), U62 30 min in the afternoon before COM1,
/// the E4/U61 commission, whose professional has no seat in U62 and so is not listed on that row.</item>
/// </list>
/// </summary>
internal static class ValidSchedule
{
    public static readonly DateOnly Day = new(2024, 5, 16);

    public const string Caen = "CAEN-1";
    public const string Rouen = "ROUEN-1";

    public const string Eco = "EX-ECO1";
    public const string Sti = "EX-STI1";
    public const string Pro = "EX-PRO1";
    public const string Ang = "EX-ANG1";
    public const string Esp = "EX-ESP1";

    public const string First = "24001";
    public const string Second = "24002";

    public static PlanningCandidate FirstCandidate { get; } =
        new(First, "NORMANDIE", "0141234X", 33, "", [UnitCode.E4, UnitCode.U61, UnitCode.EF3]);

    public static PlanningCandidate SecondCandidate { get; } =
        new(Second, "NORMANDIE", "0761111C", 0, "espagnol", [UnitCode.E22, UnitCode.EF1, UnitCode.U62]);

    public static PlanningExaminer Examiner(string id, Discipline discipline, string uai, params string[] languages) =>
        new(id, discipline, languages, uai, new HashSet<string> { Caen, Rouen }, new HashSet<DateOnly> { Day }, OralRules.DefaultMaxMinutesPerDay);

    public static PlanningCentre Centre(string id) =>
        new(id, "Lycée " + id, new HashSet<string> { "NORMANDIE" }, "Europe/Paris", [Day],
            new(8, 0), new(18, 0), new(12, 0), new(13, 0), ExamRooms: 2, PrepSeats: 2, Address: "");

    public static PlanningInstance Instance() => PlanningInstance.Of(
        [FirstCandidate, SecondCandidate],
        [
            Examiner(Eco, Discipline.EcoGestion, "0500001A"),
            Examiner(Sti, Discipline.Sti, "0610002B"),
            Examiner(Pro, Discipline.Professionnel, ""),
            // Same school as 24001, whom this examiner does not examine.
            Examiner(Ang, Discipline.Anglais, "0141234X", "anglais"),
            Examiner(Esp, Discipline.Langue, "0271234D", "Espagnol", "allemand"),
        ],
        [Centre(Caen), Centre(Rouen)]);

    public static ScheduledExam Exam(string room, string commission, UnitCode unit, string candidate,
        string? prep, string start, string end, params string[] examiners) =>
        new(Caen, Day, room, commission, unit, candidate, prep is null ? null : TimeOnly.Parse(prep), TimeOnly.Parse(start), TimeOnly.Parse(end), examiners);

    public static List<ScheduledExam> Schedule() =>
    [
        Exam("S1", "COM1", UnitCode.E4, First, "08:00", "09:20", "10:40", Eco, Sti, Pro),
        Exam("S1", "COM1", UnitCode.U61, First, null, "10:50", "11:30", Eco, Sti, Pro),
        Exam("S1", "COM1", UnitCode.EF3, First, null, "11:30", "12:00", Eco, Sti, Pro),
        Exam("S2", "COM2", UnitCode.E22, Second, "08:00", "08:20", "08:40", Ang),
        Exam("S2", "COM3", UnitCode.EF1, Second, "08:50", "09:10", "09:30", Esp),
        Exam("S1", "COM1", UnitCode.U62, Second, null, "13:00", "13:30", Eco, Sti),
    ];

    /// <summary>The schedule with the row of <paramref name="candidate"/>'s <paramref name="unit"/> changed.</summary>
    public static List<ScheduledExam> With(string candidate, UnitCode unit, Func<ScheduledExam, ScheduledExam> change) =>
        Schedule().Select(e => e.CandidateNumber == candidate && e.Unit == unit ? change(e) : e).ToList();

    /// <summary>The row moved to new times (preparation keeps its length).</summary>
    public static ScheduledExam At(this ScheduledExam exam, string start, string end)
    {
        var newStart = TimeOnly.Parse(start);
        var prep = exam.PrepStart is { } p ? newStart.Add(p - exam.ExamStart) : (TimeOnly?)null;
        return exam with { PrepStart = prep, ExamStart = newStart, ExamEnd = TimeOnly.Parse(end) };
    }
}
