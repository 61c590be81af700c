namespace BtsCcst.Domain;

/// <summary>
/// The deliberation arithmetic of deliberation.md. Every threshold is compared exactly (points against
/// threshold × Σcoef); averages are rounded only for display.
/// </summary>
public static class Deliberation
{
    private static readonly UnitCode[] ProfessionalUnits =
        [.. UnitCatalogue.Mandatory.Where(u => u.Professional).Select(u => u.Code)];

    /// <summary>First-group decision of one candidate.</summary>
    /// <param name="results">The candidate's results by unit: mandatory units and the optional units they chose.
    /// A mandatory unit missing from the dictionary has no result yet.</param>
    /// <exception cref="ArgumentException">A result no entry could produce (contrôle unit, DISP on a professional unit, NV outside E4/U61/U62, BEN on an optional unit...).</exception>
    public static DeliberationOutcome FirstGroup(IReadOnlyDictionary<UnitCode, UnitResult> results, DeliberationRules rules)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var (unit, result) in results)
        {
            if (UnitCatalogue.Get(unit).Kind == UnitKind.Controle)
                throw new ArgumentException($"{unit} est une épreuve de contrôle : elle ne compte pas au premier groupe.", nameof(results));
            if (ResultRules.CheckShape(unit, result) is { } error)
                throw new ArgumentException(error, nameof(results));
        }

        // deliberation.md decision 1: a mandatory unit without a result, no decision yet
        UnitCode[] missing = [.. UnitCatalogue.Mandatory.Select(u => u.Code).Where(u => !results.ContainsKey(u))];
        if (missing.Length > 0) return NotComputable(Decision.Incomplet, missing);
        // Annexe 4: a non-valid unit prevents the award
        if (HasMandatory(results, ResultKind.NonValide)) return NotComputable(Decision.NonValide, []);
        // D643-24: a mandatory unit missed without a valid excuse prevents the award
        if (HasMandatory(results, ResultKind.Absent)) return NotComputable(Decision.Absent, []);

        var tally = Tally.Of(results);
        Decision decision;
        if (tally.Points >= rules.PassAverage * tally.CoefficientSum) decision = Decision.Admis;                // D643-13
        else if (tally.Points >= rules.SecondGroupAverage * tally.CoefficientSum
                 && tally.ProCoefficientSum > 0
                 && tally.ProPoints >= rules.ProfessionalAverage * tally.ProCoefficientSum) decision = Decision.SecondGroupe; // D643-15
        else decision = Decision.Ajourne;

        var near = IsNear(tally, rules.PassAverage, rules.NearThresholdMargin)
                   || IsNear(tally, rules.SecondGroupAverage, rules.NearThresholdMargin);
        return Computed(decision, 1, tally, near);
    }

    /// <summary>Second-group decision (deliberation.md "Second group") of a candidate whose first-group decision is SECOND_GROUPE.</summary>
    /// <param name="firstGroupResults">The frozen first-group results.</param>
    /// <param name="controleResults">Marks, ABS or ABSJ of the contrôle units (C_E1, C_E2, C_E3) the candidate took;
    /// a unit without an entry keeps its first-group mark.</param>
    /// <exception cref="ArgumentException">The candidate is not SECOND_GROUPE, or a contrôle result is impossible
    /// (unit not a contrôle unit of the session, dispensed unit, more than <see cref="DeliberationRules.ControleExamCount"/> units, NV/DISP/BEN).</exception>
    public static DeliberationOutcome SecondGroup(
        IReadOnlyDictionary<UnitCode, UnitResult> firstGroupResults,
        IReadOnlyDictionary<UnitCode, UnitResult> controleResults,
        DeliberationRules rules)
    {
        ArgumentNullException.ThrowIfNull(controleResults);
        var first = FirstGroup(firstGroupResults, rules);
        if (first.Decision != Decision.SecondGroupe)
            throw new ArgumentException($"Le candidat n'est pas admis au second groupe (décision du premier groupe : {first.Decision.ToCode()}).", nameof(firstGroupResults));
        if (controleResults.Count > rules.ControleExamCount)
            throw new ArgumentException($"Un candidat passe au plus {rules.ControleExamCount} épreuves de contrôle, pas {controleResults.Count}.", nameof(controleResults));

        var comparisons = ControleComparisons(firstGroupResults, controleResults, rules);
        foreach (var unit in controleResults.Keys)
            if (!comparisons.Any(c => c.Controle == unit))
                throw new ArgumentException($"{unit} ne peut pas être choisie comme épreuve de contrôle par ce candidat (unité hors configuration ou dispensée).", nameof(controleResults));

        // D643-15: the better of the first-group and contrôle marks replaces every unit it covers, each with its own coefficient
        var kept = new Dictionary<UnitCode, UnitResult>(firstGroupResults.Count);
        foreach (var (unit, result) in firstGroupResults) kept[unit] = result;
        foreach (var c in comparisons.Where(c => c.Improves))
            foreach (var unit in UnitsCoveredBy(c.Controle).Where(u => kept[u].Kind != ResultKind.Dispensed))
                kept[unit] = UnitResult.Examined(c.Kept);

        var tally = Tally.Of(kept);
        var decision = tally.Points >= rules.PassAverage * tally.CoefficientSum ? Decision.Admis : Decision.Ajourne; // D643-15
        return Computed(decision, 2, tally, IsNear(tally, rules.PassAverage, rules.NearThresholdMargin));
    }

    /// <summary>
    /// For the board: each contrôle unit of the session the candidate may choose (in <see cref="DeliberationRules.ControleUnits"/>
    /// order, skipping units entirely DISP), its first-group mark, its contrôle result if any, and the mark kept.
    /// </summary>
    /// <exception cref="ArgumentException">A first-group result of a covered unit is missing, ABS or NV, or a contrôle result is NV, DISP or BEN.</exception>
    public static IReadOnlyList<ControleComparison> ControleComparisons(
        IReadOnlyDictionary<UnitCode, UnitResult> firstGroupResults,
        IReadOnlyDictionary<UnitCode, UnitResult> controleResults,
        DeliberationRules rules)
    {
        ArgumentNullException.ThrowIfNull(firstGroupResults);
        ArgumentNullException.ThrowIfNull(controleResults);
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var (unit, result) in controleResults)
        {
            if (UnitCatalogue.Get(unit).Kind != UnitKind.Controle)
                throw new ArgumentException($"{unit} n'est pas une épreuve de contrôle.", nameof(controleResults));
            if (result.Kind is not (ResultKind.Mark or ResultKind.Absent or ResultKind.AbsentExcused))
                throw new ArgumentException($"Une épreuve de contrôle prend une note, ABS ou ABSJ, pas {result}.", nameof(controleResults));
        }

        var list = new List<ControleComparison>();
        foreach (var controle in rules.ControleUnits)
        {
            var firstMark = FirstGroupMark(controle, firstGroupResults);
            if (firstMark is not { } mark) continue; // deliberation.md: a dispensed unit cannot be chosen
            UnitResult? controleResult = controleResults.TryGetValue(controle, out var r) ? r : null;
            // D643-15: the better mark is kept; a candidate absent at the contrôle keeps the first-group mark
            var keptMark = controleResult is { Kind: ResultKind.Mark, Mark: { } cm } && cm > mark ? cm : mark;
            list.Add(new ControleComparison(controle, mark, controleResult, keptMark));
        }
        return list;
    }

    /// <summary>The first-group units a contrôle unit stands for: C_E1 → E1, C_E2 → E21 and E22, C_E3 → E3.</summary>
    public static IReadOnlyList<UnitCode> UnitsCoveredBy(UnitCode controle) => controle switch
    {
        UnitCode.C_E1 => [UnitCode.E1],
        UnitCode.C_E2 => [UnitCode.E21, UnitCode.E22],
        UnitCode.C_E3 => [UnitCode.E3],
        _ => throw new ArgumentException($"{controle} n'est pas une épreuve de contrôle.", nameof(controle)),
    };

    /// <summary>Rounds half-up (away from zero) to 2 decimals, as the board and exports show averages.</summary>
    public static decimal RoundForDisplay(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    /// <summary>Admis, SecondGroupe and Ajourne are the comparable outcomes of the arithmetic, best first.</summary>
    public static bool IsComparable(Decision decision) => decision is Decision.Admis or Decision.SecondGroupe or Decision.Ajourne;

    /// <summary>Orders arithmetic outcomes: positive when <paramref name="a"/> is better than <paramref name="b"/> (Admis > SecondGroupe > Ajourne).</summary>
    /// <exception cref="ArgumentException">Incomplet, NonValide or Absent, which are not comparable.</exception>
    public static int CompareOutcomes(Decision a, Decision b) => Rank(a).CompareTo(Rank(b));

    /// <summary>Whether going from <paramref name="before"/> to <paramref name="after"/> worsens the outcome.</summary>
    public static bool Worsens(Decision before, Decision after) => CompareOutcomes(after, before) < 0;

    private static int Rank(Decision decision) => decision switch
    {
        Decision.Admis => 3,
        Decision.SecondGroupe => 2,
        Decision.Ajourne => 1,
        _ => throw new ArgumentException($"La décision {decision.ToCode()} n'est pas comparable.", nameof(decision)),
    };

    /// <summary>The first-group mark a contrôle unit competes with, or null when every unit it covers is DISP.</summary>
    private static decimal? FirstGroupMark(UnitCode controle, IReadOnlyDictionary<UnitCode, UnitResult> results)
    {
        decimal points = 0, coefficients = 0;
        foreach (var unit in UnitsCoveredBy(controle))
        {
            if (!results.TryGetValue(unit, out var result))
                throw new ArgumentException($"{unit} n'a pas de résultat au premier groupe.", nameof(results));
            if (result.Kind == ResultKind.Dispensed) continue; // D643-17
            if (result.PointsValue is not { } value)
                throw new ArgumentException($"{unit} n'a pas de note au premier groupe ({result}).", nameof(results));
            var coef = UnitCatalogue.Get(unit).Coefficient;
            points += coef * value;
            coefficients += coef;
        }
        // deliberation.md: for E2 the first-group mark is (1.5·E21 + 1.5·E22) / 3
        return coefficients == 0 ? null : points / coefficients;
    }

    private static bool HasMandatory(IReadOnlyDictionary<UnitCode, UnitResult> results, ResultKind kind) =>
        UnitCatalogue.Mandatory.Any(u => results[u.Code].Kind == kind);

    /// <summary>Exact average in [threshold - margin, threshold), compared on points.</summary>
    private static bool IsNear(Tally t, decimal threshold, decimal margin) =>
        t.Points >= (threshold - margin) * t.CoefficientSum && t.Points < threshold * t.CoefficientSum;

    private static DeliberationOutcome NotComputable(Decision decision, IReadOnlyList<UnitCode> missing) =>
        new(decision, 1, null, null, null, null, false, missing);

    private static DeliberationOutcome Computed(Decision decision, int group, Tally t, bool near) =>
        new(decision, group, t.Points, t.CoefficientSum,
            RoundForDisplay(t.Points / t.CoefficientSum),
            t.ProCoefficientSum == 0 ? null : RoundForDisplay(t.ProPoints / t.ProCoefficientSum),
            near, []);

    /// <summary>The sums of deliberation.md "First group" over complete results without ABS or NV.</summary>
    private readonly record struct Tally(decimal Points, decimal CoefficientSum, decimal ProPoints, decimal ProCoefficientSum)
    {
        public static Tally Of(IReadOnlyDictionary<UnitCode, UnitResult> results)
        {
            decimal points = 0, coefficients = 0, proPoints = 0, proCoefficients = 0;
            foreach (var unit in UnitCatalogue.Mandatory)
            {
                var result = results[unit.Code];
                if (result.Kind == ResultKind.Dispensed) continue;             // D643-17: neither points nor coefficient
                var value = result.PointsValue!.Value;                          // mark, BEN mark (D643-15), ABSJ = 0 (D643-24)
                points += unit.Coefficient * value;
                coefficients += unit.Coefficient;
                if (!unit.Professional) continue;
                proPoints += unit.Coefficient * value;
                proCoefficients += unit.Coefficient;
            }
            if (coefficients == 0)
                throw new ArgumentException("Toutes les épreuves obligatoires sont dispensées : aucune moyenne n'est calculable.", nameof(results));
            foreach (var unit in UnitCatalogue.Optional)
                if (results.TryGetValue(unit.Code, out var r) && r.Kind == ResultKind.Mark)
                    points += Math.Max(0m, r.Mark!.Value - 10m);                // D643-13: optional units only add points above 10
            return new(points, coefficients, proPoints, proCoefficients);
        }
    }
}
