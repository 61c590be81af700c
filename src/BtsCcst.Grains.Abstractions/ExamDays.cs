namespace BtsCcst.Grains.Abstractions;

/// <summary>The status of one exam (candidate, unit, date) on its day, as the centre manager and the commissions record it.</summary>
public static class ExamStatuses
{
    public const string Convoked = "CONVOKED";
    public const string Present = "PRESENT";
    public const string InPreparation = "IN_PREPARATION";
    public const string InExam = "IN_EXAM";
    public const string Done = "DONE";
    public const string Absent = "ABSENT";
    public const string AbsentExcused = "ABSENT_EXCUSED";

    public static string French(string status) => status switch
    {
        Convoked => "convoqué",
        Present => "présent",
        InPreparation => "en préparation",
        InExam => "en interrogation",
        Done => "terminé",
        Absent => "absent",
        AbsentExcused => "absent excusé",
        _ => status,
    };
}

/// <summary>The events of an exam day, as written in the API.</summary>
public static class DayEventKinds
{
    public const string CandidatePresent = "candidate-present";
    public const string CandidateAbsent = "candidate-absent";
    public const string CandidateExcused = "candidate-excused";
    public const string CandidateLate = "candidate-late";
    public const string PreparationStarted = "preparation-started";
    public const string ExamStarted = "exam-started";
    public const string ExamDone = "exam-done";
    public const string ExaminerAbsent = "examiner-absent";
    public const string RoomUnavailable = "room-unavailable";
    /// <summary>Recorded by the closing of the day itself, never sent.</summary>
    public const string DayClosed = "day-closed";
    /// <summary>Recorded by the repairs of the day (never sent as events): proposed, accepted, rejected.</summary>
    public const string RepairProposed = "repair-proposed";
    public const string RepairAccepted = "repair-accepted";
    public const string RepairRejected = "repair-rejected";

    /// <summary>The events a repair absorbs.</summary>
    public static IReadOnlyList<string> ForRepair { get; } = [CandidateLate, CandidateExcused, ExaminerAbsent, RoomUnavailable];

    public static IReadOnlyList<string> Recordable { get; } =
        [CandidatePresent, CandidateAbsent, CandidateExcused, CandidateLate, PreparationStarted, ExamStarted, ExamDone, ExaminerAbsent, RoomUnavailable];

    /// <summary>What a commission member may record, for the exams of their own commission.</summary>
    public static IReadOnlyList<string> ForExaminers { get; } = [CandidatePresent, PreparationStarted, ExamStarted, ExamDone];
}

/// <summary>An event to record on a centre's day; which fields matter depends on the kind.</summary>
[GenerateSerializer, Immutable]
public sealed record DayEventRequest(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? CandidateNumber = null,
    [property: Id(2)] string? Unit = null,
    [property: Id(3)] int? Minutes = null,
    [property: Id(4)] string? ExaminerId = null,
    [property: Id(5)] string? Room = null,
    [property: Id(6)] TimeOnly? From = null,
    [property: Id(7)] TimeOnly? To = null,
    [property: Id(8)] string? Reason = null);

/// <summary>One recorded event of the day's audit trail: what, who, when, and the exams it changed.</summary>
[GenerateSerializer, Immutable]
public sealed record DayEvent(
    [property: Id(0)] int Sequence,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] string Kind,
    [property: Id(3)] Actor By,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] string Description,
    [property: Id(6)] string? CandidateNumber,
    [property: Id(7)] string[] Units,
    [property: Id(8)] int? Minutes,
    [property: Id(9)] string? ExaminerId,
    [property: Id(10)] string? Room,
    [property: Id(11)] TimeOnly? From,
    [property: Id(12)] TimeOnly? To,
    [property: Id(13)] string? Reason,
    [property: Id(14)] TimeOnly? ExpectedAt = null);

/// <summary>One exam of a centre's day with its status (no candidate names: the API adds them, never the school);
/// <paramref name="Withdrawn"/>: taken out of the plan by a repair (an excused candidate not re-convoked), kept for the closing.</summary>
[GenerateSerializer, Immutable]
public sealed record ExamOfDay(
    [property: Id(0)] ScheduleRow Row,
    [property: Id(1)] string Status,
    [property: Id(2)] int? LateMinutes,
    [property: Id(3)] int Group,
    [property: Id(4)] bool Withdrawn = false);

/// <summary>A centre's exam day: its exams by room and commission, their statuses, what is unavailable, whether it is closed,
/// and the repair proposal awaiting the manager's decision, if any.</summary>
[GenerateSerializer, Immutable]
public sealed record CentreDay(
    [property: Id(0)] string CentreId,
    [property: Id(1)] string CentreName,
    [property: Id(2)] DateOnly Date,
    [property: Id(3)] bool Closed,
    [property: Id(4)] ExamOfDay[] Exams,
    [property: Id(5)] DayEvent[] Unavailabilities,
    [property: Id(6)] string? PendingRepairId = null);

[GenerateSerializer, Immutable]
public sealed record ClosedExam(
    [property: Id(0)] string CandidateNumber,
    [property: Id(1)] string Unit,
    [property: Id(2)] string Status,
    [property: Id(3)] string? Result,
    [property: Id(4)] string? Problem);

/// <summary>
/// What closing a day did: ABS/ABSJ entered for the absent candidates, the exams still CONVOKED
/// ("non renseignés": nothing entered), and the entries a candidate refused (e.g. a jury already closed).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DayClosing(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] Actor By,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] ClosedExam[] Entered,
    [property: Id(4)] ClosedExam[] NotRecorded,
    [property: Id(5)] ClosedExam[] Refused);

/// <summary>
/// A centre's exam day changed (event recorded, status changed, day closed) or, with no date, any of its days
/// (a plan adopted, the centre redefined). Light on purpose: each view differs by reader, so the relay reads it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExamDayChange(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string CentreId,
    [property: Id(2)] DateOnly? Date,
    [property: Id(3)] long Version);

/// <summary>Receives a centre's day changes: one per silo, forwarding to the SignalR clients it serves.</summary>
public interface IExamDayObserver : IGrainObserver
{
    [Orleans.Concurrency.OneWay]
    Task DayChanged(ExamDayChange change);
}
