namespace BtsCcst.Domain.Imports;

/// <summary>The academies of the circular's Annexe 1 (pilot, attached and autonomous), as written in the exchange files.</summary>
public static class Academies
{
    // Annexe 1 "Regroupements interacadémiques", in the annexe's order.
    public static IReadOnlyList<string> All { get; } =
    [
        "AIX-MARSEILLE", "CORSE", "MAYOTTE",
        "BESANCON", "DIJON",
        "BORDEAUX", "LIMOGES", "POITIERS",
        "NORMANDIE", "NOUVELLE-CALEDONIE", "POLYNESIE FRANCAISE",
        "GUADELOUPE", "GUYANE", "MARTINIQUE",
        "NANCY-METZ", "REIMS", "STRASBOURG",
        "AMIENS", "CLERMONT-FERRAND", "GRENOBLE", "LILLE", "LYON", "MONTPELLIER", "NANTES", "NICE",
        "ORLEANS-TOURS", "RENNES", "SIEC", "TOULOUSE", "REUNION",
    ];

    private static readonly Dictionary<string, string> ByKey = BuildIndex();

    private static Dictionary<string, string> BuildIndex()
    {
        var index = All.ToDictionary(Key, a => a, StringComparer.Ordinal);
        index[Key("LA REUNION")] = "REUNION";
        return index;
    }

    /// <summary>Comparison key: upper case, no accents, spaces, hyphens and underscores all alike.</summary>
    private static string Key(string text) =>
        string.Join(' ', FieldRules.Fold(text).Split([' ', '-', '_', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Finds the academy named by <paramref name="text"/>, ignoring case, accents and the difference
    /// between spaces and hyphens (<c>Polynésie française</c>, <c>POLYNESIE-FRANCAISE</c>, <c>orléans tours</c>).
    /// </summary>
    public static bool TryNormalize(string? text, out string academy)
    {
        academy = "";
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (!ByKey.TryGetValue(Key(text), out var found)) return false;
        academy = found;
        return true;
    }

    /// <summary>The id of the jury of an academy when juries.csv is not given: its name with spaces turned into <c>-</c>.</summary>
    public static string DefaultJuryId(string academy) =>
        TryNormalize(academy, out var name)
            ? name.Replace(' ', '-')
            : throw new ArgumentException($"Académie inconnue « {academy} ».", nameof(academy));

    internal static string UnknownMessage(string text) => text.Length == 0
        ? "Académie manquante."
        : $"Académie inconnue « {text} » (attendu : un nom de l'annexe 1, par exemple NORMANDIE ou AIX-MARSEILLE).";
}
