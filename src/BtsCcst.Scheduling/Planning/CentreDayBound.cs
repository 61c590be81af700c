using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>
/// Lower bounds of <see cref="PlanCost"/> for one centre-day as assigned (its candidates, commissions and free
/// stretches), valid for every plan of the day, computed without the solver. The cost is cut into parts that share no
/// term, each bounded on its own (a sum of lower bounds of the parts bounds their sum): the candidates' days; E4 and U61
/// without a professional with the professionals' days and load; the other disciplines' examiner-days with their
/// heaviest load. The planner reports the better of this bound and the solver's. The shortest day of each candidate also
/// goes into the model as a redundant constraint (<see cref="CentreDayModel"/>), where it lifts the solver's own bound.
/// </summary>
internal static class CentreDayBound
{
    /// <summary>A candidate's stretch of a day that is one block: an oral, or a U61 with its EF3 right after it.</summary>
    private readonly record struct Block(int Length, int[] Windows);

    /// <summary>
    /// The shortest day (slots from first preparation to end of last exam) the candidate can have with all their
    /// modelled orals placed, whatever the other candidates do. A candidate does one thing at a time, with the minimum gap
    /// after each exam (none between a U61 and its EF3), and each oral lies within one free stretch: orals in different
    /// stretches are apart by at least the closed time between those stretches (the lunch break, a written exam). The
    /// orals are spread over the stretches in every possible way and the shortest day is kept; within a stretch its
    /// orals take their length plus the gaps and must fit in it. Returns 0 when the candidate has no modelled oral.
    /// </summary>
    public static int MinimumSpanSlots(CentreDayProblem p, int candidate)
    {
        var windows = Windows(p);
        var gap = CentreDayProblem.GapSlots;
        var blocks = new List<Block>();
        foreach (var i in p.JobsOf[candidate])
        {
            var job = p.Jobs[i];
            if (!p.Modelled[i] || job.Follows >= 0 && p.Modelled[job.Follows]) continue;
            var chained = job.FollowedBy >= 0 && p.Modelled[job.FollowedBy] ? p.Jobs[job.FollowedBy] : null;
            // An EF3 starts when its U61 ends: the block runs from the U61's preparation to the EF3's end.
            var length = job.PrepSlots + job.ExamSlots + (chained is null ? 0 : chained.ExamSlots + chained.PrepSlots);
            var starts = job.Fixed is { } f ? [f.Start] : job.Starts;
            var allowed = Enumerable.Range(0, windows.Count)
                .Where(w => length <= windows[w].End - windows[w].Start
                    && starts.Any(s => job.PrepStart(s) >= windows[w].Start && job.PrepStart(s) + length <= windows[w].End))
                .ToArray();
            blocks.Add(new Block(length, allowed));
        }
        if (blocks.Count == 0) return 0;
        // When the orals cannot all be placed, every plan pays for one left out: their busy time is bound enough.
        var busy = blocks.Sum(b => b.Length) + gap * (blocks.Count - 1);
        if (blocks.Any(b => b.Windows.Length == 0)) return busy;
        var placeable = blocks.OrderBy(b => b.Windows.Length).ThenByDescending(b => b.Length).ToList();
        var used = new int[windows.Count];
        var count = new int[windows.Count];
        var best = int.MaxValue;
        Assign(0);
        return best == int.MaxValue ? busy : best;

        void Assign(int b)
        {
            if (b == placeable.Count)
            {
                var span = 0;
                var previous = -1;
                for (var w = 0; w < windows.Count; w++)
                {
                    if (count[w] == 0) continue;
                    span += used[w] + gap * (count[w] - 1);
                    if (previous >= 0) span += Math.Max(gap, windows[w].Start - windows[previous].End);
                    previous = w;
                }
                best = Math.Min(best, span);
                return;
            }
            var block = placeable[b];
            foreach (var w in block.Windows)
            {
                var length = windows[w].End - windows[w].Start;
                if (used[w] + block.Length + gap * count[w] > length) continue;
                used[w] += block.Length;
                count[w]++;
                Assign(b + 1);
                used[w] -= block.Length;
                count[w]--;
            }
        }
    }

    /// <summary>The free stretches of the day, in slots [Start, End).</summary>
    public static List<(int Start, int End)> Windows(CentreDayProblem p)
    {
        var windows = new List<(int Start, int End)>();
        for (var s = 0; s < CentreDayProblem.DaySlots; s++)
        {
            if (!p.Free[s]) continue;
            var from = s;
            while (s < CentreDayProblem.DaySlots && p.Free[s]) s++;
            windows.Add((from, s));
        }
        return windows;
    }

    /// <summary>
    /// A lower bound of the cost of every plan of the centre-day: each term of <see cref="PlanCost"/> bounded on its own,
    /// for the plans that place every modelled oral; a plan that leaves one out pays <see cref="PlannerWeights.Unplaced"/>,
    /// so the bound is the smaller of the two. Orals that are not modelled are unplaced in every plan.
    /// </summary>
    public static double Evaluate(CentreDayProblem p, PlannerWeights weights)
    {
        const int slot = CentreDayProblem.Slot;
        var jobs = p.Jobs;
        long always = jobs.Count(j => j.Fixed is null && !p.Modelled[j.Index]) * (long)weights.Unplaced;
        var open = jobs.Any(j => j.Fixed is null && p.Modelled[j.Index]);
        long allPlaced = 0;
        for (var k = 0; k < p.Candidates.Count; k++)
            allPlaced += (long)weights.WaitingMinute * slot * MinimumSpanSlots(p, k);
        allPlaced += Professionals(p, weights);
        allPlaced += Examiners(p, weights);
        return always + (open ? Math.Min(allPlaced, weights.Unplaced) : allPlaced);
    }

    /// <summary>
    /// The E4 and U61 without a professional, the professionals' examiner-days and their heaviest load, in cost, when
    /// every modelled oral is placed. With j professionals called, at most what their j longest days hold is covered (the
    /// shortest orals first, each taking at least one professional's minutes), and the most loaded of them examines at
    /// least the covered minutes over j; the cheapest j and number covered are taken. Orals that need a professional
    /// otherwise (none do as the units are defined) are left to <see cref="Examiners(CentreDayProblem, PlannerWeights)"/>,
    /// which counts no professional.
    /// </summary>
    public static long Professionals(CentreDayProblem p, PlannerWeights weights)
    {
        var wanting = p.Jobs.Where(j => p.Modelled[j.Index] && j.Oral.Unit is UnitCode.E4 or UnitCode.U61).ToList();
        var coverable = wanting.Where(j => p.Options[j.Index].Any(c => p.Commissions[c].HasProfessional))
            .Select(j => (long)j.ExamSlots * CentreDayProblem.Slot).Order().ToList();
        var capacities = Enumerable.Range(0, p.Examiners.Count)
            .Where(e => p.Examiners[e].Discipline == Discipline.Professionnel && p.CommissionsOf[e].Length > 0)
            .Select(e => Capacity(p, e)).OrderDescending().ToList();
        var best = weights.NoProfessional * (long)wanting.Count;
        long capacity = 0;
        for (var called = 1; called <= capacities.Count; called++)
        {
            capacity += capacities[called - 1];
            long minutes = 0;
            for (var covered = 1; covered <= coverable.Count && minutes + coverable[covered - 1] <= capacity; covered++)
            {
                minutes += coverable[covered - 1];
                best = Math.Min(best, weights.ExaminerDay * (long)called + weights.NoProfessional * (long)(wanting.Count - covered)
                    + weights.LoadBalanceMinute * ((minutes + called - 1) / called));
            }
        }
        return best;
    }

    /// <summary>
    /// Examiner-days and heaviest loads when every modelled oral is placed, in cost. An oral every one of whose
    /// commissions has a member of a discipline adds its exam minutes to that many examiners of the discipline: the
    /// examiners of the discipline it may have must together examine those minutes. So at least as many of them are
    /// called as it takes, the longest days first, to hold the minutes; and with k of them called, the most loaded has at
    /// least the minutes over k, so calling more to lighten the heaviest costs examiner-days: the cheapest k is taken.
    /// Orals whose possible examiners of a discipline are disjoint sets count apart (EF1 in different languages); the
    /// heaviest of a discipline is one term for all of them, so only the group that gains most from it is priced jointly.
    /// </summary>
    public static long Examiners(CentreDayProblem p, PlannerWeights weights)
    {
        long cost = 0;
        foreach (var (discipline, groups) in Demands(p))
        {
            if (discipline == Discipline.Professionnel) continue;
            long best = 0;
            foreach (var (pool, minutes) in groups)
            {
                var capacities = pool.Select(m => Capacity(p, m)).OrderDescending().ToList();
                var least = Called(capacities, minutes);
                cost += weights.ExaminerDay * (long)least;
                var joint = long.MaxValue;
                for (var k = Math.Max(1, least); k <= pool.Count; k++)
                    joint = Math.Min(joint, weights.ExaminerDay * (long)(k - least) + weights.LoadBalanceMinute * ((minutes + k - 1) / k));
                best = Math.Max(best, joint == long.MaxValue ? 0 : joint);
            }
            cost += best;
        }
        return cost;
    }

    /// <summary>
    /// The most an examiner can examine in the day: their daily maximum within the free stretches, and no more than the
    /// teachers they sit with can (every minute of a commission counts for each member; commissions sharing a partner
    /// share that partner's day). Professionals, who may sit beyond the seats, do not limit.
    /// </summary>
    public static long Capacity(CentreDayProblem p, int examiner)
    {
        var own = (long)Math.Min(p.MaxMinutes(examiner), FreeMinutes(p));
        long Day(int m) => Math.Min(p.MaxMinutes(m), FreeMinutes(p));
        var partners = new HashSet<int>();
        foreach (var c in p.CommissionsOf[examiner])
        {
            var others = p.MembersOf[c].Where(m => m != examiner && p.Examiners[m].Discipline != Discipline.Professionnel).ToList();
            if (others.Count == 0) return own;
            partners.Add(others.MinBy(Day));
        }
        return Math.Min(own, partners.Sum(Day));
    }

    public static int FreeMinutes(CentreDayProblem p) => Windows(p).Sum(w => w.End - w.Start) * CentreDayProblem.Slot;

    /// <summary>How many of these daily capacities (longest first) it takes to hold the minutes (all of them when they cannot).</summary>
    private static int Called(List<long> capacities, long minutes)
    {
        long held = 0;
        var called = 0;
        while (held < minutes && called < capacities.Count) held += capacities[called++];
        return called;
    }

    /// <summary>
    /// Per discipline, the minutes its examiners must examine, grouped by the examiners able to: the orals all of whose
    /// commissions seat the discipline, times the fewest seats it has in them; groups that share an examiner are merged.
    /// </summary>
    public static IEnumerable<(Discipline Discipline, List<(HashSet<int> Pool, long Minutes)> Groups)> Demands(CentreDayProblem p)
    {
        foreach (var discipline in Enum.GetValues<Discipline>())
        {
            var demands = new Dictionary<string, (HashSet<int> Pool, long Minutes)>();
            foreach (var job in p.Jobs.Where(j => p.Modelled[j.Index]))
            {
                var options = p.Options[job.Index];
                var seated = options.Min(c => p.MembersOf[c].Count(m => p.Examiners[m].Discipline == discipline));
                if (seated == 0) continue;
                var pool = options.SelectMany(c => p.MembersOf[c]).Where(m => p.Examiners[m].Discipline == discipline).ToHashSet();
                var key = string.Join(",", pool.Order());
                var minutes = (long)seated * job.ExamSlots * CentreDayProblem.Slot;
                demands[key] = demands.TryGetValue(key, out var d) ? (d.Pool, d.Minutes + minutes) : (pool, minutes);
            }
            if (demands.Count == 0) continue;
            var groups = demands.Values.ToList();
            for (var merged = true; merged;)
            {
                merged = false;
                for (var a = 0; a < groups.Count && !merged; a++)
                    for (var b = a + 1; b < groups.Count && !merged; b++)
                        if (groups[a].Pool.Overlaps(groups[b].Pool))
                        {
                            groups[a] = ([.. groups[a].Pool.Union(groups[b].Pool)], groups[a].Minutes + groups[b].Minutes);
                            groups.RemoveAt(b);
                            merged = true;
                        }
            }
            yield return (discipline, groups);
        }
    }
}
