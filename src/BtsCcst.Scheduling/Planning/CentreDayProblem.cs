using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>Where and when an exam is placed: its commission and the slot (5 minutes) its exam starts.</summary>
internal readonly record struct Placement(int Commission, int Start);

/// <summary>One oral to place in a centre-day, with the options that keep the rules, filtered before any variable exists.</summary>
internal sealed class ExamJob
{
    public required int Index { get; init; }
    public required Oral Oral { get; init; }
    /// <summary>Index of the candidate within the centre-day.</summary>
    public required int Candidate { get; init; }
    public required int PrepSlots { get; init; }
    public required int ExamSlots { get; init; }
    /// <summary>The commissions able to examine it: composition fits the unit (and EF1 language), no member of the candidate's school.</summary>
    public required int[] Commissions { get; init; }
    /// <summary>Exam starts (slots) such that preparation and exam lie within one free stretch of the day.</summary>
    public required int[] Starts { get; init; }
    /// <summary>For an EF3, the job of the candidate's U61 it follows at once; else -1.</summary>
    public int Follows { get; set; } = -1;
    /// <summary>For a U61, the job of the candidate's EF3 that follows it at once; else -1.</summary>
    public int FollowedBy { get; set; } = -1;
    /// <summary>Set when an earlier solve placed it and it must stay (orals moved here later are added around it).</summary>
    public Placement? Fixed { get; init; }
    public int PrepStart(int start) => start - PrepSlots;
    public int End(int start) => start + ExamSlots;
}

/// <summary>
/// The sub-problem of one centre-day: its candidates' orals, its commissions, its free stretches on the 5-minute grid.
/// Times are in slots of <see cref="OralRules.SlotMinutes"/> minutes from midnight.
/// </summary>
internal sealed class CentreDayProblem
{
    public const int Slot = OralRules.SlotMinutes;
    public const int DaySlots = 24 * 60 / Slot;
    public static readonly int GapSlots = OralRules.MinimumGapMinutes / Slot;

    public CentreDayProblem(CentreDay day, IReadOnlyList<Commission> commissions, IReadOnlyList<Oral> orals, IReadOnlyDictionary<Oral, Placement> fixedPlacements)
    {
        Day = day;
        Commissions = commissions;
        Free = new bool[DaySlots + 1];
        foreach (var w in day.FreeWindows)
            for (var s = w.Start / Slot; s < w.End / Slot; s++) Free[s] = true;
        freePrefix = new int[DaySlots + 2];
        for (var s = 0; s <= DaySlots; s++) freePrefix[s + 1] = freePrefix[s] + (Free[s] ? 1 : 0);

        Examiners = commissions.SelectMany(c => c.Members).Distinct().OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        var examinerIndex = Examiners.Select((e, i) => (e, i)).ToDictionary(x => x.e.Id, x => x.i);
        MembersOf = commissions.Select(c => c.Members.Select(m => examinerIndex[m.Id]).ToArray()).ToArray();
        CommissionsOf = Examiners.Select((_, i) => commissions.Where(c => MembersOf[c.Index].Contains(i)).Select(c => c.Index).ToArray()).ToArray();

        var candidates = orals.Select(o => o.Candidate).Distinct().ToList();
        Candidates = candidates;
        var candidateIndex = candidates.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var fits = new Dictionary<(UnitCode, int, string), bool>();
        var jobs = new List<ExamJob>();
        foreach (var oral in orals.OrderBy(o => candidateIndex[o.Candidate]).ThenBy(o => o.Unit))
        {
            var language = oral.Unit == UnitCode.EF1 ? OralRules.Fold(oral.Candidate.Ef1Language) : "";
            var able = commissions
                .Where(c => !c.HasMemberOfSchool(oral.Candidate.EstablishmentUai))
                .Where(c => fits.TryGetValue((oral.Unit, c.Index, language), out var ok)
                    ? ok
                    : fits[(oral.Unit, c.Index, language)] = Composition.Fits(oral.Unit, c.Members, oral.Candidate.Ef1Language))
                .Select(c => c.Index)
                .ToArray();
            var prep = oral.Timing.PreparationMinutes / Slot;
            var exam = oral.Timing.ExamMinutes / Slot;
            var starts = Enumerable.Range(0, DaySlots).Where(s => s - prep >= 0 && IsFree(s - prep, s + exam)).ToArray();
            jobs.Add(new ExamJob
            {
                Index = jobs.Count, Oral = oral, Candidate = candidateIndex[oral.Candidate], PrepSlots = prep, ExamSlots = exam,
                Commissions = able, Starts = starts,
                Fixed = fixedPlacements.TryGetValue(oral, out var placement) ? placement : null,
            });
        }
        // HardRules.Ef3AfterU61: the EF3 is examined by the U61's commission, so it keeps only the commissions both may have.
        foreach (var ef3 in jobs.Where(j => j.Oral.Unit == UnitCode.EF3))
        {
            var u61 = jobs.FirstOrDefault(j => j.Candidate == ef3.Candidate && j.Oral.Unit == UnitCode.U61);
            if (u61 is null) continue;
            ef3.Follows = u61.Index;
            u61.FollowedBy = ef3.Index;
        }
        Jobs = jobs;
        // Orals without a commission or a start are not modelled: they stay unplaced, and the diagnosis says why.
        Modelled = jobs.Select(j => j.Fixed is not null || j.Commissions.Length > 0 && j.Starts.Length > 0 && Rooms > 0 && (j.PrepSlots == 0 || PrepSeats > 0)).ToArray();
        foreach (var ef3 in jobs.Where(j => j.Follows >= 0 && j.Fixed is null))
            Modelled[ef3.Index] &= Modelled[ef3.Follows] && SharedCommissions(jobs[ef3.Follows], ef3).Length > 0;
        Options = jobs.Select(j => j.Fixed is { } f ? [f.Commission] : j.Follows >= 0 ? SharedCommissions(jobs[j.Follows], j) : j.Commissions).ToArray();
        JobsOf = candidates.Select((_, i) => jobs.Where(j => j.Candidate == i).Select(j => j.Index).ToArray()).ToArray();
    }

    private readonly int[] freePrefix;

    public CentreDay Day { get; }
    public IReadOnlyList<Commission> Commissions { get; }
    public IReadOnlyList<ExamJob> Jobs { get; }
    /// <summary>Whether each oral has at least one option (a commission and a start); the others are not modelled.</summary>
    public bool[] Modelled { get; }
    /// <summary>The commissions each oral may have (its own, or for an EF3 those it may share with its U61; a fixed oral keeps its own).</summary>
    public int[][] Options { get; }
    public IReadOnlyList<PlanningCandidate> Candidates { get; }
    public int[][] JobsOf { get; }
    public IReadOnlyList<PlanningExaminer> Examiners { get; }
    /// <summary>Examiner indices of each commission.</summary>
    public int[][] MembersOf { get; }
    /// <summary>Commission indices of each examiner.</summary>
    public int[][] CommissionsOf { get; }
    /// <summary>Slots inside the centre's hours, outside lunch and written exams.</summary>
    public bool[] Free { get; }
    public int Rooms => Day.Centre.ExamRooms;
    public int PrepSeats => Day.Centre.PrepSeats;

    /// <summary>
    /// <see cref="PlannerWeights.LateInDayMinute"/>: the slot from which a candidate's day runs into the end of the day kept for
    /// incidents, <see cref="PlannerWeights.IncidentSlackMinutes"/> before the end of the last free stretch.
    /// </summary>
    public int IncidentSlackFrom(PlannerWeights weights) =>
        Day.FreeWindows.Count == 0 ? DaySlots : (Day.FreeWindows[^1].End - weights.IncidentSlackMinutes) / Slot;

    /// <summary>Whether every slot of [from, to) is free.</summary>
    public bool IsFree(int from, int to) => from >= 0 && to <= DaySlots && freePrefix[to] - freePrefix[from] == to - from;

    /// <summary>The commissions an EF3 and its U61 may share.</summary>
    public int[] SharedCommissions(ExamJob u61, ExamJob ef3) => u61.Commissions.Intersect(ef3.Commissions).ToArray();

    /// <summary>The minutes each examiner may still examine (their day's maximum).</summary>
    public int MaxMinutes(int examiner) => Examiners[examiner].MaxMinutesPerDay;
}
