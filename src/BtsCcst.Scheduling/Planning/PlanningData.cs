using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>One oral of one candidate: what must be placed once (<see cref="HardRules.EveryOralOnce"/>).</summary>
internal sealed class Oral(int id, PlanningCandidate candidate, UnitCode unit, OralTiming timing, OralPin? pin)
{
    public int Id { get; } = id;
    public PlanningCandidate Candidate { get; } = candidate;
    public UnitCode Unit { get; } = unit;

    /// <summary><see cref="HardRules.Durations"/>: §2 durations stretched by extra time (OralRules.Timing).</summary>
    public OralTiming Timing { get; } = timing;

    public OralPin? Pin { get; } = pin;

    /// <summary>Preparation and exam in one block (the preparation ends when the exam starts).</summary>
    public int BlockMinutes => Timing.TotalMinutes;

    public override string ToString() => $"{Candidate.Number}/{Unit}";
}

/// <summary>A stretch of a day in minutes from midnight, [Start, End).</summary>
internal readonly record struct TimeWindow(int Start, int End)
{
    public int Length => End - Start;
    public override string ToString() => $"{Clock.Format(Start)}-{Clock.Format(End)}";
}

internal static class Clock
{
    public static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;
    public static TimeOnly Time(int minutes) => new(minutes / 60, minutes % 60);
    public static string Format(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";
    public static string Format(TimeOnly time) => Format(Minutes(time));
    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    public static int FloorToSlot(int minutes) => minutes / OralRules.SlotMinutes * OralRules.SlotMinutes;
    public static int CeilToSlot(int minutes) => (minutes + OralRules.SlotMinutes - 1) / OralRules.SlotMinutes * OralRules.SlotMinutes;
}

/// <summary>
/// One centre open on one date, with the stretches of the day where an oral may take place:
/// the centre's hours (<see cref="HardRules.CentreHours"/>) minus the lunch break
/// (<see cref="HardRules.LunchBreak"/>) and the written exams of the centre's column of Annexe 2
/// (<see cref="HardRules.WrittenExams"/>), on the 5-minute grid.
/// </summary>
internal sealed class CentreDay
{
    public CentreDay(int index, PlanningCentre centre, DateOnly date, WrittenExamCalendar calendar)
    {
        Index = index;
        Centre = centre;
        Date = date;
        Opens = Clock.CeilToSlot(Clock.Minutes(centre.DayStart));
        Closes = Clock.FloorToSlot(Clock.Minutes(centre.DayEnd));
        WrittenExams = calendar.On(date, centre.TimeZone).OrderBy(e => e.Start).ToList();
        var closed = new List<TimeWindow>();
        if (centre.LunchStart < centre.LunchEnd)
            closed.Add(new(Clock.FloorToSlot(Clock.Minutes(centre.LunchStart)), Clock.CeilToSlot(Clock.Minutes(centre.LunchEnd))));
        closed.AddRange(WrittenExams.Select(e => new TimeWindow(Clock.FloorToSlot(Clock.Minutes(e.Start)), e.End == TimeOnly.MinValue ? 24 * 60 : Clock.CeilToSlot(Clock.Minutes(e.End)))));
        var free = new List<TimeWindow>();
        var cursor = Opens;
        foreach (var c in closed.OrderBy(c => c.Start))
        {
            if (c.Start > cursor && cursor < Closes) free.Add(new(cursor, Math.Min(c.Start, Closes)));
            cursor = Math.Max(cursor, c.End);
        }
        if (cursor < Closes) free.Add(new(cursor, Closes));
        FreeWindows = free.Where(w => w.Length > 0).ToList();
        FreeMinutes = FreeWindows.Sum(w => w.Length);
    }

    public int Index { get; }
    public PlanningCentre Centre { get; }
    public DateOnly Date { get; }
    public int Opens { get; }
    public int Closes { get; }
    public IReadOnlyList<WrittenExam> WrittenExams { get; }
    public IReadOnlyList<TimeWindow> FreeWindows { get; }
    public int FreeMinutes { get; }
    public int LongestWindow => FreeWindows.Count == 0 ? 0 : FreeWindows.Max(w => w.Length);

    /// <summary>How an organiser names it: "centre CAEN-1, 2024-05-27".</summary>
    public string Label => $"centre {Centre.Id}, {Clock.Day(Date)}";

    /// <summary>The day's hours and what closes part of them, in French, for reasons.</summary>
    public string DescribeHours()
    {
        var parts = new List<string> { $"ouvert {Clock.Format(Opens)}-{Clock.Format(Closes)}" };
        if (Centre.LunchStart < Centre.LunchEnd) parts.Add($"pause déjeuner {Clock.Format(Centre.LunchStart)}-{Clock.Format(Centre.LunchEnd)}");
        parts.AddRange(WrittenExams.Select(e => $"épreuve écrite {e.Unit} {Clock.Format(e.Start)}-{Clock.Format(e.End)}"));
        return string.Join(", ", parts);
    }
}

/// <summary>
/// A commission: one fixed set of members for one centre and one day (<see cref="HardRules.CommissionFixedMembers"/>).
/// Several commissions of a day may share an examiner (a pair with and without its professional); the
/// examiner then sits in one of them at a time (<see cref="HardRules.ExaminerOneCommissionAtATime"/>).
/// </summary>
internal sealed class Commission(int index, IReadOnlyList<PlanningExaminer> members, bool pinned)
{
    public int Index { get; } = index;
    public IReadOnlyList<PlanningExaminer> Members { get; } = members;
    public bool Pinned { get; } = pinned;
    public bool HasProfessional { get; } = members.Any(m => m.Discipline == Discipline.Professionnel);

    /// <summary><see cref="HardRules.ExaminerNotOwnSchool"/>: a member of the candidate's school (same UAI; empty never matches).</summary>
    public bool HasMemberOfSchool(string uai) => Members.Any(m => Schools.Same(m.EstablishmentUai, uai));

    public override string ToString() => string.Join("+", Members.Select(m => m.Id));
}

internal static class Schools
{
    /// <summary>Same school (UAI); an empty code never matches another (formats.md).</summary>
    public static bool Same(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && !string.IsNullOrWhiteSpace(b) && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    public static string Key(string? uai) => string.IsNullOrWhiteSpace(uai) ? "" : uai.Trim().ToUpperInvariant();
}

/// <summary>
/// <see cref="HardRules.CommissionComposition"/>: whether a commission (one set of members for the day) may take an
/// exam of a unit, and which of its members examine it. Every seat of the unit's commission that is not optional is
/// filled by a distinct member (UnitCatalogue; for EF1 a teacher of the candidate's language, OralRules.MayFill).
/// A commission may take the exam when every member fills a seat, or when a professional is left without one in a unit
/// of the professional domain: the E4/U61 commission with its professional also takes U62, EF2 and EF3. The exam's
/// examiners are then only the seated members (<see cref="OralRules.Seating"/>): its professional is off during a U62,
/// and in EF2 the professional takes the second seat and one teacher is off.
/// </summary>
internal static class Composition
{
    /// <summary>The members who examine an exam of <paramref name="unit"/> before this commission (those who take a seat).</summary>
    public static IReadOnlyList<PlanningExaminer> Examining(UnitCode unit, IReadOnlyList<PlanningExaminer> members, string ef1Language)
    {
        var seating = OralRules.Seating(unit, [.. members.Select(m => (m.Discipline, (IReadOnlyCollection<string>)m.Languages))], ef1Language)
                      ?? throw new InvalidOperationException($"La commission {string.Join("+", members.Select(m => m.Id))} ne peut pas faire passer l'épreuve {unit}.");
        return [.. members.Where((_, i) => seating[i] >= 0)];
    }

    public static bool Fits(UnitCode unit, IReadOnlyList<PlanningExaminer> members, string ef1Language)
    {
        var definition = UnitCatalogue.Get(unit);
        var seats = definition.Commission;
        var extraProfessional = definition.Professional || seats.Any(s => s.AnyOf.Contains(Discipline.Professionnel));
        if (members.Count == 0) return false;
        return Assign(0, new bool[seats.Count]);

        bool Assign(int member, bool[] taken)
        {
            if (member == members.Count)
                return seats.Select((s, i) => s.Optional || taken[i]).All(x => x);
            var examiner = members[member];
            if (extraProfessional && examiner.Discipline == Discipline.Professionnel && Assign(member + 1, taken)) return true;
            for (var i = 0; i < seats.Count; i++)
            {
                if (taken[i] || !OralRules.MayFill(seats[i], examiner.Discipline, examiner.Languages, unit, ef1Language)) continue;
                taken[i] = true;
                if (Assign(member + 1, taken)) return true;
                taken[i] = false;
            }
            return false;
        }
    }
}

/// <summary>French names of disciplines and units, for reasons.</summary>
internal static class French
{
    /// <summary>"examinateur STI", "professeur d'anglais"...</summary>
    public static string Examiner(Discipline discipline) => discipline switch
    {
        Discipline.EcoGestion => "examinateur économie-gestion",
        Discipline.Sti => "examinateur STI",
        Discipline.Anglais => "professeur d'anglais",
        Discipline.Langue => "professeur de langue vivante",
        Discipline.Lettres => "professeur de lettres",
        Discipline.Professionnel => "professionnel",
        _ => discipline.ToString(),
    };

    /// <summary>"examinateurs STI", "professeurs d'anglais"...</summary>
    public static string Examiners(Discipline discipline) => discipline switch
    {
        Discipline.EcoGestion => "examinateurs économie-gestion",
        Discipline.Sti => "examinateurs STI",
        Discipline.Anglais => "professeurs d'anglais",
        Discipline.Langue => "professeurs de langue vivante",
        Discipline.Lettres => "professeurs de lettres",
        Discipline.Professionnel => "professionnels",
        _ => discipline.ToString(),
    };

    public static string Count(int n, string singular, string plural) => n == 1 ? $"1 {singular}" : $"{n} {plural}";

    /// <summary>"d'espagnol", "de portugais": the language with its preposition.</summary>
    public static string OfLanguage(string language)
    {
        var name = language.Trim();
        return name.Length > 0 && "aeiouyhâéèêîôûAEIOUYHÉ".Contains(name[0]) ? $"d'{name}" : $"de {name}";
    }
}
