using BtsCcst.Domain;
using BtsCcst.Scheduling.Repair;
using BtsCcst.Scheduling.Tests.Planning;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Repair;

/// <summary>
/// Repairs of a generated full-size centre-day (≥ 45 candidates, ≥ 200 exams) at the default time limit, as the server asks
/// them: a late candidate, an excused absence re-convoked, a teacher absent for the afternoon, a professional absent all day,
/// the events adding up as the centre keeps them. Every repair keeps the rules of issue 13: another day changes only by the
/// re-convoked exams, in rooms that were free; no on-time candidate loses an oral; nothing that began before the repair's
/// time moves; both validators pass; the same request gives the same proposal.
/// </summary>
public sealed class FullDayRepairTests(ITestOutputHelper output)
{
    private const string Centre = "NORM0-1";

    private static readonly Lazy<(PlanningInstance Instance, PlanResult Plan, DateOnly Date)> Planned = new(() =>
    {
        var instance = SessionGenerator.Generate(new SessionShape(Candidates: 100, Academies: 1, CentresPerAcademy: 1, Days: 2, Seed: 3));
        var plan = OralPlanner.Plan(instance, new PlannerOptions(TimeSpan.FromSeconds(10), Workers: 2, Seed: 1));
        var date = plan.Exams.GroupBy(e => e.Date).OrderByDescending(g => g.Count()).First().Key;
        return (instance, plan, date);
    });

    private static PlannerOptions Default => new(DayRepairer.DefaultTimeLimit, Workers: 2, Seed: 1);

    [Fact]
    public void The_day_is_full_size()
    {
        var (_, plan, date) = Planned.Value;
        var day = plan.Exams.Where(e => e.Date == date).ToList();
        output.WriteLine($"{date}: {day.Select(e => e.CandidateNumber).Distinct().Count()} candidates, {day.Count} exams; unplaced {plan.Unplaced.Count}");
        Assert.True(day.Select(e => e.CandidateNumber).Distinct().Count() >= 45);
        Assert.True(day.Count >= 200);
    }

    [Fact]
    public void The_four_events_of_a_day_are_absorbed_one_after_the_other_by_the_rules()
    {
        var (instance, plan, date) = Planned.Value;
        var current = plan.Exams;
        var events = new List<RepairEvent>();
        var day = current.Where(e => e.Date == date).ToList();

        // 1. The first convoked candidate arrives 40 minutes late.
        var first = day.OrderBy(Begins).First();
        var start = Begins(first);
        events.Add(new CandidateLate(first.CandidateNumber, start.AddMinutes(40)));
        current = Repair(instance, current, new RepairRequest(Centre, date, start, [.. events]), plan.Unplaced).Exams;

        // 2. A candidate of the late morning is excused, to be re-convoked on the other day.
        var now = new TimeOnly(9, 30);
        var excused = current.Where(e => e.Date == date && Begins(e) >= new TimeOnly(10, 30) && e.CandidateNumber != first.CandidateNumber)
            .OrderBy(e => e.ExamStart).First().CandidateNumber;
        events.Add(new CandidateAbsentExcused(excused));
        var result = Repair(instance, current, new RepairRequest(Centre, date, now, [.. events]), plan.Unplaced);
        Assert.DoesNotContain(result.Exams, e => e.CandidateNumber == excused && e.Date == date && Begins(e) >= now);
        current = result.Exams;

        // 3. The teacher (not a professional) sitting most in the afternoon is absent from 13:30.
        var afternoon = new TimeOnly(13, 30);
        var teacher = current.Where(e => e.Date == date && e.ExamEnd > afternoon).SelectMany(e => e.ExaminerIds)
            .Where(id => Discipline(instance, id) != BtsCcst.Domain.Discipline.Professionnel)
            .GroupBy(id => id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        events.Add(new ExaminerAbsent(teacher, afternoon));
        result = Repair(instance, current, new RepairRequest(Centre, date, new TimeOnly(12, 0), [.. events]), plan.Unplaced);
        Assert.DoesNotContain(result.Exams, e => e.Date == date && e.ExaminerIds.Contains(teacher) && e.ExamEnd > afternoon);
        current = result.Exams;

        // 4. A professional of the afternoon is absent all day: their commissions examine without them, nobody moves.
        var professional = current.Where(e => e.Date == date && e.ExamStart >= new TimeOnly(14, 0) && e.Unit is UnitCode.E4 or UnitCode.U61)
            .SelectMany(e => e.ExaminerIds).Where(id => Discipline(instance, id) == BtsCcst.Domain.Discipline.Professionnel)
            .GroupBy(id => id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        events.Add(new ExaminerAbsent(professional));
        result = Repair(instance, current, new RepairRequest(Centre, date, new TimeOnly(13, 0), [.. events]), plan.Unplaced);
        Assert.DoesNotContain(result.Exams, e => e.Date == date && e.ExaminerIds.Contains(professional) && e.ExamStart >= new TimeOnly(13, 0));
        Assert.Equal(0, result.CandidatesMoved);
    }

    [Fact]
    public void A_late_candidates_exams_placed_by_an_earlier_repair_stay_once_they_have_begun()
    {
        var (instance, plan, date) = Planned.Value;
        var first = plan.Exams.Where(e => e.Date == date).OrderBy(Begins).First();
        var late = new CandidateLate(first.CandidateNumber, Begins(first).AddMinutes(40));
        var once = Repair(instance, plan.Exams, new RepairRequest(Centre, date, Begins(first), [late]), plan.Unplaced);
        var placed = once.Exams.Where(e => e.CandidateNumber == first.CandidateNumber && e.Date == date).OrderBy(Begins).ToList();
        Assert.NotEmpty(placed);

        // Later, after the first of those exams began, a teacher is absent: that exam stays, although no progress was recorded.
        var now = Begins(placed[0]).AddMinutes(5);
        var teacher = once.Exams.Where(e => e.Date == date && Begins(e) > now).SelectMany(e => e.ExaminerIds)
            .First(id => Discipline(instance, id) != BtsCcst.Domain.Discipline.Professionnel);
        var again = Repair(instance, once.Exams, new RepairRequest(Centre, date, now, [late, new ExaminerAbsent(teacher, now)]), plan.Unplaced);

        Assert.Contains(placed[0], again.Exams);
    }

    [Fact]
    public void A_professional_recorded_absent_all_day_during_a_U61_leaves_that_sitting_and_its_EF3_as_they_are()
    {
        var (instance, plan, date) = Planned.Value;
        var ef3 = plan.Exams.Where(e => e.Date == date && e.Unit == UnitCode.EF3
                                        && e.ExaminerIds.Any(id => Discipline(instance, id) == BtsCcst.Domain.Discipline.Professionnel))
            .OrderBy(e => e.ExamStart).First();
        var professional = ef3.ExaminerIds.First(id => Discipline(instance, id) == BtsCcst.Domain.Discipline.Professionnel);
        // Recorded when the U61 ends and its EF3 begins: the U61 has begun with them there, and the EF3 is the same sitting.
        var request = new RepairRequest(Centre, date, ef3.ExamStart, [new ExaminerAbsent(professional)]);

        var result = Repair(instance, plan.Exams, request, plan.Unplaced);

        Assert.Contains(ef3, result.Exams);
        Assert.DoesNotContain(result.Exams, e => e.Date == date && e.ExaminerIds.Contains(professional) && Begins(e) >= ef3.ExamEnd);
    }

    [Fact]
    public void A_free_teacher_of_the_discipline_replaces_the_absent_one_whatever_the_examiners_listed_before_them()
    {
        var (instance, plan, date) = Planned.Value;
        var day = plan.Exams.Where(e => e.Date == date).ToList();
        var teacher = day.SelectMany(e => e.ExaminerIds).Where(id => Discipline(instance, id) == BtsCcst.Domain.Discipline.Sti)
            .GroupBy(id => id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        // Their candidates are all of one school; five free STI teachers of that school come first by identifier, one of another school last.
        var theirs = day.Where(e => e.ExaminerIds.Contains(teacher)).Select(e => e.CandidateNumber).ToHashSet();
        const string School = "0999999Z";
        var centre = instance.Centres.Single();
        PlanningExaminer Free(string id, string uai) => new(id, BtsCcst.Domain.Discipline.Sti, [], uai, new HashSet<string> { centre.Id }, new HashSet<DateOnly> { date }, 420);
        var changed = PlanningInstance.Of(
            [.. instance.Candidates.Select(c => theirs.Contains(c.Number) ? c with { EstablishmentUai = School } : c)],
            [.. Enumerable.Range(1, 5).Select(i => Free($"EX0000{i}A", School)), .. instance.Examiners, Free("EX99999", "0149999Q")],
            instance.Centres);
        var now = day.Where(e => e.ExaminerIds.Contains(teacher)).Min(Begins);
        var request = new RepairRequest(Centre, date, now, [new ExaminerAbsent(teacher)]);

        var result = Repair(changed, plan.Exams, request, plan.Unplaced);

        Assert.Equal(0, result.CandidatesMoved);
        Assert.Contains(result.Exams, e => e.Date == date && e.ExaminerIds.Contains("EX99999"));
    }

    [Fact]
    public void The_same_request_gives_the_same_proposal()
    {
        var (instance, plan, date) = Planned.Value;
        var day = plan.Exams.Where(e => e.Date == date).ToList();
        var teacher = day.Where(e => e.ExamEnd > new TimeOnly(13, 30)).SelectMany(e => e.ExaminerIds)
            .Where(id => Discipline(instance, id) == BtsCcst.Domain.Discipline.EcoGestion).Order(StringComparer.Ordinal).First();
        var late = day.Where(e => Begins(e) >= new TimeOnly(10, 0)).OrderBy(Begins).First();
        var request = new RepairRequest(Centre, date, new TimeOnly(10, 0),
            [new ExaminerAbsent(teacher, new TimeOnly(13, 30)), new CandidateLate(late.CandidateNumber, Begins(late).AddMinutes(40))]);

        var one = Repair(instance, plan.Exams, request, plan.Unplaced);
        var two = Repair(instance, plan.Exams, request, plan.Unplaced);

        static string Row(ScheduledExam e) => $"{e.CandidateNumber} {e.Unit} {e.Date} {e.Room} {e.CommissionId} {e.ExamStart} {string.Join(",", e.ExaminerIds)}";
        Assert.Equal(one.Exams.Select(Row), two.Exams.Select(Row));
        Assert.Equal(one.CandidatesMoved, two.CandidatesMoved);
    }

    [Fact]
    public void Events_that_touch_every_candidate_of_the_afternoon_are_repaired_by_the_rules()
    {
        var (instance, plan, date) = Planned.Value;
        var day = plan.Exams.Where(e => e.Date == date).ToList();
        // Two candidates of the late morning 90 minutes late, the busiest STI teacher absent all day, the professionals of
        // the first two E4 sittings after 11:00 absent from 11:00, two rooms closed 14:00-16:00.
        var late = day.Where(e => Begins(e) >= new TimeOnly(10, 0) && Begins(e) < new TimeOnly(14, 0)).OrderBy(Begins)
            .Select(e => e.CandidateNumber).Distinct().Take(2).ToList();
        var teacher = day.SelectMany(e => e.ExaminerIds).Where(id => Discipline(instance, id) == BtsCcst.Domain.Discipline.Sti)
            .GroupBy(id => id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var professionals = day.Where(e => e.Unit == UnitCode.E4 && e.ExamStart >= new TimeOnly(11, 0)).OrderBy(e => e.ExamStart)
            .SelectMany(e => e.ExaminerIds).Where(id => Discipline(instance, id) == BtsCcst.Domain.Discipline.Professionnel).Distinct().Take(2);
        RepairEvent[] events =
        [
            .. late.Select(c => new CandidateLate(c, day.Where(e => e.CandidateNumber == c).Min(Begins).AddMinutes(90))),
            new ExaminerAbsent(teacher),
            .. professionals.Select(id => new ExaminerAbsent(id, new TimeOnly(11, 0))),
            new RoomUnavailable(new TimeOnly(14, 0), new TimeOnly(16, 0), 2),
        ];

        // The rules are what this checks, not the time: four times the default limit, since on a loaded machine (a CI run,
        // tests in parallel) the default's wall-clock cap was reached before any plan was found.
        var result = Repair(instance, plan.Exams, new RepairRequest(Centre, date, new TimeOnly(9, 30), events), plan.Unplaced, Default with { TimeLimit = 4 * DayRepairer.DefaultTimeLimit });

        // What began before 09:30 stays as it is; nothing later has the absent teacher.
        Assert.DoesNotContain(result.Exams, e => e.Date == date && e.ExaminerIds.Contains(teacher) && Begins(e) >= new TimeOnly(9, 30));
    }

    [Fact]
    public void A_candidate_arriving_after_the_last_possible_start_is_left_out_with_nobody_moved_and_the_repair_knows_it_is_the_best()
    {
        var (instance, plan, date) = Planned.Value;
        var day = plan.Exams.Where(e => e.Date == date).ToList();
        var candidate = day.Where(e => Begins(e) >= new TimeOnly(10, 0)).OrderBy(Begins).First().CandidateNumber;
        var request = new RepairRequest(Centre, date, new TimeOnly(9, 0), [new CandidateLate(candidate, new TimeOnly(19, 0))]);

        var result = Repair(instance, plan.Exams, request, plan.Unplaced);

        Assert.Equal(0, result.CandidatesMoved);
        Assert.True(result.Optimal);
        Assert.All(day.Where(e => e.CandidateNumber == candidate), e =>
            Assert.Contains(result.Unplaced, u => u.CandidateNumber == candidate && u.Unit == e.Unit && u.Reason.StartsWith("Retard au", StringComparison.Ordinal)));
    }

    private static TimeOnly Begins(ScheduledExam e) => e.PrepStart ?? e.ExamStart;

    private static Discipline Discipline(PlanningInstance instance, string id) => instance.Examiners.First(x => x.Id == id).Discipline;

    /// <summary>Repairs (at the default time limit unless <paramref name="options"/> says otherwise) and checks the rules every repair keeps.</summary>
    private RepairResult Repair(PlanningInstance instance, IReadOnlyList<ScheduledExam> current, RepairRequest request, IReadOnlyList<UnplacedOral> unplaced, PlannerOptions? options = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = DayRepairer.Repair(instance, current, request, options ?? Default, unplaced);
        output.WriteLine($"{request.Now} {string.Join(", ", request.Events)}: {clock.Elapsed.TotalSeconds:0.00} s, solved {result.Solved}, optimal {result.Optimal}, "
                         + $"moved {result.CandidatesMoved}, examiners {result.ExaminersChanged}, delay {result.TotalDelayMinutes}, changes {result.Changes.Count}");
        Assert.True(result.Solved);
        PlanAssert.KeepsEveryRule(instance, new PlanResult(result.Exams, result.Unplaced, [], 0, 0, result.Optimal));
        Assert.Empty(RepairValidator.Validate(request, current, result.Exams));
        var events = request.Events.Select(e => e switch { CandidateLate l => l.CandidateNumber, CandidateAbsentExcused a => a.CandidateNumber, _ => null })
            .OfType<string>().ToHashSet();
        var before = current.Select(e => (e.CandidateNumber, e.Unit)).ToHashSet();
        // No on-time candidate loses an oral.
        Assert.All(result.Unplaced.Where(u => before.Contains((u.CandidateNumber, u.Unit))), u => Assert.Contains(u.CandidateNumber, events));
        // Another day changes only by the re-convoked exams.
        var excused = request.Events.OfType<CandidateAbsentExcused>().Select(e => e.CandidateNumber).ToHashSet();
        var otherDays = current.Where(e => e.Date != request.Date).ToHashSet();
        Assert.All(result.Exams.Where(e => e.Date != request.Date && !excused.Contains(e.CandidateNumber)), e => Assert.Contains(e, otherDays));
        Assert.All(otherDays.Where(e => !excused.Contains(e.CandidateNumber)), e => Assert.Contains(e, result.Exams));
        // Nothing that began before the repair's time, with its candidate there, moved, whoever it belongs to.
        var lateAt = request.Events.OfType<CandidateLate>().GroupBy(e => e.CandidateNumber).ToDictionary(g => g.Key, g => g.Max(e => e.ArrivesAt));
        foreach (var exam in current.Where(e => e.Date == request.Date && Begins(e) < request.Now && !excused.Contains(e.CandidateNumber)))
            if (!lateAt.TryGetValue(exam.CandidateNumber, out var arrival) || Begins(exam) >= arrival)
                Assert.Contains(exam, result.Exams);
        return result;
    }
}
