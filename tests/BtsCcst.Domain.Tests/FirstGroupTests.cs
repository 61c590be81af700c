using BtsCcst.Domain;
using static BtsCcst.Domain.UnitCode;

namespace BtsCcst.Domain.Tests;

public class FirstGroupTests
{
    // ---- decision order -------------------------------------------------------------------

    [Fact]
    public void Missing_mandatory_units_give_incomplet_listing_them_in_catalogue_order()
    {
        var o = Given.First(Given.AllMandatory("15").Without(U62, E3).With(EF1, "18"));

        Assert.Equal(Decision.Incomplet, o.Decision);
        Assert.Equal([E3, U62], o.MissingUnits);
        Assert.Null(o.Points);
        Assert.Null(o.CoefficientSum);
        Assert.Null(o.Average);
        Assert.Null(o.ProAverage);
        Assert.False(o.NearThreshold);
    }

    [Fact]
    public void No_result_at_all_is_incomplet_with_every_mandatory_unit_missing()
    {
        var o = Given.First([]);

        Assert.Equal(Decision.Incomplet, o.Decision);
        Assert.Equal(Given.Mandatory, o.MissingUnits);
    }

    [Fact]
    public void A_missing_optional_unit_does_not_make_the_result_incomplete()
    {
        var o = Given.First(Given.AllMandatory("10"));

        Assert.Equal(Decision.Admis, o.Decision);
        Assert.Empty(o.MissingUnits);
    }

    [Fact]
    public void Incomplet_comes_before_non_valide_and_absent()
    {
        var o = Given.First(Given.AllMandatory("12", (E4, "NV"), (E1, "ABS")).Without(E5));

        Assert.Equal(Decision.Incomplet, o.Decision);
        Assert.Equal([E5], o.MissingUnits);
    }

    [Fact]
    public void Non_valide_comes_before_absent()
    {
        var o = Given.First(Given.AllMandatory("12", (U62, "NV"), (E1, "ABS")));

        Assert.Equal(Decision.NonValide, o.Decision);
        Assert.Equal("NON_VALIDE", o.Decision.ToCode());
    }

    [Fact]
    public void Mandatory_ABS_gives_absent_even_with_excellent_marks()
    {
        var o = Given.First(Given.AllMandatory("20", (E21, "ABS")));

        Assert.Equal(Decision.Absent, o.Decision);
        Assert.Null(o.Points);
        Assert.Null(o.Average);
        Assert.False(o.NearThreshold);
        Assert.Empty(o.MissingUnits);
    }

    [Fact]
    public void Ajourne_when_average_below_8_even_with_professional_average_above_10()
    {
        var o = Given.First(Given.AllMandatory("12", (E1, "0"), (E21, "0"), (E22, "0"), (E3, "0")));

        Assert.Equal(192m, o.Points);
        Assert.Equal(7.68m, o.Average);
        Assert.Equal(12.00m, o.ProAverage);
        Assert.Equal(Decision.Ajourne, o.Decision);
    }

    [Fact]
    public void Ajourne_when_average_between_8_and_10_but_professional_average_below_10()
    {
        var o = Given.First(Given.AllMandatory("9", (E1, "12"), (E3, "12")));

        Assert.Equal(243m, o.Points);
        Assert.Equal(9.72m, o.Average);
        Assert.Equal(9.00m, o.ProAverage);
        Assert.Equal(Decision.Ajourne, o.Decision);
    }

    // ---- ABSJ, DISP, BEN ------------------------------------------------------------------

    [Fact]
    public void ABSJ_counts_as_zero_with_its_coefficient()
    {
        var o = Given.First(Given.AllMandatory("10", (E1, "ABSJ")));

        Assert.Equal(220m, o.Points);
        Assert.Equal(25m, o.CoefficientSum);
        Assert.Equal(8.80m, o.Average);
        Assert.Equal(Decision.SecondGroupe, o.Decision);
    }

    [Fact]
    public void ABSJ_on_a_professional_unit_counts_zero_in_the_professional_average()
    {
        var o = Given.First(Given.AllMandatory("12", (U62, "ABSJ")));

        Assert.Equal(264m, o.Points); // 22·12
        Assert.Equal(9.75m, o.ProAverage); // (6+4+3)·12 / 16
        Assert.Equal(Decision.Admis, o.Decision);
    }

    [Theory]
    [InlineData(new[] { E1 }, 22)]
    [InlineData(new[] { E21 }, 23.5)]
    [InlineData(new[] { E21, E22 }, 22)]
    [InlineData(new[] { E1, E3 }, 19)]
    [InlineData(new[] { E1, E21, E22, E3 }, 16)]
    public void DISP_removes_the_unit_from_points_and_coefficients(UnitCode[] dispensed, double expectedSum)
    {
        var results = Given.AllMandatory("12");
        foreach (var u in dispensed) results[u] = UnitResult.Dispensed;

        var o = Given.First(results);

        var sum = (decimal)expectedSum;
        Assert.Equal(sum, o.CoefficientSum);
        Assert.Equal(12m * sum, o.Points);
        Assert.Equal(12.00m, o.Average);
        Assert.Equal(Decision.Admis, o.Decision);
    }

    [Fact]
    public void BEN_counts_as_its_mark()
    {
        var kept = Given.First(Given.Case2().With(E4, "BEN:12").With(U61, "BEN:11"));
        var examined = Given.First(Given.Case2());

        Assert.Equal(examined, kept with { MissingUnits = examined.MissingUnits });
        Assert.Equal(247m, kept.Points);
        Assert.Equal(10.75m, kept.ProAverage);
    }

    // ---- optional units -------------------------------------------------------------------

    [Theory]
    [InlineData("ABS")]
    [InlineData("ABSJ")]
    [InlineData("9")]
    [InlineData("10")]
    [InlineData("0")]
    public void Optional_result_without_a_mark_above_10_brings_nothing(string ef1)
    {
        var o = Given.First(Given.Case2().With(EF1, ef1));

        Assert.Equal(247m, o.Points);
        Assert.Equal(Decision.SecondGroupe, o.Decision);
    }

    [Fact]
    public void Optional_units_add_only_the_points_above_10_and_add_up()
    {
        var o = Given.First(Given.Case2().With(EF1, "10.5").With(EF2, "12.25").With(EF3, "11"));

        Assert.Equal(247m + 0.5m + 2.25m + 1m, o.Points);
        Assert.Equal(25m, o.CoefficientSum); // no coefficient
        Assert.Equal(10.03m, o.Average);     // 250.75 / 25
        Assert.Equal(10.75m, o.ProAverage);  // untouched
        Assert.Equal(Decision.Admis, o.Decision);
    }

    [Fact]
    public void Optional_points_count_for_the_second_group_threshold_but_not_for_the_professional_average()
    {
        // general 9 + 6 + 7.005 + 15 = 37.005, professional 160: 197.005 points, below 8 × 25 = 200
        var without = Given.First(Given.AllMandatory("10", (E1, "3"), (E21, "4"), (E22, "4.67"), (E3, "5")));
        Assert.Equal(197.005m, without.Points);
        Assert.Equal(Decision.Ajourne, without.Decision);

        var almost = Given.First(Given.AllMandatory("10", (E1, "3"), (E21, "4"), (E22, "4.67"), (E3, "5"), (EF2, "12.99")));
        Assert.Equal(199.995m, almost.Points);
        Assert.Equal(8.00m, almost.Average); // shows 8.00, exactly 7.9998
        Assert.Equal(Decision.Ajourne, almost.Decision);

        var enough = Given.First(Given.AllMandatory("10", (E1, "3"), (E21, "4"), (E22, "4.67"), (E3, "5"), (EF2, "13")));
        Assert.Equal(200.005m, enough.Points);
        Assert.Equal(10.00m, enough.ProAverage);
        Assert.Equal(Decision.SecondGroupe, enough.Decision);
    }

    // ---- exact comparisons ----------------------------------------------------------------

    [Fact]
    public void Exactly_10_times_the_coefficients_is_admis_even_with_a_non_terminating_sum()
    {
        var o = Given.First(Given.AllMandatory("10", (E21, "DISP")));

        Assert.Equal(235m, o.Points);
        Assert.Equal(23.5m, o.CoefficientSum);
        Assert.Equal(Decision.Admis, o.Decision);
    }

    [Fact]
    public void Average_shown_10_00_but_exactly_below_10_with_sum_23_5_goes_to_second_group()
    {
        var o = Given.First(Given.AllMandatory("10", (E21, "DISP"), (E1, "9.99")));

        Assert.Equal(234.97m, o.Points);
        Assert.Equal(23.5m, o.CoefficientSum);
        Assert.Equal(10.00m, o.Average);    // 9.99872...
        Assert.Equal(10.00m, o.ProAverage);
        Assert.Equal(Decision.SecondGroupe, o.Decision);
        Assert.True(o.NearThreshold);
    }

    [Fact]
    public void Averages_shown_10_00_but_exactly_below_10_with_sum_23_5_and_professional_below_10_is_ajourne()
    {
        var o = Given.First(Given.AllMandatory("10", (E21, "DISP"), (E4, "9.99")));

        Assert.Equal(234.94m, o.Points);
        Assert.Equal(10.00m, o.Average);    // 9.99744...
        Assert.Equal(10.00m, o.ProAverage); // 159.94 / 16 = 9.99625
        Assert.Equal(Decision.Ajourne, o.Decision);
    }

    [Fact]
    public void Average_shown_10_00_but_exactly_below_10_with_sum_22_and_sum_19()
    {
        var sum22 = Given.First(Given.AllMandatory("10", (E1, "DISP"), (E5, "9.99")));
        Assert.Equal(219.96m, sum22.Points);
        Assert.Equal(22m, sum22.CoefficientSum);
        Assert.Equal(10.00m, sum22.Average);   // 9.99818...
        Assert.Equal(10.00m, sum22.ProAverage); // 9.9975
        Assert.Equal(Decision.Ajourne, sum22.Decision);

        var sum19 = Given.First(Given.AllMandatory("10", (E1, "DISP"), (E3, "DISP"), (E22, "9.99")));
        Assert.Equal(189.985m, sum19.Points); // 3 decimals, exact
        Assert.Equal(19m, sum19.CoefficientSum);
        Assert.Equal(10.00m, sum19.Average);  // 9.99921...
        Assert.Equal(Decision.SecondGroupe, sum19.Decision);
    }

    [Fact]
    public void Exactly_8_times_the_coefficients_is_second_group_and_one_hundredth_less_is_ajourne()
    {
        var at8 = Given.First(Given.AllMandatory("10", (E1, "5"), (E3, "5"), (E21, "0"), (E22, "0"), (E5, "12.5")));
        Assert.Equal(200m, at8.Points);
        Assert.Equal(8.00m, at8.Average);
        Assert.Equal(10.63m, at8.ProAverage); // 10.625 half-up
        Assert.Equal(Decision.SecondGroupe, at8.Decision);
        Assert.False(at8.NearThreshold);

        var below = Given.First(Given.AllMandatory("10", (E1, "5.01"), (E3, "5"), (E21, "0"), (E22, "0"), (E5, "12.49")));
        Assert.Equal(199.99m, below.Points);
        Assert.Equal(8.00m, below.Average); // 7.9996
        Assert.Equal(Decision.Ajourne, below.Decision);
        Assert.True(below.NearThreshold);
    }

    [Fact]
    public void Professional_average_is_compared_exactly_too()
    {
        var at10 = Given.First(Given.AllMandatory("10", (E1, "6"), (E21, "6"), (E22, "6"), (E3, "6")));
        Assert.Equal(214m, at10.Points);
        Assert.Equal(Decision.SecondGroupe, at10.Decision);

        var below = Given.First(Given.AllMandatory("10", (E1, "6"), (E21, "6"), (E22, "6"), (E3, "6"), (E4, "10.01"), (E5, "9.99"), (U61, "9.99")));
        Assert.Equal(213.99m, below.Points);
        Assert.Equal(10.00m, below.ProAverage); // 159.99 / 16 = 9.999375
        Assert.Equal(Decision.Ajourne, below.Decision);
    }

    // ---- near threshold -------------------------------------------------------------------

    [Theory]
    [InlineData("9.5", true, Decision.Ajourne)]     // [9.5, 10): lower bound included
    [InlineData("10", false, Decision.Admis)]       // upper bound excluded
    [InlineData("9.99", true, Decision.Ajourne)]
    [InlineData("9.49", false, Decision.Ajourne)]
    [InlineData("7.5", true, Decision.Ajourne)]     // [7.5, 8): lower bound included
    [InlineData("8", false, Decision.Ajourne)]      // upper bound excluded
    [InlineData("7.49", false, Decision.Ajourne)]
    [InlineData("8.5", false, Decision.Ajourne)]
    public void Near_threshold_bounds(string everyMark, bool near, Decision decision)
    {
        var o = Given.First(Given.AllMandatory(everyMark));

        Assert.Equal(near, o.NearThreshold);
        Assert.Equal(decision, o.Decision);
    }

    [Fact]
    public void Near_threshold_is_computed_from_exact_points_not_the_rounded_average()
    {
        // 237.49 / 25 = 9.4996: shown 9.50 but below the 9.5 bound
        var belowPass = Given.First(Given.AllMandatory("10", (E1, "7.51"), (E5, "8.74")));
        Assert.Equal(237.49m, belowPass.Points);
        Assert.Equal(9.50m, belowPass.Average);
        Assert.False(belowPass.NearThreshold);

        var atPass = Given.First(Given.AllMandatory("10", (E1, "7.5"), (E5, "8.75")));
        Assert.Equal(237.5m, atPass.Points);
        Assert.True(atPass.NearThreshold);

        // 187.49 / 25 = 7.4996: shown 7.50 but below the 7.5 bound
        var belowSecond = Given.First(Given.AllMandatory("7.5", (E1, "7.51"), (E5, "7.49")));
        Assert.Equal(187.49m, belowSecond.Points);
        Assert.Equal(7.50m, belowSecond.Average);
        Assert.False(belowSecond.NearThreshold);
    }

    [Fact]
    public void Near_threshold_margin_is_configurable()
    {
        var rules = DeliberationRules.Session2024 with { NearThresholdMargin = 1m };

        Assert.True(Deliberation.FirstGroup(Given.AllMandatory("9"), rules).NearThreshold);
        Assert.False(Given.First(Given.AllMandatory("9")).NearThreshold);
    }

    [Fact]
    public void Thresholds_are_configurable()
    {
        var rules = DeliberationRules.Session2024 with { PassAverage = 12m, SecondGroupAverage = 10m, ProfessionalAverage = 11m };

        Assert.Equal(Decision.Ajourne, Deliberation.FirstGroup(Given.AllMandatory("10"), rules).Decision);
        Assert.Equal(Decision.SecondGroupe, Deliberation.FirstGroup(Given.AllMandatory("11"), rules).Decision);
        Assert.Equal(Decision.Admis, Deliberation.FirstGroup(Given.AllMandatory("12"), rules).Decision);
    }

    // ---- rounding -------------------------------------------------------------------------

    [Theory]
    [InlineData("9.875", "9.88")]
    [InlineData("10.005", "10.01")]
    [InlineData("9.995", "10.00")]
    [InlineData("9.994", "9.99")]
    [InlineData("10.004999", "10.00")]
    [InlineData("12.345", "12.35")]
    public void Averages_round_half_up_to_2_decimals(string value, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Deliberation.RoundForDisplay(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Outcome_average_10_005_shows_10_01()
    {
        var o = Given.First(Given.AllMandatory("10", (E1, "DISP"), (E21, "DISP"), (E22, "DISP"), (E3, "DISP"), (E5, "10.02")));

        Assert.Equal(160.08m, o.Points);
        Assert.Equal(10.01m, o.Average);
        Assert.Equal(10.01m, o.ProAverage);
    }

    // ---- impossible input -----------------------------------------------------------------

    [Theory]
    [InlineData(C_E1, "12")]
    [InlineData(E4, "DISP")]
    [InlineData(U61, "DISP")]
    [InlineData(E1, "NV")]
    [InlineData(E5, "NV")]
    [InlineData(EF1, "BEN:12")]
    [InlineData(EF2, "NV")]
    [InlineData(EF3, "DISP")]
    public void Results_no_entry_could_produce_are_rejected(UnitCode unit, string result)
    {
        var ex = Assert.Throws<ArgumentException>(() => Given.First(Given.AllMandatory("10").With(unit, result)));
        Assert.Contains(unit.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mandatory_unit_dispensed_is_impossible()
    {
        Assert.Throws<ArgumentException>(() => Given.First(Given.AllMandatory("DISP")));
    }

    // ---- decision ordering ----------------------------------------------------------------

    [Fact]
    public void Outcomes_order_admis_then_second_group_then_ajourne()
    {
        Assert.True(Deliberation.CompareOutcomes(Decision.Admis, Decision.SecondGroupe) > 0);
        Assert.True(Deliberation.CompareOutcomes(Decision.SecondGroupe, Decision.Ajourne) > 0);
        Assert.True(Deliberation.CompareOutcomes(Decision.Ajourne, Decision.Admis) < 0);
        Assert.Equal(0, Deliberation.CompareOutcomes(Decision.SecondGroupe, Decision.SecondGroupe));
        Assert.True(Deliberation.Worsens(Decision.Admis, Decision.Ajourne));
        Assert.False(Deliberation.Worsens(Decision.Ajourne, Decision.SecondGroupe));
        Assert.False(Deliberation.Worsens(Decision.Admis, Decision.Admis));
    }

    [Theory]
    [InlineData(Decision.Incomplet)]
    [InlineData(Decision.NonValide)]
    [InlineData(Decision.Absent)]
    public void Blocking_decisions_are_not_comparable(Decision decision)
    {
        Assert.False(Deliberation.IsComparable(decision));
        Assert.Throws<ArgumentException>(() => Deliberation.CompareOutcomes(decision, Decision.Admis));
        Assert.Throws<ArgumentException>(() => Deliberation.Worsens(Decision.Ajourne, decision));
    }
}
