using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>The objective of <see cref="CentreDayModel"/> computed for any plan of the centre-day (the list scheduler's too).</summary>
internal static class PlanCost
{
    public static double Evaluate(CentreDayProblem p, Placement?[] placements, PlannerWeights weights)
    {
        const int slot = CentreDayProblem.Slot;
        long cost = 0;
        var slackFrom = p.IncidentSlackFrom(weights);
        var jobs = p.Jobs;
        cost += jobs.Count(j => j.Fixed is null && placements[j.Index] is null) * (long)weights.Unplaced;
        for (var k = 0; k < p.Candidates.Count; k++)
        {
            var mine = p.JobsOf[k].Where(i => placements[i] is not null).ToList();
            if (mine.Count == 0) continue;
            var first = mine.Min(i => jobs[i].PrepStart(placements[i]!.Value.Start));
            var last = mine.Max(i => jobs[i].End(placements[i]!.Value.Start));
            cost += (long)weights.WaitingMinute * slot * (last - first);
            cost += (long)weights.LateInDayMinute * slot * Math.Max(0, last - slackFrom);
        }
        var load = new long[p.Examiners.Count];
        var used = new bool[p.Commissions.Count];
        foreach (var job in jobs)
        {
            if (placements[job.Index] is not { } placement) continue;
            used[placement.Commission] = true;
            if (job.Oral.Unit is UnitCode.E4 or UnitCode.U61 && !p.Commissions[placement.Commission].HasProfessional) cost += weights.NoProfessional;
            foreach (var m in p.MembersOf[placement.Commission]) load[m] += job.ExamSlots * slot;
        }
        for (var c = 0; c < p.Commissions.Count; c++)
            if (p.Commissions[c].Pinned && !used[c] && jobs.Any(j => p.Modelled[j.Index] && p.Options[j.Index].Contains(c))) cost += weights.Unplaced;
        cost += Enumerable.Range(0, p.Examiners.Count).Count(e => p.CommissionsOf[e].Any(c => used[c])) * (long)weights.ExaminerDay;
        cost += Enumerable.Range(0, p.Examiners.Count).GroupBy(e => p.Examiners[e].Discipline).Sum(g => g.Max(e => load[e])) * weights.LoadBalanceMinute;
        return cost;
    }
}
