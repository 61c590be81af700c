using BtsCcst.Domain;
using Google.OrTools.LinearSolver;

namespace BtsCcst.Scheduling.Planning;

/// <summary>
/// A lower bound of the objective (<see cref="PlanResult.Objective"/>) of every plan of the session, whatever the
/// decomposition: the optimum of a linear relaxation of an aggregated model, solved with OR-Tools' GLOP. Every plan maps to
/// a feasible point of the relaxation that costs no more than the plan, so the relaxation's optimum is at most the best plan.
/// <list type="bullet">
/// <item>Candidates of the same kind (academy, orals and timings, eligible centre-days) are counted together; each goes
/// <i>whole</i> to one centre-day where all their orals fit its free stretches, at the cost of their shortest possible day
/// there (waiting, and the end of the day kept for incidents), or <i>split</i>, at the cost of their busy minutes, an
/// extra day and the gaps at each centre-day, or leaves an oral <i>out</i>.</item>
/// <item>Each centre-day's examiners of a discipline (and teachers of an EF1 language) examine at least the seats'
/// minutes of the candidates there, each no more than their daily maximum within the free stretches; an examiner
/// sits at one centre a date and costs an examiner-day in proportion to the share called. Rooms and preparation seats hold
/// the exam and preparation minutes. Split candidates count in the same sums over all the centre-days of their academy.</item>
/// <item>An E4 or U61 without a professional costs its weight unless professionals' minutes cover it; the heaviest load of
/// a discipline is at least its minutes over the examiners who may sit.</item>
/// </list>
/// The orals the checks leave out are outside the objective and outside the bound. Weaker than the decomposition's bound
/// where the latter's assumptions hold (the relaxation calls a fraction of an examiner), but valid for any plan.
/// </summary>
internal static class SessionBound
{
    private const string Rooms = "rooms";
    private const string Preparation = "preparation";
    /// <summary>Seats of EF2 that either teacher of the professional courses may fill.</summary>
    private const string ProfessionalCourses = "eco-sti";
    private const string LanguagePrefix = "Langue:";

    /// <summary>A kind of candidate: how many, their blocks (an oral, or U61 with its EF3), where they may go, what they need.</summary>
    private sealed class Kind
    {
        public required string Academy { get; init; }
        public required List<int> Blocks { get; init; }
        public required List<Oral> Orals { get; init; }
        public required Dictionary<Oral, IReadOnlyList<CentreDay>> Eligible { get; init; }
        public required List<CentreDay> Whole { get; init; }
        public required Dictionary<string, double> Demand { get; init; }
        /// <summary>Exam minutes of each E4 and U61 (what a professional covers).</summary>
        public required List<int> ProfessionalMinutes { get; init; }
        public int Count { get; set; }
    }

    /// <summary>The bound, or null when the linear solver did not reach its optimum within the time given.</summary>
    public static double? Evaluate(PlanningSession session, CheckedSession checkedSession, PlannerWeights weights, TimeSpan limit)
    {
        var kinds = Kinds(checkedSession);
        if (kinds.Count == 0) return 0;
        using var solver = Solver.CreateSolver("GLOP");
        if (solver is null) return null;
        solver.SetTimeLimit((long)Math.Max(1, limit.TotalMilliseconds));
        var objective = solver.Objective();
        objective.SetMinimization();
        var days = session.CentreDays;

        // Examiners: the share of each examiner called to each centre-day, one centre a date.
        var called = new Dictionary<(int Day, string Examiner), Variable>();
        foreach (var group in days.SelectMany(d => session.Pool(d).Select(e => (Day: d, Examiner: e))).GroupBy(x => (x.Examiner.Id, x.Day.Date)))
        {
            var oneCentre = solver.MakeConstraint(double.NegativeInfinity, 1);
            foreach (var (day, examiner) in group)
            {
                var z = solver.MakeNumVar(0, 1, "");
                objective.SetCoefficient(z, weights.ExaminerDay);
                oneCentre.SetCoefficient(z, 1);
                called[(day.Index, examiner.Id)] = z;
            }
        }

        var keys = kinds.SelectMany(k => k.Demand.Keys).Distinct().ToList();
        var perDay = days.ToDictionary(d => d.Index, d => keys.ToDictionary(k => k, k => Capacity(solver, session, d, k, called)));
        var perAcademy = kinds.Select(k => k.Academy).Distinct().ToDictionary(a => a, a => keys.ToDictionary(k => k, _ => solver.MakeConstraint(double.NegativeInfinity, 0)));
        foreach (var (academy, rows) in perAcademy)
            foreach (var day in session.Serving(academy))
                foreach (var (key, row) in rows)
                    Capacity(solver, session, day, key, called, row);
        var professionals = days.ToDictionary(d => d.Index, d => new Coverage(solver, session, d, called, weights));
        var load = days.ToDictionary(d => d.Index, d => Loads(solver, session, d, weights));

        var comers = new Dictionary<(int Day, string Key), List<(Variable Y, int Count)>>();
        foreach (var kind in kinds)
        {
            var once = solver.MakeConstraint(kind.Count, kind.Count);
            foreach (var day in kind.Whole)
            {
                var cost = ShortestDayCost(day, kind.Blocks, weights);
                if (cost is null) continue;
                var y = solver.MakeNumVar(0, kind.Count, "");
                once.SetCoefficient(y, 1);
                objective.SetCoefficient(y, cost.Value + weights.NoProfessional * kind.ProfessionalMinutes.Count);
                foreach (var (key, minutes) in kind.Demand)
                {
                    perDay[day.Index][key].SetCoefficient(y, minutes);
                    perAcademy[kind.Academy][key].SetCoefficient(y, minutes);
                    if (load[day.Index].TryGetValue(key, out var heaviest)) heaviest.SetCoefficient(y, minutes);
                    if (key is not (Rooms or Preparation)) (comers.TryGetValue((day.Index, key), out var list) ? list : comers[(day.Index, key)] = []).Add((y, kind.Count));
                }
                foreach (var length in kind.ProfessionalMinutes.GroupBy(m => m)) professionals[day.Index].Of(length.Key).SetCoefficient(y, -length.Count());
            }
            // Split: every oral placed, over two centre-days or more; counted with the academy's centre-days only.
            var split = solver.MakeNumVar(0, kind.Count, "");
            once.SetCoefficient(split, 1);
            objective.SetCoefficient(split, weights.WaitingMinute * (double)kind.Blocks.Sum() + SplitExtra(kind, weights));
            foreach (var (key, minutes) in kind.Demand) perAcademy[kind.Academy][key].SetCoefficient(split, minutes);
            // Out: at least one oral left out, which no valid plan needs when the instance places them all.
            var left = solver.MakeNumVar(0, kind.Count, "");
            once.SetCoefficient(left, 1);
            objective.SetCoefficient(left, weights.Unplaced);
        }

        SomeoneSits(solver, session, called, comers);
        var status = solver.Solve();
        if (status != Solver.ResultStatus.OPTIMAL) return null;
        // The solver's optimum is exact within its tolerances; a little below it stays a bound.
        var value = objective.Value();
        return Math.Max(0, Math.Floor(value - 1e-6 * Math.Abs(value) - 1));
    }

    /// <summary>
    /// A row "demand of <paramref name="key"/> at the day ≤ what its examiners (or rooms, preparation seats) hold"; the
    /// day's side is added to <paramref name="row"/> when given (a row summing several centre-days).
    /// </summary>
    private static Constraint Capacity(Solver solver, PlanningSession session, CentreDay day, string key, Dictionary<(int, string), Variable> called, Constraint? row = null)
    {
        row ??= solver.MakeConstraint(double.NegativeInfinity, 0);
        if (key is Rooms or Preparation)
        {
            var seats = key == Rooms ? day.Centre.ExamRooms : day.Centre.PrepSeats;
            row.SetUb(row.Ub() + (double)seats * day.FreeMinutes);
            return row;
        }
        foreach (var examiner in session.Pool(day).Where(e => Fills(e, key)))
            row.SetCoefficient(called[(day.Index, examiner.Id)], -Math.Min(examiner.MaxMinutesPerDay, day.FreeMinutes));
        return row;
    }

    /// <summary>
    /// At a centre-day where any candidate comes, at least one examiner of each discipline they need is called: the share of
    /// examiners called is at least the share of the candidates who may come there that come (1 when one does).
    /// </summary>
    private static void SomeoneSits(Solver solver, PlanningSession session, Dictionary<(int, string), Variable> called, Dictionary<(int Day, string Key), List<(Variable Y, int Count)>> comers)
    {
        foreach (var ((index, key), list) in comers)
        {
            var day = session.CentreDays[index];
            double mayCome = list.Sum(c => c.Count);
            var row = solver.MakeConstraint(0, double.PositiveInfinity);
            foreach (var examiner in session.Pool(day).Where(e => Fills(e, key))) row.SetCoefficient(called[(index, examiner.Id)], 1);
            foreach (var (y, _) in list) row.SetCoefficient(y, -1 / mayCome);
        }
    }

    /// <summary>Whether an examiner counts for a demand key: a discipline, "eco-sti", or "Langue:language".</summary>
    private static bool Fills(PlanningExaminer examiner, string key)
    {
        if (key == ProfessionalCourses) return examiner.Discipline is Discipline.EcoGestion or Discipline.Sti;
        if (key.StartsWith(LanguagePrefix, StringComparison.Ordinal))
            return examiner.Discipline == Discipline.Langue && examiner.Languages.Any(l => OralRules.Fold(l) == key[LanguagePrefix.Length..]);
        return examiner.Discipline.ToString() == key;
    }

    /// <summary>
    /// E4 and U61 without a professional at one centre-day: per exam length, a variable "covered" with a row "covered −
    /// candidates' count ≤ 0" (the caller adds the counts), and one row "covered minutes ≤ professionals' minutes called".
    /// The uncovered cost is charged on the candidates and taken back on the covered.
    /// </summary>
    private sealed class Coverage(Solver solver, PlanningSession session, CentreDay day, Dictionary<(int, string), Variable> called, PlannerWeights weights)
    {
        private readonly Dictionary<int, Constraint> rows = [];
        private Constraint? minutes;

        public Constraint Of(int length)
        {
            if (rows.TryGetValue(length, out var row)) return row;
            if (minutes is null)
            {
                minutes = solver.MakeConstraint(double.NegativeInfinity, 0);
                foreach (var examiner in session.Pool(day).Where(e => e.Discipline == Discipline.Professionnel))
                    minutes.SetCoefficient(called[(day.Index, examiner.Id)], -Math.Min(examiner.MaxMinutesPerDay, day.FreeMinutes));
            }
            var covered = solver.MakeNumVar(0, double.PositiveInfinity, "");
            solver.Objective().SetCoefficient(covered, -weights.NoProfessional);
            minutes.SetCoefficient(covered, length);
            row = solver.MakeConstraint(double.NegativeInfinity, 0);
            row.SetCoefficient(covered, 1);
            return rows[length] = row;
        }
    }

    /// <summary>
    /// The heaviest load of each discipline at the day is at least the discipline's minutes over the examiners who may
    /// sit: a row "minutes − pool × heaviest ≤ 0" per discipline, the candidates' minutes added by the caller.
    /// </summary>
    private static Dictionary<string, Constraint> Loads(Solver solver, PlanningSession session, CentreDay day, PlannerWeights weights)
    {
        var rows = new Dictionary<string, Constraint>();
        foreach (var group in session.Pool(day).GroupBy(e => e.Discipline))
        {
            var heaviest = solver.MakeNumVar(0, double.PositiveInfinity, "");
            solver.Objective().SetCoefficient(heaviest, weights.LoadBalanceMinute);
            var row = solver.MakeConstraint(double.NegativeInfinity, 0);
            row.SetCoefficient(heaviest, -group.Count());
            rows[group.Key.ToString()] = row;
        }
        return rows;
    }

    /// <summary>
    /// What a split candidate pays beyond their busy minutes: at k centre-days (k ≥ 2, each centre-day beyond the first
    /// an extra day, <see cref="PlannerWeights.ExtraDay"/>) k − 1 extra days and the gaps between the blocks at each,
    /// all of them less k; the cheaper of k = 2 and k = all their blocks, since the cost is linear in k.
    /// </summary>
    private static double SplitExtra(Kind kind, PlannerWeights weights)
    {
        var blocks = kind.Blocks.Count;
        if (blocks < 2) return weights.Unplaced;
        var gap = (double)weights.WaitingMinute * OralRules.MinimumGapMinutes;
        return Math.Min(weights.ExtraDay + gap * (blocks - 2), (double)weights.ExtraDay * (blocks - 1));
    }

    /// <summary>
    /// The cost of the candidate's shortest day at the centre-day (waiting from first preparation to last end, and the
    /// minutes run into the end kept for incidents), or null when their blocks cannot all fit its free stretches.
    /// </summary>
    public static double? ShortestDayCost(CentreDay day, IReadOnlyList<int> blocks, PlannerWeights weights)
    {
        var windows = day.FreeWindows.Select(w => (w.Start, w.End)).ToList();
        // As CentreDayProblem.IncidentSlackFrom, in minutes.
        var slackFrom = windows.Count == 0 ? int.MaxValue : (windows[^1].End - weights.IncidentSlackMinutes) / CentreDayProblem.Slot * CentreDayProblem.Slot;
        return ShortestDay(windows, blocks, slackFrom, weights);
    }

    /// <summary>
    /// The least cost of a candidate's day over the free stretches: blocks spread over the stretches in every way, each
    /// stretch holding its blocks with the minimum gap between them; blocks of the first stretches at their end and of
    /// the last at its start (the shortest day and the earliest end at once). Blocks are in minutes; gaps follow
    /// <see cref="OralRules.MinimumGapMinutes"/> (a U61 and its EF3 are one block).
    /// </summary>
    public static double? ShortestDay(IReadOnlyList<(int Start, int End)> windows, IReadOnlyList<int> blocks, int slackFrom, PlannerWeights weights)
    {
        const int gap = OralRules.MinimumGapMinutes;
        if (blocks.Count == 0) return 0;
        var sorted = blocks.OrderDescending().ToArray();
        var used = new int[windows.Count];
        var count = new int[windows.Count];
        double? best = null;
        Assign(0);
        return best;

        void Assign(int b)
        {
            if (b == sorted.Length)
            {
                int span = 0, previous = -1, end = 0;
                for (var w = 0; w < windows.Count; w++)
                {
                    if (count[w] == 0) continue;
                    span += used[w] + gap * (count[w] - 1);
                    if (previous >= 0) span += Math.Max(gap, windows[w].Start - windows[previous].End);
                    end = windows[w].Start + used[w] + gap * (count[w] - 1);
                    previous = w;
                }
                var cost = (double)weights.WaitingMinute * span + (double)weights.LateInDayMinute * Math.Max(0, end - slackFrom);
                if (best is null || cost < best) best = cost;
                return;
            }
            for (var w = 0; w < windows.Count; w++)
            {
                if (used[w] + sorted[b] + gap * count[w] > windows[w].End - windows[w].Start) continue;
                // Blocks of equal length are interchangeable: the first goes to a stretch no later than the next.
                used[w] += sorted[b];
                count[w]++;
                Assign(b + 1);
                used[w] -= sorted[b];
                count[w]--;
            }
        }
    }

    /// <summary>
    /// The candidates grouped by kind. An EF3 that can share no centre-day with its U61 is left out, as in every plan
    /// (CandidateAssignment reports it, and the objective does not count it).
    /// </summary>
    private static List<Kind> Kinds(CheckedSession checkedSession)
    {
        var kinds = new Dictionary<string, Kind>();
        foreach (var group in checkedSession.Orals.GroupBy(o => o.Candidate))
        {
            var orals = group.OrderBy(o => o.Unit).ToList();
            var eligible = orals.ToDictionary(o => o, o => checkedSession.Eligible[o]);
            var u61 = orals.FirstOrDefault(o => o.Unit == UnitCode.U61);
            var ef3 = orals.FirstOrDefault(o => o.Unit == UnitCode.EF3);
            if (ef3 is not null && (u61 is null || !eligible[ef3].Intersect(eligible[u61]).Any())) orals.Remove(ef3);
            var candidate = group.Key;
            var language = OralRules.Fold(candidate.Ef1Language);
            var key = string.Join("|", orals.Select(o => $"{o.Unit}:{o.Timing.PreparationMinutes}:{o.Timing.ExamMinutes}:{string.Join(",", eligible[o].Select(d => d.Index))}"))
                      + $"|{OralRules.Fold(candidate.Academy)}|{(orals.Any(o => o.Unit == UnitCode.EF1) ? language : "")}";
            if (kinds.TryGetValue(key, out var known))
            {
                known.Count++;
                continue;
            }
            var blocks = orals.Where(o => o.Unit != UnitCode.EF3 || !orals.Any(u => u.Unit == UnitCode.U61))
                .Select(o => o.BlockMinutes + (o.Unit == UnitCode.U61 && orals.FirstOrDefault(e => e.Unit == UnitCode.EF3) is { } chained ? chained.BlockMinutes : 0))
                .ToList();
            kinds[key] = new Kind
            {
                Academy = candidate.Academy,
                Blocks = blocks,
                Orals = orals,
                Eligible = orals.ToDictionary(o => o, o => eligible[o]),
                Whole = orals.Select(o => (IEnumerable<CentreDay>)eligible[o]).Aggregate((a, b) => a.Intersect(b)).ToList(),
                Demand = Demand(orals, language),
                ProfessionalMinutes = orals.Where(o => o.Unit is UnitCode.E4 or UnitCode.U61).Select(o => o.Timing.ExamMinutes).ToList(),
                Count = 1,
            };
        }
        return [.. kinds.Values];
    }

    /// <summary>
    /// What one candidate of a kind needs, in minutes: each seat that one discipline alone may fill (an EF1 seat by a
    /// teacher of the language), the seats only teachers of the professional courses may fill, rooms and preparation seats.
    /// </summary>
    private static Dictionary<string, double> Demand(IEnumerable<Oral> orals, string language)
    {
        var demand = new Dictionary<string, double>();
        void Add(string key, double minutes) => demand[key] = demand.GetValueOrDefault(key) + minutes;
        foreach (var oral in orals)
        {
            var exam = oral.Timing.ExamMinutes;
            Add(Rooms, exam);
            if (oral.Timing.PreparationMinutes > 0) Add(Preparation, oral.Timing.PreparationMinutes);
            foreach (var seat in UnitCatalogue.Get(oral.Unit).Commission.Where(s => !s.Optional))
            {
                if (seat.AnyOf.Count == 1)
                {
                    Add(seat.AnyOf[0].ToString(), exam);
                    if (oral.Unit == UnitCode.EF1) Add(LanguagePrefix + language, exam);
                }
                if (seat.AnyOf.All(d => d is Discipline.EcoGestion or Discipline.Sti)) Add(ProfessionalCourses, exam);
            }
        }
        return demand;
    }
}
