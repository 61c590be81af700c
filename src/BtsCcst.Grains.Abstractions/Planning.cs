namespace BtsCcst.Grains.Abstractions;

/// <summary>An examiner of examiners.csv (discipline as its code, e.g. ECO_GESTION).</summary>
[GenerateSerializer, Immutable]
public sealed record ExaminerDefinition(
    [property: Id(0)] string ExaminerId,
    [property: Id(1)] string LastName,
    [property: Id(2)] string FirstName,
    [property: Id(3)] string Email,
    [property: Id(4)] string Discipline,
    [property: Id(5)] string[] Languages,
    [property: Id(6)] string EstablishmentUai,
    [property: Id(7)] string[] CentreIds,
    [property: Id(8)] DateOnly[] AvailableDates,
    [property: Id(9)] int MaxMinutesPerDay);

/// <summary>An oral centre of centres.csv; times are the centre's local wall-clock times.</summary>
[GenerateSerializer, Immutable]
public sealed record CentreDefinition(
    [property: Id(0)] string CentreId,
    [property: Id(1)] string Name,
    [property: Id(2)] string[] Academies,
    [property: Id(3)] string TimeZone,
    [property: Id(4)] DateOnly[] Dates,
    [property: Id(5)] TimeOnly DayStart,
    [property: Id(6)] TimeOnly DayEnd,
    [property: Id(7)] TimeOnly LunchStart,
    [property: Id(8)] TimeOnly LunchEnd,
    [property: Id(9)] int ExamRooms,
    [property: Id(10)] int PrepSeats,
    [property: Id(11)] string Address,
    [property: Id(12)] string? ManagerName = null,
    [property: Id(13)] string? ManagerEmail = null);

/// <summary>A row of conformity.csv (Annexe 4), codes as in the file.</summary>
[GenerateSerializer, Immutable]
public sealed record ConformityEntry(
    [property: Id(0)] int Line,
    [property: Id(1)] string CandidateNumber,
    [property: Id(2)] string Unit,
    [property: Id(3)] string Status,
    [property: Id(4)] string[] Reasons,
    [property: Id(5)] string Details);

/// <summary>What the planner needs of one candidate: the orals they sit, and those that cannot be planned.</summary>
[GenerateSerializer, Immutable]
public sealed record CandidatePlanningData(
    [property: Id(0)] string CandidateNumber,
    [property: Id(1)] string Academy,
    [property: Id(2)] string EstablishmentUai,
    [property: Id(3)] int ExtraTimePercent,
    [property: Id(4)] string Ef1Language,
    [property: Id(5)] string[] Orals,
    [property: Id(6)] UnplacedRow[] Unplaceable);

/// <summary>One oral exam of a plan: a row of schedule.csv.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleRow(
    [property: Id(0)] string CentreId,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] string Room,
    [property: Id(3)] string CommissionId,
    [property: Id(4)] string Unit,
    [property: Id(5)] string CandidateNumber,
    [property: Id(6)] TimeOnly? PrepStart,
    [property: Id(7)] TimeOnly ExamStart,
    [property: Id(8)] TimeOnly ExamEnd,
    [property: Id(9)] string[] ExaminerIds);

/// <summary>An oral that could not be placed, with a French reason an organiser can act on.</summary>
[GenerateSerializer, Immutable]
public sealed record UnplacedRow([property: Id(0)] string CandidateNumber, [property: Id(1)] string Unit, [property: Id(2)] string Reason);

/// <summary>The soft-goal weights of a planning run (see PlannerWeights for their meaning and defaults).</summary>
[GenerateSerializer, Immutable]
public sealed record PlanningWeights(
    [property: Id(0)] int Unplaced,
    [property: Id(1)] int ExtraDay,
    [property: Id(2)] int WaitingMinute,
    [property: Id(3)] int NoProfessional,
    [property: Id(4)] int ExaminerDay,
    [property: Id(5)] int LoadBalanceMinute,
    [property: Id(6)] int LateInDayMinute = 1,
    [property: Id(7)] int IncidentSlackMinutes = 90);

public static class PlanningRunStates
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Partial = "partial";
    public const string Failed = "failed";
}

/// <summary>A planning run as api.md shows it, plus its progress.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanningRunView
{
    [Id(0)] public required string RunId { get; init; }
    [Id(1)] public required string State { get; init; }
    [Id(2)] public required string Phase { get; init; }
    [Id(3)] public required double ElapsedSeconds { get; init; }
    [Id(4)] public required int Placed { get; init; }
    [Id(5)] public required int Total { get; init; }
    [Id(6)] public double? Objective { get; init; }
    [Id(7)] public double? Bound { get; init; }
    [Id(8)] public required string[] Reasons { get; init; }
    [Id(9)] public required UnplacedRow[] Unplaced { get; init; }
    [Id(10)] public required DateTimeOffset StartedAt { get; init; }
    [Id(11)] public DateTimeOffset? EndedAt { get; init; }
    /// <summary>1: the first-group orals; 2: the contrôle orals of the second group.</summary>
    [Id(12)] public int Group { get; init; } = 1;
    /// <summary>The window and centres of a second-group run.</summary>
    [Id(13)] public SecondGroupScope? SecondGroup { get; init; }
    /// <summary>Who started the run.</summary>
    [Id(14)] public Actor? StartedBy { get; init; }
    /// <summary>How the run re-plans a published plan (README, "Re-planning"); null before any publication.</summary>
    [Id(20)] public ReplanChoice? Replan { get; init; }

    /// <summary>
    /// A lower bound of the objective of every plan of the session, whatever the decomposition (PlanResult.SessionBound);
    /// <see cref="Bound"/> holds for the planner's own assignment to centre-days only. Null while running, or when the
    /// linear solver did not finish in its share of the time.
    /// </summary>
    [Id(15)] public double? SessionBound { get; init; }

    /// <summary>Relative gap between objective and bound, when both are known.</summary>
    public double? Gap => Objective is { } o && Bound is { } b && Math.Abs(o) > 1e-9 ? Math.Abs(o - b) / Math.Abs(o) : null;

    /// <summary>Relative gap between objective and session bound: how far above the best possible plan this one may be, at most.</summary>
    public double? SessionGap => Objective is { } o && SessionBound is { } b && Math.Abs(o) > 1e-9 ? Math.Abs(o - b) / Math.Abs(o) : null;
}

/// <summary>One planning run of a session: gathers the session's data, plans out of process, keeps the result.</summary>
public interface IPlanningRunGrain : IGrainWithStringKey
{
    Task<PlanningRunView> Start(double timeLimitSeconds, PlanningWeights? weights, Actor actor, SecondGroupScope? secondGroup, ReplanChoice? replan = null);

    // Read-only and interleaved: the session reads the plan while the run hands it over.
    [Orleans.Concurrency.AlwaysInterleave]
    Task<PlanningRunView> GetView();

    [Orleans.Concurrency.AlwaysInterleave]
    Task<ScheduleRow[]> GetSchedule();

    /// <summary>Called by the run's own solving task.</summary>
    Task ReportProgress(string phase, double elapsedSeconds, int placed, int total, double? objective, double? bound);

    /// <summary>Called by the run's own solving task when it ends.</summary>
    Task Complete(ScheduleRow[] schedule, UnplacedRow[] unplaced, string[] reasons, double objective, double bound, double? sessionBound, string? failure);

    /// <summary>
    /// Subscribes a silo's planning relay to the run's progress; subscriptions expire unless renewed.
    /// True when the relay was not subscribed (first time, expired, or the run was activated anew).
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<bool> Subscribe(IPlanningObserver observer);

    [Orleans.Concurrency.AlwaysInterleave]
    Task Unsubscribe(IPlanningObserver observer);
}

public interface IOralCentreGrain : IGrainWithStringKey
{
    /// <summary>The dates of a group's plan whose exam day has begun: an event, a status, a repair or a closing recorded.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<DateOnly[]> GetBegunDays(int group);

    Task Define(CentreDefinition definition);

    Task<CentreDefinition?> GetDefinition();

    /// <summary>The centre's exams in the plan of one group (1 or 2), replacing that group's only.</summary>
    Task SetPlan(ScheduleRow[] rows, int group);

    /// <summary>The centre's exams of one group (1 or 2) in the current plan, repairs included.</summary>
    Task<ScheduleRow[]> GetPlan(int group);

    /// <summary>What a repair of the day starts from (the centre's manager): refused when the day is closed, over, or has nothing to absorb.</summary>
    Task<RepairBasis> PrepareRepair(DateOnly date, TimeOnly? from, Actor actor);

    /// <summary>Records a repair proposal in the day's audit trail and shows it to the day's screens.</summary>
    Task RepairProposed(RepairProposal proposal);

    /// <summary>Applies an accepted repair to the plan (refused when the day changed since), then updates the commissions and
    /// the convocations of the candidates concerned, and the screens. Idempotent.</summary>
    Task ApplyRepair(RepairProposal proposal, Actor actor);

    /// <summary>Records a rejected repair in the day's audit trail.</summary>
    Task RepairRejected(RepairProposal proposal, Actor actor);

    /// <summary>The exam day with each exam's status (ExamDays.cs); for the organiser, the centre's manager and the day's examiners.</summary>
    Task<CentreDay> GetExamDay(DateOnly date, Actor actor);

    /// <summary>Records an event of the day (checked, persisted with who and when) and returns the updated day.</summary>
    Task<CentreDay> RecordEvent(DateOnly date, DayEventRequest request, Actor actor);

    /// <summary>The day's audit trail, in order.</summary>
    Task<DayEvent[]> GetEvents(DateOnly date, Actor actor);

    /// <summary>Closes the day (centre manager): ABS/ABSJ entered for the absent candidates; idempotent.</summary>
    Task<DayClosing> CloseDay(DateOnly date, Actor actor);

    /// <summary>
    /// The result the closing of a day entitles its centre manager to enter for an exam (ABS or ABSJ), or null.
    /// Interleaves: the candidate asks while the centre waits on it during the closing.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<string?> AbsenceResultOfClosedDay(DateOnly date, string candidateNumber, string unit);

    /// <summary>
    /// Subscribes a silo's exam-day relay; subscriptions expire unless renewed. True when the relay was not
    /// subscribed (first time, expired, or the centre activated anew): it may have missed changes.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<bool> Subscribe(IExamDayObserver observer);

    [Orleans.Concurrency.AlwaysInterleave]
    Task Unsubscribe(IExamDayObserver observer);
}

[GenerateSerializer, Immutable]
public sealed record CommissionView(
    [property: Id(0)] string CommissionId,
    [property: Id(1)] string CentreId,
    [property: Id(2)] DateOnly Date,
    [property: Id(3)] string[] Members,
    [property: Id(4)] ScheduleRow[] Slots);

public interface ICommissionGrain : IGrainWithStringKey
{
    Task SetPlan(ScheduleRow[] slots);

    Task<CommissionView> GetView();
}

/// <summary>Where and when the contrôle orals of the second group take place: the organiser's window and centres.</summary>
[GenerateSerializer, Immutable]
public sealed record SecondGroupScope([property: Id(0)] DateOnly[] Dates, [property: Id(1)] string[] CentreIds);

/// <summary>An organiser's pin: a candidate's unit fixed to a date and/or a centre; every plan keeps it.</summary>
[GenerateSerializer, Immutable]
public sealed record OralPinDefinition(
    [property: Id(0)] string CandidateNumber,
    [property: Id(1)] string Unit,
    [property: Id(2)] DateOnly? Date,
    [property: Id(3)] string? CentreId);

/// <summary>An organiser's pin: a commission with these members sits in this centre on this date.</summary>
[GenerateSerializer, Immutable]
public sealed record CommissionPinDefinition(
    [property: Id(0)] string CentreId,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] string[] ExaminerIds);

[GenerateSerializer, Immutable]
public sealed record PlanningPins(
    [property: Id(0)] OralPinDefinition[] Orals,
    [property: Id(1)] CommissionPinDefinition[] Commissions);

/// <summary>
/// How a run re-plans once a plan is published: centre-days within <see cref="NoticeDays"/> days of today (and every
/// begun one) are kept as they are; with <see cref="Whole"/> every other centre-day is re-planned, otherwise only those
/// that must change.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReplanChoice([property: Id(0)] int NoticeDays = ReplanChoice.DefaultNoticeDays, [property: Id(1)] bool Whole = false)
{
    public const int DefaultNoticeDays = 7;
    public const int MaxNoticeDays = 60;
}

/// <summary>One date of one oral centre.</summary>
[GenerateSerializer, Immutable]
public sealed record CentreDayKey([property: Id(0)] string CentreId, [property: Id(1)] DateOnly Date);

/// <summary>What a re-plan keeps: the group's schedule as it stands, and the centre-days to keep exactly.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplanBasisData([property: Id(0)] ScheduleRow[] Schedule, [property: Id(1)] CentreDayKey[] Kept, [property: Id(2)] bool Whole);

/// <summary>
/// The solver time a planning run may take, in seconds (api.md: <c>timeLimitSeconds</c>): one statement for the HTTP route,
/// the command-line tool and the run grain.
/// </summary>
public static class PlanningTimeLimits
{
    public const double MinSeconds = 1;
    public const double MaxSeconds = 1800;
    public const double DefaultSeconds = 60;

    public static bool Allows(double seconds) => seconds is >= MinSeconds and <= MaxSeconds;
}
