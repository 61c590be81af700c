using BtsCcst.Domain;
using BtsCcst.Scheduling.Planning;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>
/// The lower bounds of a centre-day (<see cref="CentreDayBound"/>, and the redundant constraints they put in
/// <see cref="CentreDayModel"/>) never exceed the optimum: on tiny days solved to optimality, with and without the
/// redundant constraints.
/// </summary>
public sealed class CentreDayBoundTests
{
    private static readonly string[] Caen = ["CAEN-1"];
    private const string School = "0141111A";

    [Fact]
    public void Shortest_day_of_a_candidate_counts_the_gaps_and_the_lunch_break_when_their_orals_fit_no_single_stretch()
    {
        var instance = PlanningInstance.Of(
            [
                Given.Candidate("24001", School, Given.Ponctual),
                Given.Candidate("24002", School, [.. Given.Ponctual, UnitCode.EF1], language: "Espagnol"),
                Given.Candidate("24003", School, [.. Given.Ponctual, UnitCode.EF3]),
            ],
            [.. Given.Team("T", Caen, [Given.Monday], pairs: 2)],
            [Given.Centre("CAEN-1", [Given.Monday])]);
        var problem = Assert.Single(Problems(instance));

        // 08:00-12:00 and 13:30-18:00. E22 40 + E4 120 + U61 30 + U62 30 minutes and three 10-minute gaps: 250, the afternoon.
        Assert.Equal(250, Span(problem, "24001"));
        // With EF1 (40): 300 fit no stretch; split over both, the lunch break replaces one gap: 260 + 3 × 10 + 90.
        Assert.Equal(380, Span(problem, "24002"));
        // With EF3 (20), right after U61 with no gap: 240 + 3 × 10, the afternoon exactly.
        Assert.Equal(270, Span(problem, "24003"));
    }

    public static TheoryData<string, int, int> Days => new()
    {
        { "team", 60, 1 },
        { "team", 500, 5 },
        { "short professional", 60, 1 },
        { "own school", 60, 1 },
        { "own school", 400, 3 },
    };

    [Theory]
    [MemberData(nameof(Days))]
    public void Bounds_never_exceed_the_optimum_of_the_centre_day(string day, int examinerDay, int loadBalance)
    {
        var weights = PlannerWeights.Default with { ExaminerDay = examinerDay, LoadBalanceMinute = loadBalance };
        var problem = Assert.Single(Problems(Tiny(day)));
        var hint = GreedyScheduler.Schedule(problem);

        var plain = CentreDayModel.Solve(problem, hint, weights, 60, 2, 1, null, CancellationToken.None, redundant: false);
        var strengthened = CentreDayModel.Solve(problem, hint, weights, 60, 2, 1, null, CancellationToken.None);
        Assert.True(plain.Optimal, "the tiny day is solved to optimality without the redundant constraints");
        Assert.True(strengthened.Optimal, "the tiny day is solved to optimality with the redundant constraints");
        var optimum = PlanCost.Evaluate(problem, plain.Placements, weights);

        // The redundant constraints cut off no optimal plan.
        Assert.Equal(optimum, PlanCost.Evaluate(problem, strengthened.Placements, weights));
        Assert.Equal(optimum, strengthened.Objective);
        var bound = CentreDayBound.Evaluate(problem, weights);
        Assert.True(bound <= optimum, $"bound {bound} above the optimum {optimum}");
        // Not vacuous: every candidate's shortest day at least.
        Assert.True(bound >= Enumerable.Range(0, problem.Candidates.Count).Sum(k => CentreDayBound.MinimumSpanSlots(problem, k)) * CentreDayProblem.Slot);
        Assert.True(plain.Bound <= optimum && strengthened.Bound <= optimum);
    }

    [Fact]
    public void A_plan_of_the_planner_costs_at_least_its_bound_and_the_bound_counts_more_than_busy_minutes()
    {
        var instance = SessionGenerator.Generate(new SessionShape(Candidates: 20, Academies: 1, CentresPerAcademy: 1, Days: 1, Seed: 3));
        var result = OralPlanner.Plan(instance, Given.Options(4));

        PlanAssert.KeepsEveryRule(instance, result);
        Assert.True(result.Bound <= result.Objective);
        var problem = Assert.Single(Problems(instance));
        var busy = problem.Jobs.Sum(j => j.PrepSlots + j.ExamSlots) * CentreDayProblem.Slot;
        Assert.True(result.Bound > busy, $"bound {result.Bound}, busy minutes {busy}");
    }

    /// <summary>Two or three candidates and two pairs: small enough for the solver to prove the optimum.</summary>
    private static PlanningInstance Tiny(string day)
    {
        var monday = new[] { Given.Monday };
        var candidates = new List<PlanningCandidate>
        {
            Given.Candidate("24001", School, [.. Given.Ponctual, UnitCode.EF3]),
            Given.Candidate("24002", School, [.. Given.Ponctual, UnitCode.EF1], extraTime: 33, language: "Espagnol"),
        };
        var examiners = Given.Team("T", Caen, monday, pairs: 2).ToList();
        switch (day)
        {
            case "short professional":
                examiners.RemoveAll(e => e.Id == "T-PRO2");
                examiners[examiners.FindIndex(e => e.Id == "T-PRO1")] = Given.Examiner("T-PRO1", Discipline.Professionnel, "", Caen, monday, maxMinutes: 90);
                break;
            case "own school":
                // A third pair from the candidates' school, who may examine only the candidate from elsewhere.
                examiners.Add(Given.Examiner("T-ECO9", Discipline.EcoGestion, School, Caen, monday));
                examiners.Add(Given.Examiner("T-STI9", Discipline.Sti, School, Caen, monday));
                candidates.Add(Given.Candidate("24003", "0149999Z", Given.Ponctual));
                break;
        }
        return PlanningInstance.Of(candidates, examiners, [Given.Centre("CAEN-1", [Given.Monday], rooms: 3, prepSeats: 3)]);
    }

    private static int Span(CentreDayProblem problem, string number) =>
        CentreDayBound.MinimumSpanSlots(problem, problem.Candidates.ToList().FindIndex(c => c.Number == number)) * CentreDayProblem.Slot;

    /// <summary>The centre-day problems as the planner forms them (checks, staffing, assignment, commissions).</summary>
    private static List<CentreDayProblem> Problems(PlanningInstance instance)
    {
        var (session, staff, assigned) = StaffingTests.Staffed(instance);
        return session.CentreDays.Where(d => assigned[d].Count > 0)
            .Select(d => new CentreDayProblem(d, CommissionFormation.Form([], staff[d], assigned[d]), assigned[d], new Dictionary<Oral, Placement>()))
            .ToList();
    }
}
