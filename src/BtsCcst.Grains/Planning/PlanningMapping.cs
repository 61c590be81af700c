using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Scheduling;

namespace BtsCcst.Grains.Planning;

/// <summary>Between the grains' messages (codes as strings) and the planner's model.</summary>
public static class PlanningMapping
{
    public static PlanningInstance ToInstance(IEnumerable<CandidatePlanningData> candidates, IEnumerable<ExaminerDefinition> examiners, IEnumerable<CentreDefinition> centres) =>
        PlanningInstance.Of(
            candidates.Where(c => c.Orals.Length > 0).Select(c => new PlanningCandidate(
                c.CandidateNumber, c.Academy, c.EstablishmentUai, c.ExtraTimePercent, c.Ef1Language,
                c.Orals.Select(Enum.Parse<UnitCode>).ToArray())).ToArray(),
            examiners.Select(e => new PlanningExaminer(
                e.ExaminerId,
                Codes.TryParse<Discipline>(e.Discipline, out var discipline) ? discipline : throw new ArgumentException($"discipline {e.Discipline}"),
                e.Languages, e.EstablishmentUai, e.CentreIds.ToHashSet(), e.AvailableDates.ToHashSet(), e.MaxMinutesPerDay)).ToArray(),
            centres.Select(c => new PlanningCentre(
                c.CentreId, c.Name, c.Academies.ToHashSet(), c.TimeZone, c.Dates, c.DayStart, c.DayEnd, c.LunchStart, c.LunchEnd,
                c.ExamRooms, c.PrepSeats, c.Address)).ToArray());

    public static PlannerWeights? ToWeights(PlanningWeights? weights) => weights is null ? null
        : new(weights.Unplaced, weights.ExtraDay, weights.WaitingMinute, weights.NoProfessional, weights.ExaminerDay, weights.LoadBalanceMinute,
            weights.LateInDayMinute, weights.IncidentSlackMinutes);

    public static ScheduleRow ToRow(ScheduledExam exam) => new(
        exam.CentreId, exam.Date, exam.Room, exam.CommissionId, exam.Unit.ToString(), exam.CandidateNumber,
        exam.PrepStart, exam.ExamStart, exam.ExamEnd, [.. exam.ExaminerIds]);

    public static ScheduledExam ToExam(ScheduleRow row) => new(
        row.CentreId, row.Date, row.Room, row.CommissionId, Enum.Parse<UnitCode>(row.Unit), row.CandidateNumber,
        row.PrepStart, row.ExamStart, row.ExamEnd, row.ExaminerIds);
}
