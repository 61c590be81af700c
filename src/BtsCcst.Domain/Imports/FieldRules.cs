using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BtsCcst.Domain.Imports;

/// <summary>The field conventions of formats.md: identifiers, dates, lists, UAI codes.</summary>
public static partial class FieldRules
{
    // \A and \z: the whole text, where ^ and $ would accept a final "\n". The first character is a
    // letter or a digit, so that no identifier reaching a CSV export starts like a formula ("-", "+", "=", "@").
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_-]{0,31}\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\A[0-9]{7}[A-Za-z]\z")]
    private static partial Regex UaiPattern();

    /// <summary>What an identifier is, in the users' words (every refusal of an identifier says it this way).</summary>
    public const string IdRule = "1 à 32 caractères parmi A-Z, a-z, 0-9, _ et -, le premier une lettre ou un chiffre";

    /// <summary>An identifier: 1 to 32 letters, digits, <c>_</c> or <c>-</c>, starting with a letter or a digit (formats.md).</summary>
    public static bool IsId(string? text) => text is not null && IdPattern().IsMatch(text);

    /// <summary>The refusal of <paramref name="text"/> as the identifier <paramref name="what"/> (e.g. "session").</summary>
    public static string InvalidIdMessage(string what, object? text) => $"Identifiant « {text} » invalide pour {what} : attendu {IdRule}.";

    /// <summary>A school code (UAI): 7 digits and a letter, e.g. <c>0141234X</c>.</summary>
    public static bool IsUai(string? text) => text is not null && UaiPattern().IsMatch(text);

    /// <summary>A date written <c>YYYY-MM-DD</c>.</summary>
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Splits a <c>;</c>-list, trimming items and dropping empty ones (so a trailing <c>;</c> is harmless).</summary>
    public static IReadOnlyList<string> SplitList(string? text) =>
        (text ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Upper case without diacritics, for case- and accent-insensitive comparisons.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Trim().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        }
        return sb.ToString().Normalize(NormalizationForm.FormC).ToUpperInvariant();
    }

    internal static string IdError(string what, string text) => text.Length == 0
        ? $"{what} manquant."
        : $"{what} « {text} » invalide : {IdRule}.";

    internal static string DateError(string text) => text.Length == 0
        ? "Date manquante (format AAAA-MM-JJ, par exemple 2004-03-17)."
        : $"« {text} » n'est pas une date valable (format AAAA-MM-JJ, par exemple 2004-03-17).";

    /// <summary>Parses a <c>;</c>-list of unit codes accepted by <paramref name="allowed"/>; reports unknown, refused and repeated units.</summary>
    internal static SortedSet<UnitCode> ParseUnitList(RowCheck check, string column, string text,
        Func<UnitCode, bool> allowed, string allowedText)
    {
        var units = new SortedSet<UnitCode>();
        foreach (var item in SplitList(text))
        {
            if (!UnitCatalogue.TryParse(item, out var unit))
                check.Error(column, $"Unité inconnue « {item} » (attendu : {allowedText}).");
            else if (!allowed(unit))
                check.Error(column, $"L'unité {unit} n'est pas admise ici (attendu : {allowedText}).");
            else if (!units.Add(unit))
                check.Error(column, $"L'unité {unit} est répétée.");
        }
        return units;
    }

    /// <summary>Parses a non-empty <c>;</c>-list of dates; reports an empty list, bad and repeated dates.</summary>
    internal static SortedSet<DateOnly> ParseDateList(RowCheck check, string column, string text, string emptyMessage)
    {
        var dates = new SortedSet<DateOnly>();
        var items = SplitList(text);
        if (items.Count == 0) check.Error(column, emptyMessage);
        foreach (var item in items)
        {
            if (!TryParseDate(item, out var date))
                check.Error(column, $"« {item} » n'est pas une date valable (format AAAA-MM-JJ, par exemple 2024-06-03).");
            else if (!dates.Add(date))
                check.Error(column, $"La date {item} est répétée.");
        }
        return dates;
    }
}
