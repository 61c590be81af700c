using BtsCcst.Domain;
using static BtsCcst.Scheduling.Tests.Validation.ValidSchedule;

namespace BtsCcst.Scheduling.Tests.Validation;

public class ScheduleValidatorTests
{
    /// <summary>The schedule breaks <paramref name="rule"/> and nothing else.</summary>
    private static IReadOnlyList<Violation> AssertOnly(string rule, PlanningInstance instance, IReadOnlyList<ScheduledExam> schedule,
        IReadOnlyList<UnplacedOral>? unplaced = null)
    {
        var violations = ScheduleValidator.Validate(instance, schedule, unplaced);
        Assert.NotEmpty(violations);
        Assert.All(violations, v => Assert.Equal(rule, v.Rule));
        Assert.All(violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Message)));
        return violations;
    }

    private static IReadOnlyList<Violation> AssertOnly(string rule, IReadOnlyList<ScheduledExam> schedule) =>
        AssertOnly(rule, Instance(), schedule);

    private static PlanningInstance WithExaminer(string id, Func<PlanningExaminer, PlanningExaminer> change)
    {
        var instance = Instance();
        return instance with { Examiners = instance.Examiners.Select(e => e.Id == id ? change(e) : e).ToList() };
    }

    private static PlanningInstance WithCandidate(string number, Func<PlanningCandidate, PlanningCandidate> change)
    {
        var instance = Instance();
        return instance with { Candidates = instance.Candidates.Select(c => c.Number == number ? change(c) : c).ToList() };
    }

    private static PlanningInstance WithCentre(Func<PlanningCentre, PlanningCentre> change)
    {
        var instance = Instance();
        return instance with { Centres = instance.Centres.Select(c => c.Id == Caen ? change(c) : c).ToList() };
    }

    [Fact]
    public void The_hand_built_schedule_keeps_every_rule()
    {
        Assert.Empty(ScheduleValidator.Validate(Instance(), Schedule()));
    }

    [Fact]
    public void Pins_that_hold_give_no_violation()
    {
        var instance = Instance() with
        {
            OralPins = [new OralPin(First, UnitCode.E4, Day, Caen), new OralPin(Second, UnitCode.U62, null, "caen-1")],
            CommissionPins = [new CommissionPin(Caen, Day, [Pro, Sti, Eco])],
        };
        Assert.Empty(ScheduleValidator.Validate(instance, Schedule()));
    }

    [Fact]
    public void Every_rule_has_a_test_below()
    {
        var tested = typeof(ScheduleValidatorTests).GetMethods()
            .Where(m => m.GetCustomAttributes(typeof(FactAttribute), false).Length > 0)
            .Select(m => m.Name)
            .ToList();
        foreach (var rule in HardRules.All)
        {
            var prefix = string.Concat(rule.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            Assert.Contains(tested, name => name.StartsWith(prefix + "_", StringComparison.Ordinal));
        }
    }

    // every-oral-once

    [Fact]
    public void EveryOralOnce_a_missing_oral()
    {
        var schedule = Schedule().Where(e => !(e.CandidateNumber == Second && e.Unit == UnitCode.U62)).ToList();
        var violation = Assert.Single(AssertOnly(HardRules.EveryOralOnce, schedule));
        Assert.Contains("24002, U62", violation.Message);
    }

    [Fact]
    public void EveryOralOnce_a_missing_oral_reported_unplaced_is_fine_but_not_both_placed_and_reported()
    {
        var schedule = Schedule().Where(e => !(e.CandidateNumber == Second && e.Unit == UnitCode.U62)).ToList();
        UnplacedOral[] unplaced = [new(Second, UnitCode.U62, "Aucune commission disponible.")];
        Assert.Empty(ScheduleValidator.Validate(Instance(), schedule, unplaced));
        AssertOnly(HardRules.EveryOralOnce, Instance(), Schedule(), unplaced);
    }

    [Fact]
    public void EveryOralOnce_an_oral_not_to_plan_and_an_unknown_candidate()
    {
        var instance = WithCandidate(Second, c => c with { Orals = [UnitCode.E22, UnitCode.EF1] });
        var violation = Assert.Single(AssertOnly(HardRules.EveryOralOnce, instance, Schedule()));
        Assert.Contains("n'est pas à planifier", violation.Message);

        instance = Instance() with { Candidates = [FirstCandidate] };
        var violations = ScheduleValidator.Validate(instance, Schedule());
        Assert.Contains(violations, v => v.Rule == HardRules.EveryOralOnce && v.Message.Contains("Candidat 24002 : ce numéro"));
    }

    [Fact]
    public void EveryOralOnce_twice_the_same_oral()
    {
        var schedule = Schedule();
        schedule.Add(schedule[5] with { CommissionId = "COM9", ExamStart = new(16, 0), ExamEnd = new(16, 30), Date = Day.AddDays(1) });
        var violations = ScheduleValidator.Validate(Instance(), schedule);
        Assert.Contains(violations, v => v.Rule == HardRules.EveryOralOnce && v.Message.Contains("2 fois"));
    }

    // durations

    [Fact]
    public void Durations_an_exam_too_long()
    {
        var schedule = With(Second, UnitCode.U62, e => e with { ExamEnd = new(13, 40) });
        var violation = Assert.Single(AssertOnly(HardRules.Durations, schedule));
        Assert.Contains("40 min", violation.Message);
        Assert.Contains("au lieu de 30 min", violation.Message);
    }

    [Fact]
    public void Durations_extra_time_forgotten_on_the_preparation()
    {
        var schedule = With(First, UnitCode.E4, e => e with { PrepStart = new(8, 20) });
        var violation = Assert.Single(AssertOnly(HardRules.Durations, schedule));
        Assert.Contains("au lieu de 80 min", violation.Message);
        Assert.Contains("33 %", violation.Message);
    }

    [Fact]
    public void Durations_prep_start_empty_exactly_when_no_preparation()
    {
        var noPrep = With(Second, UnitCode.E22, e => e with { PrepStart = null });
        AssertOnly(HardRules.Durations, noPrep);

        var prepWhereNone = With(Second, UnitCode.U62, e => e with { PrepStart = new(12, 50) });
        var violations = ScheduleValidator.Validate(Instance(), prepWhereNone);
        Assert.Contains(violations, v => v.Rule == HardRules.Durations && v.Message.Contains("doit rester vide"));
    }

    // candidate-one-thing-at-a-time

    [Fact]
    public void CandidateOneThingAtATime_five_minutes_only_between_two_orals()
    {
        var schedule = With(Second, UnitCode.EF1, e => e.At("09:05", "09:25"));
        var violation = Assert.Single(AssertOnly(HardRules.CandidateOneThingAtATime, schedule));
        Assert.Contains("5 min seulement", violation.Message);
    }

    [Fact]
    public void CandidateOneThingAtATime_two_orals_overlapping()
    {
        var schedule = With(Second, UnitCode.U62, e => (e with { Room = "S2", CommissionId = "COM5", ExaminerIds = [Eco, Sti] }).At("09:20", "09:50"));
        var violations = ScheduleValidator.Validate(Instance(), schedule);
        Assert.Contains(violations, v => v.Rule == HardRules.CandidateOneThingAtATime && v.Message.Contains("se chevauchent"));
    }

    // ef3-after-u61

    [Fact]
    public void Ef3AfterU61_ef3_later_in_the_day()
    {
        var schedule = With(First, UnitCode.EF3, e => e.At("13:40", "14:10"));
        var violation = Assert.Single(AssertOnly(HardRules.Ef3AfterU61, schedule));
        Assert.Contains("24001", violation.Message);
    }

    [Fact]
    public void Ef3AfterU61_ef3_without_its_u61()
    {
        var schedule = Schedule().Where(e => e.Unit != UnitCode.U61).ToList();
        var violations = ScheduleValidator.Validate(Instance(), schedule);
        Assert.Contains(violations, v => v.Rule == HardRules.Ef3AfterU61 && v.Message.Contains("sans son U61"));
    }

    // commission-composition

    [Fact]
    public void CommissionComposition_a_language_teacher_for_english()
    {
        var schedule = With(Second, UnitCode.E22, e => e with { ExaminerIds = [Esp] });
        var violation = Assert.Single(AssertOnly(HardRules.CommissionComposition, schedule));
        Assert.Contains("E22", violation.Message);
    }

    [Fact]
    public void CommissionComposition_ef1_by_a_teacher_of_another_language()
    {
        var instance = WithCandidate(Second, c => c with { Ef1Language = "italien" });
        var violation = Assert.Single(AssertOnly(HardRules.CommissionComposition, instance, Schedule()));
        Assert.Contains("italien", violation.Message);
    }

    [Fact]
    public void CommissionComposition_a_teacher_without_a_seat()
    {
        // U62 has two seats (STI, économie-gestion): no third member.
        var schedule = With(Second, UnitCode.U62, e => e with { CommissionId = "COM5", ExaminerIds = [Eco, Sti, Ang] });
        AssertOnly(HardRules.CommissionComposition, schedule);
    }

    [Fact]
    public void CommissionComposition_the_professional_listed_in_u62()
    {
        // § U62 names one STI teacher and one économie-gestion teacher: the E4/U61 commission's professional does not examine it.
        var schedule = With(Second, UnitCode.U62, e => e with { ExaminerIds = [Eco, Sti, Pro] });
        var violation = Assert.Single(AssertOnly(HardRules.CommissionComposition, schedule));
        Assert.Contains("U62 du candidat 24002", violation.Message);
        Assert.Contains("aucun autre membre", violation.Message);
    }

    [Fact]
    public void CommissionComposition_ef2_seats_two_members_only()
    {
        var instance = WithCandidate(Second, c => c with { Orals = [.. c.Orals, UnitCode.EF2] });
        var ef2 = Exam("S1", "COM1", UnitCode.EF2, Second, null, "13:40", "14:00", Eco, Sti, Pro);
        var violation = Assert.Single(AssertOnly(HardRules.CommissionComposition, instance, [.. Schedule(), ef2]));
        Assert.Contains("EF2", violation.Message);
        Assert.Empty(ScheduleValidator.Validate(instance, [.. Schedule(), ef2 with { ExaminerIds = [Eco, Pro] }]));
    }

    [Fact]
    public void CommissionComposition_without_the_optional_professional_and_a_missing_seat()
    {
        var withoutProfessional = Schedule().Select(e => e.CommissionId == "COM1" ? e with { ExaminerIds = [Sti, Eco] } : e).ToList();
        Assert.Empty(ScheduleValidator.Validate(Instance(), withoutProfessional));

        var withoutSti = Schedule().Select(e => e.CommissionId == "COM1" ? e with { ExaminerIds = [Eco, Pro] } : e).ToList();
        var violations = AssertOnly(HardRules.CommissionComposition, withoutSti);
        Assert.Equal(4, violations.Count);
    }

    [Fact]
    public void CommissionComposition_an_unknown_examiner()
    {
        var schedule = With(Second, UnitCode.E22, e => e with { ExaminerIds = ["EX-GHOST"] });
        var violation = Assert.Single(AssertOnly(HardRules.CommissionComposition, schedule));
        Assert.Contains("EX-GHOST", violation.Message);
    }

    // commission-fixed-members

    [Fact]
    public void CommissionFixedMembers_members_change_during_the_day()
    {
        // The professional, who has a seat in U61, is missing from it: the commission changed.
        var schedule = With(First, UnitCode.U61, e => e with { ExaminerIds = [Eco, Sti] });
        var violation = Assert.Single(AssertOnly(HardRules.CommissionFixedMembers, schedule));
        Assert.Contains("COM1", violation.Message);
        Assert.Contains("sans EX-PRO1 pour U61 du candidat 24001", violation.Message);
    }

    [Fact]
    public void CommissionFixedMembers_one_commission_in_two_centres()
    {
        var schedule = With(Second, UnitCode.E22, e => e with { CentreId = Rouen, Room = "A" })
            .Select(e => e.CandidateNumber == Second && e.Unit == UnitCode.EF1 ? e with { CommissionId = "COM2", ExaminerIds = [Ang] } : e)
            .ToList();
        var violations = ScheduleValidator.Validate(Instance(), schedule);
        Assert.Contains(violations, v => v.Rule == HardRules.CommissionFixedMembers && v.Message.Contains("plusieurs centres"));
    }

    // commission-one-candidate-at-a-time

    [Fact]
    public void CommissionOneCandidateAtATime_two_candidates_before_one_commission()
    {
        var schedule = With(Second, UnitCode.U62, e => (e with { Room = "S2" }).At("10:50", "11:20"));
        var violation = Assert.Single(AssertOnly(HardRules.CommissionOneCandidateAtATime, schedule));
        Assert.StartsWith("Centre CAEN-1, 2024-05-16, 10:50 : la commission COM1", violation.Message);
    }

    // examiner-one-commission-at-a-time

    [Fact]
    public void ExaminerOneCommissionAtATime_two_commissions_at_once()
    {
        var schedule = With(Second, UnitCode.U62, e => (e with { Room = "S2", CommissionId = "COM5", ExaminerIds = [Eco, Sti] }).At("10:50", "11:20"));
        var violations = AssertOnly(HardRules.ExaminerOneCommissionAtATime, schedule);
        Assert.Equal(2, violations.Count);
        Assert.Contains(violations, v => v.Message == "Centre CAEN-1, 2024-05-16, 10:50 : l'examinateur EX-ECO1 siège dans deux commissions à la fois (COM1, COM5).");
    }

    // examiner-available-dates

    [Fact]
    public void ExaminerAvailableDates_an_examiner_not_available_that_day()
    {
        var instance = WithExaminer(Ang, e => e with { Dates = new HashSet<DateOnly> { Day.AddDays(1) } });
        var violation = Assert.Single(AssertOnly(HardRules.ExaminerAvailableDates, instance, Schedule()));
        Assert.Contains("EX-ANG1, 2024-05-16", violation.Message);
    }

    // examiner-listed-centres

    [Fact]
    public void ExaminerListedCentres_a_centre_the_examiner_did_not_list()
    {
        var instance = WithExaminer(Ang, e => e with { CentreIds = new HashSet<string> { Rouen } });
        var violation = Assert.Single(AssertOnly(HardRules.ExaminerListedCentres, instance, Schedule()));
        Assert.Contains("CAEN-1", violation.Message);
    }

    // examiner-one-centre-a-day

    [Fact]
    public void ExaminerOneCentreADay_two_centres_the_same_day()
    {
        var schedule = With(Second, UnitCode.U62, e => e with { CentreId = Rouen, CommissionId = "COM5", ExaminerIds = [Eco, Sti] });
        var violations = AssertOnly(HardRules.ExaminerOneCentreADay, schedule);
        Assert.Equal(2, violations.Count);
    }

    // examiner-minutes-per-day

    [Fact]
    public void ExaminerMinutesPerDay_more_than_the_examiner_maximum()
    {
        // EX-ECO1 examines 80 + 40 + 30 + 30 = 180 minutes; preparation does not count.
        var instance = WithExaminer(Eco, e => e with { MaxMinutesPerDay = 150 });
        var violation = Assert.Single(AssertOnly(HardRules.ExaminerMinutesPerDay, instance, Schedule()));
        Assert.Contains("180 min", violation.Message);
        Assert.Empty(ScheduleValidator.Validate(WithExaminer(Eco, e => e with { MaxMinutesPerDay = 180 }), Schedule()));
    }

    // examiner-not-own-school

    [Fact]
    public void ExaminerNotOwnSchool_a_candidate_of_the_examiner_school()
    {
        var instance = WithCandidate(Second, c => c with { EstablishmentUai = "0141234x" });
        var violation = Assert.Single(AssertOnly(HardRules.ExaminerNotOwnSchool, instance, Schedule()));
        Assert.Contains("EX-ANG1", violation.Message);
    }

    [Fact]
    public void ExaminerNotOwnSchool_an_empty_school_never_matches()
    {
        var instance = WithCandidate(First, c => c with { EstablishmentUai = "" });
        Assert.Empty(ScheduleValidator.Validate(instance, Schedule())); // EX-PRO1 has no school either
    }

    // rooms

    [Fact]
    public void Rooms_more_labels_than_rooms()
    {
        var schedule = With(Second, UnitCode.U62, e => e with { Room = "S3" });
        var violation = Assert.Single(AssertOnly(HardRules.Rooms, schedule));
        Assert.Contains("3 salles", violation.Message);
    }

    [Fact]
    public void Rooms_two_exams_in_one_room()
    {
        var schedule = With(Second, UnitCode.EF1, e => e with { Room = "S1" });
        var violation = Assert.Single(AssertOnly(HardRules.Rooms, schedule));
        Assert.Contains("la salle S1", violation.Message);
    }

    // preparation-seats

    [Fact]
    public void PreparationSeats_more_candidates_preparing_than_seats()
    {
        var instance = WithCentre(c => c with { PrepSeats = 1 });
        var violations = AssertOnly(HardRules.PreparationSeats, instance, Schedule());
        Assert.StartsWith("Centre CAEN-1, 2024-05-16, 08:00 : 2 candidats en préparation", violations[0].Message);
    }

    // centre-hours

    [Fact]
    public void CentreHours_an_exam_after_closing_time()
    {
        var instance = WithCentre(c => c with { DayEnd = new(13, 15) });
        var violation = Assert.Single(AssertOnly(HardRules.CentreHours, instance, Schedule()));
        Assert.Contains("U62", violation.Message);
    }

    [Fact]
    public void CentreHours_a_preparation_before_opening_time()
    {
        var instance = WithCentre(c => c with { DayStart = new(8, 30) });
        var violations = AssertOnly(HardRules.CentreHours, instance, Schedule());
        Assert.Equal(2, violations.Count); // both 08:00 preparations
    }

    [Fact]
    public void CentreHours_a_day_the_centre_is_closed_and_an_unknown_centre()
    {
        var closed = WithCentre(c => c with { Dates = [Day.AddDays(1)] });
        Assert.Single(AssertOnly(HardRules.CentreHours, closed, Schedule()));

        var unknown = Schedule().Select(e => e with { CentreId = "NOWHERE" }).ToList();
        var violations = ScheduleValidator.Validate(Instance(), unknown);
        Assert.Contains(violations, v => v.Rule == HardRules.CentreHours && v.Message.StartsWith("Centre NOWHERE : inconnu", StringComparison.Ordinal));
    }

    // lunch-break

    [Fact]
    public void LunchBreak_an_exam_overlapping_lunch()
    {
        var schedule = With(Second, UnitCode.U62, e => e.At("12:40", "13:10"));
        var violation = Assert.Single(AssertOnly(HardRules.LunchBreak, schedule));
        Assert.Contains("pause déjeuner", violation.Message);
    }

    // written-exams

    [Fact]
    public void WrittenExams_an_oral_during_the_written_e5()
    {
        var schedule = With(Second, UnitCode.U62, e => e.At("14:20", "14:50"));
        var violation = Assert.Single(AssertOnly(HardRules.WrittenExams, schedule));
        Assert.Contains("E5", violation.Message);
    }

    [Fact]
    public void WrittenExams_use_the_column_of_the_centre_time_zone()
    {
        // In La Réunion, E5 is written 16:30–20:30 local time: 14:20 is free, 16:20 is not.
        var instance = WithCentre(c => c with { TimeZone = "Indian/Reunion" });
        Assert.Empty(ScheduleValidator.Validate(instance, With(Second, UnitCode.U62, e => e.At("14:20", "14:50"))));
        AssertOnly(HardRules.WrittenExams, instance, With(Second, UnitCode.U62, e => e.At("16:20", "16:50")));
    }

    // centre-serves-academy

    [Fact]
    public void CentreServesAcademy_a_candidate_of_another_academy()
    {
        var instance = WithCandidate(Second, c => c with { Academy = "RENNES" });
        var violation = Assert.Single(AssertOnly(HardRules.CentreServesAcademy, instance, Schedule()));
        Assert.Contains("RENNES", violation.Message);
    }

    // pins

    [Fact]
    public void Pins_an_oral_pinned_elsewhere()
    {
        var instance = Instance() with { OralPins = [new OralPin(Second, UnitCode.U62, Day, Rouen)] };
        var violation = Assert.Single(AssertOnly(HardRules.Pins, instance, Schedule()));
        Assert.Contains("ROUEN-1", violation.Message);
    }

    [Fact]
    public void Pins_a_commission_pinned_with_other_members()
    {
        var instance = Instance() with { CommissionPins = [new CommissionPin(Caen, Day, [Eco, Sti])] };
        var violation = Assert.Single(AssertOnly(HardRules.Pins, instance, Schedule()));
        Assert.Contains("COM1", violation.Message);
    }

    // robustness

    [Fact]
    public void A_written_unit_and_odd_rows_do_not_crash()
    {
        var schedule = Schedule();
        schedule.Add(new ScheduledExam("", Day, "", "", UnitCode.E1, "", new(9, 0), new(8, 0), new(7, 0), []));
        var violations = ScheduleValidator.Validate(Instance() with { OralPins = [new OralPin(First, UnitCode.E1, null, null)] }, schedule, []);
        Assert.Contains(violations, v => v.Rule == HardRules.Durations && v.Message.Contains("écrite"));
        Assert.Contains(violations, v => v.Rule == HardRules.EveryOralOnce);
    }

    [Fact]
    public void An_empty_schedule_lists_every_oral_missing()
    {
        var violations = ScheduleValidator.Validate(Instance(), []);
        Assert.Equal(6, violations.Count);
        Assert.All(violations, v => Assert.Equal(HardRules.EveryOralOnce, v.Rule));
    }
}
