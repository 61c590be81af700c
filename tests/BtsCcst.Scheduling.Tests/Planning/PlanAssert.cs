using BtsCcst.Domain;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>What every planner test checks of a plan.</summary>
internal static class PlanAssert
{
    /// <summary>The independent validator finds no broken hard rule, and every oral is either scheduled or reported unplaced.</summary>
    public static void KeepsEveryRule(PlanningInstance instance, PlanResult result)
    {
        var violations = ScheduleValidator.Validate(instance, result.Exams, result.Unplaced);
        Assert.True(violations.Count == 0,
            $"{violations.Count} violation(s):\n" + string.Join("\n", violations.Take(30).Select(v => $"[{v.Rule}] {v.Message}")));
        Assert.Equal(instance.Candidates.Sum(c => c.Orals.Distinct().Count()), result.Exams.Count + result.Unplaced.Count);
    }

    /// <summary>
    /// Each exam lists only the members who examine it (§2, each unit's commission): a U62 exactly one STI and one
    /// économie-gestion teacher, never a professional; an EF2 two members. Returns the number of U62 exams checked.
    /// </summary>
    public static int OnlySeatedExaminers(PlanningInstance instance, IReadOnlyList<ScheduledExam> exams)
    {
        var disciplines = instance.Examiners.ToDictionary(e => e.Id, e => e.Discipline);
        var u62 = exams.Where(e => e.Unit == UnitCode.U62).ToList();
        var outside = u62.Where(e => !e.ExaminerIds.Select(id => disciplines[id]).Order().SequenceEqual([Discipline.EcoGestion, Discipline.Sti])).ToList();
        Assert.True(outside.Count == 0, $"{outside.Count} U62 exam(s) with a member outside its seats: "
                                        + string.Join("; ", outside.Take(5).Select(e => $"{e.CandidateNumber} {e.CommissionId} [{string.Join(",", e.ExaminerIds)}]")));
        Assert.All(exams.Where(e => e.Unit == UnitCode.EF2), e => Assert.Equal(2, e.ExaminerIds.Count));
        return u62.Count;
    }

    public static void FullyPlaced(PlanResult result)
    {
        Assert.True(result.Unplaced.Count == 0,
            $"{result.Unplaced.Count} oral(s) non placé(s) :\n" + string.Join("\n", result.Unplaced.Take(20).Select(u => $"{u.CandidateNumber} {u.Unit} : {u.Reason}")));
        Assert.Empty(result.Reasons);
    }

    /// <summary>Share of the candidates with orals scheduled on a single day.</summary>
    public static double SingleDayShare(PlanResult result)
    {
        var days = result.Exams.GroupBy(e => e.CandidateNumber).Select(g => g.Select(e => e.Date).Distinct().Count()).ToList();
        return days.Count == 0 ? 1 : days.Count(d => d == 1) / (double)days.Count;
    }

    public static ScheduledExam Exam(PlanResult result, string candidate, UnitCode unit) =>
        Assert.Single(result.Exams, e => e.CandidateNumber == candidate && e.Unit == unit);

    public static void Describe(ITestOutputHelper output, PlanningInstance instance, PlanResult result, TimeSpan elapsed)
    {
        output.WriteLine($"{instance.Candidates.Count} candidates, {instance.Examiners.Count} examiners, {instance.Centres.Count} centres: "
            + $"{result.Exams.Count} exams placed, {result.Unplaced.Count} unplaced in {elapsed.TotalSeconds:0.0} s; "
            + $"objective {result.Objective:0}, bound {result.Bound:0}, optimal {result.Optimal}; single day {SingleDayShare(result):P1}; "
            + $"examiner-days {result.Exams.SelectMany(e => e.ExaminerIds.Select(x => (x, e.Date))).Distinct().Count()}");
        var spans = result.Exams.GroupBy(e => (e.CandidateNumber, e.Date)).Select(g =>
        {
            var first = g.Min(e => e.PrepStart ?? e.ExamStart);
            var last = g.Max(e => e.ExamEnd);
            var busy = g.Sum(e => (e.ExamEnd - (e.PrepStart ?? e.ExamStart)).TotalMinutes);
            return (Span: (last - first).TotalMinutes, Waiting: (last - first).TotalMinutes - busy);
        }).ToList();
        if (spans.Count > 0)
            output.WriteLine($"candidate-days {spans.Count}: mean span {spans.Average(s => s.Span):0} min, mean waiting {spans.Average(s => s.Waiting):0} min, max waiting {spans.Max(s => s.Waiting):0} min");
        foreach (var reason in result.Reasons.Take(10)) output.WriteLine("  " + reason);
    }
}
