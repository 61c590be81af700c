using BtsCcst.Domain;
using BtsCcst.Scheduling.Planning;

namespace BtsCcst.Scheduling.Repair;

/// <summary>
/// Repairs one centre-day of a schedule after events (late or excused candidates, absent examiners, closed rooms):
/// a CP-SAT model of that centre-day only (<see cref="RepairModel"/>), hinted with the current schedule, keeping what is
/// done or under way, and minimising first the orals left out, then the other candidates moved, then the examiners whose
/// day changes, then the total delay. Commissions are the day's, plus for each commission that loses an absent member the
/// same commission without them (still legal for the units whose seat was optional, e.g. E4/U61 without the professional)
/// and with a replacement of the same discipline available that day in that centre and sitting nowhere else.
/// </summary>
public static class DayRepairer
{
    /// <summary>
    /// The solver's time for a day's repair when the caller names none. On full days of 25–60 candidates (RESULTS.md, "Exam-day
    /// repair on full days") most requests end in the first neighbourhood, everyone kept, well under 1 s; the few that must
    /// move someone are stopped by <see cref="WallFactor"/> within the 2 s a manager should wait.
    /// </summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(1.2);

    /// <summary>
    /// The deterministic budgets decide the search (the same request, the same proposal); the wall clock only stops a search
    /// that this machine runs slower than usual, so that the whole repair, re-convocations included, ends within this many
    /// times the limit and the manager never waits much beyond it.
    /// </summary>
    private const double WallFactor = 1.5;

    public static RepairResult Repair(PlanningInstance instance, IReadOnlyList<ScheduledExam> current, RepairRequest request, PlannerOptions options,
        IReadOnlyList<UnplacedOral>? unplacedBefore = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var session = new PlanningSession(instance);
        var day = RepairDay.Of(instance, session, current, request);
        RepairResult Unchanged() => new(current, [], 0, 0, 0, [.. (unplacedBefore ?? [])], false, Solved: false);

        // One deadline for the whole repair; re-convocations, when asked, keep a share of it.
        var total = options.TimeLimit.TotalSeconds;
        var reserve = day.Events.Excused.Values.Any(reconvoke => reconvoke) ? total / 4 : 0;
        // The day's solve may not take the re-convocations' share of the wall clock either.
        double WallLeft() => total * WallFactor - clock.Elapsed.TotalSeconds;
        double DayWallLeft() => WallLeft() - reserve * WallFactor;
        // The solver's budget is deterministic work, not what the clock says is left: the same request, the same search.
        var (solution, fallback) = SolveDay(day.Problem, day.Spec, touched: TouchedCandidates(day.Problem, day.Spec, day.Events.Candidates), total - reserve,
            options, DayWallLeft);
        // No plan in time (none proved impossible either): the schedule stays as it is, and the caller says so.
        if (!solution.Solved) return Unchanged();

        var reasons = new Dictionary<(string, UnitCode), string>();
        var dayExams = ReadBack(day, solution.Placements, reasons);
        var exams = day.OtherExams.Concat(dayExams).ToList();
        var (changes, moved, delay) = Changes(day, solution.Placements, dayExams);
        foreach (var group in day.Removed.GroupBy(r => r.CandidateNumber, StringComparer.Ordinal))
            changes.AddRange(Reconvoke(instance, session, day, exams, group.ToList(), reasons, options with { TimeLimit = TimeSpan.FromSeconds(Math.Max(0.2, reserve)) }, WallLeft));
        var repaired = new RepairResult(
            [.. exams.OrderBy(e => e.CentreId, StringComparer.Ordinal).ThenBy(e => e.Date).ThenBy(e => e.ExamStart).ThenBy(e => e.Room, StringComparer.Ordinal)],
            changes, moved, ExaminersChanged(day, dayExams), delay, Unplaced(instance, exams, reasons, unplacedBefore), solution.Optimal);
        // The day as it is, when the solver found nothing in time: proposed only if it keeps every rule.
        if (fallback && (ScheduleValidator.Validate(instance, repaired.Exams, repaired.Unplaced).Count > 0 || RepairValidator.Validate(request, current, repaired.Exams).Count > 0))
            return Unchanged();
        return repaired;
    }

    /// <summary>The day's exams as placed: unchanged exams keep their row; rooms kept where possible. An oral left out gets its reason.</summary>
    private static List<ScheduledExam> ReadBack(RepairDay day, Placement?[] placements, Dictionary<(string, UnitCode), string> reasons)
    {
        var items = new List<RoomItem>();
        foreach (var job in day.Problem.Jobs)
        {
            var row = day.RowOf[job.Oral];
            if (placements[job.Index] is not { } placement)
            {
                reasons.TryAdd((row.CandidateNumber, row.Unit), day.Events.IsLate(row.CandidateNumber)
                    ? $"Retard au {day.Day.Label} : aucune commission ni aucun horaire possible après son arrivée sans enfreindre une règle."
                    : $"Réparation du {day.Day.Label} : aucune commission ni aucun horaire possible après les événements de la journée.");
                continue;
            }
            var members = Composition.Examining(job.Oral.Unit, day.Commissions[placement.Commission].Members, job.Oral.Candidate.Ef1Language).Select(m => m.Id).ToList();
            var exam = placement == day.Old[job.Oral] ? row : new ScheduledExam(day.Day.Centre.Id, day.Day.Date, row.Room, day.CommissionIds[placement.Commission],
                job.Oral.Unit, job.Oral.Candidate.Number, job.PrepSlots > 0 ? Clock.Time(job.PrepStart(placement.Start) * CentreDayProblem.Slot) : null,
                Clock.Time(placement.Start * CentreDayProblem.Slot), Clock.Time(job.End(placement.Start) * CentreDayProblem.Slot), members);
            items.Add(new RoomItem(exam, job.Fixed is not null));
        }
        var closedRooms = day.Request.Events.OfType<RoomUnavailable>().Where(b => b.Room is not null).Select(b => new RoomClosure(b.Room!, b.From, b.To)).ToList();
        return Rooms(items, day.Day.Centre.ExamRooms, closedRooms);
    }

    /// <summary>The day's changed exams, the other candidates moved (time, or commission family, changed; or left out), the total delay in minutes.</summary>
    private static (List<RepairedExam> Changes, int Moved, int DelayMinutes) Changes(RepairDay day, Placement?[] placements, List<ScheduledExam> dayExams)
    {
        var changes = new List<RepairedExam>();
        var moved = new HashSet<string>(StringComparer.Ordinal);
        var delay = 0;
        var family = day.Spec.Family;
        foreach (var job in day.Problem.Jobs)
        {
            var (old, row, placement) = (day.Old[job.Oral], day.RowOf[job.Oral], placements[job.Index]);
            if (placement is { } later && later.Start > old.Start) delay += (later.Start - old.Start) * CentreDayProblem.Slot;
            if (placement == old) continue;
            if (!day.Events.Candidates.Contains(row.CandidateNumber)
                && (placement is not { } now || now.Start != old.Start || family[now.Commission] != family[old.Commission]))
                moved.Add(row.CandidateNumber);
            var after = placement is null ? null : dayExams.First(e => e.CandidateNumber == row.CandidateNumber && e.Unit == row.Unit);
            changes.Add(new RepairedExam(row.CandidateNumber, row.Unit, row.Date, row.ExamStart, row.CommissionId, row.ExaminerIds,
                after?.Date, after?.ExamStart, after?.CommissionId, after?.ExaminerIds ?? []));
        }
        return (changes, moved.Count, delay);
    }

    /// <summary>The examiners (absent ones apart) whose sittings of the day's kept exams changed.</summary>
    private static int ExaminersChanged(RepairDay day, List<ScheduledExam> dayExams)
    {
        var kept = day.Rows.Except(day.Removed).Select(r => (r.CandidateNumber, r.Unit)).ToHashSet();
        return day.Rows.Concat(dayExams).Where(r => kept.Contains((r.CandidateNumber, r.Unit))).SelectMany(r => r.ExaminerIds)
            .Distinct(StringComparer.Ordinal).Where(id => !day.Events.AbsentExaminerIds.Contains(id))
            .Count(id => !Sittings(day.Rows, id, kept).SetEquals(Sittings(dayExams, id, kept)));
    }

    /// <summary>Every oral of the instance missing from the schedule, with its reason: this repair's, else the one it had before.</summary>
    private static List<UnplacedOral> Unplaced(PlanningInstance instance, List<ScheduledExam> exams, Dictionary<(string, UnitCode), string> reasons,
        IReadOnlyList<UnplacedOral>? unplacedBefore)
    {
        var scheduled = exams.Select(e => (e.CandidateNumber, e.Unit)).ToHashSet();
        var before = (unplacedBefore ?? []).GroupBy(u => (u.CandidateNumber, u.Unit)).ToDictionary(g => g.Key, g => g.First().Reason);
        return [.. instance.Candidates.SelectMany(c => c.Orals.Distinct().Select(u => (c.Number, Unit: u)))
            .Where(k => !scheduled.Contains(k))
            .Select(k => new UnplacedOral(k.Number, k.Unit, reasons.GetValueOrDefault(k) ?? before.GetValueOrDefault(k) ?? "Non placé dans le plan avant la réparation."))
            .OrderBy(u => u.CandidateNumber, StringComparer.Ordinal).ThenBy(u => u.Unit)];
    }

    /// <summary>
    /// Solves the day in growing neighbourhoods within <paramref name="seconds"/>, each deterministic (one worker, fixed seed,
    /// deterministic time) so that the same request gives the same proposal, each hinted with the best plan so far:
    /// <list type="number">
    /// <item>everyone kept: the event candidates free, the other candidates the events touch only changing to a commission of
    /// the same family at the same time (a commission without its absent member, or with a replacement), the rest fixed. A
    /// tiny model, and most days' answer;</item>
    /// <item>the touched candidates free to move (the rest fixed);</item>
    /// <item>also the candidates of their commissions;</item>
    /// <item>everyone.</item>
    /// </list>
    /// It stops as soon as a neighbourhood's plan (proven optimal or not) places every oral and moves nobody else: no larger
    /// neighbourhood can do better on those terms (any plan moving nobody is a plan of the first one), or at its optimum, or
    /// when the wall clock (WallFactor) runs out. When no plan is found in time, the day "as is" (every exam kept, a
    /// commission losing an absent member examining without them) is the fallback, checked by the caller.
    /// </summary>
    private static (RepairSolution Solution, bool Fallback) SolveDay(CentreDayProblem problem, RepairSpec spec, bool[] touched, double seconds, PlannerOptions options,
        Func<double> wallLeft)
    {
        // The deterministic limits decide; the wall clock (WallFactor) only guards against a machine slower than usual.
        double WallCap() => Math.Max(0.05, wallLeft());
        var everyone = problem.Candidates.Select(_ => true).ToArray();
        Neighbourhood[] neighbourhoods =
        [
            // The first is most days' answer: enough of the budget to finish it when the events reach most of the day (what it
            // leaves is carried over); a later search stopped by the clock could otherwise "improve" on an unfinished first
            // plan by moving many candidates where nobody need move.
            new(touched, KeepCounted: true, Share: 0.3),
            new(touched, KeepCounted: false, Share: 0.25),
            new(WithTheirCommissions(problem, spec, touched), KeepCounted: false, Share: 0.15),
            new(everyone, KeepCounted: false, Share: 0.2),
        ];
        const double boundShare = 0.1;
        var asIs = AsIs(problem, spec);
        RepairSolution? best = null;
        var bestProven = false; // the solve that gave the best plan proved it optimal within its neighbourhood
        int? eventOralsOut = null;
        bool[]? previousLocked = null;
        var carried = 0.0;
        foreach (var (free, keepCounted, share) in neighbourhoods)
        {
            var locked = spec.Locked.Select((l, k) => l || !free[k] || keepCounted && spec.Counted[k]).ToArray();
            if (previousLocked is not null && locked.SequenceEqual(previousLocked)) continue;
            previousLocked = locked;
            if (best is not null && wallLeft() <= 0.05) break;
            var budget = seconds * share + carried;
            var whole = locked.SequenceEqual(spec.Locked);
            var solution = RepairModel.Solve(free.All(f => f) ? problem : WithOthersFixed(problem, spec, free),
                spec with { Locked = locked, Hint = best?.Placements ?? asIs.Plan }, budget, options.Workers, options.Seed ?? 1,
                deterministic: true, wallSeconds: WallCap());
            carried = Math.Max(0, budget - solution.DeterministicTime);
            // Objectives of different neighbourhoods do not compare (their weights count their own variables): the goal's
            // first terms do; on a tie the larger neighbourhood, hinted with the best plan, is at least as good on the rest,
            // unless the wall clock stopped it: then where it stopped depends on the machine, so the same request would not
            // give the same proposal.
            var stoppedByTheClock = !solution.Optimal && solution.DeterministicTime < budget * 0.95;
            var better = best is null ? -1 : solution.Solved ? Score(problem, spec, solution.Placements).CompareTo(Score(problem, spec, best.Placements)) : 1;
            if (solution.Solved && (better < 0 || better == 0 && !stoppedByTheClock))
                (best, bestProven) = (solution with { Optimal = solution.Optimal && whole }, solution.Optimal);
            else if (best is not null && whole && solution.Optimal) best = best with { Optimal = true };
            if (best is null) continue;
            if (best.Optimal) break;
            // A plan that places every oral and moves nobody else is the best any neighbourhood can do on the goal's first
            // terms, proven or not: a larger one would only search the same plans longer. So is one that leaves out only the
            // event candidates' orals that no plan can place.
            var perfect = Perfect(problem, spec, best.Placements);
            eventOralsOut ??= perfect ? 0 : EventOralsOutAtLeast(problem, spec, seconds * boundShare, options, WallCap) ?? -1;
            if (perfect || eventOralsOut >= 0 && Score(problem, spec, best.Placements) == (0, eventOralsOut.Value * RepairModel.EventOralCost))
            {
                best = best with { Optimal = bestProven };
                break;
            }
        }
        if (best is not null) return (best, false);
        return asIs.Legal ? (new RepairSolution(asIs.Plan, true, false), true) : (new RepairSolution(new Placement?[problem.Jobs.Count], false, false), false);
    }

    /// <summary>
    /// How many of the event candidates' orals no plan of the day can place: those that do not fit even with every other
    /// candidate's exams taken out (the exams done or under way, the absences and closed rooms stay). A lower bound on the
    /// goal's second term; null when its solve is not proven in time.
    /// </summary>
    private static int? EventOralsOutAtLeast(CentreDayProblem problem, RepairSpec spec, double seconds, PlannerOptions options, Func<double> wallCap)
    {
        var kept = problem.Jobs.Where(j => j.Fixed is not null || !spec.Counted[j.Candidate]).ToList();
        var fixedPlacements = kept.Where(j => j.Fixed is not null).ToDictionary(j => j.Oral, j => j.Fixed!.Value);
        var relaxed = new CentreDayProblem(problem.Day, problem.Commissions, [.. kept.Select(j => j.Oral)], fixedPlacements);
        var original = problem.Jobs.ToDictionary(j => j.Oral, j => j.Index);
        int Original(ExamJob job) => original[job.Oral];
        var relaxedSpec = spec with
        {
            Old = [.. relaxed.Jobs.Select(j => spec.Old[Original(j)])],
            Earliest = [.. relaxed.Jobs.Select(j => spec.Earliest[Original(j)])],
            Counted = new bool[relaxed.Candidates.Count],
            Locked = new bool[relaxed.Candidates.Count],
            Hint = null,
        };
        var solution = RepairModel.Solve(relaxed, relaxedSpec, seconds, options.Workers, options.Seed ?? 1, deterministic: true, wallSeconds: wallCap());
        if (!solution.Optimal) return null;
        return relaxed.Jobs.Count(j => j.Fixed is null && solution.Placements[j.Index] is null);
    }

    /// <summary>A neighbourhood of the day's search: the candidates free to move (the others' exams fixed) and whether those
    /// counted in the goal must keep their time and commission family; its share of the solver's time.</summary>
    private readonly record struct Neighbourhood(bool[] Free, bool KeepCounted, double Share);

    /// <summary>The day with every exam of the candidates not free to move fixed where it is: a far smaller model.</summary>
    private static CentreDayProblem WithOthersFixed(CentreDayProblem problem, RepairSpec spec, bool[] free)
    {
        var fixedPlacements = new Dictionary<Oral, Placement>();
        foreach (var job in problem.Jobs)
            if (job.Fixed is { } f) fixedPlacements[job.Oral] = f;
            else if (!free[job.Candidate] && spec.Old[job.Index] is { } old && problem.Modelled[job.Index]) fixedPlacements[job.Oral] = old;
        return new CentreDayProblem(problem.Day, problem.Commissions, [.. problem.Jobs.Select(j => j.Oral)], fixedPlacements);
    }

    /// <summary>The goal's first terms for a plan: the other candidates' orals left out, then the cost of the event candidates'
    /// orals left out and the other candidates moved (<see cref="RepairModel.EventOralCost"/>, <see cref="RepairModel.MoveCost"/>).</summary>
    private static (int OthersOut, int Cost) Score(CentreDayProblem problem, RepairSpec spec, Placement?[] placements)
    {
        var (othersOut, eventsOut) = (0, 0);
        var moved = new HashSet<int>();
        foreach (var job in problem.Jobs.Where(j => j.Fixed is null))
        {
            var counted = spec.Counted[job.Candidate];
            if (placements[job.Index] is not { } now)
            {
                if (counted) { othersOut++; moved.Add(job.Candidate); } else eventsOut++;
                continue;
            }
            if (counted && spec.Old[job.Index] is { } old && (old.Start != now.Start || spec.Family[old.Commission] != spec.Family[now.Commission]))
                moved.Add(job.Candidate);
        }
        return (othersOut, eventsOut * RepairModel.EventOralCost + moved.Count * RepairModel.MoveCost);
    }

    /// <summary>The candidates free to move, and every candidate of a commission (family) one of them sits before.</summary>
    private static bool[] WithTheirCommissions(CentreDayProblem problem, RepairSpec spec, bool[] free)
    {
        var families = problem.Jobs.Where(j => free[j.Candidate] && spec.Old[j.Index] is not null)
            .Select(j => spec.Family[spec.Old[j.Index]!.Value.Commission]).ToHashSet();
        var grown = (bool[])free.Clone();
        foreach (var job in problem.Jobs)
            if (spec.Old[job.Index] is { } old && families.Contains(spec.Family[old.Commission])) grown[job.Candidate] = true;
        return grown;
    }

    /// <summary>Every modelled oral placed and no counted candidate moved: nothing can be better on the first three goals.</summary>
    private static bool Perfect(CentreDayProblem problem, RepairSpec spec, Placement?[] placements)
    {
        foreach (var job in problem.Jobs)
        {
            if (job.Fixed is not null || !problem.Modelled[job.Index]) continue;
            if (placements[job.Index] is not { } now) return false;
            if (spec.Counted[job.Candidate] && spec.Old[job.Index] is { } old && (old.Start != now.Start || spec.Family[old.Commission] != spec.Family[now.Commission]))
                return false;
        }
        return true;
    }

    /// <summary>
    /// The day as it is: every exam at its time in its commission or, when a member is absent over it, in the same commission
    /// without them if its composition allows; an exam that cannot stay is left out; not legal when an on-time
    /// candidate's exam cannot stay so (not legal). The first hint and, when legal and the solver finds nothing in time, the fallback.
    /// </summary>
    private static (Placement?[] Plan, bool Legal) AsIs(CentreDayProblem problem, RepairSpec spec)
    {
        var result = new Placement?[problem.Jobs.Count];
        var legal = true;
        foreach (var job in problem.Jobs.OrderBy(j => j.Follows >= 0 ? 1 : 0))
        {
            if (job.Fixed is { } f) { result[job.Index] = f; continue; }
            if (spec.Old[job.Index] is not { } old || !problem.Modelled[job.Index]) { legal &= !(spec.Counted[job.Candidate] && spec.Old[job.Index] is not null); continue; }
            var (from, to) = (old.Start, old.Start + job.ExamSlots);
            bool Present(int c) => !spec.Absences.Any(a => problem.MembersOf[c].Contains(a.Examiner) && a.From < to && a.To > from);
            int[] options = job.Follows < 0 ? problem.Options[job.Index] : result[job.Follows] is { } u61 ? [u61.Commission] : [];
            var choice = options.Where(c => spec.Family[c] == spec.Family[old.Commission] && Present(c)
                                            && problem.MembersOf[c].All(m => problem.MembersOf[old.Commission].Contains(m)))
                .OrderBy(c => c == old.Commission ? 0 : 1).Cast<int?>().FirstOrDefault();
            var ok = choice is not null && old.Start - job.PrepSlots >= spec.Earliest[job.Index] && job.Starts.Contains(old.Start)
                     && !spec.RoomBlocks.Any(b => b.Count > 0 && b.From < to && b.To > from);
            if (ok) result[job.Index] = new Placement(choice!.Value, old.Start);
            else if (spec.Counted[job.Candidate]) legal = false;
        }
        return (result, legal);
    }

    /// <summary>The candidates the events reach: those of the events, and those whose exam meets an absence or a closed room,
    /// or has lost every possible commission.</summary>
    private static bool[] TouchedCandidates(CentreDayProblem problem, RepairSpec spec, IReadOnlySet<string> eventCandidates)
    {
        var touched = problem.Candidates.Select(c => eventCandidates.Contains(c.Number)).ToArray();
        foreach (var job in problem.Jobs.Where(j => j.Fixed is null))
        {
            if (spec.Old[job.Index] is not { } old) { touched[job.Candidate] = true; continue; }
            var (from, to) = (old.Start - job.PrepSlots, old.Start + job.ExamSlots);
            var members = problem.Commissions[old.Commission].Members;
            if (!problem.Modelled[job.Index] || from < spec.Earliest[job.Index]
                || spec.Absences.Any(a => members.Contains(problem.Examiners[a.Examiner]) && a.From < to && a.To > old.Start)
                || spec.RoomBlocks.Any(b => b.From < to && b.To > old.Start))
                touched[job.Candidate] = true;
        }
        return touched;
    }

    private static HashSet<(string, UnitCode, TimeOnly)> Sittings(IEnumerable<ScheduledExam> rows, string examiner, HashSet<(string, UnitCode)> kept) =>
        rows.Where(r => r.ExaminerIds.Contains(examiner) && kept.Contains((r.CandidateNumber, r.Unit))).Select(r => (r.CandidateNumber, r.Unit, r.ExamStart)).ToHashSet();

    /// <summary>
    /// An excused candidate's exams taken out of the day: re-convoked, when asked, on the first later date of the centre
    /// where they all fit (added to <paramref name="exams"/>), else reported with their reason; the changes either way.
    /// </summary>
    private static List<RepairedExam> Reconvoke(PlanningInstance instance, PlanningSession session, RepairDay day, List<ScheduledExam> exams,
        List<ScheduledExam> rows, Dictionary<(string, UnitCode), string> reasons, PlannerOptions options, Func<double> wallLeft)
    {
        var number = rows[0].CandidateNumber;
        var reconvoke = day.Events.Excused[number];
        var placedAgain = reconvoke ? OnALaterDate(instance, session, exams, day.Day, day.Candidates[number], rows, options, wallLeft) : null;
        if (placedAgain is not null) exams.AddRange(placedAgain);
        var changes = new List<RepairedExam>();
        foreach (var row in rows)
        {
            var again = placedAgain?.FirstOrDefault(e => e.Unit == row.Unit);
            if (again is null)
                reasons[(row.CandidateNumber, row.Unit)] = reconvoke
                    ? $"Absent excusé le {Clock.Day(day.Day.Date)} : aucune autre date du centre {day.Day.Centre.Id} n'a de commission et de salle libres pour l'accueillir sans déplacer d'autres candidats."
                    : $"Absent excusé le {Clock.Day(day.Day.Date)} : à reconvoquer.";
            changes.Add(new RepairedExam(row.CandidateNumber, row.Unit, row.Date, row.ExamStart, row.CommissionId, row.ExaminerIds,
                again?.Date, again?.ExamStart, again?.CommissionId, again?.ExaminerIds ?? []));
        }
        return changes;
    }

    /// <summary>The orals of an excused candidate on the first later date of the centre where they all fit, everyone else fixed.</summary>
    private static List<ScheduledExam>? OnALaterDate(PlanningInstance instance, PlanningSession session, List<ScheduledExam> exams,
        CentreDay day, PlanningCandidate candidate, List<ScheduledExam> rows, PlannerOptions options, Func<double> wallLeft)
    {
        if (rows.Any(r => instance.OralPins.Any(p => p.CandidateNumber == candidate.Number && p.Unit == r.Unit && p.Date is not null))) return null;
        foreach (var date in day.Centre.Dates.Where(d => d > day.Date).Distinct().Order())
        {
            if (wallLeft() <= 0.05) return null;
            if (exams.Any(e => e.CandidateNumber == candidate.Number && e.Date == date) || session.Find(day.Centre.Id, date) is not { } other) continue;
            var there = exams.Where(e => string.Equals(e.CentreId, day.Centre.Id, StringComparison.OrdinalIgnoreCase) && e.Date == date).ToList();
            var ids = there.GroupBy(r => r.CommissionId, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Min(r => r.ExamStart)).ToList();
            if (ids.Count == 0) continue;
            var commissions = ids.Select((g, i) => new Commission(i, CommissionMembers.Of(g).Select(id => session.ExaminersById[id]).ToList(), false)).ToList();
            var index = ids.Select((g, i) => (g.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.OrdinalIgnoreCase);
            var orals = new List<Oral>();
            var fixedPlacements = new Dictionary<Oral, Placement>();
            foreach (var row in there)
            {
                var who = instance.Candidates.First(c => c.Number == row.CandidateNumber);
                var oral = new Oral(orals.Count, who, row.Unit, OralRules.Timing(row.Unit, who.ExtraTimePercent), null);
                orals.Add(oral);
                fixedPlacements[oral] = new Placement(index[row.CommissionId], Clock.Minutes(row.ExamStart) / CentreDayProblem.Slot);
            }
            var firstId = orals.Count;
            var added = rows.Select((r, k) => new Oral(firstId + k, candidate, r.Unit, OralRules.Timing(r.Unit, candidate.ExtraTimePercent), null)).ToList();
            orals.AddRange(added);
            var problem = new CentreDayProblem(other, commissions, orals, fixedPlacements);
            var spec = new RepairSpec
            {
                Old = new Placement?[problem.Jobs.Count],
                Family = Enumerable.Range(0, commissions.Count).ToArray(),
                Earliest = new int[problem.Jobs.Count],
                Counted = new bool[problem.Candidates.Count],
                Locked = new bool[problem.Candidates.Count],
                ExaminerCounted = new bool[problem.Examiners.Count],
                Absences = [],
                RoomBlocks = [],
            };
            var solution = RepairModel.Solve(problem, spec, Math.Min(options.TimeLimit.TotalSeconds, 0.5), options.Workers, options.Seed ?? 1,
                deterministic: true, wallSeconds: Math.Max(0.05, wallLeft()));
            if (!solution.Solved || problem.Jobs.Any(j => j.Fixed is null && solution.Placements[j.Index] is null)) continue;
            var items = there.Select(r => new RoomItem(r, true)).ToList();
            var newIds = new Dictionary<int, string>();
            foreach (var job in problem.Jobs.Where(j => j.Fixed is null))
            {
                var pl = solution.Placements[job.Index]!.Value;
                items.Add(new RoomItem(new ScheduledExam(other.Centre.Id, date, "", ids[pl.Commission].Key, job.Oral.Unit, candidate.Number,
                    job.PrepSlots > 0 ? Clock.Time(job.PrepStart(pl.Start) * CentreDayProblem.Slot) : null,
                    Clock.Time(pl.Start * CentreDayProblem.Slot), Clock.Time(job.End(pl.Start) * CentreDayProblem.Slot),
                    Composition.Examining(job.Oral.Unit, commissions[pl.Commission].Members, candidate.Ef1Language).Select(m => m.Id).ToList()), false));
            }
            // Only a free room: the rooms of that day's exams never change for a re-convocation.
            var labelled = FreeRooms(there, items.Where(i => !i.Keep).Select(i => i.Exam).ToList(), other.Centre.ExamRooms);
            if (labelled is null) continue;
            return labelled;
        }
        return null;
    }

    /// <summary>The new exams each in a room free over its whole slot, the others' rooms as they are; null when one finds none.</summary>
    private static List<ScheduledExam>? FreeRooms(List<ScheduledExam> there, List<ScheduledExam> added, int rooms)
    {
        var taken = there.Select(e => (e.Room, e.ExamStart, e.ExamEnd)).ToList();
        var result = new List<ScheduledExam>();
        foreach (var exam in added.OrderBy(e => e.ExamStart))
        {
            var label = Enumerable.Range(1, Math.Max(1, rooms)).Select(n => $"Salle {n}")
                .FirstOrDefault(l => taken.All(t => !string.Equals(t.Room, l, StringComparison.OrdinalIgnoreCase) || t.ExamEnd <= exam.ExamStart || exam.ExamEnd <= t.ExamStart));
            if (label is null) return null;
            taken.Add((label, exam.ExamStart, exam.ExamEnd));
            result.Add(exam with { Room = label });
        }
        return result;
    }

    private sealed record RoomItem(ScheduledExam Exam, bool Keep);

    private sealed record RoomClosure(string Room, TimeOnly From, TimeOnly To);

    /// <summary>Labels rooms (HardRules.Rooms): kept exams keep theirs, the others keep theirs when free, else the first free
    /// one; a closed room takes no exam over its closure but those kept.</summary>
    private static List<ScheduledExam> Rooms(List<RoomItem> items, int rooms, IReadOnlyList<RoomClosure> closures)
    {
        var labels = Enumerable.Range(1, Math.Max(1, rooms)).Select(n => $"Salle {n}").ToList();
        var taken = new Dictionary<string, List<(TimeOnly Start, TimeOnly End)>>(StringComparer.OrdinalIgnoreCase);
        bool Free(string label, ScheduledExam e) => !taken.TryGetValue(label, out var list) || list.All(x => x.End <= e.ExamStart || e.ExamEnd <= x.Start);
        void Take(string label, TimeOnly start, TimeOnly end)
        {
            if (!taken.TryGetValue(label, out var list)) taken[label] = list = [];
            list.Add((start, end));
        }
        var result = new List<ScheduledExam>();
        foreach (var item in items.Where(i => i.Keep)) { Take(item.Exam.Room, item.Exam.ExamStart, item.Exam.ExamEnd); result.Add(item.Exam); }
        foreach (var closure in closures) Take(closure.Room, closure.From, closure.To);
        var lastOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items.Where(i => !i.Keep).OrderBy(i => i.Exam.ExamStart))
        {
            var e = item.Exam;
            var choices = new[] { e.Room, lastOf.GetValueOrDefault(e.CommissionId) ?? "" }.Where(l => labels.Contains(l, StringComparer.OrdinalIgnoreCase)).Concat(labels);
            var label = choices.FirstOrDefault(l => Free(l, e));
            if (label is null) return closures.Count > 0 ? Rooms(items, rooms, []) : Relabel(items.Select(i => i.Exam), labels);
            Take(label, e.ExamStart, e.ExamEnd);
            lastOf[e.CommissionId] = label;
            result.Add(e with { Room = label });
        }
        return result;
    }

    /// <summary>Every exam in order of start, each in the first free room (at most as many overlap as there are rooms).</summary>
    private static List<ScheduledExam> Relabel(IEnumerable<ScheduledExam> exams, List<string> labels)
    {
        var freeAt = labels.ToDictionary(l => l, _ => TimeOnly.MinValue);
        var result = new List<ScheduledExam>();
        foreach (var e in exams.OrderBy(e => e.ExamStart))
        {
            var label = labels.FirstOrDefault(l => freeAt[l] <= e.ExamStart)
                        ?? throw new InvalidOperationException("Plus d'épreuves simultanées que de salles.");
            freeAt[label] = e.ExamEnd;
            result.Add(e with { Room = label });
        }
        return result;
    }
}
