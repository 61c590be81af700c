using BtsCcst.Domain;

namespace BtsCcst.Scheduling;

/// <summary>One date of one oral centre.</summary>
public readonly record struct CentreDate(string CentreId, DateOnly Date)
{
    public override string ToString() => $"{CentreId} le {Date:dd/MM/yyyy}";
}

/// <summary>
/// What a re-plan starts from: the published schedule as it stands (with the repairs accepted since) and the
/// centre-days to keep exactly as they are (begun, with events or repairs, or within the notice period).
/// </summary>
/// <param name="Whole">True to re-plan every centre-day not kept; false (the default) to re-plan only the centre-days
/// that must change.</param>
public sealed record ReplanBasis(IReadOnlyList<ScheduledExam> Schedule, IReadOnlySet<CentreDate> Kept, bool Whole = false);

/// <summary>
/// A re-plan cut in two: the rows kept as they are (<see cref="Kept"/>: the kept centre-days; <see cref="Unchanged"/>:
/// the other centre-days whose plan still keeps every rule) and the residual instance the planner plans: the orals of
/// no kept or unchanged row, on the centre-days of no kept or unchanged row, with the examiners free on those dates.
/// </summary>
public sealed record ReplanSplit(
    PlanningInstance Residual,
    IReadOnlyList<ScheduledExam> Kept,
    IReadOnlyList<ScheduledExam> Unchanged,
    IReadOnlyList<CentreDate> KeptDays,
    IReadOnlyList<CentreDate> UnchangedDays,
    IReadOnlyList<CentreDate> ReplannedDays);

/// <summary>
/// Re-planning with minimal perturbation, once a plan is published (convocations out). The perturbation is counted in
/// candidates whose convocation changes; it is kept small by construction rather than by a weight: a centre-day is
/// re-planned only when it must be (a row of it breaks a rule of the new instance: an examiner gone or no longer
/// available, a centre's hours or rooms changed, a candidate's orals changed...), or when an oral with nowhere else to
/// go needs it (a late registration: the least loaded unchanged centre-day serving the candidate's academy is opened,
/// its candidates pinned to it). Every other centre-day keeps its rows exactly, and the kept centre-days are never
/// touched. The planner then plans the residual instance (<see cref="Split"/>), whose centre-days, examiner-days and
/// orals are disjoint from the rows kept, and <see cref="Merge"/> puts the two together, checking each candidate's day
/// against their kept orals.
/// </summary>
public static class Replanning
{
    private static readonly StringComparer Ids = StringComparer.OrdinalIgnoreCase;

    /// <summary>The rules a single centre-day's rows can break on their own (the candidate's order over days is checked at the merge).</summary>
    private static readonly HashSet<string> DayRules = [.. HardRules.All.Where(r => r != HardRules.Ef3AfterU61)];

    public static ReplanSplit Split(PlanningInstance instance, ReplanBasis basis)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(basis);
        var candidates = instance.Candidates.ToDictionary(c => c.Number, Ids);
        // Rows of orals no longer to plan (a candidate withdrawn, a unit exempted) are dropped, wherever they are.
        var rows = basis.Schedule.Where(r => candidates.TryGetValue(r.CandidateNumber, out var c) && c.Orals.Contains(r.Unit)).ToList();
        var byDay = rows.GroupBy(r => new CentreDate(r.CentreId, r.Date)).ToDictionary(g => g.Key, g => g.ToList());

        var kept = byDay.Keys.Where(basis.Kept.Contains).ToHashSet();
        var unchanged = basis.Whole ? [] : byDay.Keys.Where(d => !kept.Contains(d) && DayHolds(instance, byDay[d])).ToHashSet();
        var opened = OpenDaysForHomelessOrals(instance, byDay, kept, unchanged);
        unchanged.ExceptWith(opened);

        var fixedRows = byDay.Where(d => kept.Contains(d.Key) || unchanged.Contains(d.Key)).SelectMany(d => d.Value).ToList();
        var residual = Residual(instance, fixedRows, kept.Concat(unchanged).ToHashSet(), opened.SelectMany(d => byDay[d]));
        var replanned = byDay.Keys.Where(d => !kept.Contains(d) && !unchanged.Contains(d));
        return new ReplanSplit(residual,
            [.. byDay.Where(d => kept.Contains(d.Key)).SelectMany(d => d.Value)],
            [.. byDay.Where(d => unchanged.Contains(d.Key)).SelectMany(d => d.Value)],
            Sorted(kept), Sorted(unchanged), Sorted(replanned));
    }

    private static CentreDate[] Sorted(IEnumerable<CentreDate> days) => [.. days.OrderBy(d => d.Date).ThenBy(d => d.CentreId, StringComparer.Ordinal)];

    /// <summary>True when the rows of one centre-day keep every rule of the new instance on their own.</summary>
    private static bool DayHolds(PlanningInstance instance, IReadOnlyList<ScheduledExam> day)
    {
        var units = day.ToLookup(r => r.CandidateNumber, r => r.Unit, Ids);
        var alone = instance with
        {
            Candidates = [.. instance.Candidates.Where(c => units.Contains(c.Number)).Select(c => c with { Orals = [.. units[c.Number].Distinct()] })],
            OralPins = [.. instance.OralPins.Where(p => units[p.CandidateNumber].Contains(p.Unit))],
            CommissionPins = [.. instance.CommissionPins.Where(p => day.Any(r => Ids.Equals(r.CentreId, p.CentreId) && r.Date == p.Date))],
        };
        return ScheduleValidator.Validate(alone, day).All(v => !DayRules.Contains(v.Rule));
    }

    /// <summary>
    /// Centre-days to re-plan so that each oral left without a row (a late registration, a unit added) has somewhere to
    /// go when no re-planned or empty centre-day serves the candidate's academy: the least loaded unchanged one.
    /// </summary>
    private static HashSet<CentreDate> OpenDaysForHomelessOrals(PlanningInstance instance, Dictionary<CentreDate, List<ScheduledExam>> byDay,
        HashSet<CentreDate> kept, HashSet<CentreDate> unchanged)
    {
        var opened = new HashSet<CentreDate>();
        var placed = byDay.Where(d => kept.Contains(d.Key) || unchanged.Contains(d.Key)).SelectMany(d => d.Value)
            .Select(r => (r.CandidateNumber.ToUpperInvariant(), r.Unit)).ToHashSet();
        var homeless = instance.Candidates.Where(c => c.Orals.Any(u => !placed.Contains((c.Number.ToUpperInvariant(), u))));
        foreach (var academy in homeless.Select(c => c.Academy).Distinct(Ids))
        {
            var serving = instance.Centres.Where(c => c.Academies.Contains(academy)).SelectMany(c => c.Dates.Select(d => new CentreDate(c.Id, d))).ToList();
            if (serving.Any(d => !kept.Contains(d) && !unchanged.Contains(d) || opened.Contains(d))) continue;
            var lightest = serving.Where(unchanged.Contains).OrderBy(d => byDay[d].Count).ThenBy(d => d.Date).FirstOrDefault();
            if (lightest.CentreId is not null) opened.Add(lightest);
        }
        return opened;
    }

    /// <summary>
    /// The instance the planner plans: the orals of no fixed row; the centres open only on dates none of their fixed
    /// rows uses; each examiner available only on dates they examine on no fixed row (one centre a day). The candidates
    /// of an opened centre-day are pinned to it, so that they stay there (at times that may change).
    /// </summary>
    private static PlanningInstance Residual(PlanningInstance instance, List<ScheduledExam> fixedRows, HashSet<CentreDate> fixedDays, IEnumerable<ScheduledExam> openedRows)
    {
        var placed = fixedRows.Select(r => (r.CandidateNumber.ToUpperInvariant(), r.Unit)).ToHashSet();
        var busy = fixedRows.SelectMany(r => r.ExaminerIds.Select(e => (Examiner: e.ToUpperInvariant(), r.Date))).ToHashSet();
        var candidates = instance.Candidates
            .Select(c => c with { Orals = [.. c.Orals.Where(u => !placed.Contains((c.Number.ToUpperInvariant(), u)))] })
            .Where(c => c.Orals.Count > 0).ToList();
        var toPlan = candidates.SelectMany(c => c.Orals.Select(u => (c.Number.ToUpperInvariant(), u))).ToHashSet();
        var stay = openedRows.Select(r => new OralPin(r.CandidateNumber, r.Unit, r.Date, r.CentreId));
        return instance with
        {
            Candidates = candidates,
            Centres = [.. instance.Centres.Select(c => c with { Dates = [.. c.Dates.Where(d => !fixedDays.Contains(new CentreDate(c.Id, d)))] })],
            Examiners = [.. instance.Examiners.Select(e => e with { Dates = e.Dates.Where(d => !busy.Contains((e.Id.ToUpperInvariant(), d))).ToHashSet() })],
            OralPins = [.. instance.OralPins.Where(p => !stay.Any(s => Ids.Equals(s.CandidateNumber, p.CandidateNumber) && s.Unit == p.Unit)).Concat(stay)
                .Where(p => toPlan.Contains((p.CandidateNumber.ToUpperInvariant(), p.Unit)))],
            CommissionPins = [.. instance.CommissionPins.Where(p => !fixedDays.Contains(new CentreDate(p.CentreId, p.Date)))],
        };
    }

    /// <summary>
    /// The whole plan: the rows kept, the unchanged rows and the residual plan. A candidate whose re-planned orals clash
    /// with their kept ones (the same time, an EF3 before its U61) loses the re-planned ones, reported unplaced with the
    /// reason. Objective and bound are the residual plan's (the rows kept cost what they cost before).
    /// </summary>
    public static PlanResult Merge(PlanningInstance instance, ReplanSplit split, PlanResult residual)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(residual);
        var fixedRows = split.Kept.Concat(split.Unchanged).ToList();
        var planned = Renamed(residual.Exams, fixedRows);
        var unplaced = residual.Unplaced.ToList();
        var fixedOf = fixedRows.ToLookup(r => r.CandidateNumber, Ids);
        var clashing = planned.Select(r => r.CandidateNumber).Distinct(Ids)
            .Where(n => fixedOf.Contains(n) && !CandidateHolds(instance, n, [.. fixedOf[n], .. planned.Where(r => Ids.Equals(r.CandidateNumber, n))]))
            .ToHashSet(Ids);
        foreach (var row in planned.Where(r => clashing.Contains(r.CandidateNumber)))
            unplaced.Add(new UnplacedOral(row.CandidateNumber, row.Unit,
                $"Le {row.Unit} du candidat {row.CandidateNumber} ne trouve pas de place compatible avec ses oraux maintenus : relancez une re-planification complète ou placez-le par une réparation."));
        var reasons = new List<string> { Summary(split) };
        reasons.AddRange(residual.Reasons);
        return new PlanResult(
            [.. fixedRows.Concat(planned.Where(r => !clashing.Contains(r.CandidateNumber)))
                .OrderBy(e => e.CentreId, StringComparer.Ordinal).ThenBy(e => e.Date).ThenBy(e => e.ExamStart).ThenBy(e => e.Room, StringComparer.Ordinal)],
            unplaced, reasons, residual.Objective, residual.Bound, residual.Optimal && clashing.Count == 0);
    }

    private static bool CandidateHolds(PlanningInstance instance, string number, IReadOnlyList<ScheduledExam> rows)
    {
        var alone = instance with
        {
            Candidates = [.. instance.Candidates.Where(c => Ids.Equals(c.Number, number)).Select(c => c with { Orals = [.. rows.Select(r => r.Unit).Distinct()] })],
            OralPins = [],
            CommissionPins = [],
        };
        return !ScheduleValidator.Validate(alone, rows).Any(v => v.Rule is HardRules.CandidateOneThingAtATime or HardRules.Ef3AfterU61);
    }

    /// <summary>The residual plan's commissions, renamed where a name is already taken by a kept row (the planner names them by centre-day).</summary>
    private static List<ScheduledExam> Renamed(IReadOnlyList<ScheduledExam> planned, List<ScheduledExam> fixedRows)
    {
        var taken = fixedRows.Select(r => r.CommissionId).ToHashSet(Ids);
        var names = new Dictionary<string, string>(Ids);
        var next = 1;
        foreach (var id in planned.Select(r => r.CommissionId).Distinct(Ids).Where(taken.Contains))
        {
            string name;
            do name = $"R{next++}-{planned.First(r => Ids.Equals(r.CommissionId, id)).Date:yyyyMMdd}"; while (taken.Contains(name));
            names[id] = name;
            taken.Add(name);
        }
        return [.. planned.Select(r => names.TryGetValue(r.CommissionId, out var name) ? r with { CommissionId = name } : r)];
    }

    private static string Summary(ReplanSplit split) =>
        $"Re-planification : {split.KeptDays.Count} journée(s) de centre gardée(s) telle(s) quelle(s) (commencées, avec des événements "
        + $"ou dans le délai de prévenance), {split.UnchangedDays.Count} inchangée(s), {split.ReplannedDays.Count} re-planifiée(s)"
        + (split.ReplannedDays.Count == 0 ? "." : $" ({string.Join(", ", split.ReplannedDays.Take(20))}{(split.ReplannedDays.Count > 20 ? ", …" : "")}).");
}
