namespace BtsCcst.Domain;

/// <summary>What a candidate's registration says of their units (candidates.csv): chosen optional units, dispensed units, units kept with their mark.</summary>
public sealed record CandidateUnits(
    IReadOnlySet<UnitCode> OptionalUnits,
    IReadOnlySet<UnitCode> DispensedUnits,
    IReadOnlyDictionary<UnitCode, decimal> KeptUnits);

/// <summary>Which first-group results a candidate may have (formats.md marks.csv, deliberation.md "Unit results").</summary>
public static class ResultRules
{
    /// <summary>
    /// Checks one first-group result against the candidate's registration, for marks.csv import and single result entry.
    /// Returns null when acceptable, else the reason in French.
    /// </summary>
    public static string? Check(UnitCode unit, UnitResult result, CandidateUnits candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var definition = UnitCatalogue.Get(unit);
        // D643-15: contrôle marks belong to the second group
        if (definition.Kind == UnitKind.Controle)
            return $"{unit} est une épreuve de contrôle du second groupe : sa note ne se saisit pas avec les résultats du premier groupe.";
        // D643-17: DISP agrees with the registration's dispensed units
        if (candidate.DispensedUnits.Contains(unit) && result.Kind != ResultKind.Dispensed)
            return $"Le candidat est dispensé de {unit} (D643-17) : seul DISP est accepté, pas {result}.";
        if (result.Kind == ResultKind.Dispensed && definition.MayBeDispensed && !candidate.DispensedUnits.Contains(unit))
            return $"DISP refusé : le candidat n'est pas dispensé de {unit} à l'inscription (D643-17).";
        // formats.md marks.csv: an optional unit the candidate did not choose
        if (definition.IsOptional && !candidate.OptionalUnits.Contains(unit))
            return $"Le candidat n'a pas choisi l'épreuve facultative {unit} à l'inscription.";
        return CheckShape(unit, result);
    }

    /// <summary>The results a candidate has from registration: DISP for each dispensed unit, BEN:m for each kept unit.</summary>
    /// <exception cref="ArgumentException">A dispensed unit that is not E1, E21, E22 or E3, a kept unit that is not mandatory or also dispensed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A kept mark below 10 or not a mark.</exception>
    public static IReadOnlyDictionary<UnitCode, UnitResult> FromRegistration(CandidateUnits candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var results = new Dictionary<UnitCode, UnitResult>();
        foreach (var unit in candidate.DispensedUnits)
        {
            // D643-17
            if (!UnitCatalogue.Get(unit).MayBeDispensed)
                throw new ArgumentException($"{unit} ne peut pas être dispensée (seules E1, E21, E22 et E3 le peuvent, D643-17).", nameof(candidate));
            results[unit] = UnitResult.Dispensed;
        }
        foreach (var (unit, mark) in candidate.KeptUnits)
        {
            // D643-15, D643-23: only mandatory units are kept from an earlier session
            if (!UnitCatalogue.Get(unit).IsMandatory)
                throw new ArgumentException($"{unit} n'est pas une épreuve obligatoire : elle ne peut pas être conservée (BEN).", nameof(candidate));
            if (results.ContainsKey(unit))
                throw new ArgumentException($"{unit} ne peut pas être à la fois dispensée et conservée.", nameof(candidate));
            results[unit] = UnitResult.KeptFromEarlierSession(mark);
        }
        return results;
    }

    /// <summary>Checks that a result is possible for a first-group unit at all, whatever the registration.</summary>
    internal static string? CheckShape(UnitCode unit, UnitResult result)
    {
        var definition = UnitCatalogue.Get(unit);
        // deliberation.md "Unit results": optional units take a mark, ABS or ABSJ only
        if (definition.IsOptional && result.Kind is not (ResultKind.Mark or ResultKind.Absent or ResultKind.AbsentExcused))
            return $"L'épreuve facultative {unit} prend une note, ABS ou ABSJ, pas {result}.";
        // Annexe 4: NV only for the units whose file is checked
        if (result.Kind == ResultKind.NonValide && !definition.MayBeNonValide)
            return $"NV n'est possible que pour E4, U61 et U62 (annexe 4), pas pour {unit}.";
        // D643-17: only the general units may be dispensed
        if (result.Kind == ResultKind.Dispensed && !definition.MayBeDispensed)
            return $"DISP n'est possible que pour E1, E21, E22 et E3 (D643-17), pas pour {unit}.";
        // D643-15, D643-23: BEN only on mandatory units
        if (result.Kind == ResultKind.Kept && !definition.IsMandatory)
            return $"BEN n'est possible que pour une épreuve obligatoire, pas pour {unit}.";
        return null;
    }
}
