using BtsCcst.Domain;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>Rules a plan keeps that an organiser checks by eye: EF3 after U61, extra time, pins.</summary>
public sealed class PlannerRuleTests(ITestOutputHelper output)
{
    private static readonly string[] Caen = ["CAEN-1"];

    [Fact]
    public void Ef3_follows_the_candidates_U61_at_once_before_the_same_commission()
    {
        var instance = SessionGenerator.Generate(new SessionShape(Candidates: 40, Academies: 1, CentresPerAcademy: 1, Days: 1, Seed: 7));
        var result = OralPlanner.Plan(instance, Given.Options(4));

        PlanAssert.KeepsEveryRule(instance, result);
        var withEf3 = instance.Candidates.Where(c => c.Orals.Contains(UnitCode.EF3)).ToList();
        Assert.NotEmpty(withEf3);
        foreach (var candidate in withEf3)
        {
            var u61 = PlanAssert.Exam(result, candidate.Number, UnitCode.U61);
            var ef3 = PlanAssert.Exam(result, candidate.Number, UnitCode.EF3);
            Assert.Equal((u61.CentreId, u61.Date, u61.CommissionId, u61.ExamEnd), (ef3.CentreId, ef3.Date, ef3.CommissionId, ef3.ExamStart));
            Assert.Equal(u61.ExaminerIds, ef3.ExaminerIds);
        }
    }

    [Fact]
    public void Extra_time_of_a_third_stretches_preparation_and_exam_each_rounded_up_to_5_minutes()
    {
        var instance = PlanningInstance.Of(
            [
                Given.Candidate("24001", "0141111A", [.. Given.Ponctual, UnitCode.EF1, UnitCode.EF3], extraTime: 33, language: "Espagnol"),
                Given.Candidate("24002", "0141111A", Given.Ponctual),
            ],
            [.. Given.Team("T", Caen, [Given.Monday], pairs: 2)],
            [Given.Centre("CAEN-1", [Given.Monday])]);
        var result = OralPlanner.Plan(instance, Given.Options(3));

        PlanAssert.KeepsEveryRule(instance, result);
        PlanAssert.FullyPlaced(result);
        (int Prep, int Exam) Minutes(string candidate, UnitCode unit)
        {
            var exam = PlanAssert.Exam(result, candidate, unit);
            return ((int)(exam.ExamStart - (exam.PrepStart ?? exam.ExamStart)).TotalMinutes, (int)(exam.ExamEnd - exam.ExamStart).TotalMinutes);
        }
        // 60 × 1.33 = 79.8 → 80; 20 × 1.33 = 26.6 → 30; 30 × 1.33 = 39.9 → 40.
        Assert.Equal((80, 80), Minutes("24001", UnitCode.E4));
        Assert.Equal((30, 30), Minutes("24001", UnitCode.E22));
        Assert.Equal((30, 30), Minutes("24001", UnitCode.EF1));
        Assert.Equal((0, 40), Minutes("24001", UnitCode.U61));
        Assert.Equal((0, 30), Minutes("24001", UnitCode.EF3));
        Assert.Null(PlanAssert.Exam(result, "24001", UnitCode.U61).PrepStart);
        Assert.Equal((60, 60), Minutes("24002", UnitCode.E4));
        Assert.Equal((20, 20), Minutes("24002", UnitCode.E22));
    }

    [Fact]
    public void Pins_hold_an_oral_on_its_date_and_centre_and_a_commission_with_its_members()
    {
        string[] centres = ["CAEN-1", "ROUEN-1"];
        DateOnly[] days = [Given.Monday, Given.Tuesday];
        var candidates = Enumerable.Range(1, 12).Select(i => Given.Candidate($"240{i:00}", $"01400{i % 4:00}A", Given.Ponctual)).ToList();
        var instance = PlanningInstance.Of(candidates, [.. Given.Team("T", centres, days, pairs: 4)],
            [Given.Centre("CAEN-1", days), Given.Centre("ROUEN-1", days)]) with
        {
            OralPins =
            [
                new OralPin("24001", UnitCode.E4, Given.Tuesday, "ROUEN-1"),
                new OralPin("24002", UnitCode.U62, Given.Monday, null),
                new OralPin("24003", UnitCode.E22, null, "ROUEN-1"),
            ],
            CommissionPins = [new CommissionPin("CAEN-1", Given.Monday, ["T-ECO2", "T-STI3"])],
        };
        var result = OralPlanner.Plan(instance, Given.Options(4));
        PlanAssert.Describe(output, instance, result, TimeSpan.Zero);

        PlanAssert.KeepsEveryRule(instance, result);
        PlanAssert.FullyPlaced(result);
        var e4 = PlanAssert.Exam(result, "24001", UnitCode.E4);
        Assert.Equal(("ROUEN-1", Given.Tuesday), (e4.CentreId, e4.Date));
        Assert.Equal(Given.Monday, PlanAssert.Exam(result, "24002", UnitCode.U62).Date);
        Assert.Equal("ROUEN-1", PlanAssert.Exam(result, "24003", UnitCode.E22).CentreId);
        var pinned = result.Exams.Where(e => e.CentreId == "CAEN-1" && e.Date == Given.Monday && e.ExaminerIds.Order().SequenceEqual(["T-ECO2", "T-STI3"])).ToList();
        Assert.NotEmpty(pinned);
        Assert.Single(pinned.Select(e => e.CommissionId).Distinct());
        // Nobody else sits with the pinned members that day.
        Assert.DoesNotContain(result.Exams, e => e.Date == Given.Monday && e.ExaminerIds.Intersect(["T-ECO2", "T-STI3"]).Any() && e.ExaminerIds.Count != 2);
    }

    [Fact]
    public void A_commission_pin_that_cannot_hold_is_reported_and_the_rest_is_planned()
    {
        var instance = PlanningInstance.Of(
            [Given.Candidate("24001", "0141111A", Given.Ponctual)],
            [.. Given.Team("T", Caen, [Given.Monday], pairs: 2)],
            [Given.Centre("CAEN-1", [Given.Monday])]) with
        {
            CommissionPins = [new CommissionPin("CAEN-1", Given.Tuesday, ["T-ECO1", "T-STI1"])],
        };
        var result = OralPlanner.Plan(instance, Given.Options(2));

        Assert.Empty(result.Unplaced);
        var reason = Assert.Single(result.Reasons);
        Assert.Contains("CAEN-1", reason);
        Assert.Contains("2024-05-28", reason);
        Assert.Equal(4, result.Exams.Count);
    }

    [Fact]
    public void Progress_is_reported_up_to_every_oral_placed()
    {
        var instance = SessionGenerator.Generate(new SessionShape(Candidates: 20, Academies: 1, CentresPerAcademy: 1, Days: 1));
        var reports = new List<PlanningProgress>();
        var result = OralPlanner.Plan(instance, Given.Options(2), new SynchronousProgress(reports.Add));

        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Equal(instance.Candidates.Sum(c => c.Orals.Count), r.Total));
        Assert.Equal(result.Exams.Count, reports[^1].Placed);
        Assert.Contains(reports, r => r.Objective is not null);
    }

    [Fact]
    public void Cancelling_stops_the_run()
    {
        var instance = SessionGenerator.Generate(new SessionShape(Candidates: 40, Academies: 1, CentresPerAcademy: 1, Days: 1));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => OralPlanner.Plan(instance, Given.Options(60), cancellationToken: cancellation.Token));
        // Well before the minute it was given, even on a machine busy with other tests.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{clock.Elapsed.TotalSeconds:0.0} s");
    }

    private sealed class SynchronousProgress(Action<PlanningProgress> report) : IProgress<PlanningProgress>
    {
        private readonly Lock gate = new();

        public void Report(PlanningProgress value)
        {
            lock (gate) report(value);
        }
    }
}
