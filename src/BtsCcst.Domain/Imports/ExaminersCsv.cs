using System.Globalization;
using System.Text.RegularExpressions;

namespace BtsCcst.Domain.Imports;

/// <summary>One examiner of examiners.csv, checked.</summary>
/// <param name="Languages">Languages taught, trimmed and lower case: required for <c>LANGUE</c>, allowed for <c>ANGLAIS</c>, empty otherwise.</param>
/// <param name="EstablishmentUai">The teacher's school code, upper case; empty for a professional.</param>
/// <param name="CentreIds">Centres where the examiner can sit (at least one), compared case-insensitively.</param>
/// <param name="AvailableDates">Dates the examiner can sit (at least one).</param>
/// <param name="MaxMinutesPerDay">Examining time per day at most; <see cref="OralRules.DefaultMaxMinutesPerDay"/> when the field is empty.</param>
public sealed record ExaminerRow(
    int Line,
    string ExaminerId,
    string LastName,
    string FirstName,
    string Email,
    Discipline Discipline,
    IReadOnlyList<string> Languages,
    string EstablishmentUai,
    IReadOnlySet<string> CentreIds,
    IReadOnlySet<DateOnly> AvailableDates,
    int MaxMinutesPerDay);

/// <summary>
/// Parses examiners.csv (formats.md). Checks what the file alone can tell; that the centres exist
/// and that the dates are days the centres are open is checked by the importer against centres.csv.
/// </summary>
public static partial class ExaminersCsv
{
    public const string ExaminerId = "examiner_id";
    public const string LastName = "last_name";
    public const string FirstName = "first_name";
    public const string Email = "email";
    public const string DisciplineColumn = "discipline";
    public const string Languages = "languages";
    public const string EstablishmentUai = "establishment_uai";
    public const string CentreIds = "centre_ids";
    public const string AvailableDates = "available_dates";
    public const string MaxMinutesPerDay = "max_minutes_per_day";

    /// <summary>The contract's columns, in export order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        ExaminerId, LastName, FirstName, Email, DisciplineColumn, Languages, EstablishmentUai, CentreIds, AvailableDates, MaxMinutesPerDay,
    ];

    /// <summary>Least examining time per day an examiner may offer: one short oral (EF1, EF2, EF3, E22).</summary>
    public const int MinimumMinutesPerDay = 20;

    /// <summary>Most examining time per day an examiner may offer: twelve hours.</summary>
    public const int MaximumMinutesPerDay = 720;

    [GeneratedRegex(@"\A[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]{2,}\z")]
    private static partial Regex EmailPattern();

    /// <summary>An e-mail address as every file takes it (examiners.csv, and the optional ones of juries.csv and centres.csv).</summary>
    public static bool IsEmail(string text) => EmailPattern().IsMatch(text);

    /// <summary>Checks an optional e-mail column: empty is allowed, anything else must be an address.</summary>
    internal static void CheckOptionalEmail(RowCheck check, string column, string email)
    {
        if (email.Length > 0 && !IsEmail(email))
            check.Error(column, $"Adresse électronique « {email} » invalide (par exemple prenom.nom@ac-normandie.fr ; vide si aucune).");
    }

    [GeneratedRegex(@"\A\p{L}+(?:[ '’-]\p{L}+)*\z")]
    private static partial Regex LanguagePattern();

    public static ParsedFile<ExaminerRow> Parse(TextReader reader)
    {
        var table = CsvTable.Read(reader, Columns);
        var rows = new List<ExaminerRow>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        foreach (var record in table.Rows)
        {
            var check = table.Check(record);
            var row = ParseRow(check, firstLineOf);
            check.Complete();
            if (row is not null) rows.Add(row);
        }
        return new(rows, table.SortedErrors());
    }

    private static ExaminerRow? ParseRow(RowCheck check, Dictionary<string, int> firstLineOf)
    {
        // examiner_id: identifier, unique in the file (it is the name in the examiner's token).
        var id = check.UniqueId(ExaminerId, "Identifiant d'examinateur", e => $"L'examinateur {e}", firstLineOf);

        var lastName = check.Field(LastName);
        if (lastName is { Length: 0 }) check.Error(LastName, "Nom manquant.");
        var firstName = check.Field(FirstName);
        if (firstName is { Length: 0 }) check.Error(FirstName, "Prénom manquant.");

        var email = check.Field(Email);
        if (email is not null && !EmailPattern().IsMatch(email))
            check.Error(Email, email.Length == 0
                ? "Adresse électronique manquante (par exemple prenom.nom@ac-normandie.fr)."
                : $"Adresse électronique « {email} » invalide (par exemple prenom.nom@ac-normandie.fr).");

        var disciplineText = check.Field(DisciplineColumn);
        var discipline = default(Discipline);
        var disciplineOk = disciplineText is not null && Codes.TryParse(disciplineText, out discipline);
        if (disciplineText is not null && !disciplineOk)
            check.Error(DisciplineColumn, disciplineText.Length == 0
                ? $"Discipline manquante (attendu : {Codes.AllCodes<Discipline>()})."
                : $"Discipline inconnue « {disciplineText} » (attendu : {Codes.AllCodes<Discipline>()}).");

        var languagesText = check.Field(Languages);
        var languages = languagesText is null ? [] : ParseLanguages(check, languagesText);
        if (languagesText is not null && disciplineOk)
        {
            if (discipline == Discipline.Langue && languages.Count == 0 && !check.HasError(Languages))
                check.Error(Languages, "Langues enseignées manquantes : obligatoires pour un professeur de LANGUE, qui interroge en EF1 (par exemple espagnol;allemand).");
            else if (discipline is not (Discipline.Langue or Discipline.Anglais) && languagesText.Length > 0)
                check.Error(Languages, $"Langues « {languagesText} » données pour la discipline {discipline.ToCode()} : seules LANGUE et ANGLAIS en ont (vider ce champ).");
        }

        // establishment_uai: the teacher's school (own-school rule); empty only for a professional.
        var uai = check.Field(EstablishmentUai);
        if (uai is { Length: > 0 } && !FieldRules.IsUai(uai))
            check.Error(EstablishmentUai, $"Code établissement (UAI) « {uai} » invalide : 7 chiffres et une lettre, par exemple 0141234X ; vide pour un professionnel.");
        else if (uai is { Length: 0 } && disciplineOk && discipline != Discipline.Professionnel)
            check.Error(EstablishmentUai, $"Code établissement (UAI) manquant : un enseignant ({discipline.ToCode()}) n'interroge pas les candidats de son établissement ; seul un professionnel (PROFESSIONNEL) n'en a pas.");

        var centresText = check.Field(CentreIds);
        var centres = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        if (centresText is not null)
        {
            var items = FieldRules.SplitList(centresText);
            if (items.Count == 0)
                check.Error(CentreIds, "Aucun centre : indiquer au moins un centre_id de centres.csv, séparés par « ; ».");
            foreach (var item in items)
            {
                if (!FieldRules.IsId(item)) check.Error(CentreIds, FieldRules.IdError("Identifiant de centre", item));
                else if (!centres.Add(item)) check.Error(CentreIds, $"Le centre {item} est répété.");
            }
        }

        var datesText = check.Field(AvailableDates);
        var dates = datesText is null ? [] : FieldRules.ParseDateList(check, AvailableDates, datesText, "Aucune date de disponibilité : indiquer au moins une date (AAAA-MM-JJ), séparées par « ; ».");

        var maxText = check.Field(MaxMinutesPerDay);
        var maxMinutes = OralRules.DefaultMaxMinutesPerDay;
        if (maxText is { Length: > 0 }
            && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxMinutes)
                || maxMinutes is < MinimumMinutesPerDay or > MaximumMinutesPerDay))
            check.Error(MaxMinutesPerDay, $"Durée d'interrogation par jour « {maxText} » invalide : un nombre entier de minutes de {MinimumMinutesPerDay} à {MaximumMinutesPerDay} ; vide pour {OralRules.DefaultMaxMinutesPerDay}.");

        if (check.Failed) return null;
        return new ExaminerRow(check.Line, id!, lastName!, firstName!, email!, discipline, languages, uai!.ToUpperInvariant(),
            centres, dates, maxMinutes);
    }

    /// <summary>languages: a <c>;</c>-list of language names, each written once (case and accents aside).</summary>
    private static List<string> ParseLanguages(RowCheck check, string text)
    {
        var languages = new List<string>();
        foreach (var item in FieldRules.SplitList(text))
        {
            var language = item.ToLowerInvariant();
            if (!LanguagePattern().IsMatch(language))
                check.Error(Languages, $"Langue « {item} » invalide : un nom de langue en lettres, par exemple espagnol.");
            else if (languages.Any(l => OralRules.Fold(l) == OralRules.Fold(language)))
                check.Error(Languages, $"La langue {language} est répétée.");
            else
                languages.Add(language);
        }
        return languages;
    }
}
