using System.Globalization;
using System.Text;
using BtsCcst.Domain;
using BtsCcst.Domain.Imports;
using CsvHelper;

namespace BtsCcst.SampleGenerator;

/// <summary>What the generator aimed at for a candidate's results.</summary>
public enum SampleProfile
{
    /// <summary>Marks drawn around the national distribution (mean ≈ 11, sd ≈ 3.5).</summary>
    Regular,
    /// <summary>Average in [8, 10) with a professional average ≥ 10: second group.</summary>
    SecondGroupBand,
    /// <summary>Average in [9.5, 10): just below the pass mark.</summary>
    NearPass,
    /// <summary>One of E4, U61, U62 marked NV.</summary>
    NonValide,
    /// <summary>One mandatory unit ABS.</summary>
    Absent,
    /// <summary>One mandatory unit ABSJ (counts as 0).</summary>
    AbsentExcused,
    /// <summary>One mandatory unit without any result: INCOMPLET.</summary>
    Incomplete,
}

/// <summary>One candidate as written in candidates.csv, with the profile its results were drawn for.</summary>
public sealed record SampleCandidate(
    string CandidateNumber,
    string LastName,
    string FirstName,
    DateOnly BirthDate,
    string Academy,
    string EstablishmentUai,
    CandidateCategory Category,
    ExamForm Form,
    IReadOnlyList<UnitCode> OptionalUnits,
    string Ef1Language,
    IReadOnlyList<UnitCode> DispensedUnits,
    int ExtraTimePercent,
    bool Livret,
    IReadOnlyList<KeyValuePair<UnitCode, decimal>> KeptUnits,
    SampleProfile Profile);

/// <summary>One row of marks.csv.</summary>
public sealed record SampleMark(string CandidateNumber, UnitCode Unit, UnitResult Result);

/// <summary>One row of juries.csv.</summary>
public sealed record SampleJury(string JuryId, IReadOnlyList<string> Academies, string President, IReadOnlyList<string> Members);

/// <summary>
/// A seeded, realistic sample session of the BTS CCST: the same seed and size always give the same
/// candidates, marks, juries, centres, examiners and conformity checks, and byte-identical files.
/// </summary>
public sealed partial class SampleSession
{
    public const string CandidatesFileName = "candidates.csv";
    public const string MarksFileName = "marks.csv";
    public const string JuriesFileName = "juries.csv";
    public const string CentresFileName = "centres.csv";
    public const string ExaminersFileName = "examiners.csv";
    public const string ConformityFileName = "conformity.csv";

    /// <summary>The day of the first written exam (Annexe 2), reference for ages.</summary>
    public static DateOnly SessionStart { get; } = new(2024, 5, 14);

    private SampleSession(int seed, SampleSize? size, IReadOnlyList<SampleCandidate> candidates, IReadOnlyList<SampleMark> marks,
        IReadOnlyList<SampleJury> juries, IReadOnlyList<SampleCentre> centres, IReadOnlyList<SampleExaminer> examiners,
        IReadOnlyList<SampleConformity> conformity)
    {
        Seed = seed;
        Size = size;
        Candidates = candidates;
        Marks = marks;
        Juries = juries;
        Centres = centres;
        Examiners = examiners;
        Conformity = conformity;
    }

    public int Seed { get; }

    /// <summary>The planning size asked for, or null for a session of a given number of candidates.</summary>
    public SampleSize? Size { get; }

    public IReadOnlyList<SampleCandidate> Candidates { get; }
    public IReadOnlyList<SampleMark> Marks { get; }
    public IReadOnlyList<SampleJury> Juries { get; }
    public IReadOnlyList<SampleCentre> Centres { get; }
    public IReadOnlyList<SampleExaminer> Examiners { get; }
    public IReadOnlyList<SampleConformity> Conformity { get; }

    /// <summary>
    /// A session of <paramref name="candidates"/> candidates in the national mix (~15% in ponctual form),
    /// with centres, examiners and conformity checks for its orals.
    /// </summary>
    public static SampleSession Generate(int candidates, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        return new Builder(candidates, null, seed, SampleShape.Standard).Build();
    }

    /// <summary>
    /// A session of one of the planning issue's sizes: exactly <see cref="PlanningScale.PonctualCandidates"/>
    /// candidates in ponctual form with orals to plan (and ~10% more in CCF alongside), on the scale's
    /// centres and days.
    /// </summary>
    public static SampleSession Generate(SampleSize size, int seed) => new Builder(0, size, seed, SampleShape.Standard).Build();

    /// <summary>A planning size in another calendar and staffing shape (<see cref="SampleShape"/>).</summary>
    public static SampleSession Generate(SampleSize size, int seed, SampleShape shape) => new Builder(0, size, seed, shape).Build();

    // ---------------------------------------------------------------- writing

    /// <summary>Writes the six files into <paramref name="directory"/> (created if needed), in import order; returns their paths.</summary>
    public IReadOnlyList<string> WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (name, write) in new (string, Action<TextWriter>)[]
                 {
                     (JuriesFileName, WriteJuries), (CentresFileName, WriteCentres), (ExaminersFileName, WriteExaminers),
                     (CandidatesFileName, WriteCandidates), (ConformityFileName, WriteConformity), (MarksFileName, WriteMarks),
                 })
        {
            var path = Path.Combine(directory, name);
            using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
                write(writer);
            written.Add(path);
        }
        return written;
    }

    public void WriteCandidates(TextWriter writer) => Write(writer, CandidatesCsv.Columns, Candidates, c =>
    [
        c.CandidateNumber, c.LastName, c.FirstName, c.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        c.Academy, c.EstablishmentUai, c.Category.ToCode(), c.Form.ToCode(),
        string.Join(';', c.OptionalUnits), c.Ef1Language, string.Join(';', c.DispensedUnits),
        c.ExtraTimePercent.ToString(CultureInfo.InvariantCulture), c.Livret ? "oui" : "non",
        string.Join(';', c.KeptUnits.Select(k => $"{k.Key}:{UnitResult.KeptFromEarlierSession(k.Value).Mark!.Value.ToString("0.##", CultureInfo.InvariantCulture)}")),
    ]);

    public void WriteMarks(TextWriter writer) =>
        Write(writer, MarksCsv.Columns, Marks, m => [m.CandidateNumber, m.Unit.ToString(), m.Result.ToString()]);

    public void WriteJuries(TextWriter writer) =>
        Write(writer, JuriesCsv.Columns, Juries, j => [j.JuryId, string.Join(';', j.Academies), j.President, string.Join(';', j.Members)]);

    private static void Write<T>(TextWriter writer, IReadOnlyList<string> header, IEnumerable<T> rows, Func<T, string[]> fields)
    {
        var options = CsvWriterOptions.Default with { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture };
        using var csv = CsvWriter.Create(writer, options, leaveOpen: true);
        csv.WriteHeader([.. header]);
        foreach (var row in rows) csv.WriteRecord(fields(row));
        csv.Flush();
    }

    /// <summary>A few lines telling what was generated.</summary>
    public string Summary()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"seed {Seed}{(Size is { } size ? $", size {size.ToString().ToLowerInvariant()}" : "")}: {Candidates.Count} candidates, {Marks.Count} results, {Juries.Count} juries");
        sb.AppendLine(CultureInfo.InvariantCulture, $"academies: {Tally(Candidates.Select(c => c.Academy), a => a)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"categories: {Tally(Candidates.Select(c => c.Category), c => c.ToCode())}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"forms: {Tally(Candidates.Select(c => c.Form), f => f.ToCode())}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"profiles: {Tally(Candidates.Select(c => c.Profile), p => p.ToString())}");
        AppendPlanningSummary(sb);
        return sb.ToString();
    }

    // ---------------------------------------------------------------- arithmetic used to shape the marks

    /// <summary>
    /// First-group average and professional average (deliberation.md), or null when a mandatory unit
    /// is missing, ABS or NV. Only used to aim the sample's marks at the wanted bands.
    /// </summary>
    internal static (decimal Average, decimal ProAverage)? FirstGroup(IReadOnlyList<(UnitCode Unit, UnitResult Result)> results)
    {
        decimal points = 0, coefficients = 0, proPoints = 0, proCoefficients = 0;
        foreach (var definition in UnitCatalogue.Mandatory)
        {
            var found = results.Where(r => r.Unit == definition.Code).Select(r => (UnitResult?)r.Result).FirstOrDefault();
            if (found is not { } result) return null;
            if (result.Kind == ResultKind.Dispensed) continue;
            if (result.PointsValue is not { } value) return null;
            points += definition.Coefficient * value;
            coefficients += definition.Coefficient;
            if (!definition.Professional) continue;
            proPoints += definition.Coefficient * value;
            proCoefficients += definition.Coefficient;
        }
        foreach (var (unit, result) in results)
        {
            if (UnitCatalogue.Get(unit).IsOptional && result.Kind == ResultKind.Mark)
                points += Math.Max(0m, result.Mark!.Value - 10m);
        }
        if (coefficients == 0 || proCoefficients == 0) return null;
        return (points / coefficients, proPoints / proCoefficients);
    }

    // ---------------------------------------------------------------- generation

    /// <param name="TimeZone">Time zone of the group's oral centres.</param>
    private sealed record AcademyGroup(string Pilot, double Weight, IReadOnlyList<(string Academy, double Share)> Members, string TimeZone = "Europe/Paris");

    /// <summary>
    /// Pilot academies and their attached ones (Annexe 1), in the order juries are added as the session grows:
    /// the first six for a session of a given number of candidates, all of them for the national size.
    /// </summary>
    private static readonly AcademyGroup[] Groups =
    [
        new("NORMANDIE", 1.3, [("NORMANDIE", 0.96), ("NOUVELLE-CALEDONIE", 0.02), ("POLYNESIE FRANCAISE", 0.02)]),
        new("BORDEAUX", 1.2, [("BORDEAUX", 0.6), ("LIMOGES", 0.15), ("POITIERS", 0.25)]),
        new("RENNES", 1.0, [("RENNES", 1.0)]),
        new("NANTES", 1.0, [("NANTES", 1.0)]),
        new("GUADELOUPE", 0.6, [("GUADELOUPE", 0.5), ("MARTINIQUE", 0.3), ("GUYANE", 0.2)], "America/Guadeloupe"),
        new("LILLE", 1.2, [("LILLE", 1.0)]),
        new("AIX-MARSEILLE", 1.2, [("AIX-MARSEILLE", 0.85), ("CORSE", 0.15)]),
        new("NANCY-METZ", 1.3, [("NANCY-METZ", 0.55), ("REIMS", 0.2), ("STRASBOURG", 0.25)]),
        new("SIEC", 3.0, [("SIEC", 1.0)]),
        new("LYON", 1.2, [("LYON", 1.0)]),
        new("TOULOUSE", 1.1, [("TOULOUSE", 1.0)]),
        new("GRENOBLE", 1.0, [("GRENOBLE", 1.0)]),
    ];

    /// <summary>Academies whose candidates are individual only here (Annexe 1, "candidats individuels").</summary>
    private static readonly HashSet<string> IndividualOnly = ["NOUVELLE-CALEDONIE", "POLYNESIE FRANCAISE"];

    /// <summary>Department codes (first 3 digits of a UAI) of each academy.</summary>
    private static readonly Dictionary<string, string[]> Departments = new()
    {
        ["NORMANDIE"] = ["014", "027", "050", "061", "076"],
        ["BORDEAUX"] = ["024", "033", "040", "047", "064"],
        ["LIMOGES"] = ["019", "023", "087"],
        ["POITIERS"] = ["016", "017", "079", "086"],
        ["RENNES"] = ["022", "029", "035", "056"],
        ["NANTES"] = ["044", "049", "053", "072", "085"],
        ["GUADELOUPE"] = ["971"],
        ["MARTINIQUE"] = ["972"],
        ["GUYANE"] = ["973"],
        ["LILLE"] = ["059", "062"],
        ["AIX-MARSEILLE"] = ["004", "005", "013", "084"],
        ["CORSE"] = ["620", "720"],
        ["NANCY-METZ"] = ["054", "055", "057", "088"],
        ["REIMS"] = ["008", "010", "051", "052"],
        ["STRASBOURG"] = ["067", "068"],
        ["SIEC"] = ["075", "077", "078", "091", "092", "093", "094", "095"],
        ["LYON"] = ["001", "042", "069"],
        ["TOULOUSE"] = ["009", "012", "031", "032", "046", "065", "081", "082"],
        ["GRENOBLE"] = ["007", "026", "038", "073", "074"],
    };

    private static readonly (CandidateCategory Category, double Weight)[] CategoryMix =
    [
        (CandidateCategory.ScolairePublic, 0.50),
        (CandidateCategory.ScolairePriveSousContrat, 0.20),
        (CandidateCategory.ApprentiCfaHabilite, 0.13),
        (CandidateCategory.FpcPublicHabilite, 0.03),
        (CandidateCategory.PriveHorsContrat, 0.04),
        (CandidateCategory.ApprentiCfaNonHabilite, 0.03),
        (CandidateCategory.FpcNonHabilite, 0.02),
        (CandidateCategory.EnseignementADistance, 0.025),
        (CandidateCategory.ExperienceProfessionnelle, 0.025),
    ];

    private static readonly (SampleProfile Profile, double Weight)[] ProfileMix =
    [
        (SampleProfile.Regular, 0.82),
        (SampleProfile.SecondGroupBand, 0.05),
        (SampleProfile.NearPass, 0.04),
        (SampleProfile.Incomplete, 0.05),
        (SampleProfile.NonValide, 0.015),
        (SampleProfile.Absent, 0.015),
        (SampleProfile.AbsentExcused, 0.01),
    ];

    private static readonly (string Language, double Weight)[] Ef1Languages = [("espagnol", 0.55), ("allemand", 0.30), ("italien", 0.15)];

    private static readonly string[] LastNames =
    [
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
        "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
        "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André",
        "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
        "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
        "Le Goff", "Le Gall", "Kerbrat", "N'Diaye", "Nguyen", "Da Silva", "Benali", "Hoarau", "Jean-Baptiste", "Marie-Sainte",
    ];

    private static readonly string[] FirstNames =
    [
        "Lucas", "Hugo", "Louis", "Nathan", "Enzo", "Léo", "Gabriel", "Théo", "Tom", "Mathis",
        "Emma", "Léa", "Chloé", "Manon", "Inès", "Camille", "Sarah", "Jade", "Lina", "Zoé",
        "Maxime", "Antoine", "Clément", "Alexandre", "Quentin", "Romain", "Thomas", "Valentin", "Yanis", "Noah",
        "Océane", "Clara", "Anaïs", "Mathilde", "Pauline", "Juliette", "Eva", "Louise", "Maëlle", "Elise",
        "Jean-Baptiste", "Marie-Lou", "Aïcha", "Mehdi", "Kévin", "Loïc", "Gaëlle", "Noémie", "Thibault", "Benoît",
    ];

    /// <summary>Key letters of a UAI (the check letter is the 7-digit number modulo 23).</summary>
    private const string UaiKeys = "ABCDEFGHJKLMNPRSTUVWXYZ";

    private sealed partial class Builder
    {
        private readonly int _count;
        private readonly SampleSize? _size;
        private readonly int _seed;

        /// <summary>Candidates, marks and juries; for a given number of candidates, the same draws as before planning files existed.</summary>
        private readonly Random _random;

        /// <summary>Conformity checks, centres and examiners (and, for a planning size, which files are not conforming).</summary>
        private readonly Random _plan;

        private readonly Dictionary<string, List<string>> _establishments = [];

        private readonly SampleShape _shape;

        public Builder(int count, SampleSize? size, int seed, SampleShape shape)
        {
            _count = count;
            _size = size;
            _shape = shape;
            _seed = seed;
            _random = new Random(seed);
            _plan = new Random(unchecked(seed * 7919 + 104729));
        }

        public SampleSession Build()
        {
            var (groups, candidates, marks) = _size is { } size ? DrawSized(PlanningScale.Of(size)) : DrawCounted(_count);

            var juries = groups.Select(g => new SampleJury(
                Academies.DefaultJuryId(g.Pilot),
                g.Members.Select(m => m.Academy).ToList(),
                // D643-31: presided by an enseignant-chercheur or an IA-IPR; teachers and professionals in equal parts.
                $"{Pick(FirstNames)} {Pick(LastNames)}, {(_random.Next(3) == 0 ? "enseignant-chercheur" : "IA-IPR économie-gestion")}",
                [$"{Pick(FirstNames)} {Pick(LastNames)} (économie-gestion)", $"{Pick(FirstNames)} {Pick(LastNames)} (STI)",
                 $"{Pick(FirstNames)} {Pick(LastNames)} (entreprise)", $"{Pick(FirstNames)} {Pick(LastNames)} (entreprise)"])).ToList();

            var conformity = CheckConformity(candidates, marks);
            var (centres, examiners) = PlanCentres(groups, candidates, conformity);
            return new SampleSession(_seed, _size, candidates, marks, juries, centres, examiners, conformity);
        }

        /// <summary><paramref name="count"/> candidates in the national mix over the first 3 to 6 groups.</summary>
        private (AcademyGroup[] Groups, List<SampleCandidate> Candidates, List<SampleMark> Marks) DrawCounted(int count)
        {
            var groups = Groups.Take(count < 150 ? 3 : count < 400 ? 4 : count < 1000 ? 5 : 6).ToArray();
            foreach (var academy in groups.SelectMany(g => g.Members).Select(m => m.Academy).Where(a => !IndividualOnly.Contains(a)))
                _establishments[academy] = MakeEstablishments(_random, academy, 2 + count / 200);

            var candidates = new List<SampleCandidate>(count);
            var marks = new List<SampleMark>();
            for (var i = 0; i < count; i++)
            {
                var group = PickWeighted(groups.Select(g => (g, g.Weight)));
                var academy = PickWeighted(group.Members.Select(m => (m.Academy, m.Share)));
                var registration = Register($"CCST24-{i + 1:D5}", academy);
                var (results, profile) = DrawResults(registration, PickWeighted(ProfileMix));
                candidates.Add(registration with { Profile = profile });
                marks.AddRange(results.Select(r => new SampleMark(registration.CandidateNumber, r.Unit, r.Result)));
            }
            return (groups, candidates, marks);
        }


        private static List<string> MakeEstablishments(Random random, string academy, int howMany)
        {
            var codes = new List<string>();
            var departments = Departments[academy];
            while (codes.Count < howMany)
            {
                var number = departments[random.Next(departments.Length)] + random.Next(0, 10000).ToString("D4", CultureInfo.InvariantCulture);
                var code = number + UaiKeys[int.Parse(number, CultureInfo.InvariantCulture) % 23];
                if (!codes.Contains(code)) codes.Add(code);
            }
            return codes;
        }

        /// <summary>The national mix: ~85% in CCF.</summary>
        private (CandidateCategory, ExamForm) DrawCategory(string academy)
        {
            var category = IndividualOnly.Contains(academy)
                ? PickWeighted([(CandidateCategory.ExperienceProfessionnelle, 0.6), (CandidateCategory.EnseignementADistance, 0.4)])
                : PickWeighted(CategoryMix);
            // D643-19: only the first four categories may take CCF; a few adult trainees still choose the ponctual form.
            var form = CategoryRules.MayTakeCcf(category) && !(category == CandidateCategory.FpcPublicHabilite && _random.NextDouble() < 0.3)
                ? ExamForm.Ccf
                : ExamForm.Ponctuel;
            return (category, form);
        }

        private SampleCandidate Register(string number, string academy)
        {
            var (category, form) = _size is null ? DrawCategory(academy) : DrawPlanningCategory(academy);
            var individual = category is CandidateCategory.ExperienceProfessionnelle or CandidateCategory.EnseignementADistance;
            var young = category is CandidateCategory.ScolairePublic or CandidateCategory.ScolairePriveSousContrat
                or CandidateCategory.PriveHorsContrat or CandidateCategory.ApprentiCfaHabilite or CandidateCategory.ApprentiCfaNonHabilite;
            var age = young ? 19 + _random.Next(4) : 23 + _random.Next(25);
            var birthDate = SessionStart.AddYears(-age - 1).AddDays(1 + _random.Next(365));
            var uai = individual ? "" : Pick(_establishments[academy]);

            var optional = new List<UnitCode>();
            var language = "";
            if (_random.NextDouble() < 0.30)
            {
                if (_random.NextDouble() < 0.45) optional.Add(UnitCode.EF1);
                if (_random.NextDouble() < 0.40) optional.Add(UnitCode.EF2);
                if (_random.NextDouble() < 0.40) optional.Add(UnitCode.EF3);
                if (optional.Count == 0) optional.Add(Pick([UnitCode.EF1, UnitCode.EF2, UnitCode.EF3]));
                if (optional.Contains(UnitCode.EF1)) language = PickWeighted(Ef1Languages);
            }

            List<UnitCode> dispensed = [];
            if (_random.NextDouble() < 0.05)
            {
                // D643-17: holders of another diploma are dispensed from general units.
                var r = _random.NextDouble();
                dispensed = r < 0.6 ? [UnitCode.E1, UnitCode.E21, UnitCode.E22, UnitCode.E3]
                    : r < 0.85 ? [UnitCode.E1, UnitCode.E3]
                    : [UnitCode.E21, UnitCode.E22];
            }

            var kept = new List<KeyValuePair<UnitCode, decimal>>();
            if (_random.NextDouble() < 0.03)
            {
                // D643-23: marks of at least 10 kept from an earlier session.
                var eligible = UnitCatalogue.Mandatory.Select(u => u.Code).Where(u => !dispensed.Contains(u)).ToList();
                var howMany = 1 + _random.Next(3);
                for (var k = 0; k < howMany && eligible.Count > 0; k++)
                {
                    var unit = eligible[_random.Next(eligible.Count)];
                    eligible.Remove(unit);
                    kept.Add(new(unit, 10m + _random.Next(13) * 0.5m));
                }
                kept.Sort((a, b) => a.Key.CompareTo(b.Key));
            }

            var extraTime = _random.NextDouble() < 0.03 ? 33 : 0;
            var livret = _random.NextDouble() < (CategoryRules.MayTakeCcf(category) ? 0.45 : 0.05);

            return new SampleCandidate(number, Pick(LastNames), Pick(FirstNames), birthDate, academy, uai, category, form,
                optional, language, dispensed, extraTime, livret, kept, SampleProfile.Regular);
        }

        private (List<(UnitCode Unit, UnitResult Result)> Results, SampleProfile Profile) DrawResults(SampleCandidate candidate, SampleProfile wanted)
        {
            switch (wanted)
            {
                case SampleProfile.SecondGroupBand:
                    for (var attempt = 0; attempt < 60; attempt++)
                    {
                        var results = Draw(candidate, proLevel: 10.3 + 2.2 * _random.NextDouble(), generalLevel: 5 + 3.5 * _random.NextDouble(), spread: 1.5);
                        if (FirstGroup(results) is { } f && f.Average is >= 8m and < 10m && f.ProAverage >= 10m) return (results, wanted);
                    }
                    break;
                case SampleProfile.NearPass:
                    for (var attempt = 0; attempt < 60; attempt++)
                    {
                        var results = Draw(candidate, proLevel: 9.75, generalLevel: 9.75, spread: 1.5);
                        if (FirstGroup(results) is { } f && f.Average is >= 9.5m and < 10m) return (results, wanted);
                    }
                    break;
                case SampleProfile.NonValide or SampleProfile.Absent or SampleProfile.AbsentExcused or SampleProfile.Incomplete:
                {
                    var results = DrawRegular(candidate);
                    var eligible = results
                        .Select((r, index) => (r, index))
                        .Where(x => x.r.Result.Kind == ResultKind.Mark && UnitCatalogue.Get(x.r.Unit).IsMandatory
                                    && (wanted != SampleProfile.NonValide || UnitCatalogue.Get(x.r.Unit).MayBeNonValide))
                        .Select(x => x.index)
                        .ToList();
                    if (eligible.Count == 0) return (results, SampleProfile.Regular);
                    var at = eligible[_random.Next(eligible.Count)];
                    if (wanted == SampleProfile.Incomplete) results.RemoveAt(at);
                    else results[at] = (results[at].Unit, wanted switch
                    {
                        SampleProfile.NonValide => UnitResult.NonValide,
                        SampleProfile.Absent => UnitResult.Absent,
                        _ => UnitResult.AbsentExcused,
                    });
                    return (results, wanted);
                }
            }
            return (DrawRegular(candidate), SampleProfile.Regular);
        }

        /// <summary>National-like distribution: a candidate level N(11, 2.6) and unit marks N(level, 2.4), sd ≈ 3.5 overall.</summary>
        private List<(UnitCode Unit, UnitResult Result)> DrawRegular(SampleCandidate candidate)
        {
            var level = 11 + 2.6 * Gaussian();
            return Draw(candidate, level, level, 2.4);
        }

        private List<(UnitCode Unit, UnitResult Result)> Draw(SampleCandidate candidate, double proLevel, double generalLevel, double spread)
        {
            var results = new List<(UnitCode, UnitResult)>();
            foreach (var unit in UnitCatalogue.Mandatory)
            {
                var kept = candidate.KeptUnits.Where(k => k.Key == unit.Code).Select(k => (decimal?)k.Value).FirstOrDefault();
                if (candidate.DispensedUnits.Contains(unit.Code)) results.Add((unit.Code, UnitResult.Dispensed));
                else if (kept is { } keptMark) results.Add((unit.Code, UnitResult.KeptFromEarlierSession(keptMark)));
                else results.Add((unit.Code, UnitResult.Examined(Mark((unit.Professional ? proLevel : generalLevel) + spread * Gaussian()))));
            }
            foreach (var unit in candidate.OptionalUnits)
            {
                var r = _random.NextDouble();
                results.Add((unit, r < 0.07 ? UnitResult.Absent
                    : r < 0.10 ? UnitResult.AbsentExcused
                    : UnitResult.Examined(Mark(generalLevel + 1 + spread * Gaussian()))));
            }
            return results;
        }

        /// <summary>A mark 0–20, mostly to the half point, sometimes to the quarter or the hundredth.</summary>
        private decimal Mark(double value)
        {
            var r = _random.NextDouble();
            var steps = r < 0.80 ? 2 : r < 0.95 ? 4 : 100;
            var mark = Math.Round((decimal)Math.Clamp(value, 0, 20) * steps, MidpointRounding.AwayFromZero) / steps;
            return Math.Clamp(decimal.Round(mark, 2), 0m, 20m);
        }

        /// <summary>A standard normal draw (Irwin–Hall: only additions, so identical on every platform).</summary>
        private double Gaussian()
        {
            var sum = 0.0;
            for (var i = 0; i < 12; i++) sum += _random.NextDouble();
            return sum - 6;
        }

        private T PickWeighted<T>(IEnumerable<(T Item, double Weight)> choices) => PickWeighted(_random, choices);

        private static T PickWeighted<T>(Random random, IEnumerable<(T Item, double Weight)> choices)
        {
            var list = choices.ToList();
            var r = random.NextDouble() * list.Sum(c => c.Weight);
            foreach (var (item, weight) in list)
            {
                if (r < weight) return item;
                r -= weight;
            }
            return list[^1].Item;
        }

        private T Pick<T>(IReadOnlyList<T> items) => Pick(_random, items);

        private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
    }
}
