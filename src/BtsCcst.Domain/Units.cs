namespace BtsCcst.Domain;

/// <summary>The units (épreuves) of the BTS CCST, as coded in every exchange file.</summary>
public enum UnitCode
{
    E1, E21, E22, E3, E4, E5, U61, U62,
    EF1, EF2, EF3,
    C_E1, C_E2, C_E3,
}

public enum UnitKind { Mandatory, Optional, Controle }

public enum ExamMode { Written, Oral }

/// <summary>Examiner disciplines as written in examiners.csv.</summary>
public enum Discipline { EcoGestion, Sti, Anglais, Langue, Lettres, Professionnel }

/// <summary>
/// One seat of a commission: any of the disciplines may fill it; an optional seat may stay empty. The seats of a unit
/// are exactly who examines it: a member who takes no seat does not examine (<see cref="OralRules.Seating"/>).
/// </summary>
public sealed record CommissionSeat(IReadOnlyList<Discipline> AnyOf, bool Optional = false);

/// <summary>
/// What the circular says of one unit. Durations and preparation are those of the ponctual form.
/// </summary>
public sealed record UnitDefinition(
    UnitCode Code,
    string Title,
    decimal Coefficient,
    UnitKind Kind,
    bool Professional,
    ExamMode PonctualMode,
    int DurationMinutes,
    int PreparationMinutes,
    IReadOnlyList<CommissionSeat> Commission,
    string Citation)
{
    public bool IsMandatory => Kind == UnitKind.Mandatory;
    public bool IsOptional => Kind == UnitKind.Optional;

    /// <summary>Units a holder of another diploma may be dispensed from (D643-17): the general ones.</summary>
    public bool MayBeDispensed => Code is UnitCode.E1 or UnitCode.E21 or UnitCode.E22 or UnitCode.E3;

    /// <summary>Units whose file is checked before the orals (Annexe 4).</summary>
    public bool ConformityChecked => Code is UnitCode.E4 or UnitCode.U61 or UnitCode.U62 or UnitCode.EF2 or UnitCode.EF3;

    /// <summary>Units that get the mention NV when the file is missing or not conforming (Annexe 4).</summary>
    public bool MayBeNonValide => Code is UnitCode.E4 or UnitCode.U61 or UnitCode.U62;

    /// <summary>A commission doubting the reality of the situation presented puts the mark under reserve (circular §E4).</summary>
    public bool MayBeUnderReserve => Code is UnitCode.E4;
}

/// <summary>The unit catalogue of the session 2024 circular (§2 "Organisation et déroulement des épreuves").</summary>
public static class UnitCatalogue
{
    private static readonly CommissionSeat EcoGestion = new([Discipline.EcoGestion]);
    private static readonly CommissionSeat Sti = new([Discipline.Sti]);
    private static readonly CommissionSeat OptionalProfessional = new([Discipline.Professionnel], Optional: true);

    public static IReadOnlyList<UnitDefinition> All { get; } =
    [
        new(UnitCode.E1, "Culture générale et expression", 3m, UnitKind.Mandatory, false, ExamMode.Written, 240, 0, [], "§2 E1"),
        new(UnitCode.E21, "Langue vivante étrangère : compréhension de l'écrit et expression écrite", 1.5m, UnitKind.Mandatory, false, ExamMode.Written, 120, 0, [], "§2 E21"),
        new(UnitCode.E22, "Langue vivante étrangère : production orale en continu et interaction", 1.5m, UnitKind.Mandatory, false, ExamMode.Oral, 20, 20,
            [new([Discipline.Anglais])], "§2 E22"),
        new(UnitCode.E3, "Culture économique, juridique et managériale", 3m, UnitKind.Mandatory, false, ExamMode.Written, 240, 0, [], "§2 E3"),
        new(UnitCode.E4, "Conception et commercialisation de solutions technico-commerciales", 6m, UnitKind.Mandatory, true, ExamMode.Oral, 60, 60,
            [EcoGestion, Sti, OptionalProfessional], "§2 E4"),
        new(UnitCode.E5, "Management de l'activité technico-commerciale", 4m, UnitKind.Mandatory, true, ExamMode.Written, 240, 0, [], "§2 E5"),
        new(UnitCode.U61, "Développement de la clientèle et de la relation-client", 3m, UnitKind.Mandatory, true, ExamMode.Oral, 30, 0,
            [EcoGestion, Sti, OptionalProfessional], "§2 U61"),
        new(UnitCode.U62, "Mise en œuvre de l'expertise technico-commerciale", 3m, UnitKind.Mandatory, true, ExamMode.Oral, 30, 0,
            [Sti, EcoGestion], "§2 U62, composition de la commission d'évaluation : un professeur de STI et un professeur d'économie et gestion, sans professionnel"),
        new(UnitCode.EF1, "Langue vivante (épreuve facultative)", 0m, UnitKind.Optional, false, ExamMode.Oral, 20, 20,
            [new([Discipline.Langue])], "§2 EF1"),
        new(UnitCode.EF2, "Module d'approfondissement (épreuve facultative)", 0m, UnitKind.Optional, false, ExamMode.Oral, 20, 0,
            [new([Discipline.EcoGestion, Discipline.Sti]), new([Discipline.Professionnel, Discipline.EcoGestion, Discipline.Sti])], "§2 EF2"),
        new(UnitCode.EF3, "Engagement étudiant (épreuve facultative)", 0m, UnitKind.Optional, false, ExamMode.Oral, 20, 0,
            [EcoGestion, Sti, OptionalProfessional], "§2 EF3, arrêté du 23 septembre 2020"),
        new(UnitCode.C_E1, "Épreuve de contrôle : culture générale et expression", 0m, UnitKind.Controle, false, ExamMode.Oral, 20, 20,
            [new([Discipline.Lettres])], "D643-15 (épreuves de contrôle)"),
        new(UnitCode.C_E2, "Épreuve de contrôle : langue vivante étrangère", 0m, UnitKind.Controle, false, ExamMode.Oral, 20, 20,
            [new([Discipline.Anglais])], "D643-15 (épreuves de contrôle)"),
        new(UnitCode.C_E3, "Épreuve de contrôle : culture économique, juridique et managériale", 0m, UnitKind.Controle, false, ExamMode.Oral, 20, 20,
            [EcoGestion], "D643-15 (épreuves de contrôle)"),
    ];

    private static readonly Dictionary<UnitCode, UnitDefinition> ByCode = All.ToDictionary(u => u.Code);

    public static UnitDefinition Get(UnitCode code) => ByCode[code];

    public static IEnumerable<UnitDefinition> Mandatory => All.Where(u => u.IsMandatory);

    public static IEnumerable<UnitDefinition> Optional => All.Where(u => u.IsOptional);

    /// <summary>Sum of mandatory coefficients: 25.</summary>
    public static decimal MandatoryCoefficientSum => Mandatory.Sum(u => u.Coefficient);

    /// <summary>Parses a unit code exactly as written in exchange files (E1, U61, EF2, C_E3...). "E61"/"E62" are accepted as aliases.</summary>
    public static bool TryParse(string? text, out UnitCode code)
    {
        code = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim().ToUpperInvariant();
        t = t switch { "E61" => "U61", "E62" => "U62", _ => t };
        return !t.All(char.IsDigit) && Enum.TryParse(t, ignoreCase: false, out code) && Enum.IsDefined(code);
    }
}
