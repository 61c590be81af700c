using System.Globalization;
using System.Runtime.InteropServices;
using BtsCcst.Domain;
using BtsCcst.Scheduling;

namespace BtsCcst.PlanningBenchmarks;

/// <summary>
/// The planner's cost (<c>PlanCost.Evaluate</c>, internal to BtsCcst.Scheduling, summed over the centre-days as
/// <see cref="PlanResult.Objective"/> does, plus <see cref="PlannerWeights.ExtraDay"/> for each day a candidate comes beyond
/// the first) computed again from the schedule rows, so that a plan of any origin (the greedy's) is scored the same way.
/// Per centre-day: <see cref="PlannerWeights.WaitingMinute"/> × each candidate's span (first preparation to end of last
/// exam), <see cref="PlannerWeights.NoProfessional"/> × E4/U61 exams without a professional member,
/// <see cref="PlannerWeights.ExaminerDay"/> × examiners who sit, <see cref="PlannerWeights.LoadBalanceMinute"/> × the
/// heaviest examining minutes of each discipline, <see cref="PlannerWeights.LateInDayMinute"/> × the minutes candidates' last exams run
/// into the last <see cref="PlannerWeights.IncidentSlackMinutes"/> of the centre-day's last free stretch. Unplaced orals cost <see cref="PlannerWeights.Unplaced"/> each
/// (the planner counts only those its centre-day models left out, not those its checks rejected).
/// </summary>
public sealed record CostBreakdown(long Total, long Unplaced, long ExtraDays, long WaitingMinutes, long NoProfessional, long ExaminerDays, long LoadBalanceMinutes,
    long LateInDayMinutes = 0)
{
    public static CostBreakdown Of(PlanningInstance instance, IReadOnlyList<ScheduledExam> exams, int unplaced, PlannerWeights? weights = null)
    {
        var w = weights ?? PlannerWeights.Default;
        var examiners = instance.Examiners.ToDictionary(e => e.Id, StringComparer.OrdinalIgnoreCase);
        var extraDays = exams.GroupBy(e => e.CandidateNumber).Sum(g => (long)g.Select(e => (e.CentreId.ToUpperInvariant(), e.Date)).Distinct().Count() - 1);
        long waiting = 0, noPro = 0, examinerDays = 0, load = 0, late = 0;
        var centres = instance.Centres.ToDictionary(c => c.Id, StringComparer.OrdinalIgnoreCase);
        foreach (var day in exams.GroupBy(e => (Centre: e.CentreId.ToUpperInvariant(), e.Date)))
        {
            foreach (var candidate in day.GroupBy(e => e.CandidateNumber))
                waiting += (long)(candidate.Max(e => e.ExamEnd) - candidate.Min(e => e.PrepStart ?? e.ExamStart)).TotalMinutes;
            noPro += day.Count(e => e.Unit is UnitCode.E4 or UnitCode.U61 && !e.ExaminerIds.Any(id => examiners[id].Discipline == Discipline.Professionnel));
            var minutes = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (var exam in day)
                foreach (var id in exam.ExaminerIds.Distinct(StringComparer.OrdinalIgnoreCase))
                    minutes[id] = minutes.GetValueOrDefault(id) + (long)(exam.ExamEnd - exam.ExamStart).TotalMinutes;
            examinerDays += minutes.Count;
            var slackFrom = LastFreeMinute(instance, centres[day.First().CentreId], day.Key.Date) - w.IncidentSlackMinutes;
            late += day.GroupBy(e => e.CandidateNumber).Sum(candidate => (long)Math.Max(0, candidate.Max(e => Minutes(e.ExamEnd)) - slackFrom));
            load += minutes.GroupBy(m => examiners[m.Key].Discipline).Sum(g => g.Max(m => m.Value));
        }
        var total = unplaced * (long)w.Unplaced + extraDays * w.ExtraDay + waiting * w.WaitingMinute + noPro * w.NoProfessional
                    + examinerDays * w.ExaminerDay + load * w.LoadBalanceMinute + late * w.LateInDayMinute;
        return new CostBreakdown(total, unplaced, extraDays, waiting, noPro, examinerDays, load, late);
    }

    private static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    /// <summary>The end of a centre-day's last free stretch: its closing (on the 5-minute grid), or earlier when lunch or a written exam runs to it.</summary>
    private static int LastFreeMinute(PlanningInstance instance, PlanningCentre centre, DateOnly date)
    {
        var end = Minutes(centre.DayEnd) / OralRules.SlotMinutes * OralRules.SlotMinutes;
        var closed = instance.WrittenExams.On(date, centre.TimeZone).Select(e => (Start: Minutes(e.Start), End: e.End == TimeOnly.MinValue ? 24 * 60 : Minutes(e.End)))
            .Append((Start: Minutes(centre.LunchStart), End: Minutes(centre.LunchEnd))).Where(c => c.Start < c.End).ToList();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var c in closed.Where(c => c.Start / OralRules.SlotMinutes * OralRules.SlotMinutes < end && c.End >= end))
            {
                end = c.Start / OralRules.SlotMinutes * OralRules.SlotMinutes;
                changed = true;
            }
        }
        return end;
    }
}

/// <summary>
/// A simple lower bound on <see cref="CostBreakdown"/> for <b>any</b> plan of the instance, whatever its assignment to
/// centre-days (a diagnostic of this benchmark, not the planner's bound). Terms, all with the default weights:
/// <list type="bullet">
/// <item>Span: each candidate's preparations and exams, plus 10 minutes between consecutive orals (none between U61 and
/// the EF3 that follows it). A candidate who comes on d days saves at most 10 (d − 1) minutes of gaps and pays
/// 1,000 (d − 1) for the extra days, so the bound holds for them too.</item>
/// <item>Examiner-days: the examining minutes of the required seats (UnitCatalogue) over the most minutes an examiner
/// may examine in a day; or, if larger, the sum over the single-discipline seats (E22 anglais, EF1 langue, the
/// économie-gestion and STI seats of E4, U61, U62, EF3) of each discipline's minutes over its largest daily maximum.</item>
/// <item>Heaviest loads: in each centre-day the most loaded examiner of a discipline carries at least that discipline's
/// single-discipline seat minutes there over the number of its examiners who could sit there; summed over the
/// centre-days, at least the discipline's total minutes over the largest such number.</item>
/// <item>Unplaced orals, extra days and E4/U61 without a professional: 0.</item>
/// </list>
/// </summary>
public sealed record SimpleBound(long Total, long SpanMinutes, long ExaminerDays, long LoadMinutes)
{
    public static SimpleBound Of(PlanningInstance instance, PlannerWeights? weights = null)
    {
        var w = weights ?? PlannerWeights.Default;
        long span = 0, seatMinutes = 0;
        var byDiscipline = new Dictionary<Discipline, long>();
        foreach (var candidate in instance.Candidates)
        {
            var orals = candidate.Orals.Distinct().ToList();
            if (orals.Count == 0) continue;
            var glued = orals.Contains(UnitCode.U61) && orals.Contains(UnitCode.EF3) ? 1 : 0;
            span += orals.Sum(u => OralRules.Timing(u, candidate.ExtraTimePercent).TotalMinutes) + (long)OralRules.MinimumGapMinutes * (orals.Count - 1 - glued);
            foreach (var unit in orals)
            {
                var minutes = OralRules.Timing(unit, candidate.ExtraTimePercent).ExamMinutes;
                foreach (var seat in UnitCatalogue.Get(unit).Commission.Where(s => !s.Optional))
                {
                    seatMinutes += minutes;
                    if (seat.AnyOf is [var only]) byDiscipline[only] = byDiscipline.GetValueOrDefault(only) + minutes;
                }
            }
        }
        var examiners = instance.Examiners;
        var maxAll = examiners.Count == 0 ? 1 : examiners.Max(e => e.MaxMinutesPerDay);
        long perDiscipline = 0, load = 0;
        foreach (var (discipline, minutes) in byDiscipline)
        {
            var mine = examiners.Where(e => e.Discipline == discipline).ToList();
            if (mine.Count == 0) continue;
            perDiscipline += Ceiling(minutes, mine.Max(e => e.MaxMinutesPerDay));
            var most = instance.Centres.SelectMany(c => c.Dates.Select(d => mine.Count(e => e.Dates.Contains(d)
                && e.CentreIds.Any(id => string.Equals(id, c.Id, StringComparison.OrdinalIgnoreCase))))).DefaultIfEmpty(0).Max();
            if (most > 0) load += Ceiling(minutes, most);
        }
        var examinerDays = Math.Max(Ceiling(seatMinutes, maxAll), perDiscipline);
        return new SimpleBound(span * w.WaitingMinute + examinerDays * w.ExaminerDay + load * w.LoadBalanceMinute, span, examinerDays, load);
    }

    private static long Ceiling(long a, long b) => (a + b - 1) / b;
}

/// <summary>What a plan looks like for the candidates.</summary>
public static class Shape
{
    /// <summary>Share of the given candidates whose placed orals all fall on one date (a candidate with nothing placed does not count as single-day).</summary>
    public static double SingleDayShare(IReadOnlyList<ScheduledExam> exams, IEnumerable<string> candidates)
    {
        var days = exams.GroupBy(e => e.CandidateNumber, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Date).Distinct().Count(), StringComparer.OrdinalIgnoreCase);
        var list = candidates.ToList();
        return list.Count == 0 ? 1 : list.Count(c => days.GetValueOrDefault(c) == 1) / (double)list.Count;
    }

    /// <summary>Mean waiting of a candidate-day: span (first preparation to end of last exam) less the busy minutes.</summary>
    public static double MeanWaitingMinutes(IReadOnlyList<ScheduledExam> exams)
    {
        var waits = exams.GroupBy(e => (e.CandidateNumber, e.Date)).Select(g =>
        {
            var span = (g.Max(e => e.ExamEnd) - g.Min(e => e.PrepStart ?? e.ExamStart)).TotalMinutes;
            return span - g.Sum(e => (e.ExamEnd - (e.PrepStart ?? e.ExamStart)).TotalMinutes);
        }).ToList();
        return waits.Count == 0 ? 0 : waits.Average();
    }
}

/// <summary>CPU used by this process and by the whole machine (/proc/stat) between construction and <see cref="Stop"/>, in cores.</summary>
public sealed class CpuMeter
{
    private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();
    private readonly TimeSpan _process0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
    private readonly (long Busy, long Total)? _machine0 = MachineTicks();

    public (double Process, double Machine) Stop()
    {
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_start);
        var process = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _process0) / wall;
        var machine = double.NaN;
        if (_machine0 is { } m0 && MachineTicks() is { } m1 && m1.Total > m0.Total)
            machine = (double)(m1.Busy - m0.Busy) / (m1.Total - m0.Total) * Environment.ProcessorCount;
        return (process, machine);
    }

    /// <summary>Busy and total jiffies of all CPUs (first line of /proc/stat); idle and iowait count as not busy.</summary>
    private static (long Busy, long Total)? MachineTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (fields.Sum() - fields[3] - fields[4], fields.Sum());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>This process's memory, from /proc/self/status (Linux).</summary>
public static class Memory
{
    /// <summary>Peak resident set size (VmHWM), in MiB; NaN where /proc is not readable.</summary>
    public static double PeakMiB() => Read("VmHWM:");

    /// <summary>Current resident set size (VmRSS), in MiB.</summary>
    public static double CurrentMiB() => Read("VmRSS:");

    private static double Read(string field)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value / 1024.0 : double.NaN;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }
}

/// <summary>What the figures were measured on.</summary>
public sealed record Machine(int Cores, string CpuModel, string Memory, string Os, string Kernel, string DotNet, string LoadAverage)
{
    public static Machine Describe()
    {
        var cpu = Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = Read("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var memory = long.TryParse(memKb, out var kb) ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "unknown";
        var os = Read("/etc/os-release").Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?
            .Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
        return new Machine(Environment.ProcessorCount, cpu, memory, os, Read("/proc/sys/kernel/osrelease").Trim(), RuntimeInformation.FrameworkDescription, LoadNow());
    }

    public static string LoadNow() => string.Join(' ', Read("/proc/loadavg").Split(' ').Take(3));

    private static string Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
