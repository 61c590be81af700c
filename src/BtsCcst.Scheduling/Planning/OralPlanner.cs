using System.Diagnostics;
using BtsCcst.Domain;
using BtsCcst.Scheduling.Planning;

namespace BtsCcst.Scheduling;

/// <summary>
/// Plans every oral of a session (Google OR-Tools CP-SAT) by decomposition, since one model of a national session
/// does not solve on two cores. What is exact, what is optimal and what is heuristic:
/// <list type="number">
/// <item><b>Checks</b> (<see cref="PreChecks"/>, exact): orals that no plan can place (no centre serves the academy,
/// a pin on a closed day or on a day whose free stretches are too short, no commission possible without a teacher of
/// the candidate's school, no teacher of the EF1 language...) are reported with their reason; commission pins that
/// cannot hold are reported and not applied.</item>
/// <item><b>Assignment</b> (heuristic, <see cref="ExaminerAssignment"/>, <see cref="CandidateAssignment"/>,
/// <see cref="CommissionFormation"/>): examiners are called to centre-days (one centre a day) where the orals that
/// may take place there need their discipline; then each candidate's orals go to one centre-day serving their
/// academy whose free stretches can hold them all, the least loaded for the examiners called there, or over two days
/// on two dates when no such day can hold them, or only nearly full ones (a written-exam day inside the oral window);
/// examiners not called yet make up for the centre-days left short; commissions are formed from the examiners of
/// each centre-day.</item>
/// <item><b>Centre-day models</b> (CP-SAT, <see cref="CentreDayModel"/>; optimal for the centre-day as assigned when
/// the solver proves it): one model per centre-day, every hard rule one block, the soft goals weighted by
/// <see cref="PlannerWeights"/>, started from a list scheduler's plan (<see cref="GreedyScheduler"/>, the cheapest of a
/// few tries, improved by ruin and recreate for part of the centre-day's share of the time, which is proportional to its
/// orals; kept when the solver finds nothing better); orals the solver left out are then tried again around its plan.
/// The bound of a centre-day is the better of the solver's and <see cref="CentreDayBound"/>'s.</item>
/// <item><b>Moves</b> (heuristic): a candidate with orals a centre-day could not place moves, with the orals placed
/// there, to another centre-day serving their academy (around what is placed there, with examiners not called that
/// day); what remains is reported unplaced with the reason found at its first centre-day (a discipline short of
/// examiners with the counts, rooms, preparation seats, a saturated day and its tightest resource...).</item>
/// <item><b>First fit</b> (heuristic, <c>OralPlanner.Fill.cs</c>): what the moves could not place goes to the first
/// centre-day where the list scheduler fits it around that day's plan.</item>
/// <item><b>Relocation</b> (large-neighbourhood search, on the time left): a candidate's orals go whole to another
/// centre-day when the days they leave and join, planned again from their plans, cost less together
/// (<c>OralPlanner.Relocation.cs</c>). On a small session this corrects the assignment: candidates spread over two days
/// that one day holds are gathered, and the examiners of the other day stay home.</item>
/// </list>
/// <see cref="PlanResult.Optimal"/> therefore means "optimal for each centre-day as assigned", never "optimal for the
/// session". The run ends within <see cref="PlannerOptions.TimeLimit"/> (a small margin is kept for reading back);
/// one model is solved at a time, with <see cref="PlannerOptions.Workers"/> threads and at most 2 GB for the solver.
/// Progress is reported from the solver's threads: the <see cref="IProgress{T}"/> given must be thread-safe.
/// </summary>
public static partial class OralPlanner
{
    /// <summary>Below this, a centre-day keeps the list scheduler's plan (the solver would not even finish presolve).</summary>
    private const double MinSolveSeconds = 0.05;
    /// <summary>Share of the time kept for moving orals between centre-days (what it leaves goes to the relocation).</summary>
    private const double MoveShare = 0.10;
    private const int MoveRounds = 3;
    /// <summary>
    /// Share of the time kept, after the moves, for the first fit of the orals still left out (OralPlanner.Fill.cs): on the
    /// academy "hard" sample it takes about 0.3 s of a 20 s run and places a dozen orals the moves did not.
    /// </summary>
    private const double FillShare = 0.03;
    /// <summary>Margins of the examiners' minutes over the day's need tried by the list scheduler (<see cref="GreedyScheduler.Opening"/>).</summary>
    private static readonly double[] GreedyMargins = [1.2, 1.1];
    /// <summary>Share of a centre-day's time the list scheduler's further tries may take.</summary>
    private const double GreedyShare = 0.2;
    /// <summary>
    /// Share of a centre-day's time for ruin and recreate (<see cref="GreedyScheduler.Improve"/>) before the solver. At
    /// national size, where a centre-day gets under a second, the solver hardly improves the hint while ruin and recreate
    /// does; with long shares both end about level (ops/bench/RESULTS.md).
    /// </summary>
    private const double ImproveShare = 0.8;
    /// <summary>Most of the time the session bound's linear relaxation may take (it usually takes far less).</summary>
    private const double SessionBoundShare = 0.10;
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(250);

    public static PlanResult Plan(PlanningInstance instance, PlannerOptions options, IProgress<PlanningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(options);
        return new Run(instance, options, progress, cancellationToken).Execute();
    }

    /// <summary>A centre-day being planned: its commissions (only ever appended), its orals and where they are.</summary>
    private sealed class DayState(CentreDay day)
    {
        public CentreDay Day { get; } = day;
        public List<Commission> Commissions { get; } = [];
        public List<Oral> Orals { get; } = [];
        public Dictionary<Oral, Placement> Placed { get; set; } = [];
        public Dictionary<Oral, Placement> Fixed { get; set; } = [];
        public Dictionary<Oral, string> Failed { get; set; } = [];
        public CentreDayProblem? Problem { get; set; }
        public double Objective { get; set; }
        public double Bound { get; set; }
        public bool Optimal { get; set; }
        /// <summary>Orals placed here moved away since the last solve: its problem and objective are to be computed again.</summary>
        public bool Stale { get; set; }
    }

    private sealed partial class Run(PlanningInstance instance, PlannerOptions options, IProgress<PlanningProgress>? progress, CancellationToken cancellationToken)
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly PlannerWeights weights = options.Weights ?? PlannerWeights.Default;
        private readonly List<UnplacedOral> unplaced = [];
        private readonly List<string> reasons = [];
        private readonly Dictionary<CentreDay, DayState> states = [];
        private readonly Dictionary<DateOnly, HashSet<string>> called = [];
        private readonly Dictionary<Oral, string> firstReason = [];
        private readonly Dictionary<Oral, HashSet<CentreDay>> tried = [];
        private readonly int total = instance.Candidates.Sum(c => c.Orals.Distinct().Count());
        private bool moved;
        private double? sessionBound;

        private double Elapsed => clock.Elapsed.TotalSeconds;
        /// <summary>The time limit less a margin for reading back the plan (and for the solver overrunning its limit a little).</summary>
        private double Limit => options.TimeLimit.TotalSeconds - Math.Max(0.2, 0.04 * options.TimeLimit.TotalSeconds);
        /// <summary>When the moves end, leaving the first fit of what they could not place its share (<see cref="FillShare"/>).</summary>
        private double MoveLimit => Limit - FillShare * options.TimeLimit.TotalSeconds;
        private int PlacedSoFar => states.Values.Sum(s => s.Placed.Count);

        public PlanResult Execute()
        {
            Report("vérifications");
            var session = new PlanningSession(instance);
            var checkedSession = PreChecks.Run(session, unplaced, reasons);
            cancellationToken.ThrowIfCancellationRequested();

            Report("borne inférieure de la session");
            sessionBound = SessionBound.Evaluate(session, checkedSession, weights, TimeSpan.FromSeconds(SessionBoundShare * options.TimeLimit.TotalSeconds));
            cancellationToken.ThrowIfCancellationRequested();

            Report("affectation des candidats et des examinateurs");
            var staff = ExaminerAssignment.Assign(session, checkedSession, called);
            var book = new LoadBook(session, staff, checkedSession.PinnedCommissions);
            var assigned = CandidateAssignment.Assign(session, checkedSession, book, unplaced);
            foreach (var day in session.CentreDays.Where(d => assigned[d].Count > 0))
            {
                var pinnedMembers = (checkedSession.PinnedCommissions.GetValueOrDefault(day) ?? []).SelectMany(c => c);
                foreach (var examiner in ExaminerAssignment.CallIdle(session, day, assigned[day], staff[day].Concat(pinnedMembers), called))
                {
                    staff[day].Add(examiner);
                    book.Supply(day, examiner);
                }
            }
            foreach (var day in session.CentreDays)
            {
                var pinned = checkedSession.PinnedCommissions.GetValueOrDefault(day) ?? [];
                if (assigned[day].Count == 0)
                {
                    foreach (var members in pinned)
                        reasons.Add($"Commission épinglée ({string.Join(", ", members.Select(m => m.Id))}) au {day.Label} : aucun candidat n'est à examiner ce jour-là dans ce centre.");
                    continue;
                }
                foreach (var members in pinned.Where(m => !assigned[day].Any(o => !m.Any(e => Schools.Same(e.EstablishmentUai, o.Candidate.EstablishmentUai)) && Composition.Fits(o.Unit, m, o.Candidate.Ef1Language))))
                    reasons.Add($"Commission épinglée ({string.Join(", ", members.Select(m => m.Id))}) au {day.Label} : aucun candidat de ce jour ne peut passer devant elle (composition ou établissement).");
                var state = new DayState(day);
                state.Commissions.AddRange(CommissionFormation.Form(pinned, staff[day], assigned[day]));
                state.Orals.AddRange(assigned[day]);
                states[day] = state;
            }
            cancellationToken.ThrowIfCancellationRequested();

            // Each centre-day gets a share of the time in proportion to its orals; time a model does not use passes on.
            var mainEnd = Elapsed + Math.Max(0, Limit - Elapsed) * (1 - MoveShare);
            var queue = states.Values.OrderBy(s => s.Day.Index).ToList();
            for (var i = 0; i < queue.Count; i++)
            {
                var weight = queue[i].Orals.Count;
                var remaining = queue.Skip(i).Sum(s => s.Orals.Count);
                Solve(queue[i], Math.Max(0, mainEnd - Elapsed) * weight / Math.Max(1, remaining));
                foreach (var (oral, reason) in queue[i].Failed) firstReason.TryAdd(oral, reason);
            }

            Move(session, checkedSession, book);
            FillFirstFit(checkedSession, session, book);
            Relocate(session, checkedSession, book);
            Report("lecture du plan");
            return ReadBack();
        }

        private void Solve(DayState state, double seconds)
        {
            var placedBefore = PlacedSoFar - state.Placed.Count;
            Adopt(state, Attempt(state.Day, state.Commissions, state.Orals, state.Fixed, seconds, placedBefore));
            Report(state.Day.Label, PlacedSoFar, state.Objective, state.Bound);
        }

        /// <summary>A plan of one centre-day, not yet adopted: its problem, where each job goes, its cost and bound.</summary>
        private sealed record DayPlan(CentreDayProblem Problem, Placement?[] Placements, double Objective, double Bound, bool Optimal);

        /// <summary>
        /// Plans a centre-day in <paramref name="seconds"/>: the list scheduler's cheapest try, ruin and recreate, then the
        /// solver from there; orals the solver left out are tried again around its plan. Changes nothing of the run's state
        /// but the progress reported (with <paramref name="placedBefore"/>, the orals placed elsewhere; none when null).
        /// </summary>
        /// <param name="start">Where some of the orals are in a plan to start from (the day's plan before a move), the
        /// rest placed around it by the list scheduler; used when cheaper than the list scheduler's own tries.</param>
        private DayPlan Attempt(CentreDay day, IReadOnlyList<Commission> commissions, IReadOnlyList<Oral> orals, IReadOnlyDictionary<Oral, Placement> fixedPlacements, double seconds, int? placedBefore,
            IReadOnlyDictionary<Oral, Placement>? start = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var phase = day.Label;
            void Progress(int placed, double? objective, double? bound)
            {
                if (placedBefore is { } before) Report(phase, before + placed, objective, bound);
            }
            var problem = new CentreDayProblem(day, commissions, orals, fixedPlacements);
            var started = clock.Elapsed;
            var (chosen, objective) = ListSchedule(problem, seconds, started);
            if (start is not null)
            {
                var around = GreedyScheduler.Schedule(problem, problem.Jobs.Select(j => start.TryGetValue(j.Oral, out var p) ? p : (Placement?)null).ToArray());
                var cost = PlanCost.Evaluate(problem, around, weights);
                if (cost < objective) (chosen, objective) = (around, cost);
            }
            // Every plan of the day costs at least this, whether or not the solver gets far enough to prove as much.
            var bound = CentreDayBound.Evaluate(problem, weights);
            Progress(chosen.Count(g => g is not null), objective, bound);
            // Ruin and recreate on the list scheduler's plan, then the solver from there: in a short share the first
            // improves the plan more, in a long one the solver does and proves the bound.
            // A plan that reaches the bound is optimal: neither search can do better, and the time passes on.
            if (objective <= bound) return new DayPlan(problem, chosen, objective, objective, Optimal: true);
            var improveFor = ImproveShare * seconds - (clock.Elapsed - started).TotalSeconds;
            if (improveFor > 0)
            {
                var improved = GreedyScheduler.Improve(problem, chosen, weights, TimeSpan.FromSeconds(improveFor), options.Seed ?? day.Index, cancellationToken, floor: bound);
                cancellationToken.ThrowIfCancellationRequested();
                var cost = PlanCost.Evaluate(problem, improved, weights);
                if (cost <= objective) (chosen, objective) = (improved, cost);
            }
            seconds = Math.Max(0, seconds - (clock.Elapsed - started).TotalSeconds);
            var optimal = false;
            if (seconds >= MinSolveSeconds && problem.Modelled.Any(m => m))
            {
                Progress(chosen.Count(g => g is not null), objective, null);
                var sub = CentreDayModel.Solve(problem, chosen, weights, seconds, options.Workers, options.Seed,
                    (o, b, placed) => Progress(placed, o, b), cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                if (!double.IsNaN(sub.Bound)) bound = Math.Max(bound, sub.Bound);
                if (sub.FromSolver && PlanCost.Evaluate(problem, sub.Placements, weights) is var cost && cost <= objective)
                    (chosen, objective, optimal) = (sub.Placements, cost, sub.Optimal);
            }
            else if (!problem.Modelled.Any(m => m)) optimal = true;
            if (!optimal && chosen.Count(c => c is not null) < problem.Jobs.Count)
            {
                // Orals the solver left out may still fit around its plan.
                var filled = GreedyScheduler.Schedule(problem, chosen);
                var cost = PlanCost.Evaluate(problem, filled, weights);
                if (cost < objective) (chosen, objective) = (filled, cost);
            }
            return new DayPlan(problem, chosen, objective, Math.Min(bound, objective), optimal);
        }

        /// <summary>
        /// The list scheduler on every commission, then on as few examiners as the day's minutes need (with a margin),
        /// while it takes little of the day's share: the cheapest plan is the hint. Calling fewer examiners often makes
        /// candidates wait longer, so neither wins everywhere.
        /// </summary>
        private (Placement?[] Plan, double Objective) ListSchedule(CentreDayProblem problem, double seconds, TimeSpan started)
        {
            var greedy = GreedyScheduler.Schedule(problem);
            var objective = PlanCost.Evaluate(problem, greedy, weights);
            foreach (var margin in GreedyMargins)
            {
                if ((clock.Elapsed - started).TotalSeconds > GreedyShare * seconds) break;
                var other = GreedyScheduler.Schedule(problem, null, GreedyScheduler.Opening(problem, margin));
                var cost = PlanCost.Evaluate(problem, other, weights);
                if (cost < objective) (greedy, objective) = (other, cost);
            }
            return (greedy, objective);
        }

        /// <summary>The centre-day takes the plan: where its orals are, which failed and why, its cost and bound.</summary>
        private static void Adopt(DayState state, DayPlan plan)
        {
            var problem = plan.Problem;
            state.Problem = problem;
            state.Stale = false;
            state.Placed = problem.Jobs.Where(j => plan.Placements[j.Index] is not null).ToDictionary(j => j.Oral, j => plan.Placements[j.Index]!.Value);
            state.Failed = Diagnosis.Explain(problem, plan.Placements);
            state.Objective = plan.Objective;
            state.Bound = plan.Bound;
            state.Optimal = plan.Optimal && state.Fixed.Count == 0;
        }

        private PlanResult ReadBack()
        {
            var exams = new List<ScheduledExam>();
            foreach (var state in states.Values.OrderBy(s => s.Day.Index))
            {
                Refresh(state);
                foreach (var oral in state.Failed.Keys.OrderBy(o => o.Candidate.Number, StringComparer.Ordinal).ThenBy(o => o.Unit))
                {
                    var reason = firstReason.GetValueOrDefault(oral) ?? state.Failed[oral];
                    if (tried.ContainsKey(oral)) reason += " Aucune autre journée de centre possible n'a pu l'accueillir.";
                    unplaced.Add(new UnplacedOral(oral.Candidate.Number, oral.Unit, reason));
                }
                exams.AddRange(Rows(state));
            }
            foreach (var group in unplaced.GroupBy(u => u.Reason))
            {
                var units = string.Join(", ", group.GroupBy(u => u.Unit).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}"));
                reasons.Add($"{group.Key} [non placés : {units}]");
            }
            var planned = states.Values.Where(s => s.Problem is not null).ToList();
            // Fewest days: each centre-day a candidate comes to beyond the first (only the assignment and the moves decide it);
            // two centres on one date count as two days, as the centre-days' objectives count each one's waiting apart.
            var extraDays = exams.GroupBy(e => e.CandidateNumber).Sum(g => g.Select(e => (e.CentreId, e.Date)).Distinct().Count() - 1);
            var objective = planned.Sum(s => s.Objective) + (double)weights.ExtraDay * extraDays;
            return new PlanResult(
                exams.OrderBy(e => e.CentreId, StringComparer.Ordinal).ThenBy(e => e.Date).ThenBy(e => e.ExamStart).ThenBy(e => e.Room, StringComparer.Ordinal).ToList(),
                unplaced.OrderBy(u => u.CandidateNumber, StringComparer.Ordinal).ThenBy(u => u.Unit).ToList(),
                reasons.Distinct().ToList(),
                objective,
                planned.Sum(s => s.Bound),
                !moved && planned.All(s => s.Optimal),
                sessionBound);
        }

        /// <summary>Schedule rows of a centre-day: commissions numbered by their first exam, rooms labelled "Salle n" (HardRules.Rooms).</summary>
        private static IEnumerable<ScheduledExam> Rows(DayState state)
        {
            if (state.Problem is not { } p || state.Placed.Count == 0) return [];
            var day = state.Day;
            var exams = p.Jobs.Where(j => state.Placed.ContainsKey(j.Oral))
                .Select(j => (Job: j, Placement: state.Placed[j.Oral]))
                .OrderBy(x => x.Placement.Start).ThenBy(x => x.Placement.Commission).ThenBy(x => x.Job.Oral.Candidate.Number, StringComparer.Ordinal)
                .ToList();
            var numbers = exams.Select(x => x.Placement.Commission).Distinct().Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i + 1);
            var prefix = $"{day.Centre.Id}-{Clock.Day(day.Date)}";
            // Identifiers are at most 32 characters (formats.md).
            if (prefix.Length + 2 + numbers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length > 32) prefix = $"K{day.Index}-{Clock.Day(day.Date).Replace("-", "")}";
            // Rooms: intervals taken in order of start; at most exam_rooms overlap, so a room is always free.
            var roomFreeAt = new int[Math.Max(1, p.Rooms)];
            var lastRoom = new Dictionary<int, int>();
            var rows = new List<ScheduledExam>();
            foreach (var (job, placement) in exams)
            {
                var room = lastRoom.TryGetValue(placement.Commission, out var r) && roomFreeAt[r] <= placement.Start
                    ? r
                    : Array.FindIndex(roomFreeAt, t => t <= placement.Start);
                if (room < 0) throw new InvalidOperationException($"{day.Label} : plus d'épreuves simultanées que de salles.");
                roomFreeAt[room] = job.End(placement.Start);
                lastRoom[placement.Commission] = room;
                var commission = p.Commissions[placement.Commission];
                rows.Add(new ScheduledExam(
                    day.Centre.Id, day.Date, $"Salle {room + 1}", $"{prefix}-C{numbers[placement.Commission]}", job.Oral.Unit, job.Oral.Candidate.Number,
                    job.PrepSlots > 0 ? Clock.Time(job.PrepStart(placement.Start) * CentreDayProblem.Slot) : null,
                    Clock.Time(placement.Start * CentreDayProblem.Slot),
                    Clock.Time(job.End(placement.Start) * CentreDayProblem.Slot),
                    Composition.Examining(job.Oral.Unit, commission.Members, job.Oral.Candidate.Ef1Language).Select(m => m.Id).ToList()));
            }
            return rows;
        }

        private readonly Lock reporting = new();
        private string lastPhase = "";
        private TimeSpan lastReport = TimeSpan.MinValue;

        /// <summary>Reports progress: every change of phase, and within a phase at most every quarter of a second (the solver finds many solutions).</summary>
        private void Report(string phase, int? placed = null, double? objective = null, double? bound = null)
        {
            if (progress is null) return;
            lock (reporting)
            {
                var now = clock.Elapsed;
                if (phase == lastPhase && now - lastReport < ReportEvery) return;
                (lastPhase, lastReport) = (phase, now);
                progress.Report(new PlanningProgress(phase, now, objective, bound, placed ?? PlacedSoFar, total));
            }
        }
    }
}
