using System.Diagnostics;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>The national size of the issue: 3,000 candidates, 30 centres, 5 days, fully placed within 60 s on 2 cores.</summary>
public sealed class NationalSizeTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Size", "National")]
    public void National_session_of_3000_candidates_in_30_centres_over_5_days_is_fully_placed_within_60_seconds()
    {
        var instance = SessionGenerator.Generate(new SessionShape(Candidates: 3000, Academies: 10, CentresPerAcademy: 3, Days: 5));
        var clock = Stopwatch.StartNew();
        var result = OralPlanner.Plan(instance, new PlannerOptions(TimeSpan.FromSeconds(50), Workers: 2, Seed: 1));
        var elapsed = clock.Elapsed;
        PlanAssert.Describe(output, instance, result, elapsed);

        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"{elapsed.TotalSeconds:0.0} s");
        PlanAssert.KeepsEveryRule(instance, result);
        PlanAssert.FullyPlaced(result);
        Assert.True(PlanAssert.SingleDayShare(result) >= 0.95, $"{PlanAssert.SingleDayShare(result):P1} on a single day");
    }
}
