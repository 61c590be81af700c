using BtsCcst.Domain;
using BtsCcst.Scheduling.Planning;

namespace BtsCcst.Scheduling;

public static partial class OralPlanner
{
    private sealed partial class Run
    {
        /// <summary>
        /// The last chance of an oral still left out after the moves: it goes to the first centre-day serving the candidate's
        /// academy where the list scheduler fits it around what is placed there (nothing there moves; examiners not called
        /// anywhere that date are called when the day lacks them), on a date the candidate is free or at the centre-day
        /// where they already sit. Only the list scheduler runs, so that this is cheap enough to try every centre-day even
        /// when the models have taken all the time (on a loaded machine they place less, and this is what keeps the plan
        /// from leaving out what a simple first fit places).
        /// </summary>
        private void FillFirstFit(CheckedSession checkedSession, PlanningSession session, LoadBook book)
        {
            // It may take part of the margin kept for reading back (which takes far less): on a loaded machine the moves
            // use their time up and leave the first fit little of its own.
            var fillLimit = options.TimeLimit.TotalSeconds - Math.Max(0.1, 0.01 * options.TimeLimit.TotalSeconds);
            foreach (var state in states.Values.OrderBy(s => s.Day.Index).ToList())
                foreach (var block in FailedBlocks(state))
                {
                    if (Elapsed >= fillLimit) return;
                    var target = FirstFit(checkedSession, session, book, state, block);
                    if (target is null) continue;
                    foreach (var oral in block)
                    {
                        state.Orals.Remove(oral);
                        state.Failed.Remove(oral);
                        state.Fixed.Remove(oral);
                    }
                    state.Stale = true;
                    book.Add(state.Day, block, -1);
                    book.Add(target, block);
                    moved = true;
                }
        }

        /// <summary>The orals a centre-day left out, an EF3 with its U61 (an EF3 without it stays: it must follow its U61 at once).</summary>
        private static List<List<Oral>> FailedBlocks(DayState state) =>
            state.Failed.Keys.GroupBy(o => o.Candidate).OrderBy(g => g.Key.Number, StringComparer.Ordinal)
                .SelectMany(g => CandidateDay.Blocks(g.ToList()))
                .Where(b => b[0].Unit != UnitCode.EF3)
                .ToList();

        /// <summary>The first centre-day, the least loaded first, where <paramref name="block"/> fits around its plan; that day then holds it.</summary>
        private CentreDay? FirstFit(CheckedSession checkedSession, PlanningSession session, LoadBook book, DayState from, List<Oral> block) =>
            PossibleDays(checkedSession, book, from, block, block[0].Candidate, leaving: false).FirstOrDefault(day => TryFit(session, book, day, block));

        private bool TryFit(PlanningSession session, LoadBook book, CentreDay day, List<Oral> block)
        {
            var state = states.GetValueOrDefault(day) ?? new DayState(day);
            var orals = state.Orals.Concat(block).ToList();
            var (extra, commissions) = WithIdleExaminers(session, state, orals, block);
            var problem = new CentreDayProblem(day, commissions, orals, state.Fixed);
            var placements = GreedyScheduler.Schedule(problem, problem.Jobs.Select(j => state.Placed.TryGetValue(j.Oral, out var p) ? p : (Placement?)null).ToArray());
            if (problem.Jobs.Any(j => block.Contains(j.Oral) && placements[j.Index] is null))
            {
                Uncall(day, extra);
                return false;
            }
            if (commissions != state.Commissions) state.Commissions.AddRange(commissions.Skip(state.Commissions.Count));
            foreach (var examiner in extra) book.Supply(day, examiner);
            state.Orals.AddRange(block);
            var cost = PlanCost.Evaluate(problem, placements, weights);
            Adopt(state, new DayPlan(problem, placements, cost, Math.Min(CentreDayBound.Evaluate(problem, weights), cost), Optimal: false));
            states[day] = state;
            return true;
        }

        /// <summary>
        /// The centre-day's commissions and, when <paramref name="orals"/> need more than its examiners give, those of examiners
        /// not called anywhere that date (formed for <paramref name="formFor"/>); these are called until <see cref="Uncall"/>.
        /// </summary>
        private (List<PlanningExaminer> Extra, List<Commission> Commissions) WithIdleExaminers(PlanningSession session, DayState state, IReadOnlyList<Oral> orals, IReadOnlyList<Oral> formFor)
        {
            var extra = ExaminerAssignment.CallIdle(session, state.Day, orals, state.Commissions.SelectMany(c => c.Members), called);
            return (extra, extra.Count > 0 ? [.. state.Commissions, .. CommissionFormation.Form([], extra, formFor, state.Commissions.Count)] : state.Commissions);
        }

        /// <summary>Examiners called for a change that was not kept are free again that date.</summary>
        private void Uncall(CentreDay day, List<PlanningExaminer> extra)
        {
            foreach (var examiner in extra) called[day.Date].Remove(examiner.Id);
        }
    }
}
