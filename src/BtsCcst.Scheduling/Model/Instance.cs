using BtsCcst.Domain;

namespace BtsCcst.Scheduling;

/// <summary>A candidate with orals to plan. <see cref="Orals"/> comes from <see cref="OralRules.OralsToPlan"/>.</summary>
public sealed record PlanningCandidate(
    string Number,
    string Academy,
    string EstablishmentUai,
    int ExtraTimePercent,
    string Ef1Language,
    IReadOnlyList<UnitCode> Orals);

/// <summary>An examiner of examiners.csv.</summary>
public sealed record PlanningExaminer(
    string Id,
    Discipline Discipline,
    IReadOnlyList<string> Languages,
    string EstablishmentUai,
    IReadOnlySet<string> CentreIds,
    IReadOnlySet<DateOnly> Dates,
    int MaxMinutesPerDay);

/// <summary>An oral centre of centres.csv. Times are the centre's local wall-clock times.</summary>
public sealed record PlanningCentre(
    string Id,
    string Name,
    IReadOnlySet<string> Academies,
    string TimeZone,
    IReadOnlyList<DateOnly> Dates,
    TimeOnly DayStart,
    TimeOnly DayEnd,
    TimeOnly LunchStart,
    TimeOnly LunchEnd,
    int ExamRooms,
    int PrepSeats,
    string Address);

/// <summary>An organiser's pin, kept by every plan: a candidate's unit fixed to a date and/or a centre.</summary>
public sealed record OralPin(string CandidateNumber, UnitCode Unit, DateOnly? Date, string? CentreId);

/// <summary>An organiser's pin: a commission's members fixed for a centre and date.</summary>
public sealed record CommissionPin(string CentreId, DateOnly Date, IReadOnlyList<string> ExaminerIds);

/// <summary>Everything the planner and the validator need to know of a session's orals.</summary>
public sealed record PlanningInstance(
    IReadOnlyList<PlanningCandidate> Candidates,
    IReadOnlyList<PlanningExaminer> Examiners,
    IReadOnlyList<PlanningCentre> Centres,
    WrittenExamCalendar WrittenExams,
    IReadOnlyList<OralPin> OralPins,
    IReadOnlyList<CommissionPin> CommissionPins)
{
    public static PlanningInstance Of(IReadOnlyList<PlanningCandidate> candidates, IReadOnlyList<PlanningExaminer> examiners, IReadOnlyList<PlanningCentre> centres) =>
        new(candidates, examiners, centres, WrittenExamCalendar.Session2024, [], []);
}

/// <summary>
/// One oral exam of a schedule: a row of schedule.csv (formats.md). <see cref="ExaminerIds"/> are the members who
/// examine this exam, those who take a seat of the unit: a member of the commission without a seat in it (the
/// professional of an E4/U61 commission during its U62) is not listed. The commission's members are the union over
/// its rows (<see cref="CommissionMembers.Of"/>).
/// </summary>
public sealed record ScheduledExam(
    string CentreId,
    DateOnly Date,
    string Room,
    string CommissionId,
    UnitCode Unit,
    string CandidateNumber,
    TimeOnly? PrepStart,
    TimeOnly ExamStart,
    TimeOnly ExamEnd,
    IReadOnlyList<string> ExaminerIds);

/// <summary>An oral the planner could not place, with a reason an organiser can act on (in French).</summary>
public sealed record UnplacedOral(string CandidateNumber, UnitCode Unit, string Reason);

/// <summary>A broken hard rule of a schedule. <see cref="Rule"/> names the rule (same names in model and validator).</summary>
public sealed record Violation(string Rule, string Message);

/// <summary>The members of a commission read from a schedule: everyone who examines at least one of its exams.</summary>
public static class CommissionMembers
{
    /// <summary>The union of the rows' examiners, in the order of the row listing most of them, then as they come.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<ScheduledExam> rowsOfOneCommission) =>
        [.. rowsOfOneCommission.OrderByDescending(r => r.ExaminerIds.Count).SelectMany(r => r.ExaminerIds).Distinct(StringComparer.OrdinalIgnoreCase)];
}
