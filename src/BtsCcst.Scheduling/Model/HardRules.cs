namespace BtsCcst.Scheduling;

/// <summary>
/// The names of the hard rules of oral planning (issue "Oral planning", shared/spec/domain.md).
/// The planner has one block of its model per rule and the validator one check per rule, under
/// these same names, so rule, model and check can be read side by side.
/// </summary>
public static class HardRules
{
    /// <summary>Every oral to plan is in the schedule exactly once (or reported unplaced), and nothing else is.</summary>
    public const string EveryOralOnce = "every-oral-once";
    /// <summary>§2 durations and preparation, stretched by extra time, rounded up to 5 minutes (OralRules.Timing).</summary>
    public const string Durations = "durations";
    /// <summary>A candidate does one thing at a time, with 10 minutes from an exam's end to their next preparation or exam.</summary>
    public const string CandidateOneThingAtATime = "candidate-one-thing-at-a-time";
    /// <summary>EF3 follows the candidate's U61 at once, before the same commission.</summary>
    public const string Ef3AfterU61 = "ef3-after-u61";
    /// <summary>Commission composition per unit (UnitCatalogue seats; EF1 by a teacher of the chosen language).</summary>
    public const string CommissionComposition = "commission-composition";
    /// <summary>A commission is one fixed set of members for one centre and one day.</summary>
    public const string CommissionFixedMembers = "commission-fixed-members";
    /// <summary>A commission examines one candidate at a time.</summary>
    public const string CommissionOneCandidateAtATime = "commission-one-candidate-at-a-time";
    /// <summary>An examiner sits in one commission at a time (never two overlapping exams).</summary>
    public const string ExaminerOneCommissionAtATime = "examiner-one-commission-at-a-time";
    /// <summary>An examiner sits only on their available dates.</summary>
    public const string ExaminerAvailableDates = "examiner-available-dates";
    /// <summary>An examiner sits only in the centres they listed.</summary>
    public const string ExaminerListedCentres = "examiner-listed-centres";
    /// <summary>An examiner sits in one centre a day.</summary>
    public const string ExaminerOneCentreADay = "examiner-one-centre-a-day";
    /// <summary>An examiner examines at most their minutes per day.</summary>
    public const string ExaminerMinutesPerDay = "examiner-minutes-per-day";
    /// <summary>An examiner never examines a candidate of their own school (same UAI; an empty UAI never matches).</summary>
    public const string ExaminerNotOwnSchool = "examiner-not-own-school";
    /// <summary>At most exam_rooms commissions examine at the same time in a centre; rooms are labelled within that number.</summary>
    public const string Rooms = "rooms";
    /// <summary>Preparation ends when the exam starts and takes one of the centre's preparation seats.</summary>
    public const string PreparationSeats = "preparation-seats";
    /// <summary>Nothing (preparation or exam) falls outside the centre's hours or dates.</summary>
    public const string CentreHours = "centre-hours";
    /// <summary>Nothing (preparation or exam) overlaps the centre's lunch break.</summary>
    public const string LunchBreak = "lunch-break";
    /// <summary>Nothing overlaps a written exam of Annexe 2 in the centre's column.</summary>
    public const string WrittenExams = "written-exams";
    /// <summary>A candidate is examined in a centre that serves their academy.</summary>
    public const string CentreServesAcademy = "centre-serves-academy";
    /// <summary>Every organiser's pin holds.</summary>
    public const string Pins = "pins";

    public static IReadOnlyList<string> All { get; } =
    [
        EveryOralOnce, Durations, CandidateOneThingAtATime, Ef3AfterU61, CommissionComposition, CommissionFixedMembers,
        CommissionOneCandidateAtATime, ExaminerOneCommissionAtATime, ExaminerAvailableDates, ExaminerListedCentres,
        ExaminerOneCentreADay, ExaminerMinutesPerDay, ExaminerNotOwnSchool, Rooms, PreparationSeats, CentreHours,
        LunchBreak, WrittenExams, CentreServesAcademy, Pins,
    ];
}
