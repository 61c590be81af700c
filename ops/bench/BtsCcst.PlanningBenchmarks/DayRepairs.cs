using System.Diagnostics;
using System.Globalization;
using System.Text;
using BtsCcst.Bench;
using BtsCcst.Domain;
using BtsCcst.Scheduling;
using BtsCcst.Scheduling.Repair;
using BtsCcst.Scheduling.Tests.Planning;

namespace BtsCcst.PlanningBenchmarks;

/// <summary>
/// Repairs of full centre-days (issue 13), <c>--repair-days</c> (ops/bench/repair.sh): for each day size (25, 45, 60
/// candidates on the busiest day of a one-centre, two-day session of the planner tests' generator), planned once, then
/// requests of 1 event (a late candidate, an excused one, a teacher absent from 13:30 or a professional absent all day,
/// in turn), of those 4 events together, and of 6 events that reach most of the day (<see cref="Busy"/>), each repaired as the server does it (<see cref="RepairScope"/>, the solver
/// process with a spare started ahead, the default time limit), timed wall-clock around the call, sent twice (the same
/// proposal?), checked with both validators, and repaired again in-process with a long limit for the proven optimum of
/// candidates moved. Then, per day, late arrivals of 30, 60 and 90 minutes repaired one by one: how many the day absorbs
/// (<see cref="LateArrivals"/>, issue 18's room for incidents).
/// </summary>
public static class DayRepairBenchmark
{
    private sealed record Trial(int Size, int Events, double Seconds, bool Failed, bool Same, bool? AtOptimum, int Moved, int? OptimumMoved);

    /// <summary>One late arrival repaired: whether all the candidate's orals stayed on the day, and the others moved for it.</summary>
    private sealed record LateArrival(int Size, int Minutes, bool Absorbed, int Moved);

    /// <summary>The late arrivals tried per day size and lateness (issue 18, point 5: room for incidents).</summary>
    private const int LateArrivalsPerLateness = 10;

    public static int Run(string[] args, string root)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var sizes = (Option("--sizes") ?? "25,45,60").Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var trials = Option("--trials") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : 8;
        var write = !args.Contains("--no-results");
        var results = new List<Trial>();
        var arrivals = new List<LateArrival>();
        var loads = new List<string> { $"start {Load()}" };
        var solver = OutOfProcessPlanner.Beside(keepSpare: true);
        var dayFigures = new List<string>();
        foreach (var size in sizes)
        {
            var instance = SessionGenerator.Generate(new SessionShape(Candidates: size * 2, Academies: 1, CentresPerAcademy: 1, Days: 2, Seed: size));
            var plan = OralPlanner.Plan(instance, new PlannerOptions(TimeSpan.FromSeconds(30), Workers: 2, Seed: 1));
            var date = plan.Exams.GroupBy(e => e.Date).OrderByDescending(g => g.Count()).First().Key;
            var day = plan.Exams.Where(e => e.Date == date).ToList();
            var centre = instance.Centres[0].Id;
            dayFigures.Add($"{size}: {day.Select(e => e.CandidateNumber).Distinct().Count()} candidates, {day.Count} exams on {date:yyyy-MM-dd}");
            Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] day {dayFigures[^1]}; plan unplaced {plan.Unplaced.Count}");
            var random = new Random(size);
            var busyRandom = new Random(size + 1000);
            for (var trial = 0; trial < trials; trial++)
            {
                var one = Draw(instance, day, random, trial % 4);
                results.Add(Measure(solver, instance, plan, new RepairRequest(centre, date, one.Now, [one.Event]), size, 1));
                var all = Enumerable.Range(0, 4).Select(k => Draw(instance, day, random, k)).ToList();
                results.Add(Measure(solver, instance, plan, new RepairRequest(centre, date, all.Min(x => x.Now), [.. all.Select(x => x.Event)]), size, 4));
                results.Add(Measure(solver, instance, plan, Busy(instance, day, centre, date, busyRandom), size, 6));
                Console.WriteLine($"[{DateTime.Now:HH:mm:ss}]   {size}/{trial}: {string.Join(" ", results.TakeLast(3).Select(r => $"{r.Seconds:0.00}s moved {r.Moved} (opt {r.OptimumMoved?.ToString() ?? "?"}) same {r.Same}"))}");
            }
            arrivals.AddRange(LateArrivals(instance, plan, day, centre, date, size));
            Console.WriteLine($"[{DateTime.Now:HH:mm:ss}]   late arrivals absorbed: {string.Join(", ", arrivals.Where(a => a.Size == size).GroupBy(a => a.Minutes)
                .Select(g => $"{g.Key} min {g.Count(a => a.Absorbed)}/{g.Count()} (moved {g.Sum(a => a.Moved)})"))}");
            loads.Add($"after {size} {Load()}");
        }
        solver.Dispose();
        if (write) Write(Path.Combine(root, "ops/bench/RESULTS.md"), results, arrivals, dayFigures, loads, trials);
        return results.Any(r => r.Failed) ? 1 : 0;
    }

    /// <summary>
    /// Room for incidents (issue 18, point 5): candidates of the day, convoked between 08:00 and 15:00, arriving 30, 60 or
    /// 90 minutes late, each repaired alone in-process at the default limit: is the late candidate's whole day kept (all
    /// their orals placed the same day), and at the price of how many others moved?
    /// </summary>
    private static IEnumerable<LateArrival> LateArrivals(PlanningInstance instance, PlanResult plan, List<ScheduledExam> day, string centre, DateOnly date, int size)
    {
        static TimeOnly Begins(ScheduledExam e) => e.PrepStart ?? e.ExamStart;
        var firsts = day.GroupBy(e => e.CandidateNumber).Select(g => (Candidate: g.Key, First: g.Min(Begins), Orals: g.Count()))
            .Where(c => c.First >= new TimeOnly(8, 0) && c.First < new TimeOnly(15, 0)).OrderBy(c => c.First).ThenBy(c => c.Candidate, StringComparer.Ordinal).ToList();
        var step = Math.Max(1, firsts.Count / LateArrivalsPerLateness);
        foreach (var minutes in new[] { 30, 60, 90 })
            foreach (var (candidate, first, orals) in firsts.Where((_, i) => i % step == 0).Take(LateArrivalsPerLateness))
            {
                var request = new RepairRequest(centre, date, first, [new CandidateLate(candidate, first.AddMinutes(minutes))]);
                var result = DayRepairer.Repair(instance, plan.Exams, request, new PlannerOptions(DayRepairer.DefaultTimeLimit, Workers: 2, Seed: 1), plan.Unplaced);
                var kept = result.Solved && result.Exams.Count(e => e.CandidateNumber == candidate && e.Date == date) == orals;
                yield return new LateArrival(size, minutes, kept, result.CandidatesMoved);
            }
    }

    /// <summary>
    /// Six events at 09:30 that reach most of the day: two candidates convoked between 10:00 and 14:00 arriving 90 min late,
    /// an STI teacher of the day absent all day, two professionals absent from 11:00, two rooms closed 14:00-16:00.
    /// </summary>
    private static RepairRequest Busy(PlanningInstance instance, List<ScheduledExam> day, string centre, DateOnly date, Random random)
    {
        var discipline = instance.Examiners.ToDictionary(e => e.Id, e => e.Discipline);
        static TimeOnly Begins(ScheduledExam e) => e.PrepStart ?? e.ExamStart;
        List<string> Some(IEnumerable<string> ids, int count) => [.. ids.Distinct().Order(StringComparer.Ordinal).OrderBy(_ => random.Next()).Take(count)];
        var late = Some(day.Where(e => Begins(e) >= new TimeOnly(10, 0) && Begins(e) < new TimeOnly(14, 0)).Select(e => e.CandidateNumber), 2);
        var teacher = Some(day.SelectMany(e => e.ExaminerIds).Where(id => discipline[id] == Discipline.Sti), 1);
        var professionals = Some(day.SelectMany(e => e.ExaminerIds).Where(id => discipline[id] == Discipline.Professionnel), 2);
        RepairEvent[] events =
        [
            .. late.Select(c => new CandidateLate(c, day.Where(e => e.CandidateNumber == c).Min(Begins).AddMinutes(90))),
            .. teacher.Select(id => new ExaminerAbsent(id)),
            .. professionals.Select(id => new ExaminerAbsent(id, new TimeOnly(11, 0))),
            new RoomUnavailable(new TimeOnly(14, 0), new TimeOnly(16, 0), 2),
        ];
        return new RepairRequest(centre, date, new TimeOnly(9, 30), events);
    }

    /// <summary>One event of the day: late 40 min (now: their convocation), excused (now 10:00), a teacher absent from 13:30 (now 12:00), a professional absent all day (now 10:00).</summary>
    private static (RepairEvent Event, TimeOnly Now) Draw(PlanningInstance instance, List<ScheduledExam> day, Random random, int kind)
    {
        var discipline = instance.Examiners.ToDictionary(e => e.Id, e => e.Discipline);
        static TimeOnly Begins(ScheduledExam e) => e.PrepStart ?? e.ExamStart;
        ScheduledExam Pick(Func<ScheduledExam, bool> where) { var list = day.Where(where).ToList(); return list[random.Next(list.Count)]; }
        switch (kind)
        {
            case 0:
                var late = Pick(e => Begins(e) >= new TimeOnly(9, 0) && Begins(e) < new TimeOnly(15, 0));
                var first = day.Where(e => e.CandidateNumber == late.CandidateNumber).Min(Begins);
                return (new CandidateLate(late.CandidateNumber, first.AddMinutes(40)), first);
            case 1:
                return (new CandidateAbsentExcused(Pick(e => Begins(e) >= new TimeOnly(10, 0)).CandidateNumber), new TimeOnly(10, 0));
            case 2:
                var teacher = Pick(e => e.ExamStart >= new TimeOnly(13, 30) && e.ExaminerIds.Any(id => discipline[id] is Discipline.EcoGestion or Discipline.Sti))
                    .ExaminerIds.First(id => discipline[id] is Discipline.EcoGestion or Discipline.Sti);
                return (new ExaminerAbsent(teacher, new TimeOnly(13, 30)), new TimeOnly(12, 0));
            default:
                var professional = Pick(e => e.ExamStart >= new TimeOnly(10, 0) && e.ExaminerIds.Any(id => discipline[id] == Discipline.Professionnel))
                    .ExaminerIds.First(id => discipline[id] == Discipline.Professionnel);
                return (new ExaminerAbsent(professional), new TimeOnly(10, 0));
        }
    }

    private static readonly TimeSpan SpareWarmUp = TimeSpan.FromSeconds(2);

    private static Trial Measure(OutOfProcessPlanner solver, PlanningInstance instance, PlanResult plan, RepairRequest request, int size, int events)
    {
        var limit = DayRepairer.DefaultTimeLimit.TotalSeconds;
        RepairResult Once(out double seconds)
        {
            var clock = Stopwatch.StartNew();
            var scope = RepairScope.Of(instance, plan.Exams, request, plan.Unplaced);
            var result = scope.Merge(plan.Exams, plan.Unplaced, solver.RepairAsync(
                new RepairJob(scope.Instance, scope.Current, request, limit, 2, 1, scope.UnplacedBefore), CancellationToken.None).GetAwaiter().GetResult());
            seconds = clock.Elapsed.TotalSeconds;
            return result;
        }
        // A manager's requests come minutes apart: the spare solver process, started after the previous job, is warm by then.
        Thread.Sleep(SpareWarmUp);
        var first = Once(out var seconds);
        var second = Once(out _);
        var violations = ScheduleValidator.Validate(instance, first.Exams, first.Unplaced).Concat(RepairValidator.Validate(request, plan.Exams, first.Exams)).ToList();
        var failed = !first.Solved || violations.Count > 0;
        if (failed)
            Console.WriteLine($"  FAILED ({seconds:0.00} s): {(first.Solved ? "" : "no plan of the day in time; ")}{string.Join("; ", violations.Take(5).Select(v => $"{v.Rule}: {v.Message}"))} "
                              + $"— {string.Join(", ", request.Events)} at {request.Now}");
        static string Row(ScheduledExam e) => $"{e.CandidateNumber} {e.Unit} {e.Date} {e.Room} {e.CommissionId} {e.ExamStart} {string.Join(",", e.ExaminerIds)}";
        var same = first.Exams.Select(Row).SequenceEqual(second.Exams.Select(Row));
        var reference = DayRepairer.Repair(instance, plan.Exams, request, new PlannerOptions(TimeSpan.FromSeconds(20), Workers: 2, Seed: 1), plan.Unplaced);
        var optimum = reference.Optimal ? reference.CandidatesMoved : (int?)null;
        return new Trial(size, events, seconds, failed, same, optimum is { } o && first.Solved ? first.CandidatesMoved <= o : null, first.CandidatesMoved, optimum);
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Replaces the block between the day-repair markers of RESULTS.md (appended the first time).</summary>
    private static void Write(string path, List<Trial> results, List<LateArrival> arrivals, List<string> days, List<string> loads, int trials)
    {
        var text = new StringBuilder();
        text.AppendLine(ResultsBlock.Begin("day-repairs"));
        text.AppendLine($"### Exam-day repair on full days (issue 13), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine($"`ops/bench/repair.sh --days` ({Environment.ProcessorCount} cores; load average {string.Join(", ", loads)}). Days: {string.Join("; ", days)}.");
        text.AppendLine($"Per day size, {trials} requests of 1 event (late 40 min, excused, teacher absent from 13:30, professional absent all day, in turn), {trials} of those 4 events together,");
        text.AppendLine($"and {trials} of 6 events at 09:30 that reach most of the day (2 candidates 90 min late, an STI teacher absent all day, 2 professionals absent from 11:00, 2 rooms closed 14:00-16:00),");
        text.AppendLine("at the default time limit, each as the server runs it (only the centre's part of the session to the solver process, a spare process started ahead),");
        text.AppendLine("timed wall-clock around the call (the HTTP and grain hops of the server are not included; see the next block), 2 s after the previous call as a spare process warms up");
        text.AppendLine("between a manager's requests; each sent twice; optimum: the same request repaired in-process with 20 s, when proven.");
        text.AppendLine();
        text.AppendLine("| day | events | requests | wall median | p95 | max | at proven optimum of candidates moved | optimum not proven | FAILED | same proposal twice |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => (r.Size, r.Events)))
        {
            var times = group.Select(r => r.Seconds).Order().ToList();
            var proven = group.Where(r => r.AtOptimum is not null).ToList();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Size} candidates | {group.Key.Events} | {times.Count} | {times[times.Count / 2]:0.00} s | {Percentile(times, 0.95):0.00} s | {times[^1]:0.00} s | "
                + $"{proven.Count(r => r.AtOptimum == true)}/{proven.Count} | {group.Count() - proven.Count} | {group.Count(r => r.Failed)} | {group.Count(r => r.Same)}/{group.Count()} |"));
        }
        text.AppendLine();
        text.AppendLine($"Room for incidents (issue 18, point 5): up to {LateArrivalsPerLateness} candidates of each day (convoked 08:00-15:00, spread over the day) arriving late,");
        text.AppendLine("each repaired alone in-process at the default limit; absorbed: all their orals kept on the day.");
        text.AppendLine();
        text.AppendLine("| day | late by | requests | absorbed the same day | other candidates moved (total) |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var group in arrivals.GroupBy(a => (a.Size, a.Minutes)))
            text.AppendLine($"| {group.Key.Size} candidates | {group.Key.Minutes} min | {group.Count()} | {group.Count(a => a.Absorbed)}/{group.Count()} ({100.0 * group.Count(a => a.Absorbed) / group.Count():0} %) | {group.Sum(a => a.Moved)} |");
        text.AppendLine(ResultsBlock.End("day-repairs"));
        ResultsBlock.Write(path, "day-repairs", text.ToString());
        Console.WriteLine(text);
    }
}
