using BtsCcst.Domain;
using static BtsCcst.Domain.UnitCode;

namespace BtsCcst.Domain.Tests;

/// <summary>deliberation.md "Second group": which contrôle units a candidate chooses, and what a contrôle oral takes.</summary>
public class SecondGroupRulesTests
{
    private static readonly DeliberationRules Rules = DeliberationRules.Session2024;

    [Theory]
    [InlineData("C_E1", C_E1)]
    [InlineData("E1", C_E1)]
    [InlineData(" e2 ", C_E2)]
    [InlineData("E21", C_E2)]
    [InlineData("E22", C_E2)]
    [InlineData("C_E2", C_E2)]
    [InlineData("E3", C_E3)]
    public void A_choice_is_written_as_the_contrôle_unit_or_the_general_unit_it_stands_for(string text, UnitCode expected)
    {
        Assert.True(SecondGroupRules.TryParseChoice(text, out var unit));
        Assert.Equal(expected, unit);
    }

    [Theory]
    [InlineData("E4")]
    [InlineData("EF1")]
    [InlineData("C_E4")]
    [InlineData("")]
    [InlineData(null)]
    public void Professional_optional_or_unknown_units_are_not_choices(string? text) =>
        Assert.False(SecondGroupRules.TryParseChoice(text, out _));

    [Fact]
    public void Two_distinct_eligible_units_are_chosen()
    {
        Assert.Null(SecondGroupRules.CheckChoice([C_E1, C_E3], Given.Case2(), Rules));
        Assert.Contains("2 épreuve(s)", SecondGroupRules.CheckChoice([C_E1], Given.Case2(), Rules));
        Assert.Contains("2 épreuve(s)", SecondGroupRules.CheckChoice([C_E1, C_E2, C_E3], Given.Case2(), Rules));
        Assert.Contains("deux fois", SecondGroupRules.CheckChoice([C_E1, C_E1], Given.Case2(), Rules));
    }

    [Fact]
    public void A_dispensed_unit_cannot_be_chosen_and_fewer_units_left_means_fewer_choices()
    {
        var dispensedE1 = Given.Case2().With(E1, "DISP");
        Assert.Contains("C_E1 ne peut pas être choisie", SecondGroupRules.CheckChoice([C_E1, C_E3], dispensedE1, Rules));
        Assert.Equal([C_E2, C_E3], SecondGroupRules.Eligible(dispensedE1, Rules));

        var onlyE3 = Given.Case2().With(E1, "DISP").With(E21, "DISP").With(E22, "DISP");
        Assert.Equal([C_E3], SecondGroupRules.Eligible(onlyE3, Rules));
        Assert.Null(SecondGroupRules.CheckChoice([C_E3], onlyE3, Rules));
    }

    [Fact]
    public void The_session_list_of_general_units_limits_the_choice()
    {
        var rules = Rules with { ControleUnits = [C_E1, C_E3] };
        Assert.Contains("C_E2 ne peut pas être choisie", SecondGroupRules.CheckChoice([C_E1, C_E2], Given.Case2(), rules));
        Assert.Null(SecondGroupRules.CheckChoice([C_E3, C_E1], Given.Case2(), rules));
        Assert.NotEmpty((Rules with { ControleUnits = [C_E1, E4] }).Problems());
        Assert.NotEmpty((Rules with { ControleUnits = [] }).Problems());
        Assert.Empty(rules.Problems());
    }

    [Theory]
    [InlineData("12.5", true)]
    [InlineData("ABS", true)]
    [InlineData("ABSJ", true)]
    [InlineData("NV", false)]
    [InlineData("DISP", false)]
    [InlineData("BEN:12", false)]
    public void A_contrôle_oral_takes_a_mark_ABS_or_ABSJ(string result, bool accepted) =>
        Assert.Equal(accepted, SecondGroupRules.CheckResult(C_E1, UnitResult.Parse(result)) is null);
}
