using System.Diagnostics;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>The sizes the issue asks to plan: small and academy (national, a performance target, is measured by ops/bench/plan.sh).</summary>
public sealed class PlannerSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void Small_session_of_40_candidates_in_one_centre_and_one_day_is_fully_placed()
    {
        var instance = SessionGenerator.Generate(new SessionShape(Candidates: 40, Academies: 1, CentresPerAcademy: 1, Days: 1));
        var clock = Stopwatch.StartNew();
        var result = OralPlanner.Plan(instance, new PlannerOptions(TimeSpan.FromSeconds(8), Seed: 1));
        PlanAssert.Describe(output, instance, result, clock.Elapsed);

        PlanAssert.KeepsEveryRule(instance, result);
        PlanAssert.FullyPlaced(result);
        PlanAssert.OnlySeatedExaminers(instance, result.Exams);
    }

    [Fact]
    public void Academy_session_of_400_candidates_in_4_centres_over_4_days_is_fully_placed_with_most_candidates_on_one_day()
    {
        var instance = SessionGenerator.Generate(new SessionShape(Candidates: 400, Academies: 1, CentresPerAcademy: 4, Days: 4));
        var clock = Stopwatch.StartNew();
        var result = OralPlanner.Plan(instance, new PlannerOptions(TimeSpan.FromSeconds(20), Seed: 1));
        PlanAssert.Describe(output, instance, result, clock.Elapsed);

        PlanAssert.KeepsEveryRule(instance, result);
        PlanAssert.FullyPlaced(result);
        Assert.True(PlanAssert.SingleDayShare(result) >= 0.95);
        Assert.True(PlanAssert.OnlySeatedExaminers(instance, result.Exams) > 0);
    }
}
