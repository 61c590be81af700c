using BtsCcst.Domain;
using static BtsCcst.Domain.UnitCode;

namespace BtsCcst.Domain.Tests;

/// <summary>Properties over random complete candidates (seeded, so every run checks the same candidates).</summary>
public class DeliberationPropertyTests
{
    private const int Candidates = 3000;

    private static decimal RandomMark(Random rng, decimal min, decimal max) =>
        rng.Next((int)(min * 100), (int)(max * 100) + 1) / 100m;

    /// <summary>A complete candidate without ABS or NV: marks, BEN, ABSJ, DISP on general units, any optional units.</summary>
    private static Dictionary<UnitCode, UnitResult> RandomCandidate(Random rng, decimal low, decimal high)
    {
        var results = new Dictionary<UnitCode, UnitResult>();
        foreach (var unit in Given.Mandatory)
        {
            var roll = rng.NextDouble();
            results[unit] =
                roll < 0.12 && UnitCatalogue.Get(unit).MayBeDispensed ? UnitResult.Dispensed :
                roll < 0.24 ? UnitResult.KeptFromEarlierSession(RandomMark(rng, 10m, 20m)) :
                roll < 0.30 ? UnitResult.AbsentExcused :
                UnitResult.Examined(RandomMark(rng, low, high));
        }
        foreach (var unit in Given.Optional)
        {
            var roll = rng.NextDouble();
            if (roll < 0.4) continue; // not chosen, or no result
            results[unit] = roll < 0.5 ? UnitResult.Absent : roll < 0.55 ? UnitResult.AbsentExcused : UnitResult.Examined(RandomMark(rng, 0m, 20m));
        }
        return results;
    }

    /// <summary>The same result with a higher mark (an ABSJ or optional ABS becoming a mark), or null when it cannot rise.</summary>
    private static UnitResult? Raised(Random rng, UnitResult result) => result.Kind switch
    {
        ResultKind.Mark when result.Mark < 20m => UnitResult.Examined(RandomMark(rng, result.Mark!.Value + 0.01m, 20m)),
        ResultKind.Kept when result.Mark < 20m => UnitResult.KeptFromEarlierSession(RandomMark(rng, result.Mark!.Value + 0.01m, 20m)),
        ResultKind.AbsentExcused or ResultKind.Absent => UnitResult.Examined(RandomMark(rng, 0m, 20m)),
        _ => null,
    };

    private static void AssertConsistent(DeliberationOutcome o, IReadOnlyDictionary<UnitCode, UnitResult> results, DeliberationRules rules)
    {
        Assert.True(Deliberation.IsComparable(o.Decision));
        var expectedSum = Given.Mandatory.Where(u => results[u].Kind != ResultKind.Dispensed).Sum(u => UnitCatalogue.Get(u).Coefficient);
        Assert.Equal(expectedSum, o.CoefficientSum);
        Assert.Equal(Deliberation.RoundForDisplay(o.Points!.Value / expectedSum), o.Average);
        Assert.Equal(o.Points >= rules.PassAverage * expectedSum, o.Decision == Decision.Admis);
        Assert.Equal(decimal.Round(o.Points.Value, 3), o.Points); // exact with at most 3 decimals
    }

    [Fact]
    public void Raising_any_one_mark_never_lowers_the_average_nor_worsens_the_decision()
    {
        var rng = new Random(20240514);
        var rules = DeliberationRules.Session2024;
        var raisedCount = 0;
        for (var i = 0; i < Candidates; i++)
        {
            // alternate wide and near-threshold candidates so every decision is well represented
            var results = i % 2 == 0 ? RandomCandidate(rng, 0m, 20m) : RandomCandidate(rng, 6m, 13m);
            var before = Deliberation.FirstGroup(results, rules);
            AssertConsistent(before, results, rules);

            foreach (var unit in results.Keys.ToList())
            {
                if (Raised(rng, results[unit]) is not { } higher) continue;
                var changed = new Dictionary<UnitCode, UnitResult>(results) { [unit] = higher };
                var after = Deliberation.FirstGroup(changed, rules);
                raisedCount++;

                AssertConsistent(after, changed, rules);
                Assert.Equal(before.CoefficientSum, after.CoefficientSum);
                Assert.True(after.Points >= before.Points, $"{unit}: {results[unit]} → {higher} lowered the points");
                Assert.True(after.Average >= before.Average, $"{unit}: {results[unit]} → {higher} lowered the average");
                Assert.True(after.ProAverage >= before.ProAverage, $"{unit}: {results[unit]} → {higher} lowered the professional average");
                Assert.False(Deliberation.Worsens(before.Decision, after.Decision), $"{unit}: {results[unit]} → {higher}: {before.Decision} → {after.Decision}");
            }
        }
        Assert.True(raisedCount > Candidates * 5);
    }

    [Fact]
    public void Random_candidates_reach_every_arithmetic_decision()
    {
        var rng = new Random(7);
        var seen = new HashSet<Decision>();
        for (var i = 0; i < 500; i++) seen.Add(Deliberation.FirstGroup(RandomCandidate(rng, 6m, 13m), DeliberationRules.Session2024).Decision);
        Assert.Equal([Decision.Admis, Decision.SecondGroupe, Decision.Ajourne], seen.Order());
    }

    [Fact]
    public void Second_group_never_lowers_the_points_and_a_better_contrôle_mark_never_worsens_it()
    {
        var rng = new Random(2022);
        var rules = DeliberationRules.Session2024;
        var checkedCandidates = 0;
        for (var i = 0; i < Candidates && checkedCandidates < 600; i++)
        {
            var first = RandomCandidate(rng, 6m, 13m);
            var firstOutcome = Deliberation.FirstGroup(first, rules);
            if (firstOutcome.Decision != Decision.SecondGroupe) continue;
            checkedCandidates++;

            var eligible = Deliberation.ControleComparisons(first, new Dictionary<UnitCode, UnitResult>(), rules).Select(c => c.Controle).ToList();
            var chosen = eligible.OrderBy(_ => rng.Next()).Take(rules.ControleExamCount).ToList();
            var controle = new Dictionary<UnitCode, UnitResult>();
            foreach (var unit in chosen)
            {
                var roll = rng.NextDouble();
                if (roll < 0.1) continue; // not entered yet
                controle[unit] = roll < 0.2 ? UnitResult.Absent : roll < 0.25 ? UnitResult.AbsentExcused : UnitResult.Examined(RandomMark(rng, 0m, 20m));
            }

            var second = Deliberation.SecondGroup(first, controle, rules);
            Assert.Equal(2, second.Group);
            Assert.Contains(second.Decision, new[] { Decision.Admis, Decision.Ajourne });
            Assert.Equal(firstOutcome.CoefficientSum, second.CoefficientSum);
            Assert.Equal(firstOutcome.ProAverage, second.ProAverage);
            Assert.True(second.Points >= firstOutcome.Points);
            Assert.Equal(second.Points >= rules.PassAverage * second.CoefficientSum, second.Decision == Decision.Admis);

            // the kept marks add exactly Σ coef × (kept − first-group mark) for each improving contrôle
            var gain = Deliberation.ControleComparisons(first, controle, rules)
                .Where(c => c.Improves)
                .Sum(c => Deliberation.UnitsCoveredBy(c.Controle).Where(u => first[u].Kind != ResultKind.Dispensed)
                    .Sum(u => UnitCatalogue.Get(u).Coefficient) * (c.Kept - c.FirstGroupMark));
            Assert.Equal(firstOutcome.Points + gain, second.Points);

            foreach (var unit in controle.Keys.ToList())
            {
                if (Raised(rng, controle[unit]) is not { } higher || higher.Kind != ResultKind.Mark) continue;
                var changed = new Dictionary<UnitCode, UnitResult>(controle) { [unit] = higher };
                var after = Deliberation.SecondGroup(first, changed, rules);
                Assert.True(after.Points >= second.Points);
                Assert.False(Deliberation.Worsens(second.Decision, after.Decision));
            }
        }
        Assert.True(checkedCandidates >= 100, $"only {checkedCandidates} second-group candidates generated");
    }
}
