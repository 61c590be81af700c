using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>
/// Re-planning a published plan (<see cref="Replanning"/>): kept centre-days never change, centre-days that still keep
/// every rule stay as they are, what must change is re-planned, and the whole plan keeps every rule of the new instance.
/// </summary>
public sealed class ReplanningTests
{
    private static readonly SessionShape Shape = new(Candidates: 90, Academies: 1, CentresPerAcademy: 2, Days: 3, Seed: 7);
    private static readonly Lazy<(PlanningInstance Instance, PlanResult Plan)> Published = new(() =>
    {
        var instance = SessionGenerator.Generate(Shape);
        return (instance, OralPlanner.Plan(instance, Given.Options(4)));
    });

    private static (PlanningInstance Instance, IReadOnlyList<ScheduledExam> Rows) Start()
    {
        var (instance, plan) = Published.Value;
        PlanAssert.FullyPlaced(plan);
        return (instance, plan.Exams);
    }

    private static HashSet<CentreDate> FirstDate(IReadOnlyList<ScheduledExam> rows) =>
        rows.Where(r => r.Date == rows.Min(x => x.Date)).Select(r => new CentreDate(r.CentreId, r.Date)).ToHashSet();

    private static PlanResult Replan(PlanningInstance instance, ReplanBasis basis, out ReplanSplit split)
    {
        split = Replanning.Split(instance, basis);
        var residual = split.Residual.Candidates.Count == 0 ? new PlanResult([], [], [], 0, 0, true) : OralPlanner.Plan(split.Residual, Given.Options(3));
        var merged = Replanning.Merge(instance, split, residual);
        PlanAssert.KeepsEveryRule(instance, merged);
        return merged;
    }

    private static void SameRowsOn(IEnumerable<CentreDate> days, IReadOnlyList<ScheduledExam> before, IReadOnlyList<ScheduledExam> after)
    {
        foreach (var day in days)
        {
            static ScheduledExam[] On(IReadOnlyList<ScheduledExam> rows, CentreDate d) =>
                [.. rows.Where(r => r.CentreId == d.CentreId && r.Date == d.Date).OrderBy(r => r.CandidateNumber, StringComparer.Ordinal).ThenBy(r => r.Unit)];
            var (b, a) = (On(before, day), On(after, day));
            Assert.True(b.Length == a.Length && b.Zip(a).All(p => Same(p.First, p.Second)), $"{day} a changé.");
        }
    }

    private static bool Same(ScheduledExam a, ScheduledExam b) => a with { ExaminerIds = [] } == b with { ExaminerIds = [] } && a.ExaminerIds.SequenceEqual(b.ExaminerIds);

    [Fact]
    public void Nothing_changed_keeps_every_row_and_plans_nothing()
    {
        var (instance, rows) = Start();
        var kept = FirstDate(rows);
        var merged = Replan(instance, new ReplanBasis(rows, kept), out var split);
        Assert.Empty(split.Residual.Candidates);
        Assert.Empty(split.ReplannedDays);
        Assert.Equal(kept.Count, split.KeptDays.Count);
        SameRowsOn(rows.Select(r => new CentreDate(r.CentreId, r.Date)).Distinct(), rows, merged.Exams);
        Assert.Equal(rows.Count, merged.Exams.Count);
    }

    [Fact]
    public void An_examiner_withdrawn_from_a_later_day_replans_only_the_days_they_sat_on()
    {
        var (instance, rows) = Start();
        var lastDate = rows.Max(r => r.Date);
        var withdrawn = rows.Where(r => r.Date == lastDate).SelectMany(r => r.ExaminerIds).First();
        var changed = instance with { Examiners = [.. instance.Examiners.Select(e => e.Id == withdrawn ? e with { Dates = e.Dates.Where(d => d != lastDate).ToHashSet() } : e)] };
        var kept = FirstDate(rows);
        var merged = Replan(changed, new ReplanBasis(rows, kept), out var split);

        var satOn = rows.Where(r => r.ExaminerIds.Contains(withdrawn) && r.Date == lastDate).Select(r => new CentreDate(r.CentreId, r.Date)).Distinct().ToArray();
        Assert.Equal(satOn.Order(), split.ReplannedDays.Order());
        SameRowsOn(split.KeptDays.Concat(split.UnchangedDays), rows, merged.Exams);
        Assert.DoesNotContain(merged.Exams, r => r.Date == lastDate && r.ExaminerIds.Contains(withdrawn));
        PlanAssert.FullyPlaced(merged with { Reasons = [] });
    }

    [Fact]
    public void A_late_registration_opens_one_day_and_its_candidates_stay_on_it()
    {
        var (instance, rows) = Start();
        var model = instance.Candidates[0];
        var late = model with { Number = "2499999", Orals = [UnitCode.E4, UnitCode.U61, UnitCode.U62] };
        var changed = instance with { Candidates = [.. instance.Candidates, late] };
        var kept = FirstDate(rows);
        var merged = Replan(changed, new ReplanBasis(rows, kept), out var split);

        var opened = Assert.Single(split.ReplannedDays);
        Assert.DoesNotContain(opened, kept);
        Assert.Equal(3, merged.Exams.Count(r => r.CandidateNumber == late.Number));
        SameRowsOn(split.KeptDays.Concat(split.UnchangedDays), rows, merged.Exams);
        // The opened day's candidates are pinned to it: nobody leaves their centre-day.
        var before = rows.Where(r => r.CentreId == opened.CentreId && r.Date == opened.Date).Select(r => (r.CandidateNumber, r.Unit)).ToHashSet();
        Assert.All(merged.Exams.Where(r => before.Contains((r.CandidateNumber, r.Unit))), r => Assert.Equal((opened.CentreId, opened.Date), (r.CentreId, r.Date)));
    }

    [Fact]
    public void A_whole_replan_keeps_the_kept_days_and_a_withdrawn_candidate_leaves_no_row()
    {
        var (instance, rows) = Start();
        var gone = rows.First(r => r.Date > rows.Min(x => x.Date)).CandidateNumber;
        var changed = instance with { Candidates = [.. instance.Candidates.Where(c => c.Number != gone)] };
        var kept = FirstDate(rows);
        var merged = Replan(changed, new ReplanBasis(rows, kept, Whole: true), out var split);

        Assert.Empty(split.UnchangedDays);
        SameRowsOn(split.KeptDays, rows.Where(r => r.CandidateNumber != gone).ToList(), merged.Exams);
        Assert.DoesNotContain(merged.Exams, r => r.CandidateNumber == gone);
        Assert.Equal(rows.Count(r => r.CandidateNumber != gone), merged.Exams.Count);
    }

    [Fact]
    public void An_oral_added_to_a_candidate_of_a_kept_day_goes_to_another_date()
    {
        var (instance, rows) = Start();
        var firstDate = rows.Min(r => r.Date);
        var candidate = instance.Candidates.First(c => !c.Orals.Contains(UnitCode.EF2) && rows.Any(r => r.CandidateNumber == c.Number && r.Date == firstDate));
        var changed = instance with { Candidates = [.. instance.Candidates.Select(c => c == candidate ? c with { Orals = [.. c.Orals, UnitCode.EF2] } : c)] };
        var kept = FirstDate(rows);
        var merged = Replan(changed, new ReplanBasis(rows, kept), out var split);

        SameRowsOn(split.KeptDays, rows, merged.Exams);
        var ef2 = PlanAssert.Exam(merged, candidate.Number, UnitCode.EF2);
        Assert.NotEqual(firstDate, ef2.Date);
    }
}
