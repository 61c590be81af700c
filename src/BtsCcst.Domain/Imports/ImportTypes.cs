namespace BtsCcst.Domain.Imports;

/// <summary>
/// One problem of an imported file. <paramref name="Line"/> is the physical line where the record
/// starts (the header being line 1); <paramref name="Column"/> is the header name of the bad field
/// (empty for a problem of the record as a whole); <paramref name="Message"/> is French, for the exam office.
/// </summary>
public sealed record ImportError(int Line, string Column, string Message);

/// <summary>The rows of a file that parsed, and every error of the file. A file with any error is refused whole.</summary>
public sealed record ParsedFile<T>(IReadOnlyList<T> Rows, IReadOnlyList<ImportError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
