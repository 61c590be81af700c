using System.Globalization;

namespace BtsCcst.Domain.Imports;

/// <summary>One candidate of candidates.csv, checked.</summary>
/// <param name="EstablishmentUai">The school code, upper case; empty for an individual candidate.</param>
/// <param name="Ef1Language">The language of EF1 as written (trimmed); empty without EF1.</param>
/// <param name="KeptUnits">Units kept from an earlier session with their mark (≥ 10, D643-23).</param>
public sealed record CandidateRow(
    int Line,
    string CandidateNumber,
    string LastName,
    string FirstName,
    DateOnly BirthDate,
    string Academy,
    string EstablishmentUai,
    CandidateCategory Category,
    ExamForm Form,
    IReadOnlySet<UnitCode> OptionalUnits,
    string Ef1Language,
    IReadOnlySet<UnitCode> DispensedUnits,
    int ExtraTimePercent,
    bool Livret,
    IReadOnlyDictionary<UnitCode, decimal> KeptUnits);

/// <summary>Parses candidates.csv (formats.md). Pure: no I/O but the reader.</summary>
public static class CandidatesCsv
{
    public const string CandidateNumber = "candidate_number";
    public const string LastName = "last_name";
    public const string FirstName = "first_name";
    public const string BirthDate = "birth_date";
    public const string Academy = "academy";
    public const string EstablishmentUai = "establishment_uai";
    public const string Category = "category";
    public const string Form = "form";
    public const string OptionalUnits = "optional_units";
    public const string Ef1Language = "ef1_language";
    public const string DispensedUnits = "dispensed_units";
    public const string ExtraTimePercent = "extra_time_percent";
    public const string Livret = "livret";
    public const string KeptUnits = "kept_units";

    /// <summary>The contract's columns, in export order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        CandidateNumber, LastName, FirstName, BirthDate, Academy, EstablishmentUai, Category, Form,
        OptionalUnits, Ef1Language, DispensedUnits, ExtraTimePercent, Livret, KeptUnits,
    ];

    /// <summary>The youngest plausible candidate.</summary>
    public const int MinimumAge = 14;

    /// <summary>The oldest plausible candidate.</summary>
    public const int MaximumAge = 100;

    /// <summary>Parses with today's date as reference for the plausibility of birth dates.</summary>
    public static ParsedFile<CandidateRow> Parse(TextReader reader) =>
        Parse(reader, DateOnly.FromDateTime(DateTime.Today));

    /// <param name="referenceDate">Birth dates must lie between <see cref="MaximumAge"/> and <see cref="MinimumAge"/> years before it.</param>
    public static ParsedFile<CandidateRow> Parse(TextReader reader, DateOnly referenceDate)
    {
        var table = CsvTable.Read(reader, Columns);
        var rows = new List<CandidateRow>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        foreach (var record in table.Rows)
        {
            var check = table.Check(record);
            var row = ParseRow(check, referenceDate, firstLineOf);
            check.Complete();
            if (row is not null) rows.Add(row);
        }
        return new(rows, table.SortedErrors());
    }

    private static CandidateRow? ParseRow(RowCheck check, DateOnly referenceDate, Dictionary<string, int> firstLineOf)
    {
        // candidate_number: identifier, unique in the file.
        var number = check.UniqueId(CandidateNumber, "Numéro de candidat", n => $"Le candidat {n}", firstLineOf);

        var lastName = check.Field(LastName);
        if (lastName is { Length: 0 }) check.Error(LastName, "Nom manquant.");
        var firstName = check.Field(FirstName);
        if (firstName is { Length: 0 }) check.Error(FirstName, "Prénom manquant.");
        var birthDate = ParseBirthDate(check, referenceDate);

        var academyText = check.Field(Academy);
        var academy = "";
        if (academyText is not null && !Academies.TryNormalize(academyText, out academy))
            check.Error(Academy, Academies.UnknownMessage(academyText));

        var uai = check.Field(EstablishmentUai);
        if (uai is { Length: > 0 } && !FieldRules.IsUai(uai))
            check.Error(EstablishmentUai, $"Code établissement (UAI) « {uai} » invalide : 7 chiffres et une lettre, par exemple 0141234X ; vide pour un candidat individuel.");

        var (category, form) = ParseCategoryAndForm(check);
        var (optional, language) = ParseOptionalUnits(check);

        // dispensed_units (D643-17): general units only.
        var dispensedText = check.Field(DispensedUnits);
        var dispensed = dispensedText is null
            ? []
            : FieldRules.ParseUnitList(check, DispensedUnits, dispensedText, u => UnitCatalogue.Get(u).MayBeDispensed, "E1, E21, E22 ou E3 séparées par « ; »");

        // extra_time_percent: 0..100, empty = 0.
        var extraText = check.Field(ExtraTimePercent);
        var extra = 0;
        if (extraText is { Length: > 0 }
            && (!int.TryParse(extraText, NumberStyles.None, CultureInfo.InvariantCulture, out extra) || extra > 100))
            check.Error(ExtraTimePercent, $"Temps supplémentaire « {extraText} » invalide : un pourcentage entier de 0 à 100 (par exemple 33), vide si aucun.");

        var livret = ParseLivret(check);
        var keptText = check.Field(KeptUnits);
        var kept = keptText is null ? new SortedDictionary<UnitCode, decimal>() : ParseKept(check, keptText, dispensed);

        if (check.Failed) return null;
        return new CandidateRow(check.Line, number!, lastName!, firstName!, birthDate, academy, uai!.ToUpperInvariant(),
            category, form, optional, language!, dispensed, extra, livret, kept);
    }

    /// <summary>birth_date: a real date, the candidate between 14 and 100 years old.</summary>
    private static DateOnly ParseBirthDate(RowCheck check, DateOnly referenceDate)
    {
        var birthText = check.Field(BirthDate);
        var birthDate = default(DateOnly);
        if (birthText is null) return birthDate;
        if (!FieldRules.TryParseDate(birthText, out birthDate))
            check.Error(BirthDate, FieldRules.DateError(birthText));
        else if (birthDate > referenceDate)
            check.Error(BirthDate, $"La date de naissance {birthText} est dans le futur.");
        else if (birthDate > referenceDate.AddYears(-MinimumAge))
            check.Error(BirthDate, $"Date de naissance {birthText} invraisemblable : le candidat aurait moins de {MinimumAge} ans.");
        else if (birthDate <= referenceDate.AddYears(-MaximumAge))
            check.Error(BirthDate, $"Date de naissance {birthText} invraisemblable : le candidat aurait plus de {MaximumAge} ans.");
        return birthDate;
    }

    /// <summary>category and form (D643-19): a category that sits everything in ponctual form has no CCF.</summary>
    private static (CandidateCategory Category, ExamForm Form) ParseCategoryAndForm(RowCheck check)
    {
        var categoryText = check.Field(Category);
        var category = default(CandidateCategory);
        var categoryOk = categoryText is not null && Codes.TryParse(categoryText, out category);
        if (categoryText is not null && !categoryOk)
            check.Error(Category, categoryText.Length == 0
                ? $"Catégorie manquante (attendu : {Codes.AllCodes<CandidateCategory>()})."
                : $"Catégorie inconnue « {categoryText} » (attendu : {Codes.AllCodes<CandidateCategory>()}).");

        var formText = check.Field(Form);
        var form = default(ExamForm);
        if (formText is null) return (category, form);
        if (!Codes.TryParse(formText, out form))
            check.Error(Form, formText.Length == 0
                ? "Forme manquante (attendu : CCF ou PONCTUEL)."
                : $"Forme inconnue « {formText} » (attendu : CCF ou PONCTUEL).");
        else if (categoryOk && !CategoryRules.IsFormAllowed(category, form))
            check.Error(Form, $"Un candidat de la catégorie {category.ToCode()} passe toutes les épreuves en forme ponctuelle (D643-19) : la forme {form.ToCode()} est impossible.");
        return (category, form);
    }

    /// <summary>optional_units and ef1_language: EF1 needs its language, never English (the language of E2).</summary>
    private static (IReadOnlySet<UnitCode> Optional, string? Language) ParseOptionalUnits(RowCheck check)
    {
        var optionalText = check.Field(OptionalUnits);
        var optional = optionalText is null
            ? []
            : FieldRules.ParseUnitList(check, OptionalUnits, optionalText, u => UnitCatalogue.Get(u).IsOptional, "EF1, EF2 ou EF3 séparées par « ; »");

        var language = check.Field(Ef1Language);
        if (language is not null && optionalText is not null && !check.HasError(OptionalUnits))
        {
            var hasEf1 = optional.Contains(UnitCode.EF1);
            if (hasEf1 && language.Length == 0)
                check.Error(Ef1Language, "Langue de l'épreuve facultative EF1 manquante (par exemple espagnol).");
            else if (!hasEf1 && language.Length > 0)
                check.Error(Ef1Language, $"Langue « {language} » donnée sans l'épreuve facultative EF1 : ajouter EF1 à optional_units ou vider ce champ.");
        }
        if (language is { Length: > 0 } && FieldRules.Fold(language) == "ANGLAIS")
            check.Error(Ef1Language, "L'anglais ne peut pas être choisi en EF1 : c'est la langue obligatoire de l'épreuve E2.");
        return (optional, language);
    }

    /// <summary>livret: oui or non.</summary>
    private static bool ParseLivret(RowCheck check)
    {
        var livretText = check.Field(Livret);
        if (livretText is null || livretText.Equals("non", StringComparison.OrdinalIgnoreCase)) return false;
        if (livretText.Equals("oui", StringComparison.OrdinalIgnoreCase)) return true;
        check.Error(Livret, $"Livret « {livretText} » invalide : oui ou non.");
        return false;
    }

    /// <summary>kept_units: <c>UNIT:mark;...</c>, mandatory units, marks ≥ 10 (D643-23), none also dispensed.</summary>
    private static SortedDictionary<UnitCode, decimal> ParseKept(RowCheck check, string text, IReadOnlySet<UnitCode> dispensed)
    {
        var kept = new SortedDictionary<UnitCode, decimal>();
        foreach (var item in FieldRules.SplitList(text))
        {
            var colon = item.IndexOf(':');
            if (colon < 0)
            {
                check.Error(KeptUnits, $"« {item} » : attendu unité:note, par exemple E4:12.5.");
                continue;
            }
            var unitText = item[..colon].Trim();
            var markText = item[(colon + 1)..].Trim();
            var unitOk = UnitCatalogue.TryParse(unitText, out var unit);
            if (!unitOk)
                check.Error(KeptUnits, $"Unité inconnue « {unitText} » (attendu : une épreuve obligatoire, E1 à U62).");
            else if (!UnitCatalogue.Get(unit).IsMandatory)
                check.Error(KeptUnits, $"L'unité {unit} n'est pas une épreuve obligatoire : seule une épreuve obligatoire peut être conservée.");
            else if (dispensed.Contains(unit))
                check.Error(KeptUnits, $"L'unité {unit} est à la fois dispensée et conservée.");
            else if (kept.ContainsKey(unit))
                check.Error(KeptUnits, $"L'unité {unit} est répétée.");

            if (!UnitResult.TryParseMark(markText, out var mark, out var markError))
                check.Error(KeptUnits, $"{unitText} : {markError}");
            else if (mark < UnitResult.MinKeptMark)
                check.Error(KeptUnits, $"{unitText} : une note conservée vaut au moins 10 (D643-23), pas {markText}.");
            else if (unitOk && !check.HasError(KeptUnits))
                kept[unit] = mark;
        }
        return kept;
    }
}
