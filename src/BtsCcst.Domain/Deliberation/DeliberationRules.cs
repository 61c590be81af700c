namespace BtsCcst.Domain;

/// <summary>The thresholds of one session's deliberation (deliberation.md); the 2024 values are the defaults.</summary>
public sealed record DeliberationRules(
    decimal PassAverage = 10m,             // D643-13
    decimal SecondGroupAverage = 8m,       // D643-15 (épreuves de contrôle since 2022)
    decimal ProfessionalAverage = 10m,     // D643-15: professional units average required for the second group
    decimal NearThresholdMargin = 0.5m)    // board flag: average in [Pass - margin, Pass) or [Second - margin, Second)
{
    public static DeliberationRules Session2024 { get; } = new();

    /// <summary>The general units that may be chosen for contrôle (session configuration): E1, E2 (= E21 + E22), E3.</summary>
    public IReadOnlyList<UnitCode> ControleUnits { get; init; } = [UnitCode.C_E1, UnitCode.C_E2, UnitCode.C_E3];

    /// <summary>How many contrôle orals a second-group candidate takes at most (deliberation.md "Second group": two).</summary>
    public int ControleExamCount { get; init; } = 2;

    /// <summary>French reasons why these thresholds cannot be a session's rules; empty when they can.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[] { ("passAverage", PassAverage), ("secondGroupAverage", SecondGroupAverage), ("professionalAverage", ProfessionalAverage) })
        {
            if (value is < 0m or > UnitResult.MaxMark || decimal.Round(value, 2) != value)
                problems.Add($"{name} doit être une moyenne de 0 à 20 avec au plus 2 décimales (reçu {value}).");
        }
        if (SecondGroupAverage > PassAverage)
            problems.Add($"secondGroupAverage ({SecondGroupAverage}) ne peut dépasser passAverage ({PassAverage}).");
        if (NearThresholdMargin is < 0m or > 2m || decimal.Round(NearThresholdMargin, 2) != NearThresholdMargin)
            problems.Add($"nearThresholdMargin doit être compris entre 0 et 2 avec au plus 2 décimales (reçu {NearThresholdMargin}).");
        // deliberation.md "Second group": which general units may be chosen for contrôle is session configuration.
        if (ControleUnits.Count == 0 || ControleUnits.Distinct().Count() != ControleUnits.Count
            || ControleUnits.Any(u => UnitCatalogue.Get(u).Kind != UnitKind.Controle))
            problems.Add($"controleUnits doit lister sans doublon des épreuves de contrôle parmi C_E1, C_E2, C_E3 (reçu {string.Join(", ", ControleUnits)}).");
        return problems;
    }
}
