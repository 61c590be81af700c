using BtsCcst.Domain;
using BtsCcst.Scheduling.Planning;

namespace BtsCcst.Scheduling;

public static partial class OralPlanner
{
    /// <summary>Most centre-days a candidate is tried on in one pass (the least loaded first).</summary>
    private const int RelocationTargets = 4;
    /// <summary>Most seconds each centre-day of a relocation is planned again in.</summary>
    private const double RelocationDaySeconds = 1.0;

    private sealed partial class Run
    {
        /// <summary>
        /// Large-neighbourhood moves between centre-days, on the time the centre-day models and the moves leave: a
        /// candidate's orals go whole to another centre-day serving their academy, the days they leave and the day they
        /// join are planned again, and the move is kept only if the sum of their costs (waiting, examiner-days,
        /// professionals, orals left out) and of the candidate's extra days goes down. Passes over the candidates until
        /// one changes nothing or the time is up: on a small session this reaches assignments the first one missed.
        /// </summary>
        private void Relocate(PlanningSession session, CheckedSession checkedSession, LoadBook book)
        {
            var improved = true;
            while (improved && Limit - Elapsed >= MinSolveSeconds)
            {
                improved = false;
                foreach (var candidate in RelocationOrder())
                {
                    if (Limit - Elapsed < MinSolveSeconds) return;
                    if (TryRelocate(session, checkedSession, book, candidate))
                    {
                        improved = true;
                        Report("échanges entre journées");
                    }
                }
            }
        }

        /// <summary>Candidates with an oral left out first, then those who come more than one day, then the others.</summary>
        private List<PlanningCandidate> RelocationOrder()
        {
            var days = new Dictionary<PlanningCandidate, int>();
            var failing = new HashSet<PlanningCandidate>();
            foreach (var state in states.Values)
            {
                foreach (var candidate in state.Orals.Select(o => o.Candidate).Distinct()) days[candidate] = days.GetValueOrDefault(candidate) + 1;
                failing.UnionWith(state.Failed.Keys.Select(o => o.Candidate));
            }
            return days.Keys
                .OrderByDescending(failing.Contains).ThenByDescending(c => days[c]).ThenBy(c => c.Number, StringComparer.Ordinal)
                .ToList();
        }

        private bool TryRelocate(PlanningSession session, CheckedSession checkedSession, LoadBook book, PlanningCandidate candidate)
        {
            var sources = states.Values.Where(s => s.Orals.Any(o => o.Candidate == candidate)).OrderBy(s => s.Day.Index).ToList();
            // A candidate before a pinned commission stays where the pin puts them.
            if (sources.Any(s => s.Placed.Any(p => p.Key.Candidate == candidate && s.Commissions[p.Value.Commission].Pinned))) return false;
            var orals = sources.SelectMany(s => s.Orals.Where(o => o.Candidate == candidate)).ToList();
            var targets = orals.Select(o => (IEnumerable<CentreDay>)checkedSession.Eligible[o]).Aggregate((a, b) => a.Intersect(b))
                .Where(d => !(sources.Count == 1 && sources[0].Day == d) && CandidateDay.Fits(d, orals))
                .OrderBy(d => book.UtilisationWith(d, orals)).ThenBy(d => d.Index)
                .Take(RelocationTargets)
                .ToList();
            foreach (var target in targets)
            {
                if (Limit - Elapsed < MinSolveSeconds) return false;
                if (TryMove(session, book, candidate, orals, sources, target)) return true;
            }
            return false;
        }

        /// <summary>One move: the candidate's <paramref name="orals"/> from the <paramref name="sources"/> to <paramref name="target"/>.</summary>
        private bool TryMove(PlanningSession session, LoadBook book, PlanningCandidate candidate, List<Oral> orals, List<DayState> sources, CentreDay target)
        {
            var joined = states.GetValueOrDefault(target) ?? new DayState(target);
            var involved = sources.Append(joined).Distinct().ToList();
            foreach (var state in involved) Refresh(state);
            var before = involved.Sum(s => s.Objective) + (double)weights.ExtraDay * (sources.Count - 1);

            var seconds = Math.Min(RelocationDaySeconds, Math.Max(0, Limit - Elapsed) / involved.Count);
            var plans = new Dictionary<DayState, (List<Oral> Orals, List<Commission> Commissions, DayPlan Plan)>();
            foreach (var source in sources.Where(s => s != joined))
            {
                var left = source.Orals.Where(o => o.Candidate != candidate).ToList();
                plans[source] = (left, source.Commissions, PlanAgain(source, source.Commissions, left, seconds));
            }
            var joinedOrals = joined.Orals.Where(o => o.Candidate != candidate).Concat(orals).ToList();
            var (extra, joinedCommissions) = WithIdleExaminers(session, joined, joinedOrals, joinedOrals);
            plans[joined] = (joinedOrals, joinedCommissions, PlanAgain(joined, joinedCommissions, joinedOrals, seconds));

            if (plans.Values.Sum(p => p.Plan.Objective) >= before)
            {
                Uncall(target, extra);
                return false;
            }
            foreach (var source in sources) book.Add(source.Day, source.Orals.Where(o => o.Candidate == candidate), -1);
            book.Add(target, orals);
            foreach (var examiner in extra) book.Supply(target, examiner);
            foreach (var (state, (stateOrals, commissions, plan)) in plans)
            {
                state.Orals.Clear();
                state.Orals.AddRange(stateOrals);
                if (commissions != state.Commissions) state.Commissions.AddRange(commissions.Skip(state.Commissions.Count));
                foreach (var oral in orals) state.Fixed.Remove(oral);
                Adopt(state, plan);
                foreach (var (oral, reason) in state.Failed) firstReason[oral] = reason;
            }
            states[target] = joined;
            return true;
        }

        /// <summary>
        /// A centre-day planned again with these orals, around its fixed ones, starting from its plan for those it keeps
        /// (a short search rarely beats a long one's plan from scratch); an empty day costs nothing.
        /// </summary>
        private DayPlan PlanAgain(DayState state, IReadOnlyList<Commission> commissions, IReadOnlyList<Oral> orals, double seconds)
        {
            var staying = orals.ToHashSet();
            var kept = state.Fixed.Where(f => staying.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value);
            if (orals.Count == 0) return new DayPlan(new CentreDayProblem(state.Day, commissions, orals, kept), [], 0, 0, true);
            var start = state.Placed.Where(p => staying.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value);
            return Attempt(state.Day, commissions, orals, kept, seconds, placedBefore: null, start);
        }

        /// <summary>The cost of a centre-day whose orals moved away since its last plan, computed again for what stays.</summary>
        private void Refresh(DayState state)
        {
            if (!state.Stale) return;
            state.Problem = new CentreDayProblem(state.Day, state.Commissions, state.Orals, state.Placed);
            state.Objective = PlanCost.Evaluate(state.Problem, state.Problem.Jobs.Select(j => j.Fixed).ToArray(), weights);
            state.Bound = Math.Min(state.Bound, state.Objective);
            state.Stale = false;
        }
    }
}
