using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>
/// A list scheduler for one centre-day: candidate after candidate, each oral at the earliest start that keeps
/// every hard rule, right after the candidate's previous oral when it can. It gives the CP-SAT model a complete
/// first solution (its hint) and is the plan kept when the solver finds nothing better in its time. Heuristic.
/// </summary>
internal static class GreedyScheduler
{
    /// <summary>
    /// Places the centre-day's orals; given a plan (<paramref name="from"/>), keeps it and only adds the orals it left out
    /// where they still fit (a cheap repair of a plan the solver had no time to finish improving).
    /// </summary>
    /// <param name="preferred">Commissions to schedule on first (<see cref="Opening"/>), the others only for orals
    /// these cannot take; null: all alike.</param>
    public static Placement?[] Schedule(CentreDayProblem problem, Placement?[]? from = null, bool[]? preferred = null)
    {
        var timeline = new Timeline(problem) { Preferred = preferred };
        var kept = problem.Jobs.Select(j => j.Fixed ?? from?[j.Index]).ToArray();
        foreach (var job in problem.Jobs.Where(j => kept[j.Index] is not null && (j.Follows < 0 || kept[j.Follows] is null)))
        {
            var chain = job.FollowedBy >= 0 && kept[job.FollowedBy] is not null ? new[] { job, problem.Jobs[job.FollowedBy] } : [job];
            timeline.Reserve(chain, chain.Select(j => kept[j.Index]!.Value).ToArray());
        }
        var order = Enumerable.Range(0, problem.Candidates.Count)
            .Where(c => problem.JobsOf[c].Any(j => kept[j] is null && problem.Modelled[j]))
            .OrderBy(c => problem.JobsOf[c].Select(j => problem.Jobs[j]).Where(j => kept[j.Index] is null).Select(j => j.Commissions.Length).DefaultIfEmpty(int.MaxValue).Min())
            .ThenByDescending(c => problem.JobsOf[c].Sum(j => problem.Jobs[j].PrepSlots + problem.Jobs[j].ExamSlots))
            .ThenBy(c => problem.Candidates[c].Number, StringComparer.Ordinal)
            .ToList();
        foreach (var candidate in order) PlaceCandidate(problem, timeline, candidate);
        return timeline.Placements;
    }

    /// <summary>
    /// The commissions whose members are enough, with a margin, for the minutes each discipline must examine
    /// (<see cref="CentreDayBound.Demands"/>): commissions with a professional first (they spare the cost of an E4 or
    /// U61 without one), then the members with the longest days. Scheduling on these first calls fewer examiners.
    /// </summary>
    public static bool[] Opening(CentreDayProblem p, double margin)
    {
        var free = CentreDayBound.FreeMinutes(p);
        var groups = CentreDayBound.Demands(p).SelectMany(d => d.Groups).Select(g => (g.Pool, Minutes: g.Minutes * margin)).ToList();
        var held = new double[groups.Count];
        var opened = new bool[p.Examiners.Count];
        var order = Enumerable.Range(0, p.Commissions.Count)
            .OrderBy(c => p.Commissions[c].Pinned ? 0 : 1)
            .ThenBy(c => p.Commissions[c].HasProfessional ? 0 : 1)
            .ThenByDescending(c => p.MembersOf[c].Sum(m => Math.Min(p.MaxMinutes(m), free)))
            .ThenBy(c => c);
        foreach (var c in order)
        {
            var useful = p.Commissions[c].Pinned || p.MembersOf[c].Any(m => !opened[m] && Enumerable.Range(0, groups.Count).Any(g => held[g] < groups[g].Minutes && groups[g].Pool.Contains(m)));
            if (!useful) continue;
            foreach (var m in p.MembersOf[c].Where(m => !opened[m]))
            {
                opened[m] = true;
                for (var g = 0; g < groups.Count; g++)
                    if (groups[g].Pool.Contains(m)) held[g] += Math.Min(p.MaxMinutes(m), free);
            }
        }
        return Enumerable.Range(0, p.Commissions.Count).Select(c => p.MembersOf[c].All(m => opened[m])).ToArray();
    }

    /// <summary>
    /// Ruin and recreate: a few candidates at a time lose their orals, which are placed again one candidate after the
    /// other (orders and starting times tried as in the list scheduler, the plan of the day priced whole); the change is
    /// kept when the day costs no more (<see cref="PlanCost"/>). Candidates with an oral fixed by an earlier solve stay.
    /// Runs for <paramref name="budget"/>, or until the day costs no more than <paramref name="floor"/> (a bound: no plan
    /// does better); deterministic for a seed.
    /// </summary>
    public static Placement?[] Improve(CentreDayProblem problem, Placement?[] plan, PlannerWeights weights, TimeSpan budget, int seed, CancellationToken cancellationToken = default,
        double floor = double.NegativeInfinity)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timeline = new Timeline(problem);
        foreach (var job in problem.Jobs.Where(j => plan[j.Index] is not null || j.Fixed is not null))
            timeline.Reserve([job], [job.Fixed ?? plan[job.Index]!.Value]);
        double Cost() => PlanCost.Evaluate(problem, timeline.Placements, weights);
        var cost = Cost();
        var movable = Enumerable.Range(0, problem.Candidates.Count)
            .Where(k => problem.JobsOf[k].All(j => problem.Jobs[j].Fixed is null) && problem.JobsOf[k].Any(j => problem.Modelled[j]))
            .ToList();
        var random = new Random(seed);
        while (movable.Count > 0 && cost > floor && clock.Elapsed < budget && !cancellationToken.IsCancellationRequested)
        {
            var picked = movable.OrderBy(_ => random.Next()).Take(1 + random.Next(Math.Min(3, movable.Count))).ToList();
            var saved = picked.SelectMany(k => problem.JobsOf[k]).Where(j => timeline.Placements[j] is not null)
                .Select(j => (Job: problem.Jobs[j], Placement: timeline.Placements[j]!.Value)).ToList();
            foreach (var (job, placement) in saved) timeline.Release([job], [placement]);
            foreach (var k in picked) PlaceCandidate(problem, timeline, k, Cost, anchorStep: 6);
            var after = Cost();
            if (after <= cost)
            {
                cost = after;
                continue;
            }
            foreach (var j in picked.SelectMany(k => problem.JobsOf[k]).Where(j => timeline.Placements[j] is not null).ToList())
                timeline.Release([problem.Jobs[j]], [timeline.Placements[j]!.Value]);
            foreach (var (job, placement) in saved) timeline.Reserve([job], [placement]);
        }
        return [.. timeline.Placements];
    }

    /// <summary>
    /// Tries a few orders of the candidate's orals and keeps the one that places the most and ends the earliest, or with
    /// <paramref name="price"/>, that places the most at the least cost of the day; <paramref name="anchorStep"/> (slots)
    /// adds starting times within the free stretches.
    /// </summary>
    private static void PlaceCandidate(CentreDayProblem problem, Timeline timeline, int candidate, Func<double>? price = null, int anchorStep = 0)
    {
        var units = new List<ExamJob[]>();
        bool Open(ExamJob j) => timeline.Placements[j.Index] is null && problem.Modelled[j.Index];
        foreach (var job in problem.JobsOf[candidate].Select(j => problem.Jobs[j]).Where(Open))
        {
            if (job.Follows >= 0 && Open(problem.Jobs[job.Follows])) continue; // goes with its U61
            var ef3 = job.FollowedBy >= 0 ? problem.Jobs[job.FollowedBy] : null;
            units.Add(ef3 is not null && Open(ef3) ? [job, ef3] : [job]);
        }
        if (units.Count == 0) return;
        static int Rank(ExamJob[] unit) => unit[0].Oral.Unit switch
        {
            UnitCode.E4 => 0, UnitCode.U61 => 1, UnitCode.U62 => 2, UnitCode.EF2 => 3, UnitCode.E22 => 4, UnitCode.EF1 => 5, _ => 6,
        };
        var byRank = units.OrderBy(Rank).ToList();
        var orders = new List<List<ExamJob[]>>
        {
            byRank,
            byRank.OrderBy(u => u[0].Oral.Unit == UnitCode.E22 ? 0 : 1).ToList(),
            byRank.OrderBy(u => u[0].Oral.Unit == UnitCode.E4 ? 1 : 0).ToList(),
        };
        // Each order is tried from the opening of each free stretch of the day: the candidate's orals follow each other
        // from there, so the plan kept is the one that places the most, with the least waiting, ending the earliest.
        (int Placed, double Waiting, int End) best = (-1, 0, 0);
        List<(ExamJob[] Jobs, Placement[] Placements)>? bestPlan = null;
        var anchors = problem.Day.FreeWindows
            .SelectMany(w => anchorStep <= 0
                ? [w.Start / CentreDayProblem.Slot]
                : Enumerable.Range(w.Start / CentreDayProblem.Slot, (w.End - w.Start) / CentreDayProblem.Slot).Where((_, i) => i % anchorStep == 0))
            .ToList();
        foreach (var tried in orders)
            foreach (var anchor in anchors)
            {
                var plan = new List<(ExamJob[], Placement[])>();
                var from = anchor;
                foreach (var unit in tried)
                {
                    var found = timeline.Find(unit, from, preferredOnly: true) ?? timeline.Find(unit, from)
                        ?? timeline.Find(unit, -1, preferredOnly: true) ?? timeline.Find(unit, -1);
                    if (found is null) continue;
                    timeline.Reserve(unit, found);
                    plan.Add((unit, found));
                    from = Math.Max(from, unit[^1].End(found[^1].Start) + CentreDayProblem.GapSlots);
                }
                var priced = price?.Invoke();
                foreach (var (jobs, placements) in plan) timeline.Release(jobs, placements);
                var score = Score(plan);
                if (priced is { } total) score = (score.Placed, total, score.End);
                if (bestPlan is null || score.Placed > best.Placed || score.Placed == best.Placed && (score.Waiting, score.End).CompareTo((best.Waiting, best.End)) < 0)
                {
                    best = score;
                    bestPlan = plan;
                }
            }
        foreach (var (jobs, placements) in bestPlan!) timeline.Reserve(jobs, placements);
    }

    private static (int Placed, double Waiting, int End) Score(List<(ExamJob[] Jobs, Placement[] Placements)> plan)
    {
        if (plan.Count == 0) return (0, 0, 0);
        var first = plan.Min(p => p.Jobs[0].PrepStart(p.Placements[0].Start));
        var last = plan.Max(p => p.Jobs[^1].End(p.Placements[^1].Start));
        var busy = plan.Sum(p => p.Jobs.Sum(j => j.PrepSlots + j.ExamSlots));
        return (plan.Sum(p => p.Jobs.Length), last - first - busy, last);
    }

    /// <summary>What is taken, slot by slot: examiners, preparation seats, rooms, candidates (with their gap).</summary>
    private sealed class Timeline
    {
        private readonly CentreDayProblem p;
        private readonly bool[][] examinerBusy;
        private readonly int[] examinerMinutes;
        private readonly int[] commissionMinutes;
        private readonly int[] prepUse;
        private readonly int[] roomUse;
        private readonly int[][] candidateBusy;

        public Timeline(CentreDayProblem problem)
        {
            p = problem;
            var length = CentreDayProblem.DaySlots + CentreDayProblem.GapSlots + 1;
            examinerBusy = problem.Examiners.Select(_ => new bool[length]).ToArray();
            examinerMinutes = new int[problem.Examiners.Count];
            commissionMinutes = new int[problem.Commissions.Count];
            prepUse = new int[length];
            roomUse = new int[length];
            candidateBusy = problem.Candidates.Select(_ => new int[length]).ToArray();
            Placements = new Placement?[problem.Jobs.Count];
        }

        public Placement?[] Placements { get; }

        /// <summary>The earliest placement of a chain (an oral, or a U61 and its EF3) whose preparation starts at or after <paramref name="from"/>.</summary>
        /// <summary>Commissions to use first (the others when these cannot take an oral); null: all alike.</summary>
        public bool[]? Preferred { get; init; }

        public Placement[]? Find(ExamJob[] chain, int from, bool preferredOnly = false)
        {
            if (preferredOnly && Preferred is null) return null;
            var first = chain[0];
            int[] commissions;
            int? forcedStart = null;
            if (first.Follows >= 0)
            {
                // An EF3 alone: its U61 is already placed; it follows at once, same commission.
                if (Placements[first.Follows] is not { } u61) return null;
                commissions = first.Commissions.Contains(u61.Commission) ? [u61.Commission] : [];
                forcedStart = p.Jobs[first.Follows].End(u61.Start);
            }
            else commissions = chain.Length == 1 ? first.Commissions : p.SharedCommissions(first, chain[1]);
            if (commissions.Length == 0) return null;
            var wantsProfessional = chain.Any(j => j.Oral.Unit is UnitCode.E4 or UnitCode.U61);
            var ranked = commissions
                .OrderBy(c => p.Commissions[c].Pinned && commissionMinutes[c] == 0 ? 0 : 1)
                .ThenBy(c => wantsProfessional && !p.Commissions[c].HasProfessional ? 1 : 0)
                .ThenBy(c => p.MembersOf[c].Count(m => examinerMinutes[m] == 0))
                // Commissions with a professional are kept for the E4 and U61 that want one.
                .ThenBy(c => !wantsProfessional && p.Commissions[c].HasProfessional ? 1 : 0)
                .ThenBy(c => commissionMinutes[c])
                .ThenBy(c => c)
                .Where(c => !preferredOnly || Preferred![c])
                .ToArray();
            var examSlots = chain.Sum(j => j.ExamSlots);
            var minutes = examSlots * CentreDayProblem.Slot;
            var starts = forcedStart is { } f ? (first.Starts.Contains(f) ? [f] : []) : first.Starts;
            foreach (var s in starts)
            {
                if (first.PrepStart(s) < from) continue;
                if (chain.Length == 2 && Array.BinarySearch(chain[1].Starts, s + first.ExamSlots) < 0) continue;
                var end = s + examSlots;
                var busyFrom = first.Follows >= 0 ? s + CentreDayProblem.GapSlots : first.PrepStart(s);
                if (!CandidateFree(first.Candidate, busyFrom, end + CentreDayProblem.GapSlots)) continue;
                if (!Below(prepUse, first.PrepStart(s), s, p.PrepSeats) || !Below(roomUse, s, end, p.Rooms)) continue;
                foreach (var c in ranked)
                    if (CommissionFree(c, s, end, minutes))
                    {
                        var result = new Placement[chain.Length];
                        var at = s;
                        for (var i = 0; i < chain.Length; i++)
                        {
                            result[i] = new Placement(c, at);
                            at += chain[i].ExamSlots;
                        }
                        return result;
                    }
            }
            return null;
        }

        private bool CandidateFree(int candidate, int from, int to)
        {
            var busy = candidateBusy[candidate];
            for (var s = Math.Max(0, from); s < to && s < busy.Length; s++) if (busy[s] > 0) return false;
            return true;
        }

        private static bool Below(int[] use, int from, int to, int capacity)
        {
            for (var s = from; s < to; s++) if (use[s] >= capacity) return false;
            return true;
        }

        private bool CommissionFree(int c, int from, int to, int minutes)
        {
            foreach (var m in p.MembersOf[c])
            {
                if (examinerMinutes[m] + minutes > p.MaxMinutes(m)) return false;
                var busy = examinerBusy[m];
                for (var s = from; s < to; s++) if (busy[s]) return false;
            }
            return true;
        }

        public void Reserve(ExamJob[] chain, Placement[] placements) => Mark(chain, placements, +1);

        public void Release(ExamJob[] chain, Placement[] placements) => Mark(chain, placements, -1);

        private void Mark(ExamJob[] chain, Placement[] placements, int sign)
        {
            var taken = sign > 0;
            for (var i = 0; i < chain.Length; i++)
            {
                var job = chain[i];
                var (c, s) = (placements[i].Commission, placements[i].Start);
                Placements[job.Index] = taken ? placements[i] : null;
                foreach (var m in p.MembersOf[c])
                {
                    examinerMinutes[m] += sign * job.ExamSlots * CentreDayProblem.Slot;
                    for (var t = s; t < job.End(s); t++) examinerBusy[m][t] = taken;
                }
                commissionMinutes[c] += sign * job.ExamSlots * CentreDayProblem.Slot;
                for (var t = job.PrepStart(s); t < s; t++) prepUse[t] += sign;
                for (var t = s; t < job.End(s); t++) roomUse[t] += sign;
            }
            // The candidate is busy from their first preparation to the end of the chain, plus the gap; an EF3 placed
            // after its U61 starts within the U61's gap, which it shares.
            var busy = candidateBusy[chain[0].Candidate];
            var from = chain[0].Follows >= 0 ? placements[0].Start + CentreDayProblem.GapSlots : chain[0].PrepStart(placements[0].Start);
            var to = chain[^1].End(placements[^1].Start) + CentreDayProblem.GapSlots;
            for (var t = Math.Max(0, from); t < to && t < busy.Length; t++) busy[t] += sign;
        }
    }
}
