namespace BtsCcst.Domain.Imports;

/// <summary>One jury of juries.csv: the academies whose candidates it deliberates on, its president and members.</summary>
/// <param name="PresidentEmail">Optional column president_email: where the president's access link is sent; empty when not given.</param>
public sealed record JuryRow(int Line, string JuryId, IReadOnlyList<string> Academies, string President, IReadOnlyList<string> Members,
    string PresidentEmail = "");

/// <summary>
/// Parses juries.csv (formats.md, optional file). Academies are normalised to their Annexe 1 name;
/// an academy belongs to one jury at most.
/// </summary>
public static class JuriesCsv
{
    public const string JuryId = "jury_id";
    public const string AcademiesColumn = "academies";
    public const string President = "president";
    public const string Members = "members";

    /// <summary>Optional column (not in <see cref="Columns"/>): the president's e-mail address, for their access link.</summary>
    public const string PresidentEmail = "president_email";

    /// <summary>The contract's columns, in export order.</summary>
    public static IReadOnlyList<string> Columns { get; } = [JuryId, AcademiesColumn, President, Members];

    public static ParsedFile<JuryRow> Parse(TextReader reader)
    {
        var table = CsvTable.Read(reader, Columns);
        var rows = new List<JuryRow>();
        var firstLineOfJury = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var juryOfAcademy = new Dictionary<string, (string Jury, int Line)>(StringComparer.Ordinal);

        foreach (var record in table.Rows)
        {
            var check = table.Check(record);

            var juryId = check.UniqueId(JuryId, "Identifiant de jury", j => $"Le jury {j}", firstLineOfJury);

            var academiesText = check.Field(AcademiesColumn);
            var academies = new List<string>();
            if (academiesText is not null)
            {
                var items = FieldRules.SplitList(academiesText);
                if (items.Count == 0)
                    check.Error(AcademiesColumn, "Aucune académie : un jury délibère pour au moins une académie.");
                foreach (var item in items)
                {
                    if (!Academies.TryNormalize(item, out var academy))
                        check.Error(AcademiesColumn, Academies.UnknownMessage(item));
                    else if (academies.Contains(academy))
                        check.Error(AcademiesColumn, $"L'académie {academy} est répétée.");
                    else if (juryOfAcademy.TryGetValue(academy, out var other))
                        check.Error(AcademiesColumn, $"L'académie {academy} relève déjà du jury {other.Jury} (ligne {other.Line}) : une académie n'a qu'un jury.");
                    else
                    {
                        academies.Add(academy);
                        juryOfAcademy[academy] = (juryId ?? "", check.Line);
                    }
                }
            }

            var president = check.Field(President);
            if (president is { Length: 0 })
                check.Error(President, "Président du jury manquant (D643-31).");

            var membersText = check.Field(Members);
            var members = FieldRules.SplitList(membersText);

            var presidentEmail = check.OptionalField(PresidentEmail);
            ExaminersCsv.CheckOptionalEmail(check, PresidentEmail, presidentEmail);

            check.Complete();
            if (!check.Failed) rows.Add(new JuryRow(check.Line, juryId!, academies, president!, members, presidentEmail));
        }
        return new(rows, table.SortedErrors());
    }
}
