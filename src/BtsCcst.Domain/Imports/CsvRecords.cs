using System.Text;

namespace BtsCcst.Domain.Imports;

/// <summary>One record of a CSV file, with the physical line it starts on.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>A syntax problem found while splitting a file into records, in field <paramref name="FieldIndex"/>.</summary>
internal sealed record CsvSyntaxError(int Line, int FieldIndex, string Message);

/// <summary>
/// Splits RFC 4180 text into records: comma separated, fields optionally quoted with <c>"</c>
/// (a doubled <c>""</c> inside quotes is one quote), records ended by CRLF, LF or CR, line breaks
/// allowed inside quoted fields. A leading byte-order mark is skipped; records whose fields are all
/// blank (empty lines, <c>,,,</c> rows of spreadsheets) are skipped. Each record keeps the physical
/// line where it starts, so that errors point at the line a person sees in an editor.
/// </summary>
internal static class CsvRecords
{
    public static (List<CsvRecord> Records, List<CsvSyntaxError> Errors) Read(TextReader reader)
    {
        var text = reader.ReadToEnd();
        var records = new List<CsvRecord>();
        var errors = new List<CsvSyntaxError>();
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var line = 1;
        var n = text.Length;
        var field = new StringBuilder();

        while (i < n)
        {
            var startLine = line;
            var fields = new List<string>();
            var endOfRecord = false;
            while (!endOfRecord)
            {
                field.Clear();
                var fieldIndex = fields.Count;
                if (i < n && text[i] == '"')
                {
                    i++;
                    var closed = false;
                    while (i < n)
                    {
                        var c = text[i];
                        if (c == '"')
                        {
                            if (i + 1 < n && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                            i++;
                            closed = true;
                            break;
                        }
                        if (c == '\r' || c == '\n')
                        {
                            i += c == '\r' && i + 1 < n && text[i + 1] == '\n' ? 2 : 1;
                            field.Append('\n');
                            line++;
                            continue;
                        }
                        field.Append(c);
                        i++;
                    }
                    if (!closed)
                        errors.Add(new(startLine, fieldIndex,
                            "Guillemet ouvrant sans guillemet fermant : le champ se poursuit jusqu'à la fin du fichier."));
                    var trailingStart = i;
                    while (i < n && text[i] is not (',' or '\r' or '\n')) field.Append(text[i++]);
                    if (i > trailingStart)
                        errors.Add(new(startLine, fieldIndex,
                            "Texte après le guillemet fermant : un champ entre guillemets doit être suivi d'une virgule ou d'une fin de ligne (doubler les guillemets à l'intérieur du champ)."));
                }
                else
                {
                    while (i < n && text[i] is not (',' or '\r' or '\n')) field.Append(text[i++]);
                }

                fields.Add(field.ToString());
                if (i < n && text[i] == ',')
                {
                    i++;
                    continue;
                }
                endOfRecord = true;
                if (i < n)
                {
                    i += text[i] == '\r' && i + 1 < n && text[i + 1] == '\n' ? 2 : 1;
                    line++;
                }
            }

            if (!fields.All(string.IsNullOrWhiteSpace))
                records.Add(new(startLine, fields));
        }
        return (records, errors);
    }
}
