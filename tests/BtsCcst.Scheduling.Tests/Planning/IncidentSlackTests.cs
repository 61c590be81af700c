using BtsCcst.Domain;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>
/// Room for incidents (PlannerWeights.LateInDayMinute): a sparse day keeps its last 90 minutes free when the organiser
/// weighs a minute there as three of waiting (the default, 1, trades it against examiner-days and waiting: this day then
/// still ended at 17:40 with some candidates, against 18:00 without the goal).
/// </summary>
public sealed class IncidentSlackTests(ITestOutputHelper output)
{
    private static readonly string[] Caen = ["CAEN-1"];

    private static PlanningInstance SparseDay() => PlanningInstance.Of(
        [.. Enumerable.Range(1, 6).Select(k => Given.Candidate($"2400{k}", $"014{k}111A", Given.Ponctual))],
        [.. Given.Team("T", Caen, [Given.Monday], pairs: 3)],
        [Given.Centre("CAEN-1", [Given.Monday])]);

    [Fact]
    public void A_sparse_day_leaves_its_last_90_minutes_free_for_late_candidates_at_a_weight_of_3()
    {
        var instance = SparseDay();
        var result = OralPlanner.Plan(instance, Given.Options(4) with { Weights = PlannerWeights.Default with { LateInDayMinute = 3 } });
        foreach (var commission in result.Exams.GroupBy(e => e.CommissionId))
            output.WriteLine($"{commission.Key}: {commission.Min(e => e.PrepStart ?? e.ExamStart)}–{commission.Max(e => e.ExamEnd)}");

        PlanAssert.KeepsEveryRule(instance, result);
        PlanAssert.FullyPlaced(result);
        // The centre closes at 18:00: every commission has finished by 16:30.
        Assert.All(result.Exams, e => Assert.True(e.ExamEnd <= new TimeOnly(16, 30), $"{e.CandidateNumber} {e.Unit} ends at {e.ExamEnd}"));
    }

    [Fact]
    public void A_weight_of_0_gives_the_goal_up()
    {
        var weights = PlannerWeights.Default with { LateInDayMinute = 0 };
        var result = OralPlanner.Plan(SparseDay(), Given.Options(4) with { Weights = weights });

        PlanAssert.KeepsEveryRule(SparseDay(), result);
        PlanAssert.FullyPlaced(result);
    }
}
