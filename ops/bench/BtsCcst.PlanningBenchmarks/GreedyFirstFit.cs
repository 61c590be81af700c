using BtsCcst.Domain;
using BtsCcst.Domain.Imports;
using BtsCcst.Scheduling;

namespace BtsCcst.PlanningBenchmarks;

/// <summary>
/// A simple greedy first-fit planner, written for this benchmark as a baseline (it shares no code with
/// <see cref="OralPlanner"/> and its own list scheduler; only the domain catalogue: <see cref="UnitCatalogue"/>,
/// <see cref="OralRules"/>, <see cref="WrittenExamCalendar"/>). It keeps every hard rule; the benchmark checks its plan
/// with <see cref="ScheduleValidator"/> like the planner's.
/// <list type="bullet">
/// <item>Candidates in the instance's order (candidate number). Centre-days: those of a centre serving the candidate's
/// academy, date first, then centres in file order.</item>
/// <item>A candidate's orals go, in the order <see cref="OralRules.OralsToPlan"/> lists them (an EF3 glued to its
/// U61, same commission, no gap), to the first centre-day where all of them fit; when none takes them all, each oral
/// goes to the first centre-day where it fits (never two centres on one date), and what fits nowhere is unplaced.</item>
/// <item>An oral fits at the earliest 5-minute start where: the candidate is free (10 minutes after their previous exam,
/// before their next preparation), the centre is open, outside lunch and written exams, a preparation seat is free all
/// through the preparation, a room is free all through the exam, and a commission can examine: first an existing
/// commission of the centre-day (in creation order) that is free, whose members are free, have the minutes left and
/// do not teach in the candidate's school; else a new one, formed seat by seat with the first examiner (file order)
/// available that date, listing the centre, not sitting at another centre that day, free, with the minutes left, not
/// of the candidate's school (a professional is added to the optional seat when one is free).</item>
/// </list>
/// </summary>
public static class GreedyFirstFit
{
    private const int Step = OralRules.SlotMinutes;
    private const int Gap = OralRules.MinimumGapMinutes;

    public sealed record Result(IReadOnlyList<ScheduledExam> Exams, IReadOnlyList<UnplacedOral> Unplaced, int Commissions);

    private readonly record struct Span(int Start, int End)
    {
        public bool Overlaps(int start, int end) => Start < end && start < End;
    }

    private sealed class Commission(string id, IReadOnlyList<PlanningExaminer> members)
    {
        public string Id { get; } = id;
        public IReadOnlyList<PlanningExaminer> Members { get; } = members;
        public List<Span> Busy { get; } = [];
    }

    private sealed class CentreDay
    {
        public CentreDay(int index, PlanningCentre centre, DateOnly date, PlanningInstance instance)
        {
            Index = index;
            Centre = centre;
            Date = date;
            Open = (Minutes(centre.DayStart) + Step - 1) / Step * Step;
            Close = Minutes(centre.DayEnd);
            Blocked = [];
            if (centre.LunchStart < centre.LunchEnd) Blocked.Add(new(Minutes(centre.LunchStart), Minutes(centre.LunchEnd)));
            foreach (var written in instance.WrittenExams.On(date, centre.TimeZone)) Blocked.Add(new(Minutes(written.Start), Minutes(written.End)));
            Rooms = Enumerable.Range(0, Math.Max(0, centre.ExamRooms)).Select(_ => new List<Span>()).ToList();
            Pool = instance.Examiners
                .Where(e => e.Dates.Contains(date) && e.CentreIds.Any(c => string.Equals(c, centre.Id, StringComparison.OrdinalIgnoreCase)))
                .ToList();
        }

        public int Index { get; }
        public PlanningCentre Centre { get; }
        public DateOnly Date { get; }
        public int Open { get; }
        public int Close { get; }
        public List<Span> Blocked { get; }
        public List<List<Span>> Rooms { get; }
        public int[] Preparing { get; } = new int[24 * 60 / Step];
        public List<Commission> Commissions { get; } = [];
        public List<PlanningExaminer> Pool { get; }
    }

    private sealed class State(PlanningInstance instance)
    {
        public PlanningInstance Instance { get; } = instance;
        public Dictionary<(string Examiner, DateOnly Date), CentreDay> CalledAt { get; } = [];
        public Dictionary<(string Examiner, DateOnly Date), List<Span>> ExaminerBusy { get; } = [];
        public Dictionary<(string Examiner, DateOnly Date), int> ExaminerMinutes { get; } = [];
        public Dictionary<(string Candidate, DateOnly Date), List<Span>> CandidateBusy { get; } = [];
        public Dictionary<(string Candidate, DateOnly Date), CentreDay> CandidateAt { get; } = [];
        public List<ScheduledExam> Exams { get; } = [];
        /// <summary>Undo actions, newest last: a candidate's tentative placements are rolled back when they do not all fit.</summary>
        public List<Action> Undo { get; } = [];
        public int CommissionCount { get; set; }

        public void RollBack(int mark)
        {
            for (var i = Undo.Count - 1; i >= mark; i--) Undo[i]();
            Undo.RemoveRange(mark, Undo.Count - mark);
        }
    }

    public static Result Plan(PlanningInstance instance)
    {
        var state = new State(instance);
        var days = new List<CentreDay>();
        foreach (var date in instance.Centres.SelectMany(c => c.Dates).Distinct().Order())
            foreach (var centre in instance.Centres.Where(c => c.Dates.Contains(date)))
                days.Add(new CentreDay(days.Count, centre, date, instance));
        var unplaced = new List<UnplacedOral>();

        foreach (var candidate in instance.Candidates)
        {
            var academy = FieldRules.Fold(candidate.Academy);
            var eligible = days.Where(d => d.Centre.Academies.Any(a => FieldRules.Fold(a) == academy)).ToList();
            var tasks = Tasks(candidate);
            var together = false;
            foreach (var day in eligible)
            {
                var mark = state.Undo.Count;
                if (tasks.All(task => TryPlace(state, day, candidate, task)))
                {
                    together = true;
                    break;
                }
                state.RollBack(mark);
            }
            state.Undo.Clear();
            if (together) continue;
            foreach (var task in tasks)
            {
                var placed = eligible
                    .Where(d => !state.CandidateAt.TryGetValue((candidate.Number, d.Date), out var at) || at == d)
                    .Any(day => TryPlace(state, day, candidate, task));
                if (!placed)
                    unplaced.AddRange(task.Select(u => new UnplacedOral(candidate.Number, u,
                        eligible.Count == 0 ? "Aucun centre n'accueille l'académie du candidat." : "Aucune journée de centre n'a de place (glouton).")));
            }
            state.Undo.Clear();
        }
        return new Result(state.Exams, unplaced, state.CommissionCount);
    }

    /// <summary>The candidate's orals as units of placement: an EF3 goes with the U61 it follows at once.</summary>
    private static List<IReadOnlyList<UnitCode>> Tasks(PlanningCandidate candidate)
    {
        var orals = candidate.Orals.Distinct().ToList();
        var tasks = new List<IReadOnlyList<UnitCode>>();
        foreach (var unit in orals)
        {
            if (unit == UnitCode.EF3 && orals.Contains(UnitCode.U61)) continue;
            tasks.Add(unit == UnitCode.U61 && orals.Contains(UnitCode.EF3) ? [UnitCode.U61, UnitCode.EF3] : [unit]);
        }
        return tasks;
    }

    private static bool TryPlace(State state, CentreDay day, PlanningCandidate candidate, IReadOnlyList<UnitCode> units)
    {
        if (state.CandidateAt.TryGetValue((candidate.Number, day.Date), out var at) && at != day) return false;
        var timings = units.Select(u => OralRules.Timing(u, candidate.ExtraTimePercent)).ToList();
        // Only the first unit of a task may have a preparation (U61 and EF3 have none).
        var prep = timings[0].PreparationMinutes;
        var exam = timings.Sum(t => t.ExamMinutes);
        var busy = state.CandidateBusy.GetValueOrDefault((candidate.Number, day.Date)) ?? [];
        for (var t = day.Open + prep; t + exam <= day.Close; t += Step)
        {
            var (start, end) = (t - prep, t + exam);
            if (day.Blocked.Any(b => b.Overlaps(start, end))) continue;
            if (!busy.All(b => start >= b.End + Gap || b.Start >= end + Gap)) continue;
            if (prep > 0 && Enumerable.Range(start / Step, prep / Step).Any(s => day.Preparing[s] >= day.Centre.PrepSeats)) continue;
            var room = day.Rooms.FindIndex(r => !r.Any(s => s.Overlaps(t, end)));
            if (room < 0) continue;
            var commission = Existing(state, day, candidate, units, t, end, exam) ?? Form(state, day, candidate, units, t, end, exam);
            if (commission is null) continue;
            Commit(state, day, candidate, units, timings, t, room, commission);
            return true;
        }
        return false;
    }

    private static Commission? Existing(State state, CentreDay day, PlanningCandidate candidate, IReadOnlyList<UnitCode> units, int start, int end, int minutes) =>
        day.Commissions.FirstOrDefault(c =>
            !c.Busy.Any(b => b.Overlaps(start, end))
            && c.Members.All(m => Usable(state, day, m, candidate, start, end, minutes))
            && units.All(u => CanSit(c.Members, u, candidate)));

    private static Commission? Form(State state, CentreDay day, PlanningCandidate candidate, IReadOnlyList<UnitCode> units, int start, int end, int minutes)
    {
        var definition = UnitCatalogue.Get(units[0]);
        var members = new List<PlanningExaminer>();
        foreach (var seat in definition.Commission.OrderBy(s => s.Optional))
        {
            var examiner = day.Pool.FirstOrDefault(e =>
                !members.Contains(e)
                && OralRules.MayFill(seat, e.Discipline, e.Languages, units[0], candidate.Ef1Language)
                && Usable(state, day, e, candidate, start, end, minutes));
            if (examiner is not null) members.Add(examiner);
            else if (!seat.Optional) return null;
        }
        if (!units.All(u => CanSit(members, u, candidate))) return null;
        var commission = new Commission($"GF{day.Index}-C{day.Commissions.Count + 1}", members);
        day.Commissions.Add(commission);
        state.CommissionCount++;
        state.Undo.Add(() =>
        {
            day.Commissions.Remove(commission);
            state.CommissionCount--;
        });
        return commission;
    }

    /// <summary>Whether an examiner may examine this candidate here from start to end: available, at this centre today, free, minutes left, not of the candidate's school.</summary>
    private static bool Usable(State state, CentreDay day, PlanningExaminer examiner, PlanningCandidate candidate, int start, int end, int minutes)
    {
        var key = (examiner.Id, day.Date);
        if (state.CalledAt.TryGetValue(key, out var at) && at != day) return false;
        if (candidate.EstablishmentUai.Trim().Length > 0
            && string.Equals(candidate.EstablishmentUai.Trim(), examiner.EstablishmentUai.Trim(), StringComparison.OrdinalIgnoreCase)) return false;
        if (state.ExaminerMinutes.GetValueOrDefault(key) + minutes > examiner.MaxMinutesPerDay) return false;
        return !(state.ExaminerBusy.GetValueOrDefault(key)?.Any(b => b.Overlaps(start, end)) ?? false);
    }

    /// <summary>The members who examine (take a seat, OralRules.Seating): no professional on a U62 row.</summary>
    private static List<string> Examining(IReadOnlyList<PlanningExaminer> members, UnitCode unit, PlanningCandidate candidate)
    {
        var seating = OralRules.Seating(unit, [.. members.Select(m => (m.Discipline, (IReadOnlyCollection<string>)m.Languages))], candidate.Ef1Language)!;
        return [.. members.Where((_, i) => seating[i] >= 0).Select(m => m.Id)];
    }

    /// <summary>
    /// The composition rule: distinct members fill every required seat of the unit (an EF1 seat by a teacher of the
    /// candidate's language); a member without a seat only as a professional in a unit of the professional domain.
    /// </summary>
    private static bool CanSit(IReadOnlyList<PlanningExaminer> members, UnitCode unit, PlanningCandidate candidate)
    {
        var definition = UnitCatalogue.Get(unit);
        var seats = definition.Commission;
        var extraProfessional = definition.Professional || seats.Any(s => s.AnyOf.Contains(Discipline.Professionnel));
        var required = 0;
        for (var s = 0; s < seats.Count; s++)
            if (!seats[s].Optional) required |= 1 << s;

        bool Assign(int member, int taken)
        {
            if (member == members.Count) return (taken & required) == required;
            var examiner = members[member];
            if (extraProfessional && examiner.Discipline == Discipline.Professionnel && Assign(member + 1, taken)) return true;
            for (var s = 0; s < seats.Count; s++)
                if ((taken & (1 << s)) == 0 && OralRules.MayFill(seats[s], examiner.Discipline, examiner.Languages, unit, candidate.Ef1Language) && Assign(member + 1, taken | (1 << s)))
                    return true;
            return false;
        }
        return Assign(0, 0);
    }

    private static void Commit(State state, CentreDay day, PlanningCandidate candidate, IReadOnlyList<UnitCode> units, IReadOnlyList<OralTiming> timings,
        int examStart, int room, Commission commission)
    {
        var prep = timings[0].PreparationMinutes;
        var exam = timings.Sum(t => t.ExamMinutes);
        var whole = new Span(examStart - prep, examStart + exam);
        var examSpan = new Span(examStart, examStart + exam);
        var candidateKey = (candidate.Number, day.Date);

        var busy = state.CandidateBusy.TryGetValue(candidateKey, out var list) ? list : state.CandidateBusy[candidateKey] = [];
        busy.Add(whole);
        var firstHere = state.CandidateAt.TryAdd(candidateKey, day);
        for (var s = whole.Start / Step; s < examStart / Step; s++) day.Preparing[s]++;
        day.Rooms[room].Add(examSpan);
        commission.Busy.Add(examSpan);
        var newlyCalled = new List<(string, DateOnly)>();
        foreach (var member in commission.Members)
        {
            var key = (member.Id, day.Date);
            if (state.CalledAt.TryAdd(key, day)) newlyCalled.Add(key);
            (state.ExaminerBusy.TryGetValue(key, out var b) ? b : state.ExaminerBusy[key] = []).Add(examSpan);
            state.ExaminerMinutes[key] = state.ExaminerMinutes.GetValueOrDefault(key) + exam;
        }
        var rows = new List<ScheduledExam>();
        var at = examStart;
        for (var i = 0; i < units.Count; i++)
        {
            var p = i == 0 ? prep : 0;
            rows.Add(new ScheduledExam(day.Centre.Id, day.Date, $"Salle {room + 1}", commission.Id, units[i], candidate.Number,
                p > 0 ? Time(at - p) : null, Time(at), Time(at + timings[i].ExamMinutes), Examining(commission.Members, units[i], candidate)));
            at += timings[i].ExamMinutes;
        }
        state.Exams.AddRange(rows);

        state.Undo.Add(() =>
        {
            busy.Remove(whole);
            if (firstHere) state.CandidateAt.Remove(candidateKey);
            for (var s = whole.Start / Step; s < examStart / Step; s++) day.Preparing[s]--;
            day.Rooms[room].Remove(examSpan);
            commission.Busy.Remove(examSpan);
            foreach (var member in commission.Members)
            {
                var key = (member.Id, day.Date);
                state.ExaminerBusy[key].Remove(examSpan);
                state.ExaminerMinutes[key] -= exam;
            }
            foreach (var key in newlyCalled) state.CalledAt.Remove(key);
            // Undo runs newest first, so this placement's rows are the last ones.
            state.Exams.RemoveRange(state.Exams.Count - rows.Count, rows.Count);
        });
    }

    private static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    private static TimeOnly Time(int minutes) => new(minutes / 60, minutes % 60);
}
