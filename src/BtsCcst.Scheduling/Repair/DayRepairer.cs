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
    /// move someone are stopped by <see cref="WallFactor"/> within the 2 s a manager should wait (issue 13).
    /// </summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(1.2);

    private const int MaxReplacements = 4;

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
        var day = session.Find(request.CentreId, request.Date)
                  ?? throw new ArgumentException($"Le centre {request.CentreId} n'est pas ouvert le {Clock.Day(request.Date)}.", nameof(request));
        var candidates = instance.Candidates.GroupBy(c => c.Number, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        bool OnDay(ScheduledExam r, DateOnly date) => string.Equals(r.CentreId, day.Centre.Id, StringComparison.OrdinalIgnoreCase) && r.Date == date;
        var dayRows = current.Where(r => OnDay(r, day.Date)).ToList();
        var exams = current.Where(r => !OnDay(r, day.Date)).ToList();
        var now = Clock.Minutes(request.Now);
        var nowSlot = (now + CentreDayProblem.Slot - 1) / CentreDayProblem.Slot;
        var allIds = current.Select(r => r.CommissionId).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var late = request.Events.OfType<CandidateLate>().GroupBy(e => e.CandidateNumber).ToDictionary(g => g.Key, g => g.Max(e => Clock.Minutes(e.ArrivesAt)));
        var absent = request.Events.OfType<CandidateAbsentExcused>().GroupBy(e => e.CandidateNumber).ToDictionary(g => g.Key, g => g.Any(e => e.Reconvoke));
        var away = request.Events.OfType<ExaminerAbsent>().ToList();
        var awayIds = away.Select(a => a.ExaminerId).ToHashSet(StringComparer.Ordinal);
        var eventCandidates = late.Keys.Concat(absent.Keys).ToHashSet(StringComparer.Ordinal);
        var reasons = new Dictionary<(string, UnitCode), string>();

        // ---- The day's commissions, as the current schedule has them.
        var commissionIds = new List<string>();
        var commissions = new List<Commission>();
        var family = new List<int>();
        foreach (var group in dayRows.GroupBy(r => r.CommissionId, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Min(r => r.ExamStart)))
        {
            commissionIds.Add(group.Key);
            family.Add(commissions.Count);
            commissions.Add(new Commission(commissions.Count, CommissionMembers.Of(group).Select(id => session.ExaminersById[id]).ToList(), false));
        }
        // ---- A commission losing an absent member: the same without them, and with a replacement of the same discipline.
        var busyElsewhere = exams.Where(r => r.Date == day.Date).SelectMany(r => r.ExaminerIds).ToHashSet(StringComparer.Ordinal);
        var originals = commissions.Count;
        for (var c = 0; c < originals; c++)
        {
            var members = commissions[c].Members;
            var missing = members.Where(m => awayIds.Contains(m.Id)).ToList();
            if (missing.Count == 0) continue;
            var left = members.Where(m => !awayIds.Contains(m.Id)).ToList();
            var variants = new List<List<PlanningExaminer>>();
            if (left.Count > 0) variants.Add(left);
            // Replacements: the filters first (discipline, present, sitting in no other centre, able to examine at least one of
            // the commission's candidates: not of their school), then the cap, the most useful first.
            var theirs = dayRows.Where(r => string.Equals(r.CommissionId, commissionIds[c], StringComparison.OrdinalIgnoreCase))
                .Select(r => candidates[r.CandidateNumber].EstablishmentUai).ToList();
            foreach (var gone in missing)
                variants.AddRange(session.Pool(day)
                    .Where(s => s.Discipline == gone.Discipline && !awayIds.Contains(s.Id) && !busyElsewhere.Contains(s.Id) && members.All(m => m.Id != s.Id))
                    .Select(s => (Examiner: s, Able: theirs.Count(uai => !Schools.Same(s.EstablishmentUai, uai))))
                    .Where(x => x.Able > 0)
                    .OrderByDescending(x => x.Able).ThenBy(x => dayRows.Any(r => r.ExaminerIds.Contains(x.Examiner.Id)) ? 1 : 0)
                    .ThenBy(x => x.Examiner.Id, StringComparer.Ordinal)
                    .Take(MaxReplacements)
                    .Select(x => left.Append(x.Examiner).ToList()));
            foreach (var variant in variants)
            {
                commissionIds.Add(NewId(commissionIds[c], allIds));
                family.Add(c);
                commissions.Add(new Commission(commissions.Count, variant, false));
            }
        }
        var commissionIndex = commissionIds.Select((id, i) => (id, i)).Take(originals).ToDictionary(x => x.id, x => x.i, StringComparer.OrdinalIgnoreCase);

        // ---- The day's orals: fixed when done or under way, removed when their candidate is excused.
        var orals = new List<Oral>();
        var rowOf = new Dictionary<Oral, ScheduledExam>();
        var old = new Dictionary<Oral, Placement>();
        var fixedPlacements = new Dictionary<Oral, Placement>();
        var removed = new List<ScheduledExam>();
        foreach (var row in dayRows.OrderBy(r => r.ExamStart))
        {
            bool Started(ScheduledExam r) => request.Underway?.Contains(RepairRequest.ExamKey(r.CandidateNumber, r.Unit)) == true
                                             || RepairValidator.BeganBefore(r, request.Now, late.TryGetValue(r.CandidateNumber, out var a) ? Clock.Time(a) : null,
                                                 absent.ContainsKey(r.CandidateNumber));
            var started = Started(row);
            var u61Fixed = row.Unit == UnitCode.EF3 && dayRows.Any(r => r.CandidateNumber == row.CandidateNumber && r.Unit == UnitCode.U61 && Started(r));
            if (absent.ContainsKey(row.CandidateNumber) && !started) { removed.Add(row); continue; }
            var candidate = candidates[row.CandidateNumber];
            var pin = instance.OralPins.FirstOrDefault(p => p.CandidateNumber == candidate.Number && p.Unit == row.Unit);
            var oral = new Oral(orals.Count, candidate, row.Unit, OralRules.Timing(row.Unit, candidate.ExtraTimePercent), pin);
            orals.Add(oral);
            rowOf[oral] = row;
            var placement = new Placement(commissionIndex[row.CommissionId], Clock.Minutes(row.ExamStart) / CentreDayProblem.Slot);
            old[oral] = placement;
            if (started || u61Fixed) fixedPlacements[oral] = placement;
        }
        var problem = new CentreDayProblem(day, commissions, orals, fixedPlacements);
        var jobs = problem.Jobs;
        var examinerIndex = problem.Examiners.Select((e, i) => (e.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var fixedEnds = jobs.Where(j => j.Fixed is not null).Select(j => (j.Fixed!.Value.Start, End: j.End(j.Fixed!.Value.Start))).ToList();
        var spec = new RepairSpec
        {
            Old = jobs.Select(j => (Placement?)old[j.Oral]).ToArray(),
            Family = family.ToArray(),
            Earliest = jobs.Select(j => late.TryGetValue(j.Oral.Candidate.Number, out var arrival)
                ? Math.Max(nowSlot, (arrival + CentreDayProblem.Slot - 1) / CentreDayProblem.Slot)
                : nowSlot).ToArray(),
            Counted = problem.Candidates.Select(c => !eventCandidates.Contains(c.Number)).ToArray(),
            Locked = problem.Candidates.Select(c => request.MovableCandidates is { } movable && !movable.Contains(c.Number) && !eventCandidates.Contains(c.Number)).ToArray(),
            ExaminerCounted = problem.Examiners.Select(e => !awayIds.Contains(e.Id)).ToArray(),
            Absences = away.Where(a => examinerIndex.ContainsKey(a.ExaminerId)).Select(a => (examinerIndex[a.ExaminerId],
                a.From is { } f ? Clock.Minutes(f) / CentreDayProblem.Slot : 0,
                a.To is { } t ? (Clock.Minutes(t) + CentreDayProblem.Slot - 1) / CentreDayProblem.Slot : CentreDayProblem.DaySlots)).ToList(),
            RoomBlocks = request.Events.OfType<RoomUnavailable>().Select(b =>
            {
                var from = Clock.Minutes(b.From) / CentreDayProblem.Slot;
                var to = (Clock.Minutes(b.To) + CentreDayProblem.Slot - 1) / CentreDayProblem.Slot;
                // Exams already under way keep their room to their end.
                from = fixedEnds.Where(x => x.Start < to && x.End > from).Select(x => x.End).Append(from).Max();
                return (from, to, b.Rooms);
            }).ToList(),
        };
        // One deadline for the whole repair; re-convocations, when asked, keep a share of it.
        var total = options.TimeLimit.TotalSeconds;
        var reserve = absent.Values.Any(reconvoke => reconvoke) ? total / 4 : 0;
        // The day's solve may not take the re-convocations' share of the wall clock either.
        double WallLeft() => total * WallFactor - clock.Elapsed.TotalSeconds;
        double DayWallLeft() => WallLeft() - reserve * WallFactor;
        // The solver's budget is deterministic work, not what the clock says is left: the same request, the same search.
        var (solution, fallback) = SolveDay(problem, spec, touched: TouchedCandidates(problem, spec, eventCandidates), total - reserve, options, DayWallLeft);
        if (!solution.Solved)
            // No plan in time (none proved impossible either): the schedule stays as it is, and the caller says so.
            return new RepairResult(current, [], 0, 0, 0, [.. (unplacedBefore ?? [])], false, Solved: false);
        var placements = solution.Placements;

        // ---- Read back the day: unchanged exams keep their row; rooms kept where possible.
        var items = new List<RoomItem>();
        foreach (var job in jobs)
        {
            if (placements[job.Index] is not { } pl)
            {
                var row = rowOf[job.Oral];
                reasons.TryAdd((row.CandidateNumber, row.Unit), late.ContainsKey(row.CandidateNumber)
                    ? $"Retard au {day.Label} : aucune commission ni aucun horaire possible après son arrivée sans enfreindre une règle."
                    : $"Réparation du {day.Label} : aucune commission ni aucun horaire possible après les événements de la journée.");
                continue;
            }
            var oldRow = rowOf[job.Oral];
            var same = pl == old[job.Oral];
            var members = Composition.Examining(job.Oral.Unit, commissions[pl.Commission].Members, job.Oral.Candidate.Ef1Language).Select(m => m.Id).ToList();
            var exam = same ? oldRow : new ScheduledExam(day.Centre.Id, day.Date, oldRow.Room, commissionIds[pl.Commission], job.Oral.Unit, job.Oral.Candidate.Number,
                job.PrepSlots > 0 ? Clock.Time(job.PrepStart(pl.Start) * CentreDayProblem.Slot) : null,
                Clock.Time(pl.Start * CentreDayProblem.Slot), Clock.Time(job.End(pl.Start) * CentreDayProblem.Slot), members);
            items.Add(new RoomItem(exam, job.Fixed is not null));
        }
        var closedRooms = request.Events.OfType<RoomUnavailable>().Where(b => b.Room is not null).Select(b => new RoomClosure(b.Room!, b.From, b.To)).ToList();
        var dayExams = Rooms(items, day.Centre.ExamRooms, closedRooms);
        exams.AddRange(dayExams);

        // ---- Changes and counts.
        var changes = new List<RepairedExam>();
        var movedCandidates = new HashSet<string>(StringComparer.Ordinal);
        var delay = 0;
        foreach (var job in jobs)
        {
            var o = old[job.Oral];
            var row = rowOf[job.Oral];
            var pl = placements[job.Index];
            var now2 = pl is null ? null : dayExams.First(e => e.CandidateNumber == row.CandidateNumber && e.Unit == row.Unit);
            if (pl is { } p && p.Start > o.Start) delay += (p.Start - o.Start) * CentreDayProblem.Slot;
            if (pl == o) continue;
            if (!eventCandidates.Contains(row.CandidateNumber) && (pl is null || pl.Value.Start != o.Start || family[pl.Value.Commission] != family[o.Commission]))
                movedCandidates.Add(row.CandidateNumber);
            changes.Add(new RepairedExam(row.CandidateNumber, row.Unit, row.Date, row.ExamStart, row.CommissionId, row.ExaminerIds,
                now2?.Date, now2?.ExamStart, now2?.CommissionId, now2?.ExaminerIds ?? []));
        }
        var kept = dayRows.Except(removed).Select(r => (r.CandidateNumber, r.Unit)).ToHashSet();
        var examinersChanged = dayRows.Concat(dayExams).Where(r => kept.Contains((r.CandidateNumber, r.Unit))).SelectMany(r => r.ExaminerIds)
            .Distinct(StringComparer.Ordinal).Where(id => !awayIds.Contains(id))
            .Count(id => !Sittings(dayRows, id, kept).SetEquals(Sittings(dayExams, id, kept)));

        // ---- Excused candidates: removed from the day, re-convoked on a later date of the centre where they fit.
        foreach (var group in removed.GroupBy(r => r.CandidateNumber, StringComparer.Ordinal))
        {
            var candidate = candidates[group.Key];
            var left = TimeSpan.FromSeconds(Math.Max(0.2, reserve));
            var placedAgain = absent[group.Key] ? Reconvoke(instance, session, current, exams, day, candidate, group.ToList(), allIds, options with { TimeLimit = left }, WallLeft) : null;
            foreach (var row in group)
            {
                var again = placedAgain?.FirstOrDefault(e => e.Unit == row.Unit);
                changes.Add(new RepairedExam(row.CandidateNumber, row.Unit, row.Date, row.ExamStart, row.CommissionId, row.ExaminerIds,
                    again?.Date, again?.ExamStart, again?.CommissionId, again?.ExaminerIds ?? []));
                if (again is null)
                    reasons[(row.CandidateNumber, row.Unit)] = absent[group.Key]
                        ? $"Absent excusé le {Clock.Day(day.Date)} : aucune autre date du centre {day.Centre.Id} n'a de commission et de salle libres pour l'accueillir sans déplacer d'autres candidats."
                        : $"Absent excusé le {Clock.Day(day.Date)} : à reconvoquer.";
            }
            if (placedAgain is not null) exams.AddRange(placedAgain);
        }

        // ---- Every oral of the instance missing from the schedule, with its reason.
        var scheduled = exams.Select(e => (e.CandidateNumber, e.Unit)).ToHashSet();
        var before = (unplacedBefore ?? []).GroupBy(u => (u.CandidateNumber, u.Unit)).ToDictionary(g => g.Key, g => g.First().Reason);
        var unplaced = instance.Candidates.SelectMany(c => c.Orals.Distinct().Select(u => (c.Number, Unit: u)))
            .Where(k => !scheduled.Contains(k))
            .Select(k => new UnplacedOral(k.Number, k.Unit, reasons.GetValueOrDefault(k) ?? before.GetValueOrDefault(k) ?? "Non placé dans le plan avant la réparation."))
            .OrderBy(u => u.CandidateNumber, StringComparer.Ordinal).ThenBy(u => u.Unit).ToList();
        var repaired = new RepairResult(
            exams.OrderBy(e => e.CentreId, StringComparer.Ordinal).ThenBy(e => e.Date).ThenBy(e => e.ExamStart).ThenBy(e => e.Room, StringComparer.Ordinal).ToList(),
            changes, movedCandidates.Count, examinersChanged, delay, unplaced, solution.Optimal);
        // The day as it is, when the solver found nothing in time: proposed only if it keeps every rule.
        if (fallback && (ScheduleValidator.Validate(instance, repaired.Exams, repaired.Unplaced).Count > 0 || RepairValidator.Validate(request, current, repaired.Exams).Count > 0))
            return new RepairResult(current, [], 0, 0, 0, [.. (unplacedBefore ?? [])], false, Solved: false);
        return repaired;
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
            new(touched, KeepCounted: true, Share: 0.1),
            new(touched, KeepCounted: false, Share: 0.35),
            new(WithTheirCommissions(problem, spec, touched), KeepCounted: false, Share: 0.25),
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
            eventOralsOut ??= Perfect(problem, spec, best.Placements) ? 0 : EventOralsOutAtLeast(problem, spec, seconds * boundShare, options, WallCap) ?? -1;
            if (Perfect(problem, spec, best.Placements) || Score(problem, spec, best.Placements) == (0, eventOralsOut, 0))
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

    /// <summary>The goal's first terms for a plan: the other candidates' orals left out, the event candidates' left out, candidates moved.</summary>
    private static (int, int, int) Score(CentreDayProblem problem, RepairSpec spec, Placement?[] placements)
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
        return (othersOut, eventsOut, moved.Count);
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
    private static bool[] TouchedCandidates(CentreDayProblem problem, RepairSpec spec, HashSet<string> eventCandidates)
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

    /// <summary>The orals of an excused candidate on the first later date of the centre where they all fit, everyone else fixed.</summary>
    private static List<ScheduledExam>? Reconvoke(PlanningInstance instance, PlanningSession session, IReadOnlyList<ScheduledExam> current, List<ScheduledExam> exams,
        CentreDay day, PlanningCandidate candidate, List<ScheduledExam> rows, HashSet<string> allIds, PlannerOptions options,
        Func<double> wallLeft)
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

    /// <summary>A commission identifier not used yet, derived from the original (at most 32 characters, formats.md).</summary>
    private static string NewId(string original, HashSet<string> used)
    {
        for (var n = 1; ; n++)
        {
            var suffix = $"-R{n}";
            var id = original.Length + suffix.Length <= 32 ? original + suffix : original[..(32 - suffix.Length)] + suffix;
            if (used.Add(id)) return id;
        }
    }
}
