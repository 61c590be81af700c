namespace BtsCcst.Domain.Imports;

/// <summary>One checked file of conformity.csv: a candidate's unit, conforming or not, with the Annexe 4 reasons.</summary>
/// <param name="Reasons">Empty when conforming, at least one when not.</param>
/// <param name="Details">Free text; required with <see cref="NonConformityReason.Autre"/>.</param>
public sealed record ConformityRow(
    int Line,
    string CandidateNumber,
    UnitCode Unit,
    ConformityStatus Status,
    IReadOnlySet<NonConformityReason> Reasons,
    string Details);

/// <summary>
/// Parses conformity.csv (formats.md, Annexe 4): units E4, U61, U62, EF2, EF3; one row per
/// (candidate, unit). That the candidate exists and sits the unit is checked by the importer.
/// </summary>
public static class ConformityCsv
{
    public const string CandidateNumber = "candidate_number";
    public const string Unit = "unit";
    public const string Status = "status";
    public const string Reasons = "reasons";
    public const string Details = "details";

    /// <summary>The contract's columns, in export order.</summary>
    public static IReadOnlyList<string> Columns { get; } = [CandidateNumber, Unit, Status, Reasons, Details];

    private const string CheckedUnits = "E4, U61, U62, EF2 ou EF3";

    public static ParsedFile<ConformityRow> Parse(TextReader reader)
    {
        var table = CsvTable.Read(reader, Columns);
        var rows = new List<ConformityRow>();
        var firstLineOf = new Dictionary<(string, UnitCode), int>();

        foreach (var record in table.Rows)
        {
            var check = table.Check(record);

            var number = check.Field(CandidateNumber);
            var numberOk = number is not null && FieldRules.IsId(number);
            if (number is not null && !numberOk)
                check.Error(CandidateNumber, FieldRules.IdError("Numéro de candidat", number));

            // unit: one whose file is checked (Annexe 4 for E4, U61, U62; support and form of EF2, EF3).
            var unitText = check.Field(Unit);
            var unit = default(UnitCode);
            var unitOk = unitText is not null && UnitCatalogue.TryParse(unitText, out unit) && UnitCatalogue.Get(unit).ConformityChecked;
            if (unitText is not null && !unitOk)
                check.Error(Unit, unitText.Length == 0 ? $"Unité manquante (attendu : {CheckedUnits})."
                    : UnitCatalogue.TryParse(unitText, out var other) ? $"L'unité {other} n'est pas soumise au contrôle de conformité (attendu : {CheckedUnits})."
                    : $"Unité inconnue « {unitText} » (attendu : {CheckedUnits}).");

            if (numberOk && unitOk && !firstLineOf.TryAdd((number!.ToUpperInvariant(), unit), check.Line))
                check.Error(Unit, $"Le candidat {number} a déjà une ligne de conformité en {unit} ligne {firstLineOf[(number.ToUpperInvariant(), unit)]}.");

            var statusText = check.Field(Status);
            var status = default(ConformityStatus);
            var statusOk = statusText is not null && Codes.TryParse(statusText, out status);
            if (statusText is not null && !statusOk)
                check.Error(Status, statusText.Length == 0
                    ? "Statut manquant (attendu : CONFORME ou NON_CONFORME)."
                    : $"Statut inconnu « {statusText} » (attendu : CONFORME ou NON_CONFORME).");

            // reasons: Annexe 4 codes, none when conforming, at least one when not.
            var reasonsText = check.Field(Reasons);
            var reasons = new SortedSet<NonConformityReason>();
            if (reasonsText is not null)
            {
                foreach (var item in FieldRules.SplitList(reasonsText))
                {
                    if (!Codes.TryParse(item, out NonConformityReason reason))
                        check.Error(Reasons, $"Motif inconnu « {item} » (attendu, annexe 4 : {Codes.AllCodes<NonConformityReason>()}).");
                    else if (!reasons.Add(reason))
                        check.Error(Reasons, $"Le motif {reason.ToCode()} est répété.");
                }
                if (statusOk && status == ConformityStatus.Conforme && reasons.Count > 0)
                    check.Error(Reasons, "Un dossier CONFORME n'a pas de motif de non-conformité : vider ce champ ou indiquer le statut NON_CONFORME.");
                else if (statusOk && status == ConformityStatus.NonConforme && reasons.Count == 0 && !check.HasError(Reasons))
                    check.Error(Reasons, $"Motif manquant : un dossier NON_CONFORME indique au moins un motif de l'annexe 4 ({Codes.AllCodes<NonConformityReason>()}).");
            }

            var details = check.Field(Details);
            if (details is { Length: 0 } && reasons.Contains(NonConformityReason.Autre))
                check.Error(Details, "Précision manquante : le motif AUTRE doit être précisé (annexe 4, « autres (à préciser) »).");

            check.Complete();
            if (!check.Failed) rows.Add(new ConformityRow(check.Line, number!, unit, status, reasons, details!));
        }
        return new(rows, table.SortedErrors());
    }
}
