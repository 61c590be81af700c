namespace BtsCcst.Domain.Imports;

/// <summary>
/// A CSV file read against its contract: the header row is matched by column name (trimmed, case-insensitive),
/// required columns must be there, extra columns are ignored. Collects every error of the file.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columnIndex;

    private CsvTable(Dictionary<string, int> columnIndex, List<CsvRecord> rows, List<ImportError> errors)
    {
        _columnIndex = columnIndex;
        Rows = rows;
        Errors = errors;
    }

    /// <summary>The data records, after the header.</summary>
    public IReadOnlyList<CsvRecord> Rows { get; }

    /// <summary>Errors of the file so far; the parsers add their row errors here.</summary>
    public List<ImportError> Errors { get; }

    public static CsvTable Read(TextReader reader, IReadOnlyList<string> requiredColumns)
    {
        var (records, syntaxErrors) = CsvRecords.Read(reader);
        var errors = new List<ImportError>();
        var columnIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        if (records.Count == 0)
        {
            errors.Add(new(1, "", "Fichier vide : la première ligne doit être la ligne d'en-tête ("
                                  + string.Join(",", requiredColumns) + ")."));
            return new CsvTable(columnIndex, [], errors);
        }

        var header = records[0];
        var headerNames = header.Fields.Select(f => f.Trim()).ToList();
        for (var c = 0; c < headerNames.Count; c++)
        {
            var name = headerNames[c];
            if (name.Length == 0) continue;
            if (!columnIndex.TryAdd(name, c) && requiredColumns.Contains(name, StringComparer.OrdinalIgnoreCase))
                errors.Add(new(header.Line, name, $"La colonne « {name} » apparaît plusieurs fois dans l'en-tête."));
        }
        foreach (var required in requiredColumns)
        {
            if (!columnIndex.ContainsKey(required))
                errors.Add(new(header.Line, required,
                    $"Colonne obligatoire « {required} » absente de la ligne d'en-tête (colonnes attendues : {string.Join(",", requiredColumns)})."));
        }

        string ColumnName(int index) => index < headerNames.Count ? headerNames[index] : "";
        foreach (var e in syntaxErrors)
            errors.Add(new(e.Line, e.Line == header.Line ? "" : ColumnName(e.FieldIndex), e.Message));

        var rows = records.Skip(1).ToList();
        foreach (var row in rows)
        {
            var extra = row.Fields.Skip(headerNames.Count).Count(f => !string.IsNullOrWhiteSpace(f));
            if (extra > 0)
                errors.Add(new(row.Line, "",
                    $"La ligne compte {row.Fields.Count} champs alors que l'en-tête n'en compte que {headerNames.Count} : une virgule n'est-elle pas entourée de guillemets ?"));
        }
        return new CsvTable(columnIndex, rows, errors);
    }

    /// <summary>Starts checking one data record.</summary>
    public RowCheck Check(CsvRecord record) => new(this, record);

    /// <summary>All the errors of the file, ordered by line (stable otherwise).</summary>
    public IReadOnlyList<ImportError> SortedErrors() => Errors.OrderBy(e => e.Line).ToList();

    internal bool TryGet(CsvRecord record, string column, out string value)
    {
        if (!_columnIndex.TryGetValue(column, out var index)) { value = ""; return false; }
        value = index < record.Fields.Count ? record.Fields[index].Trim() : "";
        return true;
    }
}

/// <summary>
/// The checks of one record: at most one error per column (several problems of one field are
/// joined in one message). A record with a problem, or lacking a required column, yields no row.
/// </summary>
internal sealed class RowCheck
{
    private readonly CsvTable _table;
    private readonly CsvRecord _record;
    private readonly List<(string Column, List<string> Messages)> _errors = [];

    public RowCheck(CsvTable table, CsvRecord record) { _table = table; _record = record; }

    public int Line => _record.Line;

    /// <summary>True once a field was bad or a column missing: the record yields no row.</summary>
    public bool Failed { get; private set; }

    /// <summary>
    /// The trimmed field, or null when the column is missing from the header (already reported on line 1). A field
    /// longer than its column allows (<see cref="FieldLengths"/>) is an error: an unbounded name broke the PDFs.
    /// </summary>
    public string? Field(string column)
    {
        if (!_table.TryGet(_record, column, out var value))
        {
            Failed = true;
            return null;
        }
        var limit = FieldLengths.Of(column);
        if (value.Length > limit) Error(column, $"« {column} » dépasse {limit} caractères ({value.Length}).");
        return value;
    }

    /// <summary>The trimmed field of an optional column: empty when the header does not have the column.</summary>
    public string OptionalField(string column)
    {
        if (!_table.TryGet(_record, column, out _)) return "";
        return Field(column) ?? "";
    }

    /// <summary>
    /// The record's key: an identifier unique in the file (formats.md). Reports a malformed one, or a
    /// repeat naming the line of the first; returns the field (null when the column is missing).
    /// </summary>
    public string? UniqueId(string column, string what, Func<string, string> subject, Dictionary<string, int> firstLineOf)
    {
        var id = Field(column);
        if (id is null) return null;
        if (!FieldRules.IsId(id)) Error(column, FieldRules.IdError(what, id));
        else if (!firstLineOf.TryAdd(id, Line)) Error(column, $"{subject(id)} figure déjà ligne {firstLineOf[id]}.");
        return id;
    }

    public bool HasError(string column) => _errors.Any(e => e.Column == column);

    public void Error(string column, string message)
    {
        Failed = true;
        var entry = _errors.FirstOrDefault(e => e.Column == column);
        if (entry.Messages is null) _errors.Add((column, [message]));
        else entry.Messages.Add(message);
    }

    /// <summary>Adds this record's errors to the file's.</summary>
    public void Complete()
    {
        foreach (var (column, messages) in _errors)
            _table.Errors.Add(new(Line, column, string.Join(" ", messages)));
    }
}

/// <summary>
/// The longest text each column of the imported files takes (README, "Imports"): people's and places' names are
/// printed on convocations, minutes and transcripts; any other field stops at <see cref="Default"/>.
/// </summary>
public static class FieldLengths
{
    public const int Default = 1000;

    public const int PersonName = 80;

    public const int PlaceName = 120;

    public const int Address = 200;

    private static readonly Dictionary<string, int> ByColumn = new(StringComparer.Ordinal)
    {
        ["last_name"] = PersonName,
        ["first_name"] = PersonName,
        ["president"] = PersonName,
        ["manager_name"] = PersonName,
        ["name"] = PlaceName,
        ["address"] = Address,
    };

    public static int Of(string column) => ByColumn.GetValueOrDefault(column, Default);
}
