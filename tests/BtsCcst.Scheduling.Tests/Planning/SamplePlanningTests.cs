using System.Diagnostics;
using BtsCcst.PlanningBenchmarks;
using BtsCcst.SampleGenerator;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>The project's own sample sessions (ops/sample), planned as the server plans them.</summary>
public sealed class SamplePlanningTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(SampleSize.Small, 8)]
    [InlineData(SampleSize.Academy, 20)]
    public void A_sample_is_planned_with_only_the_members_each_unit_names(SampleSize size, int seconds)
    {
        var sample = Instances.Build(size, 42);
        var clock = Stopwatch.StartNew();
        var result = OralPlanner.Plan(sample.Instance, new PlannerOptions(TimeSpan.FromSeconds(seconds), Seed: 1));
        PlanAssert.Describe(output, sample.Instance, result, clock.Elapsed);

        PlanAssert.KeepsEveryRule(sample.Instance, result);
        Assert.True(PlanAssert.OnlySeatedExaminers(sample.Instance, result.Exams) > 0);
    }
}
