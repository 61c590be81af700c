namespace BtsCcst.Scheduling;

/// <summary>
/// Weights of the soft goals of oral planning. Every hard rule is kept whatever the weights; these only
/// rank the plans that keep them. Costs are counted in minutes (or in units of one exam, one day) and
/// multiplied by the weight; placing an exam always outweighs every soft goal (<see cref="Unplaced"/>).
/// </summary>
/// <param name="Unplaced">Cost of one oral left unplaced (and of a pinned commission left without a candidate).
/// Default 100 000: more than placing one oral can cost in all the other goals, so that the planner never leaves an
/// oral out to improve another goal.</param>
/// <param name="ExtraDay">Cost of each day a candidate must come beyond the first (each centre-day: two centres on one
/// date count as two days). Default 1 000. The assignment
/// phase puts all of a candidate's orals on one centre-day unless pins forbid it; when some cannot be placed there,
/// a positive weight moves the candidate's whole day elsewhere (one day, the orals re-planned), 0 moves only the orals
/// left out (the candidate then comes twice). Counted in <see cref="PlanResult.Objective"/>.</param>
/// <param name="WaitingMinute">Cost of one minute of a candidate's day between their first preparation and the end
/// of their last exam (their waiting, since the busy minutes are fixed). Default 1.</param>
/// <param name="NoProfessional">Cost of an E4 or U61 examined by a commission without a professional. Default 100: more
/// than an examiner-day, so that a professional who is available and has an E4 or U61 to examine is called rather than sent
/// home to save their day (the circular wants one in the commission "dans la mesure du possible"); with 30, a professional
/// with one or two E4 that day was not worth calling once a pair could examine alone.</param>
/// <param name="ExaminerDay">Cost of each examiner called for a day. Default 60 (one examiner-day is worth an hour of
/// candidates' waiting).</param>
/// <param name="LoadBalanceMinute">Cost of one minute of the heaviest commission's examining time in a centre-day,
/// which spreads the exams over the commissions that are called. Default 1.</param>
/// <param name="LateInDayMinute">Room for incidents: cost of each minute a candidate's last exam runs into the last
/// <paramref name="IncidentSlackMinutes"/> of their centre-day (the end of its last free stretch), so that candidates
/// and commissions are convoked early and the end of the day stays free for a late candidate or an examiner replaced.
/// Default 1, as a minute of waiting. The goal competes with waiting and examiner-days: on the national sample at 60 s,
/// the default raised the mean waiting from 69 to 77 minutes (examiner-days unchanged), a weight of 2 to 108 and 3 to 129,
/// while a sparse day of 6 candidates keeps its last 90 minutes free only from 3 (with 1 it ended at 17:40 instead of
/// 18:00). 0 gives the goal up.</param>
/// <param name="IncidentSlackMinutes">The end of each centre-day kept free by <paramref name="LateInDayMinute"/>.
/// Default 90, the longest delay a late candidate is expected to have (30 to 90 minutes).</param>
public sealed record PlannerWeights(
    int Unplaced = 100_000,
    int ExtraDay = 1_000,
    int WaitingMinute = 1,
    int NoProfessional = 100,
    int ExaminerDay = 60,
    int LoadBalanceMinute = 1,
    int LateInDayMinute = 1,
    int IncidentSlackMinutes = 90)
{
    /// <summary>The documented defaults.</summary>
    public static PlannerWeights Default { get; } = new();
}

/// <summary>How long and how the planner may search.</summary>
/// <param name="TimeLimit">Wall-clock budget of the whole run (checks, assignment, every sub-model).</param>
/// <param name="Workers">CP-SAT search workers (threads) of each sub-model.</param>
/// <param name="Weights">Soft-goal weights; <see cref="PlannerWeights.Default"/> when null.</param>
/// <param name="Seed">Random seed of the solver, for repeatable runs.</param>
public sealed record PlannerOptions(TimeSpan TimeLimit, int Workers = 2, PlannerWeights? Weights = null, int? Seed = null);

/// <summary>Where a planning run is: its phase, the time spent, the objective and bound of the current sub-model,
/// and how many orals are placed out of all the orals to plan.</summary>
public sealed record PlanningProgress(string Phase, TimeSpan Elapsed, double? Objective, double? Bound, int Placed, int Total);

/// <summary>
/// The outcome of a planning run. <see cref="Exams"/> is the schedule (rows of schedule.csv), <see cref="Unplaced"/> the
/// orals that could not be placed, each with its reason, <see cref="Reasons"/> the causes in terms an organiser acts on
/// (in French). <see cref="Objective"/> and <see cref="Bound"/> sum the sub-models' objectives and bounds;
/// <see cref="Optimal"/> is true only when every sub-model was solved to optimality and no oral moved between
/// centre-days (the decomposition itself is heuristic, see <see cref="OralPlanner"/>). <see cref="Bound"/> holds for the
/// decomposition's choices only (the centre-days as assigned); <see cref="SessionBound"/> holds for every plan of the
/// instance (<see cref="Planning.SessionBound"/>, a linear relaxation), null when its solver did not finish in its share of
/// the time.
/// </summary>
public sealed record PlanResult(
    IReadOnlyList<ScheduledExam> Exams,
    IReadOnlyList<UnplacedOral> Unplaced,
    IReadOnlyList<string> Reasons,
    double Objective,
    double Bound,
    bool Optimal,
    double? SessionBound = null);
