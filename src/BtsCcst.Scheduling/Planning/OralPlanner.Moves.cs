using BtsCcst.Domain;
using BtsCcst.Scheduling.Planning;

namespace BtsCcst.Scheduling;

public static partial class OralPlanner
{
    private sealed partial class Run
    {
        /// <summary>Orals a centre-day could not place move to another centre-day serving the candidate's academy, on another date.</summary>
        private void Move(PlanningSession session, CheckedSession checkedSession, LoadBook book)
        {
            for (var round = 0; round < MoveRounds; round++)
            {
                if (MoveLimit - Elapsed < MinSolveSeconds) return;
                var moves = new Dictionary<CentreDay, List<Oral>>();
                foreach (var state in states.Values.OrderBy(s => s.Day.Index).ToList())
                    foreach (var group in state.Failed.Keys.GroupBy(o => o.Candidate).OrderBy(g => g.Key.Number, StringComparer.Ordinal).ToList())
                        if (MoveAway(checkedSession, book, state, group) is { } move)
                            (moves.TryGetValue(move.Target, out var list) ? list : moves[move.Target] = []).AddRange(move.Orals);
                if (moves.Count == 0) return;
                moved = true;
                Report("reprise des oraux non placés");
                SolveTargets(session, moves, round);
            }
        }

        /// <summary>
        /// Takes a candidate's failed orals out of their centre-day towards another, with their orals placed there when that
        /// spares them a day; null when no centre-day may take them.
        /// </summary>
        private (CentreDay Target, List<Oral> Orals)? MoveAway(CheckedSession checkedSession, LoadBook book, DayState state, IGrouping<PlanningCandidate, Oral> group)
        {
            var candidate = group.Key;
            // An EF3 whose U61 is placed stays with it: it must follow that U61 at once.
            var failed = group.Where(o => o.Unit != UnitCode.EF3 || !IsPlaced(candidate, UnitCode.U61)).ToList();
            if (failed.Count == 0) return null;
            // Fewest days (PlannerWeights.ExtraDay): the candidate's orals placed here go along, so that they come one
            // day, unless one of them sits before a pinned commission.
            var here = state.Placed.Where(p => p.Key.Candidate == candidate).ToList();
            var whole = weights.ExtraDay > 0 && here.Count > 0 && here.All(p => !state.Commissions[p.Value.Commission].Pinned)
                ? group.Concat(here.Select(p => p.Key)).ToList()
                : null;
            var (movable, target) = whole is not null && Target(checkedSession, book, state, whole, candidate, leaving: true) is { } t
                ? (whole, t)
                : (failed, Target(checkedSession, book, state, failed, candidate, leaving: false));
            if (target is null) return null;
            book.Add(state.Day, movable, -1);
            book.Add(target, movable);
            foreach (var oral in movable)
            {
                state.Orals.Remove(oral);
                state.Failed.Remove(oral);
                state.Fixed.Remove(oral);
                // Leaving, placed or not: the day's objective (which counted a failed oral's penalty) is computed again.
                state.Placed.Remove(oral);
                state.Stale = true;
                (tried.TryGetValue(oral, out var set) ? set : tried[oral] = [state.Day]).Add(target);
            }
            return (target, movable);
        }

        /// <summary>Each centre-day that orals moved to is solved around its plan, with examiners not called that date if it needs more.</summary>
        private void SolveTargets(PlanningSession session, Dictionary<CentreDay, List<Oral>> moves, int round)
        {
            var targets = moves.OrderBy(m => m.Key.Index).ToList();
            for (var i = 0; i < targets.Count; i++)
            {
                var (day, orals) = (targets[i].Key, targets[i].Value);
                if (!states.TryGetValue(day, out var state)) states[day] = state = new DayState(day);
                state.Fixed = new Dictionary<Oral, Placement>(state.Placed);
                state.Orals.AddRange(orals);
                var extra = ExaminerAssignment.CallIdle(session, day, state.Orals, state.Commissions.SelectMany(c => c.Members), called);
                if (extra.Count > 0) state.Commissions.AddRange(CommissionFormation.Form([], extra, orals, state.Commissions.Count));
                var left = Math.Max(0, MoveLimit - Elapsed) / (MoveRounds - round);
                Solve(state, left / (targets.Count - i));
                foreach (var (oral, reason) in state.Failed) firstReason.TryAdd(oral, reason);
            }
        }

        private bool IsPlaced(PlanningCandidate candidate, UnitCode unit) => states.Values.Any(s => s.Placed.Keys.Any(o => o.Candidate == candidate && o.Unit == unit));

        /// <summary>
        /// Another centre-day where all these orals may take place, the least loaded: on a date the candidate is free, or
        /// the centre-day where the candidate already sits other orals (a candidate split over two days), as long as the
        /// candidate's day there can hold them all; one the orals have not been moved to before.
        /// </summary>
        private CentreDay? Target(CheckedSession checkedSession, LoadBook book, DayState from, List<Oral> orals, PlanningCandidate candidate, bool leaving) =>
            PossibleDays(checkedSession, book, from, orals, candidate, leaving)
                .FirstOrDefault(d => !orals.Any(o => tried.TryGetValue(o, out var t) && t.Contains(d)));

        /// <summary>
        /// The other centre-days where these orals may take place, the least loaded first: on a date the candidate is free
        /// (their orals at <paramref name="from"/> count unless <paramref name="leaving"/>), or where they already sit other
        /// orals, as long as the candidate's day there can hold them all.
        /// </summary>
        private IEnumerable<CentreDay> PossibleDays(CheckedSession checkedSession, LoadBook book, DayState from, List<Oral> orals, PlanningCandidate candidate, bool leaving)
        {
            var sitting = states.Values
                .Where(s => s.Placed.Keys.Any(o => o.Candidate == candidate) && !(leaving && s == from))
                .ToDictionary(s => s.Day, s => s.Placed.Keys.Where(o => o.Candidate == candidate).ToList());
            var busyDates = sitting.Keys.Select(d => d.Date).ToHashSet();
            return orals.Select(o => (IEnumerable<CentreDay>)checkedSession.Eligible[o])
                .Aggregate((a, b) => a.Intersect(b))
                .Where(d => d != from.Day && (!busyDates.Contains(d.Date) || sitting.ContainsKey(d)))
                .Where(d => CandidateDay.Fits(d, [.. orals, .. sitting.GetValueOrDefault(d) ?? []]))
                .OrderBy(d => book.UtilisationWith(d, orals)).ThenBy(d => d.Index);
        }
    }
}
