using System.Globalization;
using BtsCcst.Domain;

namespace BtsCcst.Server.Deliberation.Documents;

/// <summary>
/// French wording of the deliberation documents: numbers with a decimal comma, decisions, results,
/// phases. Every parser throws <see cref="ArgumentException"/> on a code it does not know, so a
/// document never prints a raw or wrong code.
/// </summary>
public static class DeliberationWording
{
    /// <summary>The units of a candidate's first group, in the order of the catalogue.</summary>
    public static IReadOnlyList<UnitCode> FirstGroupUnits { get; } =
        [.. UnitCatalogue.All.Where(u => u.Kind != UnitKind.Controle).Select(u => u.Code)];

    /// <summary>Rounded half-up to 2 decimals, with a decimal comma: 10.035 → "10,04", 12 → "12,00".</summary>
    public static string Number(decimal value) =>
        global::BtsCcst.Domain.Deliberation.RoundForDisplay(value).ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');

    /// <summary><see cref="Number"/>, or "—" when there is none.</summary>
    public static string Number(decimal? value) => value is { } v ? Number(v) : "—";

    /// <summary>A coefficient as printed: 3 → "3", 1.5 → "1,5".</summary>
    public static string Coefficient(decimal value) =>
        value.ToString("0.##", CultureInfo.InvariantCulture).Replace('.', ',');

    public static Decision ParseDecision(string? code, string what = "décision") =>
        Codes.TryParse<Decision>(code, out var decision)
            ? decision
            : throw new ArgumentException($"{what} inconnue : « {code} » (attendu : {Codes.AllCodes<Decision>()}).");

    /// <summary>ADMIS → "Admis", AJOURNE → "Ajourné", SECOND_GROUPE → "Second groupe"…</summary>
    public static string DecisionLabel(Decision decision) => decision switch
    {
        Decision.Admis => "Admis",
        Decision.Ajourne => "Ajourné",
        Decision.SecondGroupe => "Second groupe",
        Decision.NonValide => "Non validé",
        Decision.Absent => "Absent",
        Decision.Incomplet => "Incomplet",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
    };

    public static string DecisionLabel(string? code) => DecisionLabel(ParseDecision(code));

    public static JuryPhase ParsePhase(string? code) =>
        Codes.TryParse<JuryPhase>(code, out var phase)
            ? phase
            : throw new ArgumentException($"Phase de jury inconnue : « {code} » (attendu : {Codes.AllCodes<JuryPhase>()}).");

    public static string PhaseLabel(JuryPhase phase) => phase switch
    {
        JuryPhase.FirstOpen => "Délibération du premier groupe ouverte",
        JuryPhase.FirstClosed => "Résultats du premier groupe arrêtés",
        JuryPhase.SecondOpen => "Délibération du second groupe ouverte",
        JuryPhase.Closed => "Délibération close",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    /// <summary>A first-group or contrôle unit code, as <see cref="UnitCatalogue.TryParse"/> reads exchange files.</summary>
    public static UnitCode ParseUnit(string? code) =>
        UnitCatalogue.TryParse(code, out var unit) ? unit : throw new ArgumentException($"Épreuve inconnue : « {code} ».");

    public static UnitCode ParseControleUnit(string? code)
    {
        var unit = ParseUnit(code);
        return UnitCatalogue.Get(unit).Kind == UnitKind.Controle
            ? unit
            : throw new ArgumentException($"{code} n'est pas une épreuve de contrôle (attendu : C_E1, C_E2 ou C_E3).");
    }

    /// <summary>Parses a result text; null for null/empty (no result).</summary>
    public static UnitResult? ParseResult(string? text, string context)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return UnitResult.TryParse(text, out var result, out var error)
            ? result
            : throw new ArgumentException($"{context} : {error}");
    }

    /// <summary>The result in words, for the transcript: "12,50", "Absent", "Absent (excusé)", "Non valide", "Dispensé", "12,00 (bénéfice)".</summary>
    public static string ResultLong(UnitResult? result) => result switch
    {
        null => "—",
        { Kind: ResultKind.Mark } r => Number(r.Mark!.Value),
        { Kind: ResultKind.Kept } r => $"{Number(r.Mark!.Value)} (bénéfice)",
        { Kind: ResultKind.Absent } => "Absent",
        { Kind: ResultKind.AbsentExcused } => "Absent (excusé)",
        { Kind: ResultKind.NonValide } => "Non valide",
        { Kind: ResultKind.Dispensed } => "Dispensé",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    /// <summary>The result for the minutes' narrow columns (explained by <see cref="ResultLegend"/>).</summary>
    public static string ResultShort(UnitResult? result) => result switch
    {
        null => "—",
        { Kind: ResultKind.Mark } r => Number(r.Mark!.Value),
        { Kind: ResultKind.Kept } r => $"{Number(r.Mark!.Value)} (b)",
        { Kind: ResultKind.Absent } => "ABS",
        { Kind: ResultKind.AbsentExcused } => "ABSJ",
        { Kind: ResultKind.NonValide } => "NV",
        { Kind: ResultKind.Dispensed } => "DISP",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    public const string ResultLegend =
        "ABS : absent ; ABSJ : absent (excusé, compte 0) ; NV : non valide ; DISP : dispensé ; (b) : note conservée d'une session antérieure (bénéfice) ; — : pas de résultat.";

    /// <summary>A contrôle result: a mark, ABS or ABSJ, or none (not taken yet).</summary>
    public static UnitResult? ParseControleResult(string? text, string context)
    {
        var result = ParseResult(text, context);
        if (result is { Kind: not (ResultKind.Mark or ResultKind.Absent or ResultKind.AbsentExcused) })
            throw new ArgumentException($"{context} : une épreuve de contrôle prend une note, ABS ou ABSJ, pas {result}.");
        return result;
    }

    /// <summary>A value of a change: a result in short form when it is one, else the text as given.</summary>
    public static string ChangeValue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "—";
        // Not a result: e.g. the contrôle units chosen, "C_E1;C_E3".
        return UnitResult.TryParse(text, out var result, out _) ? ResultShort(result) : text.Trim().Replace(";", ", ");
    }

    /// <summary>"27/06/2024 14:05" in <paramref name="zone"/>.</summary>
    public static string DateTime(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static TimeZoneInfo Zone(string? id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id ?? "");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new ArgumentException($"Fuseau horaire inconnu : « {id} ».", nameof(id), e);
        }
    }

    /// <summary>"DUPONT Marie".</summary>
    public static string FullName(string lastName, string firstName) =>
        $"{lastName.Trim().ToUpperInvariant()} {firstName.Trim()}".Trim();

    internal static string Required(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{what} manquant(e).") : value.Trim();
}
