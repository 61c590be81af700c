using BtsCcst.Domain;
using BtsCcst.Scheduling.Repair;
using BtsCcst.Scheduling.Tests.Planning;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Repair;

/// <summary>Repairs of a small planned day: every repaired schedule keeps every rule, exams done or under way stay, and
/// the candidates moved are as few as an exhaustive check (every subset of movable candidates, smallest first) finds.</summary>
public sealed class DayRepairerTests(ITestOutputHelper output)
{
    private static readonly string[] Caen = ["CAEN-1"];

    private static PlanningInstance Instance() => PlanningInstance.Of(
        [
            Given.Candidate("24001", "0141111A", Given.Ponctual),
            Given.Candidate("24002", "0142222B", Given.Ponctual),
            Given.Candidate("24003", "0143333C", Given.Ponctual),
            Given.Candidate("24004", "0141111A", [UnitCode.E22, UnitCode.E4]),
            Given.Candidate("24005", "0142222B", [UnitCode.U61, UnitCode.U62]),
        ],
        [.. Given.Team("T", Caen, [Given.Monday, Given.Tuesday], pairs: 2)],
        [Given.Centre("CAEN-1", [Given.Monday, Given.Tuesday], rooms: 3, prepSeats: 3)]);

    private static readonly Lazy<(PlanningInstance Instance, PlanResult Plan)> Planned = new(() =>
    {
        var instance = Instance();
        return (instance, OralPlanner.Plan(instance, Given.Options(2)));
    });

    private static PlannerOptions Options => new(TimeSpan.FromSeconds(5), Workers: 2, Seed: 1);

    private static DateOnly BusiestDay(PlanResult plan) => plan.Exams.GroupBy(e => e.Date).OrderByDescending(g => g.Count()).First().Key;

    [Fact]
    public void A_late_candidate_is_fitted_later_the_same_day()
    {
        var (instance, plan) = Planned.Value;
        var date = BusiestDay(plan);
        var day = plan.Exams.Where(e => e.Date == date).ToList();
        // The first convoked among those whose day ends early enough for 20 minutes of delay to fit.
        var early = day.GroupBy(e => e.CandidateNumber).Where(g => g.Max(e => e.ExamEnd) <= new TimeOnly(16, 0)).SelectMany(g => g).ToList();
        var first = (early.Count > 0 ? early : day).OrderBy(e => e.PrepStart ?? e.ExamStart).First();
        var now = first.PrepStart ?? first.ExamStart;
        var request = new RepairRequest("CAEN-1", date, now, [new CandidateLate(first.CandidateNumber, now.AddMinutes(20))]);

        var result = Check(instance, plan, request);

        var arrival = now.AddMinutes(20);
        foreach (var exam in result.Exams.Where(e => e.CandidateNumber == first.CandidateNumber && e.Date == date))
            Assert.True((exam.PrepStart ?? exam.ExamStart) >= arrival, $"{exam.Unit} à {exam.PrepStart ?? exam.ExamStart} avant l'arrivée {arrival}");
        Assert.Empty(result.Unplaced);
        Assert.Contains(result.Changes, c => c.CandidateNumber == first.CandidateNumber);
    }

    [Fact]
    public void A_candidate_too_late_for_the_day_is_reported_with_the_reason()
    {
        var (instance, plan) = Planned.Value;
        var date = BusiestDay(plan);
        var first = plan.Exams.Where(e => e.Date == date).OrderBy(e => e.PrepStart ?? e.ExamStart).First();
        var now = first.PrepStart ?? first.ExamStart;
        var request = new RepairRequest("CAEN-1", date, now, [new CandidateLate(first.CandidateNumber, new TimeOnly(23, 0))]);

        var result = Check(instance, plan, request);

        Assert.DoesNotContain(result.Exams, e => e.CandidateNumber == first.CandidateNumber && e.Date == date);
        Assert.All(result.Unplaced.Where(u => u.CandidateNumber == first.CandidateNumber), u => Assert.StartsWith("Retard", u.Reason));
        Assert.Equal(plan.Exams.Count(e => e.CandidateNumber == first.CandidateNumber && e.Date == date), result.Unplaced.Count(u => u.CandidateNumber == first.CandidateNumber));
    }

    [Fact]
    public void An_excused_candidate_leaves_the_day_and_is_reconvoked_or_reported()
    {
        var (instance, plan) = Planned.Value;
        var date = BusiestDay(plan);
        var day = plan.Exams.Where(e => e.Date == date).ToList();
        var now = new TimeOnly(10, 0);
        var who = day.Where(e => (e.PrepStart ?? e.ExamStart) >= now).OrderBy(e => e.ExamStart).First().CandidateNumber;
        var request = new RepairRequest("CAEN-1", date, now, [new CandidateAbsentExcused(who)]);

        var result = Check(instance, plan, request);

        var left = day.Where(e => e.CandidateNumber == who && (e.PrepStart ?? e.ExamStart) >= now).ToList();
        Assert.NotEmpty(left);
        Assert.Equal(0, result.CandidatesMoved);
        foreach (var exam in left)
        {
            Assert.DoesNotContain(result.Exams, e => e.CandidateNumber == who && e.Unit == exam.Unit && e.Date == date);
            var again = result.Exams.SingleOrDefault(e => e.CandidateNumber == who && e.Unit == exam.Unit);
            if (again is null) Assert.Contains(result.Unplaced, u => u.CandidateNumber == who && u.Unit == exam.Unit && u.Reason.Contains("Absent excusé"));
            else Assert.True(again.Date > date);
        }
    }

    [Fact]
    public void An_examiner_absent_in_the_afternoon_sits_in_no_exam_then()
    {
        var (instance, plan) = Planned.Value;
        var date = BusiestDay(plan);
        var afternoon = new TimeOnly(13, 30);
        var day = plan.Exams.Where(e => e.Date == date).ToList();
        var examiner = day.Where(e => e.ExamEnd > afternoon).SelectMany(e => e.ExaminerIds)
            .Where(id => !id.Contains("PRO", StringComparison.Ordinal)).GroupBy(id => id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var request = new RepairRequest("CAEN-1", date, new TimeOnly(12, 0), [new ExaminerAbsent(examiner, afternoon)]);

        var result = Check(instance, plan, request);

        Assert.DoesNotContain(result.Exams, e => e.Date == date && e.ExaminerIds.Contains(examiner) && e.ExamEnd > afternoon);
    }

    [Fact]
    public void A_missing_professional_leaves_E4_and_U61_commissions_examining()
    {
        var (instance, plan) = Planned.Value;
        var date = BusiestDay(plan);
        var day = plan.Exams.Where(e => e.Date == date).ToList();
        var professional = day.Where(e => e.Unit is UnitCode.E4 or UnitCode.U61).SelectMany(e => e.ExaminerIds)
            .First(id => instance.Examiners.Single(x => x.Id == id).Discipline == Discipline.Professionnel);
        var request = new RepairRequest("CAEN-1", date, new TimeOnly(7, 0), [new ExaminerAbsent(professional)]);

        var result = Check(instance, plan, request);

        Assert.DoesNotContain(result.Exams, e => e.Date == date && e.ExaminerIds.Contains(professional));
        Assert.Empty(result.Unplaced);
        Assert.Equal(0, result.CandidatesMoved);
        Assert.Equal(0, result.TotalDelayMinutes);
    }

    [Fact]
    public void Closed_rooms_move_the_exams_of_their_hour()
    {
        var (instance, plan) = Planned.Value;
        var date = BusiestDay(plan);
        var (from, to) = (new TimeOnly(14, 0), new TimeOnly(15, 0));
        var request = new RepairRequest("CAEN-1", date, new TimeOnly(13, 0), [new RoomUnavailable(from, to, 3)]);

        var result = Check(instance, plan, request);

        Assert.DoesNotContain(result.Exams, e => e.Date == date && e.ExamStart < to && e.ExamEnd > from);
        var there = plan.Exams.Where(e => e.Date == date && e.ExamStart < to && e.ExamEnd > from).Select(e => e.CandidateNumber).Distinct().Count();
        Assert.True(result.CandidatesMoved >= Math.Min(1, there));
    }

    [Fact]
    public async Task The_solver_process_repairs_a_named_closed_room_as_the_server_asks_it()
    {
        var (instance, plan) = Planned.Value;
        var date = BusiestDay(plan);
        var (from, to) = (new TimeOnly(14, 0), new TimeOnly(16, 0));
        var late = plan.Exams.Where(e => e.Date == date && (e.PrepStart ?? e.ExamStart) >= new TimeOnly(13, 0)).OrderBy(e => e.ExamStart).First();
        // The room that closes is another than the one of the exam under way, which stays whatever happens (a plan that put
        // both in one room asked the impossible).
        var room = plan.Exams.Where(e => e.Date == date && e.ExamStart < to && e.ExamEnd > from && e.Room != late.Room)
            .GroupBy(e => e.Room).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var request = new RepairRequest("CAEN-1", date, new TimeOnly(13, 0),
            [new RoomUnavailable(from, to, Room: room), new CandidateLate(late.CandidateNumber, (late.PrepStart ?? late.ExamStart).AddMinutes(15))],
            Underway: new HashSet<string> { RepairRequest.ExamKey(late.CandidateNumber, late.Unit) });

        // Through the JSON protocol and the runner, as the server does it.
        var result = await OutOfProcessPlanner.Beside().RepairAsync(new RepairJob(instance, plan.Exams, request, 5, 2, 1, plan.Unplaced), CancellationToken.None);

        PlanAssert.KeepsEveryRule(instance, new PlanResult(result.Exams, result.Unplaced, [], 0, 0, result.Optimal));
        Assert.True(result.Optimal);
        Assert.DoesNotContain(result.Exams, e => e.Date == date && e.Room == room && e.ExamStart < to && e.ExamEnd > from);
        Assert.Empty(RepairValidator.Validate(request, plan.Exams, result.Exams));
        // An exam under way stays, whatever the time and the lateness say.
        Assert.Contains(result.Exams, e => (e.CandidateNumber, e.Unit, e.Date, e.ExamStart, e.CommissionId, e.Room)
                                           == (late.CandidateNumber, late.Unit, late.Date, late.ExamStart, late.CommissionId, late.Room));
    }

    /// <summary>Repairs, then checks the rules, the fixed exams and, by exhaustive search, the fewest candidates moved.</summary>
    /// <summary>
    /// One English commission on a morning (08:00-12:00, one room): E22 exams back to back from the second possible slot to
    /// the end, the first slot free. The first candidate arrives late, so that their exam can only start after the slots of
    /// <paramref name="behind"/> others: placing them moves one of those into a free slot before. A late candidate's oral is
    /// worth moving one other candidate (<see cref="RepairModel.EventOralCost"/> / <see cref="RepairModel.MoveCost"/> moves).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void A_late_candidates_oral_is_placed_at_the_price_of_moving_one_other(int behind)
    {
        var timing = OralRules.Timing(UnitCode.E22, 0);
        var (prep, exam) = (timing.PreparationMinutes, timing.ExamMinutes);
        var first = new TimeOnly(8, 0).AddMinutes(prep);
        var slots = (int)((new TimeOnly(12, 0) - first).TotalMinutes / exam);
        var numbers = Enumerable.Range(1, slots - 1).Select(i => $"2409{i:00}").ToList();
        var instance = PlanningInstance.Of(
            [.. numbers.Select(n => Given.Candidate(n, "0141111A", [UnitCode.E22]))],
            [Given.Examiner("ANG1", Discipline.Anglais, "0992001A", Caen, [Given.Monday], languages: ["anglais"])],
            [Given.Centre("CAEN-1", [Given.Monday], rooms: 1, prepSeats: 6, end: "12:00", lunchStart: "12:00", lunchEnd: "13:30")]);
        ScheduledExam Row(string number, int slot)
        {
            var start = first.AddMinutes(slot * exam);
            return new ScheduledExam("CAEN-1", Given.Monday, "Salle 1", "C1", UnitCode.E22, number, start.AddMinutes(-prep), start, start.AddMinutes(exam), ["ANG1"]);
        }
        var current = numbers.Select((n, i) => Row(n, i + 1)).ToList();
        Assert.Empty(ScheduleValidator.Validate(instance, current, []));
        var late = numbers[0];
        var arrival = first.AddMinutes((1 + behind) * exam - prep);
        var request = new RepairRequest("CAEN-1", Given.Monday, new TimeOnly(8, 0), [new CandidateLate(late, arrival)]);

        var result = DayRepairer.Repair(instance, current, request, Options, []);

        output.WriteLine($"E22 {prep}+{exam} min, {slots} slots; arrival {arrival}; moved {result.CandidatesMoved}, unplaced {result.Unplaced.Count}, optimal {result.Optimal}");
        Assert.True(result.Solved);
        Assert.Empty(RepairValidator.Validate(request, current, result.Exams));
        PlanAssert.KeepsEveryRule(instance, new PlanResult(result.Exams, result.Unplaced, [], 0, 0, result.Optimal));
        Assert.Contains(result.Exams, e => e.CandidateNumber == late && (e.PrepStart ?? e.ExamStart) >= arrival);
        Assert.Equal(1, result.CandidatesMoved);
        Assert.True(result.Optimal);
    }

    private RepairResult Check(PlanningInstance instance, PlanResult plan, RepairRequest request)
    {
        var started = DateTime.UtcNow;
        var result = DayRepairer.Repair(instance, plan.Exams, request, Options, plan.Unplaced);
        output.WriteLine($"repaired in {(DateTime.UtcNow - started).TotalSeconds:0.00} s: moved {result.CandidatesMoved}, examiners {result.ExaminersChanged}, "
                         + $"delay {result.TotalDelayMinutes} min, unplaced {result.Unplaced.Count}, optimal {result.Optimal}");
        foreach (var c in result.Changes)
            output.WriteLine($"  {c.CandidateNumber} {c.Unit}: {c.OldDate} {c.OldStart} {c.OldCommissionId} [{string.Join(",", c.OldExaminerIds)}] -> {c.NewDate} {c.NewStart} {c.NewCommissionId} [{string.Join(",", c.NewExaminerIds)}]");

        PlanAssert.KeepsEveryRule(instance, new PlanResult(result.Exams, result.Unplaced, [], 0, 0, result.Optimal));
        PlanAssert.OnlySeatedExaminers(instance, result.Exams);
        Assert.Empty(RepairValidator.Validate(request, plan.Exams, result.Exams));
        Assert.True(result.Optimal);
        var events = request.Events.Select(e => e switch { CandidateLate l => l.CandidateNumber, CandidateAbsentExcused a => a.CandidateNumber, _ => null })
            .OfType<string>().ToHashSet();
        // Exams done or under way are unchanged; nothing else of the day starts before now; other days are unchanged.
        foreach (var exam in plan.Exams)
        {
            var onDay = exam.CentreId == request.CentreId && exam.Date == request.Date;
            if (onDay && (exam.PrepStart ?? exam.ExamStart) < request.Now && !events.Contains(exam.CandidateNumber))
                Assert.Contains(exam, result.Exams);
        }
        foreach (var exam in result.Exams.Where(e => e.CentreId == request.CentreId && e.Date == request.Date && !plan.Exams.Contains(e)))
            Assert.True((exam.PrepStart ?? exam.ExamStart) >= request.Now, $"{exam.CandidateNumber} {exam.Unit} avant {request.Now}");
        var planned = plan.Exams.Where(e => e.Date != request.Date).ToHashSet();
        Assert.All(result.Exams.Where(e => e.Date != request.Date && !events.Contains(e.CandidateNumber)), e => Assert.Contains(e, planned));

        // Exhaustive: the smallest set of other candidates allowed to move that places as many orals.
        var others = plan.Exams.Where(e => e.Date == request.Date && !events.Contains(e.CandidateNumber)).Select(e => e.CandidateNumber).Distinct().Order().ToList();
        Assert.InRange(others.Count, 0, 6);
        var optimum = -1;
        for (var size = 0; size <= others.Count && optimum < 0; size++)
            foreach (var subset in Subsets(others, size))
            {
                var restricted = DayRepairer.Repair(instance, plan.Exams, request with { MovableCandidates = subset.ToHashSet() }, Options, plan.Unplaced);
                // A restriction without any solution (a candidate kept in place in a closed room) is no alternative.
                if (!restricted.Solved || restricted.Unplaced.Count != result.Unplaced.Count) continue;
                Assert.True(restricted.CandidatesMoved <= size);
                optimum = size;
                break;
            }
        output.WriteLine($"exhaustive optimum: {optimum}");
        Assert.Equal(optimum, result.CandidatesMoved);
        return result;
    }

    private static IEnumerable<List<string>> Subsets(List<string> items, int size, int from = 0)
    {
        if (size == 0) { yield return []; yield break; }
        for (var i = from; i <= items.Count - size; i++)
            foreach (var rest in Subsets(items, size - 1, i + 1))
                yield return [items[i], .. rest];
    }
}
