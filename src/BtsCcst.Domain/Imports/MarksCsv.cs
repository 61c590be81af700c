namespace BtsCcst.Domain.Imports;

/// <summary>One result of marks.csv.</summary>
public sealed record MarkRow(int Line, string CandidateNumber, UnitCode Unit, UnitResult Result);

/// <summary>
/// Parses marks.csv (formats.md). Checks what the file alone can tell: a known unit, a result that
/// parses, and results the unit can take (NV only on E4, U61, U62; DISP only on a general unit;
/// BEN only on a mandatory unit; optional and contrôle units a mark, ABS or ABSJ), one row per
/// (candidate, unit). Cross-checks against the candidate's registration are done by the importer.
/// </summary>
public static class MarksCsv
{
    public const string CandidateNumber = "candidate_number";
    public const string Unit = "unit";
    public const string Result = "result";

    /// <summary>The contract's columns, in export order.</summary>
    public static IReadOnlyList<string> Columns { get; } = [CandidateNumber, Unit, Result];

    public static ParsedFile<MarkRow> Parse(TextReader reader)
    {
        var table = CsvTable.Read(reader, Columns);
        var rows = new List<MarkRow>();
        var firstLineOf = new Dictionary<(string, UnitCode), int>();

        foreach (var record in table.Rows)
        {
            var check = table.Check(record);

            var number = check.Field(CandidateNumber);
            var numberOk = number is not null && FieldRules.IsId(number);
            if (number is not null && !numberOk)
                check.Error(CandidateNumber, FieldRules.IdError("Numéro de candidat", number));

            var unitText = check.Field(Unit);
            var unit = default(UnitCode);
            var unitOk = unitText is not null && UnitCatalogue.TryParse(unitText, out unit);
            if (unitText is not null && !unitOk)
                check.Error(Unit, unitText.Length == 0
                    ? "Unité manquante."
                    : $"Unité inconnue « {unitText} » (attendu : {string.Join(", ", UnitCatalogue.All.Select(u => u.Code))}).");

            if (numberOk && unitOk && !firstLineOf.TryAdd((number!.ToUpperInvariant(), unit), check.Line))
                check.Error(Unit, $"Le candidat {number} a déjà un résultat en {unit} ligne {firstLineOf[(number.ToUpperInvariant(), unit)]}.");

            var resultText = check.Field(Result);
            var result = default(UnitResult);
            if (resultText is not null)
            {
                if (!UnitResult.TryParse(resultText, out result, out var error))
                    check.Error(Result, error);
                else if (unitOk && RefusalFor(unit, result) is { } refusal)
                    check.Error(Result, refusal);
            }

            check.Complete();
            if (!check.Failed) rows.Add(new MarkRow(check.Line, number!, unit, result));
        }
        return new(rows, table.SortedErrors());
    }

    /// <summary>Why <paramref name="unit"/> can never take <paramref name="result"/>, or null when it can.</summary>
    private static string? RefusalFor(UnitCode unit, UnitResult result)
    {
        var definition = UnitCatalogue.Get(unit);
        return result.Kind switch
        {
            ResultKind.NonValide when !definition.MayBeNonValide =>
                $"NV n'est possible qu'en E4, U61 et U62 (dossier absent ou non conforme, annexe 4), pas en {unit}.",
            ResultKind.Dispensed when !definition.MayBeDispensed =>
                $"DISP n'est possible qu'en E1, E21, E22 et E3 (D643-17), pas en {unit}.",
            ResultKind.Kept when !definition.IsMandatory =>
                $"Une note conservée (BEN) ne concerne qu'une épreuve obligatoire, pas {unit}.",
            _ => null,
        };
    }
}
