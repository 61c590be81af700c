using BtsCcst.Domain;
using static BtsCcst.Domain.UnitCode;

namespace BtsCcst.Domain.Tests;

/// <summary>The worked cases of deliberation.md, with their exact figures.</summary>
public class WorkedCasesTests
{
    [Fact]
    public void Case1_all_marks_10_is_admis_with_250_points()
    {
        var o = Given.First(Given.AllMandatory("10"));

        Assert.Equal(Decision.Admis, o.Decision);
        Assert.Equal(1, o.Group);
        Assert.Equal(250m, o.Points);
        Assert.Equal(25m, o.CoefficientSum);
        Assert.Equal(10.00m, o.Average);
        Assert.Equal(10.00m, o.ProAverage);
        Assert.False(o.NearThreshold);
        Assert.Empty(o.MissingUnits);
    }

    [Fact]
    public void Case2_with_EF1_14_adds_4_points_and_is_admis()
    {
        var o = Given.First(Given.Case2().With(EF1, "14"));

        Assert.Equal(Decision.Admis, o.Decision);
        Assert.Equal(251m, o.Points);
        Assert.Equal(25m, o.CoefficientSum);
        Assert.Equal(10.04m, o.Average);
        Assert.Equal(10.75m, o.ProAverage);
        Assert.False(o.NearThreshold);
    }

    [Fact]
    public void Case2_without_EF1_has_247_points_and_goes_to_second_group()
    {
        var o = Given.First(Given.Case2());

        Assert.Equal(Decision.SecondGroupe, o.Decision);
        Assert.Equal(1, o.Group);
        Assert.Equal(247m, o.Points);
        Assert.Equal(9.88m, o.Average);
        Assert.Equal(10.75m, o.ProAverage); // (72 + 40 + 33 + 27) / 16
        Assert.True(o.NearThreshold);       // 9.88 lies in [9.5, 10)
        Assert.Equal("SECOND_GROUPE", o.Decision.ToCode());
    }

    [Fact]
    public void Case3_U61_non_valide_is_non_valide_without_figures()
    {
        var o = Given.First(Given.Case2().With(U61, "NV"));

        Assert.Equal(Decision.NonValide, o.Decision);
        Assert.Null(o.Points);
        Assert.Null(o.CoefficientSum);
        Assert.Null(o.Average);
        Assert.Null(o.ProAverage);
        Assert.False(o.NearThreshold);
        Assert.Empty(o.MissingUnits);
    }

    [Fact]
    public void Case4_general_units_dispensed_158_over_16_rounds_9_875_up_and_is_ajourne()
    {
        var o = Given.First(Given.Results(
            (E1, "DISP"), (E21, "DISP"), (E22, "DISP"), (E3, "DISP"), (E4, "9"), (E5, "11"), (U61, "10"), (U62, "10")));

        Assert.Equal(Decision.Ajourne, o.Decision);
        Assert.Equal(158m, o.Points);
        Assert.Equal(16m, o.CoefficientSum);
        Assert.Equal(9.88m, o.Average);     // 9.875 half-up
        Assert.Equal(9.88m, o.ProAverage);  // 9.875 < 10: no second group
        Assert.True(o.NearThreshold);
    }
}
