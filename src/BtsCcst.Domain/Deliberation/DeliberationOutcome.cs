namespace BtsCcst.Domain;

/// <summary>What the deliberation arithmetic says of one candidate (deliberation.md; exported by results.csv).</summary>
/// <param name="Decision">The decision.</param>
/// <param name="Group">1 for the first group, 2 after the épreuves de contrôle.</param>
/// <param name="Points">Exact points (at most 3 decimals); null when the decision is not Admis, SecondGroupe or Ajourne.</param>
/// <param name="CoefficientSum">Sum of the coefficients of the mandatory units that are not DISP; null when not computable.</param>
/// <param name="Average">Points / CoefficientSum rounded half-up to 2 decimals, for display only.</param>
/// <param name="ProAverage">Weighted average of E4, E5, U61, U62 (those not DISP), rounded half-up to 2 decimals.</param>
/// <param name="NearThreshold">Exact average in [Pass - margin, Pass) or, in the first group, [Second - margin, Second).</param>
/// <param name="MissingUnits">Mandatory units without a result (catalogue order).</param>
public sealed record DeliberationOutcome(
    Decision Decision,
    int Group,
    decimal? Points,
    decimal? CoefficientSum,
    decimal? Average,
    decimal? ProAverage,
    bool NearThreshold,
    IReadOnlyList<UnitCode> MissingUnits);

/// <summary>For the board: one contrôle unit of a second-group candidate, its first-group mark, the contrôle result and the mark kept.</summary>
/// <param name="Controle">C_E1, C_E2 or C_E3.</param>
/// <param name="FirstGroupMark">E1's or E3's value; for E2 (1.5·E21 + 1.5·E22) / 3 over the parts not DISP (exact).</param>
/// <param name="ControleResult">The contrôle mark, ABS or ABSJ; null when none was entered.</param>
/// <param name="Kept">The better of the first-group mark and the contrôle mark.</param>
public sealed record ControleComparison(UnitCode Controle, decimal FirstGroupMark, UnitResult? ControleResult, decimal Kept)
{
    /// <summary>The contrôle mark is better than the first-group mark, so it replaces it (both E21 and E22 for C_E2).</summary>
    public bool Improves => Kept > FirstGroupMark;
}
