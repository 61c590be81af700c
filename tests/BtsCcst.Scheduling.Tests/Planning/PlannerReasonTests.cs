using System.Text.RegularExpressions;
using BtsCcst.Domain;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>When no plan places everything: the orals left out, each with a reason an organiser acts on, and the rest planned.</summary>
public sealed partial class PlannerReasonTests(ITestOutputHelper output)
{
    private static readonly string[] Caen = ["CAEN-1"];

    [Fact]
    public void Too_few_STI_examiners_leaves_E4_U61_U62_unplaced_with_the_centre_the_date_and_the_counts_and_plans_the_rest()
    {
        var instance = SessionGenerator.Generate(new SessionShape(Candidates: 40, Academies: 1, CentresPerAcademy: 1, Days: 1, StiShare: 0.1));
        var result = OralPlanner.Plan(instance, Given.Options(5));
        PlanAssert.Describe(output, instance, result, TimeSpan.Zero);

        PlanAssert.KeepsEveryRule(instance, result);
        Assert.NotEmpty(result.Unplaced);
        Assert.All(result.Unplaced, u => Assert.Contains(u.Unit, new[] { UnitCode.E4, UnitCode.U61, UnitCode.U62, UnitCode.EF2, UnitCode.EF3 }));
        Assert.Contains(result.Unplaced, u => u.Unit == UnitCode.E4);
        foreach (var unplaced in result.Unplaced.Where(u => u.Unit is UnitCode.E4 or UnitCode.U61 or UnitCode.U62))
        {
            Assert.Contains("STI", unplaced.Reason);
            Assert.Contains("NORM0-1", unplaced.Reason);
            Assert.Contains("2024-05-27", unplaced.Reason);
        }
        var shortage = Assert.Single(result.Reasons, r => r.Contains("demandent un examinateur STI"));
        Assert.Matches(ShortageCounts(), shortage);
        // The rest is planned: every English and language oral, and as many orals needing STI as the two STI teachers can take.
        Assert.Equal(instance.Candidates.Count(c => c.Orals.Contains(UnitCode.E22)), result.Exams.Count(e => e.Unit == UnitCode.E22));
        Assert.Equal(instance.Candidates.Count(c => c.Orals.Contains(UnitCode.EF1)), result.Exams.Count(e => e.Unit == UnitCode.EF1));
        Assert.Contains(result.Exams, e => e.Unit is UnitCode.U61 or UnitCode.U62);
    }

    [GeneratedRegex(@"\d+ épreuves \(E4 ×\d+.*\) demandent un examinateur STI, soit \d+ min.* ; \d+ examinateurs STI disponibles")]
    private static partial Regex ShortageCounts();

    [Fact]
    public void An_oral_pinned_to_a_day_of_written_exam_that_leaves_no_room_for_it_is_reported_and_the_rest_is_planned()
    {
        // On Tuesday 14 May the written E3 runs 14:00-18:00 (Annexe 2): the centre, open from 12:00 with lunch until 12:30,
        // has 90 minutes free, less than the E4's 2 hours of preparation and exam.
        DateOnly e3Day = new(2024, 5, 14);
        DateOnly[] days = [e3Day, Given.Monday];
        var instance = PlanningInstance.Of(
            [Given.Candidate("24001", "0141111A", Given.Ponctual), Given.Candidate("24002", "0141111A", Given.Ponctual)],
            [.. Given.Team("T", Caen, days, pairs: 2)],
            [Given.Centre("CAEN-1", days, start: "12:00", lunchStart: "12:00", lunchEnd: "12:30")]) with
        {
            OralPins = [new OralPin("24001", UnitCode.E4, e3Day, "CAEN-1")],
        };
        var result = OralPlanner.Plan(instance, Given.Options(3));
        PlanAssert.Describe(output, instance, result, TimeSpan.Zero);

        PlanAssert.KeepsEveryRule(instance, result);
        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal(("24001", UnitCode.E4), (unplaced.CandidateNumber, unplaced.Unit));
        Assert.Contains("2024-05-14", unplaced.Reason);
        Assert.Contains("E3 14:00-18:00", unplaced.Reason);
        Assert.Contains("120 min", unplaced.Reason);
        Assert.Equal(7, result.Exams.Count);
    }

    [Fact]
    public void Examiners_all_of_the_candidates_school_leave_their_orals_unplaced_with_the_school_named()
    {
        DateOnly[] days = [Given.Monday];
        var instance = PlanningInstance.Of(
            [
                Given.Candidate("24001", "0141111A", Given.Ponctual),
                Given.Candidate("24002", "0141111A", Given.Ponctual),
                Given.Candidate("24003", "0762222B", Given.Ponctual),
            ],
            [
                Given.Examiner("ECO1", Discipline.EcoGestion, "0141111A", Caen, days),
                Given.Examiner("ECO2", Discipline.EcoGestion, "0141111A", Caen, days),
                Given.Examiner("STI1", Discipline.Sti, "0141111A", Caen, days),
                Given.Examiner("STI2", Discipline.Sti, "0141111A", Caen, days),
                Given.Examiner("ANG1", Discipline.Anglais, "0500000C", Caen, days, languages: ["anglais"]),
            ],
            [Given.Centre("CAEN-1", days)]);
        var result = OralPlanner.Plan(instance, Given.Options(3));
        PlanAssert.Describe(output, instance, result, TimeSpan.Zero);

        PlanAssert.KeepsEveryRule(instance, result);
        Assert.Equal(6, result.Unplaced.Count);
        Assert.All(result.Unplaced, u =>
        {
            Assert.Contains(u.CandidateNumber, new[] { "24001", "24002" });
            Assert.Contains("0141111A", u.Reason);
            Assert.Contains("établissement", u.Reason);
        });
        // The English orals of the school's candidates and every oral of the other school's candidate are planned.
        Assert.Equal(2, result.Exams.Count(e => e.CandidateNumber is "24001" or "24002"));
        Assert.Equal(4, result.Exams.Count(e => e.CandidateNumber == "24003"));
    }

    [Fact]
    public void Candidates_of_an_academy_no_centre_serves_are_reported_with_the_academy_named()
    {
        var instance = PlanningInstance.Of(
            [Given.Candidate("24001", "0141111A", Given.Ponctual), Given.Candidate("24002", "0311111A", Given.Ponctual, academy: "TOULOUSE")],
            [.. Given.Team("T", Caen, [Given.Monday], pairs: 1)],
            [Given.Centre("CAEN-1", [Given.Monday])]);
        var result = OralPlanner.Plan(instance, Given.Options(2));

        PlanAssert.KeepsEveryRule(instance, result);
        Assert.Equal(4, result.Exams.Count(e => e.CandidateNumber == "24001"));
        Assert.Equal(4, result.Unplaced.Count(u => u.CandidateNumber == "24002" && u.Reason.Contains("TOULOUSE")));
        Assert.Contains(result.Reasons, r => r.Contains("TOULOUSE"));
    }
}
