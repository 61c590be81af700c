using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>
/// The second group's contrôle orals (deliberation.md "Second group"): 20 minutes of preparation then 20 minutes before
/// one teacher of the discipline, planned with the same rules and checked by the same validator.
/// </summary>
public sealed class SecondGroupPlanningTests
{
    private static readonly string[] Caen = ["CAEN-1"];
    private static readonly DateOnly ControleDay = new(2024, 6, 24);

    [Fact]
    public void Contrôle_orals_are_planned_before_one_teacher_of_their_discipline_never_of_the_candidates_school()
    {
        var candidates = Enumerable.Range(1, 12).Select(i => Given.Candidate($"24{i:000}", i % 3 == 0 ? "0140001A" : "0141111A",
            (i % 3) switch { 0 => [UnitCode.C_E1, UnitCode.C_E2], 1 => [UnitCode.C_E1, UnitCode.C_E3], _ => [UnitCode.C_E2, UnitCode.C_E3] })).ToArray();
        var instance = PlanningInstance.Of(
            candidates,
            [
                Given.Examiner("LET1", Discipline.Lettres, "0140001A", Caen, [ControleDay]),
                Given.Examiner("LET2", Discipline.Lettres, "0149999Z", Caen, [ControleDay]),
                Given.Examiner("ANG1", Discipline.Anglais, "0149998Y", Caen, [ControleDay], languages: ["anglais"]),
                Given.Examiner("ECO1", Discipline.EcoGestion, "0149997X", Caen, [ControleDay]),
                // Of no use in a contrôle commission, and not called in one.
                Given.Examiner("STI1", Discipline.Sti, "0149996W", Caen, [ControleDay]),
            ],
            [Given.Centre("CAEN-1", [ControleDay])]);

        var result = OralPlanner.Plan(instance, Given.Options(4));

        PlanAssert.KeepsEveryRule(instance, result);
        PlanAssert.FullyPlaced(result);
        var expected = new Dictionary<UnitCode, string> { [UnitCode.C_E1] = "LET", [UnitCode.C_E2] = "ANG", [UnitCode.C_E3] = "ECO" };
        foreach (var exam in result.Exams)
        {
            Assert.StartsWith(expected[exam.Unit], Assert.Single(exam.ExaminerIds));
            Assert.Equal((20, 20), ((int)(exam.ExamStart - exam.PrepStart!.Value).TotalMinutes, (int)(exam.ExamEnd - exam.ExamStart).TotalMinutes));
        }
        // LET1 teaches in the school of candidates 24003, 24006, ...: their C_E1 goes to LET2.
        Assert.All(result.Exams.Where(e => e.Unit == UnitCode.C_E1 && int.Parse(e.CandidateNumber[2..]) % 3 == 0),
            e => Assert.Equal(["LET2"], e.ExaminerIds));
    }

    [Fact]
    public void Without_a_lettres_teacher_the_C_E1_orals_are_listed_unplaced_with_the_reason_and_the_others_planned()
    {
        var instance = PlanningInstance.Of(
            [Given.Candidate("24001", "0141111A", [UnitCode.C_E1, UnitCode.C_E3]), Given.Candidate("24002", "0141111A", [UnitCode.C_E2, UnitCode.C_E3])],
            [
                Given.Examiner("ANG1", Discipline.Anglais, "0149998Y", Caen, [ControleDay], languages: ["anglais"]),
                Given.Examiner("ECO1", Discipline.EcoGestion, "0149997X", Caen, [ControleDay]),
            ],
            [Given.Centre("CAEN-1", [ControleDay])]);

        var result = OralPlanner.Plan(instance, Given.Options(3));

        PlanAssert.KeepsEveryRule(instance, result);
        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal(("24001", UnitCode.C_E1), (unplaced.CandidateNumber, unplaced.Unit));
        Assert.Contains("lettres", unplaced.Reason);
        Assert.Equal(3, result.Exams.Count);
    }
}
