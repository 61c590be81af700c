using System.Globalization;
using BtsCcst.Domain;
using BtsCcst.Domain.Imports;

namespace BtsCcst.Scheduling;

/// <summary>
/// Checks any schedule (the planner's output, or a schedule.csv an organiser edited by hand) against
/// every hard rule of <see cref="HardRules"/> and lists each violation, with a French message for the
/// organisers. It is independent of the planner: it shares nothing with the planning model but the
/// domain catalogue (<see cref="UnitCatalogue"/>, <see cref="OralRules"/>, <see cref="WrittenExamCalendar"/>),
/// so that a bug of the model is not repeated here. One check method per rule, named after its constant.
/// </summary>
/// <remarks>
/// Interpretations, documented:
/// <list type="bullet">
/// <item>Identifiers (centres, examiners, candidates, commissions, rooms) are compared case-insensitively,
/// as the importers do. An unknown candidate is an <see cref="HardRules.EveryOralOnce"/> violation (a row
/// that should not be there), an unknown centre a <see cref="HardRules.CentreHours"/> violation (the centre
/// is never open), an unknown examiner a <see cref="HardRules.CommissionComposition"/> violation (the seat
/// is not filled by an examiner of the session); checks needing the unknown record skip those rows.</item>
/// <item><see cref="HardRules.Durations"/> also covers "prep_start empty iff the unit has no preparation":
/// an empty prep_start is a preparation of 0 minutes. <see cref="HardRules.PreparationSeats"/> is the
/// capacity only (a preparation runs from prep_start to exam_start).</item>
/// <item>Commission composition: the members listed on a row (distinct) are the exam's examiners; they fill
/// the seats of <see cref="UnitDefinition.Commission"/> exactly: every required seat, each member one seat
/// (<see cref="OralRules.MayFill"/>, so EF1 needs a teacher of the candidate's language), no member without a
/// seat (§2: a member whom the unit's commission does not name never examines it; the professional of an
/// E4/U61 commission is not listed on its U62 rows). A commission's members are the union of its rows; a row
/// leaves out only members who could not take a seat in it (<see cref="HardRules.CommissionFixedMembers"/>).</item>
/// <item><see cref="HardRules.Rooms"/> checks at most exam_rooms distinct room labels per centre and day and
/// one exam at a time per room; together they imply at most exam_rooms exams at the same time.</item>
/// <item>An oral pinned but reported unplaced breaks no pin (the report says why); a commission pin needs a
/// commission of the schedule at that centre and date with exactly the pinned members.</item>
/// <item>A reported unplaced oral the candidate does not have to sit is tolerated (the planner reports an
/// EF3 whose U61 cannot be planned, OralRules.UnplaceableOrals); an oral both scheduled and reported
/// unplaced is a violation.</item>
/// </list>
/// </remarks>
public static partial class ScheduleValidator
{
    /// <summary>Every violation of the hard rules by <paramref name="schedule"/>, in the order of <see cref="HardRules.All"/>.</summary>
    public static IReadOnlyList<Violation> Validate(
        PlanningInstance instance,
        IReadOnlyList<ScheduledExam> schedule,
        IReadOnlyList<UnplacedOral>? reportedUnplaced = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(schedule);
        var input = new Input(instance, schedule, reportedUnplaced ?? []);
        var violations = new List<Violation>();
        violations.AddRange(EveryOralOnce(input));
        violations.AddRange(Durations(input));
        violations.AddRange(CandidateOneThingAtATime(input));
        violations.AddRange(Ef3AfterU61(input));
        violations.AddRange(CommissionComposition(input));
        violations.AddRange(CommissionFixedMembers(input));
        violations.AddRange(CommissionOneCandidateAtATime(input));
        violations.AddRange(ExaminerOneCommissionAtATime(input));
        violations.AddRange(ExaminerAvailableDates(input));
        violations.AddRange(ExaminerListedCentres(input));
        violations.AddRange(ExaminerOneCentreADay(input));
        violations.AddRange(ExaminerMinutesPerDay(input));
        violations.AddRange(ExaminerNotOwnSchool(input));
        violations.AddRange(Rooms(input));
        violations.AddRange(PreparationSeats(input));
        violations.AddRange(CentreHours(input));
        violations.AddRange(LunchBreak(input));
        violations.AddRange(WrittenExams(input));
        violations.AddRange(CentreServesAcademy(input));
        violations.AddRange(Pins(input));
        return violations;
    }

    private static readonly StringComparer Ids = StringComparer.OrdinalIgnoreCase;

    /// <summary>One row of the schedule, null-safe, times in minutes since midnight.</summary>
    private sealed class Row
    {
        public Row(ScheduledExam exam, Input input)
        {
            Exam = exam;
            Centre = Shown(exam.CentreId);
            Date = exam.Date;
            Room = exam.Room ?? "";
            Commission = Shown(exam.CommissionId);
            Unit = exam.Unit;
            Candidate = Shown(exam.CandidateNumber);
            Examiners = (exam.ExaminerIds ?? []).Select(Shown).ToList();
            Members = Examiners.Distinct(Ids).ToList();
            PrepStart = exam.PrepStart is { } prep ? Minutes(prep) : null;
            ExamStart = Minutes(exam.ExamStart);
            ExamEnd = Minutes(exam.ExamEnd);
            CentreInfo = input.Centres.GetValueOrDefault(Centre);
            CandidateInfo = input.Candidates.GetValueOrDefault(Candidate);
        }

        public ScheduledExam Exam { get; }
        public string Centre { get; }
        public DateOnly Date { get; }
        public string Room { get; }
        public string Commission { get; }
        public UnitCode Unit { get; }
        public string Candidate { get; }
        public IReadOnlyList<string> Examiners { get; }
        /// <summary>Distinct members (case-insensitive), in the order listed.</summary>
        public IReadOnlyList<string> Members { get; }
        public int? PrepStart { get; }
        public int ExamStart { get; }
        public int ExamEnd { get; }
        public PlanningCentre? CentreInfo { get; }
        public PlanningCandidate? CandidateInfo { get; }

        /// <summary>Start of what the candidate does: preparation, or the exam itself.</summary>
        public int Start => PrepStart is { } prep && prep < ExamStart ? prep : ExamStart;
        public int ExamMinutes => Math.Max(0, ExamEnd - ExamStart);

        /// <summary>"E4 du candidat 24001".</summary>
        public string What => $"{Unit} du candidat {Candidate}";

        /// <summary>"préparation 08:00, épreuve 09:20–10:40".</summary>
        public string Span => PrepStart is { } prep
            ? $"préparation {Clock(prep)}, épreuve {Clock(ExamStart)}–{Clock(ExamEnd)}"
            : $"épreuve {Clock(ExamStart)}–{Clock(ExamEnd)}";

        /// <summary>"CAEN-1, 2024-05-16, 09:20".</summary>
        public string Where => $"{Centre}, {Day(Date)}, {Clock(ExamStart)}";
    }

    /// <summary>The instance indexed by id, and the rows.</summary>
    private sealed class Input
    {
        public Input(PlanningInstance instance, IReadOnlyList<ScheduledExam> schedule, IReadOnlyList<UnplacedOral> unplaced)
        {
            Instance = instance;
            Candidates = Index(instance.Candidates ?? [], c => c.Number);
            Examiners = Index(instance.Examiners ?? [], e => e.Id);
            Centres = Index(instance.Centres ?? [], c => c.Id);
            Rows = schedule.Where(e => e is not null).Select(e => new Row(e, this)).ToList();
            Unplaced = unplaced.Where(u => u is not null).Select(u => (Shown(u.CandidateNumber).ToUpperInvariant(), u.Unit)).ToHashSet();
        }

        public PlanningInstance Instance { get; }
        public Dictionary<string, PlanningCandidate> Candidates { get; }
        public Dictionary<string, PlanningExaminer> Examiners { get; }
        public Dictionary<string, PlanningCentre> Centres { get; }
        public IReadOnlyList<Row> Rows { get; }
        /// <summary>The orals reported unplaced: (candidate number in upper case, unit).</summary>
        public HashSet<(string Candidate, UnitCode Unit)> Unplaced { get; }

        private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string?> id)
        {
            var index = new Dictionary<string, T>(Ids);
            foreach (var item in items)
            {
                if (item is not null && id(item) is { } key) index.TryAdd(key, item);
            }
            return index;
        }
    }

    /// <summary>An identifier as shown in messages: a missing one reads "(vide)" (and matches no record).</summary>
    private static string Shown(string? id) => string.IsNullOrWhiteSpace(id) ? "(vide)" : id.Trim();

    /// <summary>"la commission C1" / "les commissions C1, C3".</summary>
    private static string Commissions(IEnumerable<string> ids)
    {
        var list = ids.Distinct(Ids).ToList();
        return (list.Count > 1 ? "les commissions " : "la commission ") + List(list);
    }

    private static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    private static string Clock(int minutes) =>
        minutes < 0 || minutes >= 24 * 60
            ? minutes.ToString(CultureInfo.InvariantCulture) + " min"
            : $"{minutes / 60:00}:{minutes % 60:00}";

    private static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"Centre CAEN-1, 2024-05-16, 09:20" (the prefix of the messages about one moment).</summary>
    private static string At(string centre, DateOnly date, int minutes) => $"Centre {centre}, {Day(date)}, {Clock(minutes)}";

    private static bool Overlap(int start1, int end1, int start2, int end2) => start1 < end2 && start2 < end1;

    private static bool SameId(string? a, string? b) => Ids.Equals(a ?? "", b ?? "");

    private static string List(IEnumerable<string> items) => string.Join(", ", items);

    /// <summary>A set of examiners as a comparable key.</summary>
    private static string MemberKey(IEnumerable<string> ids) =>
        string.Join(";", ids.Select(id => (id ?? "").Trim().ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal));

    private static Violation V(string rule, string message) => new(rule, message);

    private static string DisciplineName(Discipline discipline) => discipline switch
    {
        Discipline.EcoGestion => "économie-gestion",
        Discipline.Sti => "STI",
        Discipline.Anglais => "anglais",
        Discipline.Langue => "langue vivante",
        Discipline.Lettres => "lettres",
        Discipline.Professionnel => "professionnel",
        _ => discipline.ToString(),
    };

    /// <summary>Case- and accent-insensitive comparison of names (academies).</summary>
    private static bool SameName(string? a, string? b) => FieldRules.Fold(a ?? "") == FieldRules.Fold(b ?? "");
}
