using System.Diagnostics;
using BtsCcst.PlanningBenchmarks;
using BtsCcst.SampleGenerator;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>
/// The project's own sample sessions (ops/sample), planned as the server plans them. What a plan places in its time
/// depends on the processor it gets: these run alone, after the other tests (<see cref="PlanningQuality"/>).
/// </summary>
[Collection(nameof(PlanningQuality))]
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

    /// <summary>
    /// Written-exam days inside the oral window (15 May: 210 free minutes in Métropole, less than many candidates'
    /// orals) at every other centre: every oral the greedy baseline (which splits a candidate over days when no day
    /// takes them all) places, the planner places too, with no broken rule.
    /// </summary>
    [Theory]
    [InlineData("written-days", 20)]
    [InlineData("hard", 40)]
    public void With_written_exam_days_in_the_window_the_academy_sample_places_every_oral_the_greedy_places(string shape, int seconds)
    {
        var sample = Instances.Build(SampleSize.Academy, 42, SampleShape.Named[shape]);
        var greedy = GreedyFirstFit.Plan(sample.Instance);
        var clock = Stopwatch.StartNew();
        var result = OralPlanner.Plan(sample.Instance, new PlannerOptions(TimeSpan.FromSeconds(seconds), Seed: 1));
        PlanAssert.Describe(output, sample.Instance, result, clock.Elapsed);
        output.WriteLine($"greedy: {greedy.Exams.Count} placed, {greedy.Unplaced.Count} unplaced; single day {PlanAssert.SingleDayShare(new PlanResult(greedy.Exams, greedy.Unplaced, [], 0, 0, false)):P1}");
        foreach (var u in result.Unplaced.Take(10)) output.WriteLine($"  {u.CandidateNumber} {u.Unit}: {u.Reason}");

        PlanAssert.KeepsEveryRule(sample.Instance, result);
        PlanAssert.OnlySeatedExaminers(sample.Instance, result.Exams);
        Assert.True(result.Unplaced.Count <= greedy.Unplaced.Count,
            $"{result.Unplaced.Count} orals unplaced by the planner, {greedy.Unplaced.Count} by the greedy baseline");
        Assert.True(result.SessionBound is { } bound && bound <= result.Objective, $"session bound {result.SessionBound}, plan {result.Objective}");
    }

    /// <summary>
    /// The national size (3,000 candidates, 30 centres) with written-exam days in the window at half the centres, at 60 s
    /// (the server's default is 120 s): about 80 s in all on 2 cores.
    /// </summary>
    [Fact]
    public void With_written_exam_days_in_the_window_the_national_sample_places_every_oral_the_greedy_places()
    {
        var sample = Instances.Build(SampleSize.National, 42, SampleShape.WrittenDays);
        Assert.Contains(sample.Instance.Centres, c => c.Dates.Contains(SampleShape.FirstOralDayWithWrittenExams));
        var greedy = GreedyFirstFit.Plan(sample.Instance);
        var clock = Stopwatch.StartNew();
        var result = OralPlanner.Plan(sample.Instance, new PlannerOptions(TimeSpan.FromSeconds(60), Seed: 1));
        PlanAssert.Describe(output, sample.Instance, result, clock.Elapsed);
        output.WriteLine($"greedy: {greedy.Exams.Count} placed, {greedy.Unplaced.Count} unplaced");

        PlanAssert.KeepsEveryRule(sample.Instance, result);
        Assert.True(PlanAssert.OnlySeatedExaminers(sample.Instance, result.Exams) > 0);
        Assert.True(result.Unplaced.Count <= greedy.Unplaced.Count,
            $"{result.Unplaced.Count} orals unplaced by the planner, {greedy.Unplaced.Count} by the greedy baseline");
        Assert.True(result.SessionBound is { } bound && bound <= result.Objective, $"session bound {result.SessionBound}, plan {result.Objective}");
    }
}

/// <summary>Tests that judge what the planner achieves in its time limit: not run beside other tests on 2 cores.</summary>
[CollectionDefinition(nameof(PlanningQuality), DisableParallelization = true)]
public sealed class PlanningQuality;
