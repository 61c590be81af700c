namespace BtsCcst.Grains.Abstractions;

/// <summary>Where a repair proposal of an exam day is.</summary>
public static class RepairStates
{
    /// <summary>Computed and valid: the centre manager accepts or rejects it.</summary>
    public const string Proposed = "PROPOSED";
    public const string Accepted = "ACCEPTED";
    public const string Rejected = "REJECTED";
    /// <summary>No repair could be computed (the solver failed), or the repaired schedule broke a rule: nothing to accept.</summary>
    public const string Failed = "FAILED";
}

/// <summary>One event of the day as the repair must absorb it (kinds of <see cref="DayEventKinds"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record RepairEventData(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? CandidateNumber,
    [property: Id(2)] TimeOnly? ArrivesAt,
    [property: Id(3)] string? ExaminerId,
    [property: Id(4)] TimeOnly? From,
    [property: Id(5)] TimeOnly? To,
    [property: Id(6)] string? Room);

/// <summary>
/// What a repair starts from, as the centre gives it: the day's plan version (an accepted repair must apply to the
/// plan it was computed on), the time from which exams may move, the events to absorb, and the exams under way.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RepairBasis(
    [property: Id(0)] string CentreId,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] int Group,
    [property: Id(3)] TimeOnly Now,
    [property: Id(4)] long PlanVersion,
    [property: Id(5)] int[] EventSequences,
    [property: Id(6)] RepairEventData[] Events,
    [property: Id(7)] string[] Underway);

/// <summary>One exam a repair changes: before (null: added) and after (null: taken out of the plan).</summary>
[GenerateSerializer, Immutable]
public sealed record RepairChange([property: Id(0)] ScheduleRow? Old, [property: Id(1)] ScheduleRow? New);

/// <summary>
/// A repaired schedule of one centre's day, proposed to its manager: what changes (the diff), the goals' figures
/// (other candidates moved, examiners whose day changes, total delay), the orals the repair could not keep, the
/// independent validator's findings, and who concerned must get a new convocation or calendar.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RepairProposal
{
    [Id(0)] public required string RepairId { get; init; }
    [Id(1)] public required string CentreId { get; init; }
    [Id(2)] public required DateOnly Date { get; init; }
    [Id(3)] public required string State { get; init; }
    [Id(4)] public required Actor RequestedBy { get; init; }
    [Id(5)] public required DateTimeOffset RequestedAt { get; init; }
    [Id(6)] public required RepairBasis Basis { get; init; }
    [Id(7)] public required RepairChange[] Changes { get; init; }
    [Id(8)] public required int CandidatesMoved { get; init; }
    [Id(9)] public required int ExaminersChanged { get; init; }
    [Id(10)] public required int TotalDelayMinutes { get; init; }
    /// <summary>Orals of the day the repair takes out of the plan without placing them again, with the reason.</summary>
    [Id(11)] public required UnplacedRow[] Unplaced { get; init; }
    /// <summary>The independent validator's findings on the whole repaired schedule: empty, or the proposal failed.</summary>
    [Id(12)] public required string[] Violations { get; init; }
    [Id(13)] public required bool Optimal { get; init; }
    [Id(14)] public required double Seconds { get; init; }
    [Id(15)] public required string[] CandidatesConcerned { get; init; }
    [Id(16)] public required string[] ExaminersConcerned { get; init; }
    [Id(17)] public string? Failure { get; init; }
    [Id(18)] public Actor? DecidedBy { get; init; }
    [Id(19)] public DateTimeOffset? DecidedAt { get; init; }
}

/// <summary>
/// One repair of a centre's exam day (keyed "{session}/{repairId}"): computed once by the solver process from the
/// centre's basis, kept, then accepted (the centre applies it) or rejected by the centre's manager.
/// </summary>
public interface IDayRepairGrain : IGrainWithStringKey
{
    Task<RepairProposal> Propose(RepairBasis basis, double timeLimitSeconds, Actor actor);

    Task<RepairProposal> Get(Actor actor);

    Task<RepairProposal> Accept(Actor actor);

    Task<RepairProposal> Reject(Actor actor);
}
