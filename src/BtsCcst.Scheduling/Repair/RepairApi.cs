using System.Text.Json.Serialization;
using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Repair;

/// <summary>Something that happened on an exam day and that the repaired schedule must absorb.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CandidateLate), "candidate-late")]
[JsonDerivedType(typeof(CandidateAbsentExcused), "candidate-excused")]
[JsonDerivedType(typeof(ExaminerAbsent), "examiner-absent")]
[JsonDerivedType(typeof(RoomUnavailable), "room-unavailable")]
public abstract record RepairEvent;

/// <summary>A candidate expected at <paramref name="ArrivesAt"/> (wall-clock time: a delay is stated once, against the
/// convocation the candidate had, so that a second repair does not add it again): none of their exams of the day may
/// start (preparation included) before.</summary>
public sealed record CandidateLate(string CandidateNumber, TimeOnly ArrivesAt) : RepairEvent;

/// <summary>A candidate absent with an excuse: their exams of the day not under way (<see cref="RepairRequest.Underway"/>, or
/// before now for a candidate not of the events) leave the day and, when
/// <paramref name="Reconvoke"/>, are placed on a later date of the centre's window where they fit without moving anyone.</summary>
public sealed record CandidateAbsentExcused(string CandidateNumber, bool Reconvoke = true) : RepairEvent;

/// <summary>An examiner absent from <paramref name="From"/> to <paramref name="To"/> (null: the start, or the end, of the day).</summary>
public sealed record ExaminerAbsent(string ExaminerId, TimeOnly? From = null, TimeOnly? To = null) : RepairEvent;

/// <summary><paramref name="Rooms"/> exam room(s) unavailable from <paramref name="From"/> to <paramref name="To"/>; with
/// <paramref name="Room"/> (one room), that room is the one left empty, but for exams already under way in it.</summary>
public sealed record RoomUnavailable(TimeOnly From, TimeOnly To, int Rooms = 1, string? Room = null) : RepairEvent;

/// <summary>
/// What to repair: one centre-day, the time now (exams ended or under way, i.e. whose preparation or exam started
/// before <paramref name="Now"/>, are fixed; nothing else may start before it) and the events.
/// <paramref name="MovableCandidates"/>, when given, restricts the candidates (besides those of the events) whose exams
/// may change; the others keep their time and commission (a commission that lost a member or took a replacement counts
/// as the same commission). <paramref name="Underway"/> names exams ("{candidate}/{unit}") started whatever the time
/// says (a commission ahead of its schedule): they are fixed too.
/// </summary>
public sealed record RepairRequest(
    string CentreId,
    DateOnly Date,
    TimeOnly Now,
    IReadOnlyList<RepairEvent> Events,
    IReadOnlySet<string>? MovableCandidates = null,
    IReadOnlySet<string>? Underway = null)
{
    public static string ExamKey(string candidateNumber, UnitCode unit) => $"{candidateNumber}/{unit}";
}

/// <summary>One exam whose time, date or commission changed (old fields null for an exam added, new fields null for one removed).</summary>
public sealed record RepairedExam(
    string CandidateNumber,
    UnitCode Unit,
    DateOnly? OldDate,
    TimeOnly? OldStart,
    string? OldCommissionId,
    IReadOnlyList<string> OldExaminerIds,
    DateOnly? NewDate,
    TimeOnly? NewStart,
    string? NewCommissionId,
    IReadOnlyList<string> NewExaminerIds);

/// <summary>
/// A repaired schedule. <see cref="Exams"/> is the whole schedule (only the repaired day changed, plus the exams of
/// re-convoked candidates on their new date); <see cref="Changes"/> the exams that changed; <see cref="CandidatesMoved"/>
/// the candidates other than those of the events with an exam moved (time, or commission other than their own less an
/// absent member or with a replacement) or left out; <see cref="ExaminersChanged"/> the examiners, absent ones apart,
/// whose exams of the day (which candidates, at what time) changed; <see cref="TotalDelayMinutes"/> the sum of the
/// delays of the day's exams; <see cref="Unplaced"/> every oral of the instance missing from <see cref="Exams"/>, with
/// its reason in French; <see cref="Optimal"/> whether the solver proved the (lexicographic) optimum of the day;
/// <see cref="Solved"/> false when no repaired plan of the day was found in time: the schedule is then the current one.
/// </summary>
public sealed record RepairResult(
    IReadOnlyList<ScheduledExam> Exams,
    IReadOnlyList<RepairedExam> Changes,
    int CandidatesMoved,
    int ExaminersChanged,
    int TotalDelayMinutes,
    IReadOnlyList<UnplacedOral> Unplaced,
    bool Optimal,
    bool Solved = true);
