using BtsCcst.Domain;

namespace BtsCcst.Domain.Tests.Orals;

public sealed class OralRulesTests
{
    [Theory]
    [InlineData(UnitCode.E22, 0, 20, 20)]
    [InlineData(UnitCode.E4, 0, 60, 60)]
    [InlineData(UnitCode.U61, 0, 0, 30)]
    [InlineData(UnitCode.U62, 0, 0, 30)]
    [InlineData(UnitCode.EF1, 0, 20, 20)]
    [InlineData(UnitCode.EF2, 0, 0, 20)]
    [InlineData(UnitCode.EF3, 0, 0, 20)]
    // A third more: 20 → 26.67 → 30; 60 → 80; 30 → 40.
    [InlineData(UnitCode.E22, 33, 30, 30)]
    [InlineData(UnitCode.E4, 33, 80, 80)]
    [InlineData(UnitCode.U61, 33, 0, 40)]
    // 25 %: 20 → 25 exactly; 60 → 75; 30 → 37.5 → 40.
    [InlineData(UnitCode.EF1, 25, 25, 25)]
    [InlineData(UnitCode.E4, 25, 75, 75)]
    [InlineData(UnitCode.U62, 25, 0, 40)]
    public void Durations_of_the_circular_stretched_by_extra_time_and_rounded_up_to_five_minutes(UnitCode unit, int extra, int preparation, int exam)
    {
        Assert.Equal(new OralTiming(preparation, exam), OralRules.Timing(unit, extra));
    }

    [Fact]
    public void Written_units_have_no_oral_timing()
    {
        Assert.Throws<ArgumentException>(() => OralRules.Timing(UnitCode.E1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OralRules.Timing(UnitCode.E4, -5));
    }

    private static IReadOnlySet<UnitCode> Set(params UnitCode[] units) => units.ToHashSet();

    [Fact]
    public void Ponctual_candidates_sit_the_four_mandatory_orals_and_their_chosen_optional_ones()
    {
        var orals = OralRules.OralsToPlan(ExamForm.Ponctuel, Set(UnitCode.EF1, UnitCode.EF2, UnitCode.EF3), Set(), Set(), Set());
        Assert.Equal([UnitCode.E22, UnitCode.E4, UnitCode.U61, UnitCode.U62, UnitCode.EF2, UnitCode.EF3, UnitCode.EF1], orals);
    }

    [Fact]
    public void A_ccf_candidate_sits_only_ef1_when_chosen()
    {
        Assert.Equal([UnitCode.EF1], OralRules.OralsToPlan(ExamForm.Ccf, Set(UnitCode.EF1, UnitCode.EF2), Set(), Set(), Set()));
        Assert.Empty(OralRules.OralsToPlan(ExamForm.Ccf, Set(UnitCode.EF3), Set(), Set(), Set()));
    }

    [Fact]
    public void Dispensed_kept_and_non_conforming_units_are_never_planned_and_ef3_goes_with_u61()
    {
        var orals = OralRules.OralsToPlan(ExamForm.Ponctuel, Set(UnitCode.EF3), Set(UnitCode.E22), Set(UnitCode.E4), Set(UnitCode.U61));
        Assert.Equal([UnitCode.U62], orals);
        var unplaceable = OralRules.UnplaceableOrals(ExamForm.Ponctuel, Set(UnitCode.EF3), Set(UnitCode.E22), Set(UnitCode.E4), Set(UnitCode.U61));
        Assert.Equal(UnitCode.EF3, Assert.Single(unplaceable).Unit);
        Assert.Empty(OralRules.UnplaceableOrals(ExamForm.Ponctuel, Set(UnitCode.EF3), Set(), Set(), Set()));
    }

    [Fact]
    public void Ef1_is_examined_by_a_teacher_of_the_chosen_language_whatever_its_accents_and_case()
    {
        var seat = UnitCatalogue.Get(UnitCode.EF1).Commission[0];
        Assert.True(OralRules.MayFill(seat, Discipline.Langue, ["Espagnol", "allemand"], UnitCode.EF1, "espagnol"));
        Assert.True(OralRules.MayFill(seat, Discipline.Langue, ["portugais"], UnitCode.EF1, "Portugais"));
        Assert.False(OralRules.MayFill(seat, Discipline.Langue, ["italien"], UnitCode.EF1, "espagnol"));
        Assert.False(OralRules.MayFill(seat, Discipline.Sti, ["espagnol"], UnitCode.EF1, "espagnol"));
        Assert.Equal("francais", OralRules.Fold(" Français "));
    }

    [Fact]
    public void EF3_follows_U61_at_once()
    {
        Assert.True(OralRules.FollowsAtOnce(UnitCode.U61, UnitCode.EF3));
        Assert.False(OralRules.FollowsAtOnce(UnitCode.U62, UnitCode.EF3));
    }
}

public sealed class WrittenExamCalendarTests
{
    [Fact]
    public void Annexe_2_gives_each_column_its_local_times()
    {
        var calendar = WrittenExamCalendar.Session2024;
        var paris = calendar.On(new DateOnly(2024, 5, 15), "Europe/Paris").OrderBy(e => e.Start).ToList();
        Assert.Equal([(UnitCode.E21, new TimeOnly(10, 30), new TimeOnly(12, 30)), (UnitCode.E1, new TimeOnly(14, 30), new TimeOnly(18, 30))],
            paris.Select(e => (e.Unit, e.Start, e.End)));
        var guyane = Assert.Single(calendar.On(new DateOnly(2024, 5, 14), "America/Cayenne"));
        Assert.Equal((new TimeOnly(8, 0), new TimeOnly(12, 0)), (guyane.Start, guyane.End));
        var reunion = Assert.Single(calendar.On(new DateOnly(2024, 5, 16), "Indian/Reunion"));
        Assert.Equal((UnitCode.E5, new TimeOnly(16, 30)), (reunion.Unit, reunion.Start));
        Assert.Empty(calendar.On(new DateOnly(2024, 5, 27), "Europe/Paris"));
        Assert.Empty(calendar.On(new DateOnly(2024, 5, 14), "Pacific/Noumea"));
    }

    [Fact]
    public void The_session_may_add_rows_for_territories_the_annexe_does_not_cover()
    {
        var calendar = WrittenExamCalendar.Session2024.WithExtraRows(
            [new WrittenExam(new DateOnly(2024, 5, 14), UnitCode.E3, CalendarColumn.Metropole, new TimeOnly(7, 0), new TimeOnly(9, 0))]);
        Assert.Equal(2, calendar.On(new DateOnly(2024, 5, 14), "Europe/Paris").Count());
    }
}
