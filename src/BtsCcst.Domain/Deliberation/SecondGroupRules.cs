namespace BtsCcst.Domain;

/// <summary>
/// The rules of the second group (deliberation.md "Second group", D643-15): which contrôle units a
/// SECOND_GROUPE candidate may choose, and which results a contrôle oral takes.
/// </summary>
public static class SecondGroupRules
{
    /// <summary>
    /// Reads a chosen unit as an organiser writes it: the contrôle code (C_E1, C_E2, C_E3) or the general
    /// unit it stands for (E1; E2, E21 or E22 for the language; E3).
    /// </summary>
    public static bool TryParseChoice(string? text, out UnitCode controle)
    {
        controle = default;
        var trimmed = text?.Trim();
        // E2 is not a unit of its own: it names E21 and E22 together (deliberation.md "Second group").
        if (string.Equals(trimmed, "E2", StringComparison.OrdinalIgnoreCase)) trimmed = "E21";
        if (!UnitCatalogue.TryParse(trimmed, out var unit)) return false;
        UnitCode? mapped = unit switch
        {
            UnitCode.C_E1 or UnitCode.E1 => UnitCode.C_E1,
            UnitCode.C_E2 or UnitCode.E21 or UnitCode.E22 => UnitCode.C_E2,
            UnitCode.C_E3 or UnitCode.E3 => UnitCode.C_E3,
            _ => null,
        };
        if (mapped is not { } code) return false;
        controle = code;
        return true;
    }

    /// <summary>The contrôle units this candidate may choose: those of the session's list whose units are not all dispensed.</summary>
    public static IReadOnlyList<UnitCode> Eligible(IReadOnlyDictionary<UnitCode, UnitResult> firstGroupResults, DeliberationRules rules) =>
        [.. Deliberation.ControleComparisons(firstGroupResults, new Dictionary<UnitCode, UnitResult>(), rules).Select(c => c.Controle)];

    /// <summary>
    /// How many contrôle units the candidate chooses: two (D643-15), or fewer when dispensed units leave fewer to choose from.
    /// </summary>
    public static int ChoiceCount(IReadOnlyList<UnitCode> eligible, DeliberationRules rules) => Math.Min(rules.ControleExamCount, eligible.Count);

    /// <summary>Checks a candidate's choice of contrôle units; null when acceptable, else the reason in French.</summary>
    public static string? CheckChoice(IReadOnlyList<UnitCode> chosen, IReadOnlyDictionary<UnitCode, UnitResult> firstGroupResults, DeliberationRules rules)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        var eligible = Eligible(firstGroupResults, rules);
        if (chosen.Distinct().Count() != chosen.Count) return "Une même épreuve de contrôle est choisie deux fois.";
        // deliberation.md: a dispensed unit cannot be chosen; the list of general units is session configuration
        var refused = chosen.Where(u => !eligible.Contains(u)).ToArray();
        if (refused.Length > 0)
            return $"{string.Join(", ", refused)} ne peut pas être choisie : les épreuves de contrôle possibles pour ce candidat sont {Describe(eligible)}.";
        var count = ChoiceCount(eligible, rules);
        if (chosen.Count != count)
            return $"Le candidat choisit {count} épreuve(s) de contrôle parmi {Describe(eligible)}, pas {chosen.Count}.";
        return null;
    }

    /// <summary>A contrôle oral takes a mark, ABS or ABSJ (absent: the first-group mark is kept); null when acceptable.</summary>
    public static string? CheckResult(UnitCode controle, UnitResult result) =>
        result.Kind is ResultKind.Mark or ResultKind.Absent or ResultKind.AbsentExcused
            ? null
            : $"L'épreuve de contrôle {controle} prend une note, ABS ou ABSJ, pas {result}.";

    private static string Describe(IReadOnlyList<UnitCode> units) =>
        units.Count == 0 ? "aucune" : string.Join(", ", units.Select(u => $"{u} ({string.Join(" + ", Deliberation.UnitsCoveredBy(u))})"));
}
