using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BtsCcst.Domain;

public enum ResultKind
{
    /// <summary>Examined: a mark 0.00–20.00.</summary>
    Mark,
    /// <summary>ABS: absent without valid excuse; blocks the award (D643-24).</summary>
    Absent,
    /// <summary>ABSJ: absent for duly recorded force majeure; counts as 0 (D643-24).</summary>
    AbsentExcused,
    /// <summary>NV: file missing or not conforming; blocks the award (Annexe 4).</summary>
    NonValide,
    /// <summary>DISP: dispensed; neither points nor coefficient (D643-17).</summary>
    Dispensed,
    /// <summary>BEN:m: a mark ≥ 10 kept from an earlier session (D643-15, D643-23).</summary>
    Kept,
}

/// <summary>The result of one unit, as written in marks.csv and results (deliberation.md "Unit results").</summary>
public readonly record struct UnitResult
{
    public const decimal MaxMark = 20m;

    /// <summary>D643-23: only marks of at least 10 may be kept from an earlier session.</summary>
    public const decimal MinKeptMark = 10m;

    private UnitResult(ResultKind kind, decimal? mark) { Kind = kind; Mark = mark; }

    public ResultKind Kind { get; }

    /// <summary>The mark for <see cref="ResultKind.Mark"/> and <see cref="ResultKind.Kept"/>, otherwise null.</summary>
    public decimal? Mark { get; }

    public static UnitResult Absent { get; } = new(ResultKind.Absent, null);
    public static UnitResult AbsentExcused { get; } = new(ResultKind.AbsentExcused, null);
    public static UnitResult NonValide { get; } = new(ResultKind.NonValide, null);
    public static UnitResult Dispensed { get; } = new(ResultKind.Dispensed, null);

    public static UnitResult Examined(decimal mark) =>
        IsValidMark(mark) ? new(ResultKind.Mark, mark) : throw new ArgumentOutOfRangeException(nameof(mark), mark, "A mark is 0 to 20 with at most 2 decimals.");

    public static UnitResult KeptFromEarlierSession(decimal mark) =>
        IsValidMark(mark) && mark >= MinKeptMark ? new(ResultKind.Kept, mark) : throw new ArgumentOutOfRangeException(nameof(mark), mark, "A kept mark is 10 to 20.");

    /// <summary>The value used in the weighted average, or null when the result brings no points (ABS, NV, DISP).</summary>
    public decimal? PointsValue => Kind switch
    {
        ResultKind.Mark or ResultKind.Kept => Mark,
        ResultKind.AbsentExcused => 0m,
        _ => null,
    };

    public static bool IsValidMark(decimal mark) => mark >= 0m && mark <= MaxMark && decimal.Round(mark, 2) == mark;

    /// <summary>Parses a mark written <c>12.5</c> or <c>12,5</c> (formats.md conventions).</summary>
    public static bool TryParseMark(string? text, out decimal mark, [NotNullWhen(false)] out string? error)
    {
        mark = 0;
        var t = text?.Trim() ?? "";
        if (t.Length == 0 || !decimal.TryParse(t.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out mark))
        {
            error = $"« {text} » n'est pas une note (attendu : un nombre de 0 à 20, par exemple 12.5).";
            return false;
        }
        if (mark > MaxMark) { error = $"La note {t} dépasse 20."; return false; }
        if (decimal.Round(mark, 2) != mark) { error = $"La note {t} a plus de 2 décimales."; return false; }
        error = null;
        return true;
    }

    /// <summary>Parses a result: a mark, ABS, ABSJ, NV, DISP or BEN:&lt;mark&gt;.</summary>
    public static bool TryParse(string? text, out UnitResult result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        var t = text?.Trim() ?? "";
        switch (t.ToUpperInvariant())
        {
            case "ABS": result = Absent; error = null; return true;
            case "ABSJ": result = AbsentExcused; error = null; return true;
            case "NV": result = NonValide; error = null; return true;
            case "DISP": result = Dispensed; error = null; return true;
        }
        if (t.StartsWith("BEN:", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseMark(t[4..], out var kept, out error)) return false;
            if (kept < MinKeptMark) { error = $"Une note conservée (BEN) vaut au moins 10 (D643-23), pas {t[4..]}."; return false; }
            result = new(ResultKind.Kept, kept);
            return true;
        }
        if (t.Length == 0)
        {
            error = "Résultat vide (attendu : une note de 0 à 20, ABS, ABSJ, NV, DISP ou BEN:<note>).";
            return false;
        }
        if (!TryParseMark(t, out var mark, out var markError))
        {
            error = $"« {t} » n'est pas un résultat valable (attendu : une note de 0 à 20 avec au plus 2 décimales, ABS, ABSJ, NV, DISP ou BEN:<note>)."
                    + (decimal.TryParse(t.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out _) ? " " + markError : "");
            return false;
        }
        result = new(ResultKind.Mark, mark);
        error = null;
        return true;
    }

    public static UnitResult Parse(string text) =>
        TryParse(text, out var r, out var error) ? r : throw new FormatException(error);

    /// <summary>The canonical text of the result, as exported (marks with a dot, no trailing zeros).</summary>
    public override string ToString() => Kind switch
    {
        ResultKind.Mark => FormatMark(Mark!.Value),
        ResultKind.Kept => "BEN:" + FormatMark(Mark!.Value),
        ResultKind.Absent => "ABS",
        ResultKind.AbsentExcused => "ABSJ",
        ResultKind.NonValide => "NV",
        ResultKind.Dispensed => "DISP",
        _ => "?",
    };

    private static string FormatMark(decimal mark) => mark.ToString("0.##", CultureInfo.InvariantCulture);
}
