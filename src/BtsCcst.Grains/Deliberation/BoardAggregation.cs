using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Deliberation;

/// <summary>The live figures of a jury's board, derived from its candidates' rows.</summary>
public static class BoardAggregation
{
    public const int DistributionBands = 20;

    public static BoardAggregates Aggregate(IEnumerable<CandidateSummary> rows)
    {
        var list = rows as IReadOnlyCollection<CandidateSummary> ?? rows.ToList();
        var decisions = Enum.GetValues<Decision>().ToDictionary(d => d.ToCode(), _ => 0);
        var distribution = new int[DistributionBands];
        var units = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var row in list)
        {
            decisions[row.Decision] = decisions.GetValueOrDefault(row.Decision) + 1;
            if (row.Average is { } average) distribution[Band(average)]++;
            var entered = row.Results.Select(c => (c.Unit, Result: (string?)c.Result)).Concat(row.Controles.Where(c => c.Chosen).Select(c => (c.Unit, c.Result)));
            foreach (var (unit, result) in entered)
            {
                // Marks examined this session only: BEN marks come from an earlier one.
                if (!UnitResult.TryParse(result, out var parsed, out _) || parsed.Kind != ResultKind.Mark || parsed.Mark is not { } m) continue;
                if (!units.TryGetValue(unit, out var bands)) units[unit] = bands = new int[DistributionBands];
                bands[Band(m)]++;
            }
        }
        var toExamine = list.Where(r => r.Decision == Decision.SecondGroupe.ToCode() && r.Frozen).ToArray();
        var decided = list.Count - decisions[Decision.Incomplet.ToCode()];
        return new BoardAggregates
        {
            Candidates = list.Count,
            Decisions = decisions,
            PassRate = decided == 0 ? null : Math.Round((decimal)decisions[Decision.Admis.ToCode()] / decided, 4, MidpointRounding.AwayFromZero),
            AverageDistribution = distribution,
            NearThreshold = list.Count(r => r.NearThreshold),
            LivretsSupplied = list.Count(r => r.Livret),
            LivretsAcknowledged = list.Count(r => r.Livret && r.LivretAcknowledged),
            LivretsToAcknowledge = list.Count(r => r.LivretToAcknowledge),
            MarksUnderReserve = list.Sum(r => r.Results.Count(c => c.UnderReserve)),
            Incomplete = decisions[Decision.Incomplet.ToCode()],
            UnitDistributions = new Dictionary<string, int[]>(units),
            SecondGroupToExamine = toExamine.Length,
            ControlesToMark = toExamine.Sum(r => r.Controles.Count(c => c.Chosen && c.Result is null)),
        };
    }

    private static int Band(decimal mark) => Math.Clamp((int)Math.Floor(mark), 0, DistributionBands - 1);
}

/// <summary>What prevents a jury from closing its deliberation (deliberation.md "The jury", D643-26).</summary>
public static class ClosingRules
{
    public static IReadOnlyList<string> Blockers(IEnumerable<CandidateSummary> rows)
    {
        var blockers = new List<string>();
        foreach (var row in rows.OrderBy(r => r.CandidateNumber, StringComparer.Ordinal))
        {
            if (row.MissingUnits.Length > 0)
                blockers.Add($"{row.CandidateNumber} : résultat manquant en {string.Join(", ", row.MissingUnits)}");
            var reserved = row.Results.Where(c => c.UnderReserve).Select(c => c.Unit).ToArray();
            if (reserved.Length > 0)
                blockers.Add($"{row.CandidateNumber} : note sous réserve en {string.Join(", ", reserved)}");
            if (row.ControleChoiceMissing)
                blockers.Add($"{row.CandidateNumber} : épreuves de contrôle à choisir");
            if (row.LivretToAcknowledge)
                blockers.Add($"{row.CandidateNumber} : livret scolaire à examiner avant d'ajourner (D643-26)");
        }
        return blockers;
    }
}
