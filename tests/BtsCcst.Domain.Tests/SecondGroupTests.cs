using BtsCcst.Domain;
using static BtsCcst.Domain.UnitCode;

namespace BtsCcst.Domain.Tests;

/// <summary>deliberation.md "Second group", from worked case 2 without EF1 (247 points, SECOND_GROUPE).</summary>
public class SecondGroupTests
{
    private static DeliberationOutcome Second(Dictionary<UnitCode, UnitResult> first, params (UnitCode Unit, string Result)[] controle) =>
        Deliberation.SecondGroup(first, Given.Results(controle), DeliberationRules.Session2024);

    [Fact]
    public void A_better_controle_mark_replaces_the_first_group_mark()
    {
        var o = Second(Given.Case2(), (C_E1, "12"));

        Assert.Equal(2, o.Group);
        Assert.Equal(259m, o.Points); // 247 + 3 × (12 − 8)
        Assert.Equal(25m, o.CoefficientSum);
        Assert.Equal(10.36m, o.Average);
        Assert.Equal(10.75m, o.ProAverage);
        Assert.Equal(Decision.Admis, o.Decision);
        Assert.False(o.NearThreshold);
        Assert.Empty(o.MissingUnits);
    }

    [Fact]
    public void A_worse_controle_mark_is_ignored()
    {
        var o = Second(Given.Case2(), (C_E1, "6"), (C_E3, "2"));

        Assert.Equal(247m, o.Points);
        Assert.Equal(9.88m, o.Average);
        Assert.Equal(Decision.Ajourne, o.Decision);
        Assert.Equal(2, o.Group);
        Assert.True(o.NearThreshold);
    }

    [Fact]
    public void Two_better_marks_both_count()
    {
        var o = Second(Given.Case2(), (C_E1, "12"), (C_E3, "11"));

        Assert.Equal(271m, o.Points); // 247 + 12 + 12
        Assert.Equal(Decision.Admis, o.Decision);
    }

    [Fact]
    public void Exactly_10_after_contrôle_is_admis()
    {
        var o = Second(Given.Case2(), (C_E1, "9"));

        Assert.Equal(250m, o.Points);
        Assert.Equal(Decision.Admis, o.Decision);
    }

    [Fact]
    public void E2_first_group_mark_is_the_coefficient_weighted_mean_of_E21_and_E22()
    {
        var comparisons = Deliberation.ControleComparisons(Given.Case2().With(E21, "9.01"), Given.Results((C_E2, "10")), DeliberationRules.Session2024);

        var e2 = Assert.Single(comparisons, c => c.Controle == C_E2);
        Assert.Equal(10.005m, e2.FirstGroupMark); // (1.5 × 9.01 + 1.5 × 11) / 3, exact
        Assert.Equal(10.005m, e2.Kept);
        Assert.False(e2.Improves);
    }

    [Fact]
    public void A_better_E2_contrôle_mark_replaces_both_E21_and_E22_even_the_better_one()
    {
        // first-group E2 = (13.5 + 16.5) / 3 = 10; 10.5 is better, so E21 9 → 10.5 (+2.25) and E22 11 → 10.5 (−0.75)
        var o = Second(Given.Case2(), (C_E2, "10.5"));

        Assert.Equal(248.5m, o.Points);
        Assert.Equal(9.94m, o.Average);
        Assert.Equal(Decision.Ajourne, o.Decision);

        var better = Second(Given.Case2(), (C_E2, "13"));
        Assert.Equal(256m, better.Points); // 247 + 1.5 × 4 + 1.5 × 2
        Assert.Equal(Decision.Admis, better.Decision);
    }

    [Theory]
    [InlineData("ABS")]
    [InlineData("ABSJ")]
    public void Absent_at_the_contrôle_keeps_the_first_group_mark(string result)
    {
        var o = Second(Given.Case2(), (C_E1, result), (C_E3, "7.5"));

        Assert.Equal(248.5m, o.Points); // only E3 counts: 247 + 3 × 0.5
        Assert.Equal(Decision.Ajourne, o.Decision);
        var e1 = Assert.Single(Deliberation.ControleComparisons(Given.Case2(), Given.Results((C_E1, result)), DeliberationRules.Session2024), c => c.Controle == C_E1);
        Assert.Equal(8m, e1.FirstGroupMark);
        Assert.Equal(8m, e1.Kept);
        Assert.Equal(UnitResult.Parse(result), e1.ControleResult);
    }

    [Fact]
    public void No_contrôle_result_yet_keeps_the_first_group_marks()
    {
        var o = Second(Given.Case2());

        Assert.Equal(247m, o.Points);
        Assert.Equal(Decision.Ajourne, o.Decision);
        Assert.Equal(2, o.Group);
    }

    [Fact]
    public void Comparisons_list_each_contrôle_unit_of_the_session_with_first_group_contrôle_and_kept_marks()
    {
        var list = Deliberation.ControleComparisons(Given.Case2(), Given.Results((C_E1, "12"), (C_E3, "5")), DeliberationRules.Session2024);

        Assert.Equal(
            [
                new ControleComparison(C_E1, 8m, UnitResult.Examined(12m), 12m),
                new ControleComparison(C_E2, 10m, null, 10m),
                new ControleComparison(C_E3, 7m, UnitResult.Examined(5m), 7m),
            ],
            list);
        Assert.True(list[0].Improves);
        Assert.False(list[1].Improves);
        Assert.False(list[2].Improves);
    }

    [Fact]
    public void Kept_first_group_marks_and_ABSJ_compete_with_the_contrôle_mark()
    {
        // 247 − 3 × 8 (E1 ABSJ) + 3 × 3 (E3 BEN:10) + 6 × 2 (E4 14) = 244
        var first = Given.Case2().With(E1, "ABSJ").With(E3, "BEN:10").With(E4, "14");
        Assert.Equal(244m, Given.First(first).Points);
        Assert.Equal(Decision.SecondGroupe, Given.First(first).Decision);

        var comparisons = Deliberation.ControleComparisons(first, Given.Results((C_E1, "1"), (C_E3, "12")), DeliberationRules.Session2024);
        Assert.Equal([0m, 10m], comparisons.Where(c => c.Controle != C_E2).Select(c => c.FirstGroupMark));

        var e1 = Second(first, (C_E1, "1"));
        Assert.Equal(247m, e1.Points);
        Assert.Equal(Decision.Ajourne, e1.Decision);

        var e3 = Second(first, (C_E3, "12"));
        Assert.Equal(250m, e3.Points);
        Assert.Equal(Decision.Admis, e3.Decision);
    }

    [Fact]
    public void A_dispensed_unit_cannot_be_chosen_for_contrôle()
    {
        var first = Given.Case2().With(E1, "DISP").With(E3, "5");
        Assert.Equal(217m, Given.First(first).Points);
        Assert.Equal(22m, Given.First(first).CoefficientSum);
        Assert.Equal(Decision.SecondGroupe, Given.First(first).Decision);

        var list = Deliberation.ControleComparisons(first, Given.Results(), DeliberationRules.Session2024);
        Assert.Equal([C_E2, C_E3], list.Select(c => c.Controle));
        Assert.Throws<ArgumentException>(() => Second(first, (C_E1, "15")));
    }

    [Fact]
    public void With_E21_dispensed_the_E2_contrôle_competes_with_E22_alone()
    {
        var first = Given.Case2().With(E21, "DISP");
        Assert.Equal(Decision.SecondGroupe, Given.First(first).Decision);
        var e2 = Assert.Single(Deliberation.ControleComparisons(first, Given.Results((C_E2, "12")), DeliberationRules.Session2024), c => c.Controle == C_E2);

        Assert.Equal(11m, e2.FirstGroupMark);
        Assert.Equal(12m, e2.Kept);

        var o = Second(first, (C_E2, "12"));
        Assert.Equal(235m, o.Points); // 233.5 + 1.5 × (12 − 11): exactly 10 × 23.5
        Assert.Equal(23.5m, o.CoefficientSum);
        Assert.Equal(Decision.Admis, o.Decision);
    }

    [Fact]
    public void Contrôle_units_are_session_configuration()
    {
        var rules = DeliberationRules.Session2024 with { ControleUnits = [C_E1, C_E3] };

        Assert.Equal([C_E1, C_E3], Deliberation.ControleComparisons(Given.Case2(), Given.Results(), rules).Select(c => c.Controle));
        Assert.Throws<ArgumentException>(() => Deliberation.SecondGroup(Given.Case2(), Given.Results((C_E2, "15")), rules));
    }

    [Fact]
    public void At_most_two_contrôle_orals()
    {
        var ex = Assert.Throws<ArgumentException>(() => Second(Given.Case2(), (C_E1, "12"), (C_E2, "12"), (C_E3, "12")));
        Assert.Contains("au plus 2", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AllAdmis")]
    [InlineData("Ajourne")]
    [InlineData("NonValide")]
    [InlineData("Incomplet")]
    public void Only_a_second_group_candidate_has_a_second_group(string situation)
    {
        var first = situation switch
        {
            "AllAdmis" => Given.AllMandatory("10"),
            "Ajourne" => Given.AllMandatory("5"),
            "NonValide" => Given.Case2().With(E4, "NV"),
            _ => Given.Case2().Without(E5),
        };

        var ex = Assert.Throws<ArgumentException>(() => Second(first, (C_E1, "20")));
        Assert.Contains("second groupe", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(E1, "12")]
    [InlineData(C_E1, "NV")]
    [InlineData(C_E1, "DISP")]
    [InlineData(C_E1, "BEN:12")]
    public void Contrôle_results_are_marks_ABS_or_ABSJ_of_contrôle_units(UnitCode unit, string result)
    {
        Assert.Throws<ArgumentException>(() => Second(Given.Case2(), (unit, result)));
    }

    [Fact]
    public void Second_group_near_threshold_only_looks_at_the_pass_threshold()
    {
        var near = Second(Given.Case2(), (C_E1, "8.5"));
        Assert.Equal(248.5m, near.Points);
        Assert.True(near.NearThreshold);

        var rules = DeliberationRules.Session2024 with { NearThresholdMargin = 0.05m };
        var notNear = Deliberation.SecondGroup(Given.Case2(), Given.Results((C_E1, "8.5")), rules);
        Assert.False(notNear.NearThreshold); // 9.94 is below 9.95
    }
}
