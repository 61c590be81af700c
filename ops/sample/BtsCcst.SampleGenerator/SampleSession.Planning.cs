using System.Globalization;
using System.Text;
using BtsCcst.Domain;
using BtsCcst.Domain.Imports;

namespace BtsCcst.SampleGenerator;

/// <summary>The sizes of the oral planning issue.</summary>
public enum SampleSize { Small, Academy, National }

/// <summary>
/// A planning size: candidates in ponctual form who have orals to plan, oral centres, days of orals.
/// </summary>
public sealed record PlanningScale(int PonctualCandidates, int Centres, int Days)
{
    public static PlanningScale Of(SampleSize size) => size switch
    {
        SampleSize.Small => new(40, 1, 1),
        SampleSize.Academy => new(400, 4, 4),
        SampleSize.National => new(3000, 30, 5),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, null),
    };
}

/// <summary>One row of centres.csv.</summary>
public sealed record SampleCentre(
    string CentreId,
    string Name,
    IReadOnlyList<string> Academies,
    string TimeZone,
    IReadOnlyList<DateOnly> Dates,
    TimeOnly DayStart,
    TimeOnly DayEnd,
    TimeOnly LunchStart,
    TimeOnly LunchEnd,
    int ExamRooms,
    int PrepSeats,
    string Address);

/// <summary>One row of examiners.csv.</summary>
/// <param name="MaxMinutesPerDay">Null is written as an empty field: the default of formats.md.</param>
public sealed record SampleExaminer(
    string ExaminerId,
    string LastName,
    string FirstName,
    string Email,
    Discipline Discipline,
    IReadOnlyList<string> Languages,
    string EstablishmentUai,
    IReadOnlyList<string> CentreIds,
    IReadOnlyList<DateOnly> AvailableDates,
    int? MaxMinutesPerDay);

/// <summary>One row of conformity.csv.</summary>
public sealed record SampleConformity(string CandidateNumber, UnitCode Unit, ConformityStatus Status, IReadOnlyList<NonConformityReason> Reasons, string Details);

public sealed partial class SampleSession
{
    /// <summary>First day of orals: the Monday after the written exams of Annexe 2; orals run on the following weekdays.</summary>
    public static DateOnly FirstOralDay { get; } = new(2024, 5, 27);

    /// <summary>The day of every sample centre: 08:00–18:00 with lunch 12:00–13:30.</summary>
    public static (TimeOnly DayStart, TimeOnly DayEnd, TimeOnly LunchStart, TimeOnly LunchEnd) CentreDay { get; } =
        (new(8, 0), new(18, 0), new(12, 0), new(13, 30));

    /// <summary>Days of orals of a session of a given number of candidates.</summary>
    public const int DefaultDays = 2;

    private Dictionary<string, SortedSet<UnitCode>>? _nonConforming;

    /// <summary>The candidate's units whose file is not conforming (conformity.csv).</summary>
    public IReadOnlySet<UnitCode> NonConformingUnits(string candidateNumber)
    {
        _nonConforming ??= Conformity.Where(r => r.Status == ConformityStatus.NonConforme)
            .GroupBy(r => r.CandidateNumber)
            .ToDictionary(g => g.Key, g => new SortedSet<UnitCode>(g.Select(r => r.Unit)));
        return _nonConforming.TryGetValue(candidateNumber, out var units) ? units : [];
    }

    /// <summary>The orals to plan for a candidate (domain.md), given the conformity checks.</summary>
    public IReadOnlyList<UnitCode> OralsToPlan(SampleCandidate candidate) => OralsOf(candidate, NonConformingUnits(candidate.CandidateNumber));

    private static IReadOnlyList<UnitCode> OralsOf(SampleCandidate candidate, IReadOnlySet<UnitCode> nonConforming) =>
        OralRules.OralsToPlan(candidate.Form, candidate.OptionalUnits.ToHashSet(), candidate.DispensedUnits.ToHashSet(),
            candidate.KeptUnits.Select(k => k.Key).ToHashSet(), nonConforming);

    // ---------------------------------------------------------------- writing

    public void WriteCentres(TextWriter writer) => Write(writer, CentresCsv.Columns, Centres, c =>
    [
        c.CentreId, c.Name, string.Join(';', c.Academies), c.TimeZone, string.Join(';', c.Dates.Select(Iso)),
        Hm(c.DayStart), Hm(c.DayEnd), Hm(c.LunchStart), Hm(c.LunchEnd),
        c.ExamRooms.ToString(CultureInfo.InvariantCulture), c.PrepSeats.ToString(CultureInfo.InvariantCulture), c.Address,
    ]);

    public void WriteExaminers(TextWriter writer) => Write(writer, ExaminersCsv.Columns, Examiners, e =>
    [
        e.ExaminerId, e.LastName, e.FirstName, e.Email, e.Discipline.ToCode(), string.Join(';', e.Languages), e.EstablishmentUai,
        string.Join(';', e.CentreIds), string.Join(';', e.AvailableDates.Select(Iso)),
        e.MaxMinutesPerDay?.ToString(CultureInfo.InvariantCulture) ?? "",
    ]);

    public void WriteConformity(TextWriter writer) => Write(writer, ConformityCsv.Columns, Conformity, r =>
        [r.CandidateNumber, r.Unit.ToString(), r.Status.ToCode(), string.Join(';', r.Reasons.Select(x => x.ToCode())), r.Details]);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Hm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private void AppendPlanningSummary(StringBuilder sb)
    {
        var withOrals = Candidates.Select(c => (Candidate: c, Orals: OralsToPlan(c))).Where(x => x.Orals.Count > 0).ToList();
        var dates = Centres.SelectMany(c => c.Dates).Distinct().Order().ToList();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"orals to plan: {withOrals.Count(x => x.Candidate.Form == ExamForm.Ponctuel)} candidates in ponctual form, "
            + $"{withOrals.Count(x => x.Candidate.Form == ExamForm.Ccf)} in CCF (EF1 only), {withOrals.Sum(x => x.Orals.Count)} orals");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"centres: {Centres.Count} over {dates.Count} days ({Iso(dates[0])} to {Iso(dates[^1])}), "
            + $"{Centres.Sum(c => c.ExamRooms)} exam rooms, {Centres.Sum(c => c.PrepSeats)} preparation seats; time zones: {Tally(Centres.Select(c => c.TimeZone), z => z)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"examiners: {Examiners.Count}: {Tally(Examiners.Select(e => e.Discipline), d => d.ToCode())}");
        var notConforming = Conformity.Where(r => r.Status == ConformityStatus.NonConforme).ToList();
        sb.Append(CultureInfo.InvariantCulture,
            $"conformity: {Conformity.Count} checks, {notConforming.Count} NON_CONFORME{(notConforming.Count > 0 ? $" ({Tally(notConforming.Select(r => r.Unit), u => u.ToString())})" : "")}");
    }

    // ---------------------------------------------------------------- generation

    /// <summary>For a planning size, the share of candidates in CCF generated alongside those in ponctual form.</summary>
    private const double CcfAlongside = 0.10;

    /// <summary>Candidates in ponctual form of a planning size: mostly categories without CCF (D643-19), a few adult trainees who chose it.</summary>
    private static readonly (CandidateCategory Category, double Weight)[] PonctualMix =
    [
        (CandidateCategory.PriveHorsContrat, 0.35),
        (CandidateCategory.ApprentiCfaNonHabilite, 0.25),
        (CandidateCategory.FpcNonHabilite, 0.12),
        (CandidateCategory.EnseignementADistance, 0.10),
        (CandidateCategory.ExperienceProfessionnelle, 0.10),
        (CandidateCategory.FpcPublicHabilite, 0.08),
    ];

    private static readonly (CandidateCategory Category, double Weight)[] CcfMix =
    [
        (CandidateCategory.ScolairePublic, 0.60),
        (CandidateCategory.ScolairePriveSousContrat, 0.25),
        (CandidateCategory.ApprentiCfaHabilite, 0.15),
    ];

    /// <summary>Share of a ponctual candidate's E4, U61, U62 files found not conforming, and of chosen EF2, EF3 without support or form.</summary>
    private const double MandatoryNotConforming = 0.02, OptionalNotConforming = 0.08;

    /// <summary>Annexe 4 reasons as they fall for each unit's file.</summary>
    private static readonly Dictionary<UnitCode, (NonConformityReason Reason, double Weight)[]> ReasonsByUnit = new()
    {
        [UnitCode.E4] =
        [
            (NonConformityReason.FicheProjetAbsente, 0.40), (NonConformityReason.AttestationStageAbsente, 0.15),
            (NonConformityReason.DureeStageInsuffisante, 0.15), (NonConformityReason.PiecesNonViseesOuNonSignees, 0.15),
            (NonConformityReason.Autre, 0.15),
        ],
        [UnitCode.U61] =
        [
            (NonConformityReason.AttestationStageAbsente, 0.30), (NonConformityReason.DureeStageInsuffisante, 0.25),
            (NonConformityReason.CertificatTravailAbsent, 0.20), (NonConformityReason.PiecesNonViseesOuNonSignees, 0.15),
            (NonConformityReason.Autre, 0.10),
        ],
        [UnitCode.U62] =
        [
            (NonConformityReason.FicheOuDossierAbsent, 0.60), (NonConformityReason.PiecesNonViseesOuNonSignees, 0.20),
            (NonConformityReason.Autre, 0.20),
        ],
        [UnitCode.EF2] = [(NonConformityReason.FicheOuDossierAbsent, 0.70), (NonConformityReason.Autre, 0.30)],
        [UnitCode.EF3] = [(NonConformityReason.PiecesNonViseesOuNonSignees, 0.30), (NonConformityReason.Autre, 0.70)],
    };

    /// <summary>What the exam office writes for the reason AUTRE.</summary>
    private static readonly Dictionary<UnitCode, string[]> OtherReasonDetails = new()
    {
        [UnitCode.E4] = ["Fiche descriptive non conforme au modèle de l'annexe 15", "Dossier déposé après la date limite"],
        [UnitCode.U61] = ["Dossier déposé après la date limite", "Attestations illisibles, à redéposer"],
        [UnitCode.U62] = ["Dossier de plus de 20 pages, hors annexes", "Dossier déposé après la date limite"],
        [UnitCode.EF2] = ["Support du module d'approfondissement non fourni"],
        [UnitCode.EF3] = ["Formulaire d'engagement étudiant (annexe 22) non fourni", "Formulaire de l'annexe 22 non signé par l'établissement"],
    };

    private sealed record City(string Id, string Name, string PostCode);

    /// <summary>Towns of each group's oral centres, in the order centres are opened.</summary>
    private static readonly Dictionary<string, City[]> CentreCities = new()
    {
        ["NORMANDIE"] = [new("CAEN", "Caen", "14000"), new("ROUEN", "Rouen", "76000"), new("LE-HAVRE", "Le Havre", "76600"), new("CHERBOURG", "Cherbourg-en-Cotentin", "50100"), new("EVREUX", "Évreux", "27000"), new("ALENCON", "Alençon", "61000")],
        ["BORDEAUX"] = [new("BORDEAUX", "Bordeaux", "33000"), new("POITIERS", "Poitiers", "86000"), new("LIMOGES", "Limoges", "87000"), new("PAU", "Pau", "64000"), new("LA-ROCHELLE", "La Rochelle", "17000"), new("AGEN", "Agen", "47000")],
        ["RENNES"] = [new("RENNES", "Rennes", "35000"), new("BREST", "Brest", "29200"), new("VANNES", "Vannes", "56000"), new("SAINT-BRIEUC", "Saint-Brieuc", "22000")],
        ["NANTES"] = [new("NANTES", "Nantes", "44000"), new("ANGERS", "Angers", "49000"), new("LE-MANS", "Le Mans", "72000"), new("LAVAL", "Laval", "53000")],
        ["GUADELOUPE"] = [new("POINTE-A-PITRE", "Pointe-à-Pitre", "97110"), new("LES-ABYMES", "Les Abymes", "97139")],
        ["LILLE"] = [new("LILLE", "Lille", "59000"), new("ARRAS", "Arras", "62000"), new("VALENCIENNES", "Valenciennes", "59300"), new("DUNKERQUE", "Dunkerque", "59140")],
        ["AIX-MARSEILLE"] = [new("MARSEILLE", "Marseille", "13001"), new("AIX", "Aix-en-Provence", "13100"), new("AVIGNON", "Avignon", "84000"), new("AJACCIO", "Ajaccio", "20000")],
        ["NANCY-METZ"] = [new("NANCY", "Nancy", "54000"), new("METZ", "Metz", "57000"), new("STRASBOURG", "Strasbourg", "67000"), new("REIMS", "Reims", "51100"), new("EPINAL", "Épinal", "88000")],
        ["SIEC"] = [new("PARIS", "Paris", "75005"), new("CRETEIL", "Créteil", "94000"), new("VERSAILLES", "Versailles", "78000"), new("NANTERRE", "Nanterre", "92000"), new("BOBIGNY", "Bobigny", "93000"), new("EVRY", "Évry-Courcouronnes", "91000"), new("CERGY", "Cergy", "95000"), new("MELUN", "Melun", "77000")],
        ["LYON"] = [new("LYON", "Lyon", "69003"), new("VILLEURBANNE", "Villeurbanne", "69100"), new("SAINT-ETIENNE", "Saint-Étienne", "42000"), new("BOURG", "Bourg-en-Bresse", "01000")],
        ["TOULOUSE"] = [new("TOULOUSE", "Toulouse", "31000"), new("ALBI", "Albi", "81000"), new("MONTAUBAN", "Montauban", "82000"), new("TARBES", "Tarbes", "65000")],
        ["GRENOBLE"] = [new("GRENOBLE", "Grenoble", "38000"), new("CHAMBERY", "Chambéry", "73000"), new("ANNECY", "Annecy", "74000"), new("VALENCE", "Valence", "26000")],
    };

    private static readonly string[] CentreSchools =
    [
        "Lycée Jean Moulin", "Lycée Victor Hugo", "Lycée Jules Ferry", "Lycée Marie Curie", "Lycée Louis Pasteur",
        "Lycée Gustave Eiffel", "Lycée Condorcet", "Lycée Jean Jaurès", "Lycée Simone Veil", "Lycée Antoine de Saint-Exupéry",
    ];

    private static readonly string[] Streets =
    [
        "rue Victor Hugo", "avenue de la République", "boulevard Gambetta", "rue Jean Jaurès", "rue de l'Université",
        "avenue du Général de Gaulle", "rue Pasteur", "place de la Liberté", "rue des Écoles", "chemin des Lycéens",
    ];

    private static readonly string[] ProfessionalDomains =
    [
        "legrand.fr", "schneider-electric.com", "saint-gobain.com", "bosch.fr", "siemens.com",
        "hager.fr", "somfy.fr", "michelin.com", "airliquide.com", "orange.com",
    ];

    private static string Tally<TKey>(IEnumerable<TKey> keys, Func<TKey, string> name) where TKey : notnull =>
        string.Join(", ", keys.GroupBy(k => k).OrderByDescending(g => g.Count()).ThenBy(g => name(g.Key), StringComparer.Ordinal)
            .Select(g => $"{name(g.Key)} {g.Count()}"));

    /// <summary>Examining minutes a group of candidates asks for, by discipline, with room and preparation minutes.</summary>
    private sealed class Load
    {
        public int Candidates { get; private set; }
        public Dictionary<Discipline, double> Minutes { get; } = Enum.GetValues<Discipline>().ToDictionary(d => d, _ => 0.0);

        /// <summary>Seats a professional may fill but that may stay empty (E4, U61, EF3).</summary>
        public double OptionalProfessionalMinutes { get; private set; }

        /// <summary>EF1 minutes by language (lower case).</summary>
        public Dictionary<string, double> LanguageMinutes { get; } = [];

        public double ExamMinutes { get; private set; }
        public double PreparationMinutes { get; private set; }

        /// <summary>Adds a candidate's orals: every seat of each commission (UnitCatalogue), shared when several disciplines may fill it.</summary>
        public void Add(SampleCandidate candidate, IEnumerable<UnitCode> orals)
        {
            Candidates++;
            foreach (var unit in orals)
            {
                var timing = OralRules.Timing(unit, candidate.ExtraTimePercent);
                ExamMinutes += timing.ExamMinutes;
                PreparationMinutes += timing.PreparationMinutes;
                foreach (var seat in UnitCatalogue.Get(unit).Commission)
                {
                    if (seat.Optional) OptionalProfessionalMinutes += timing.ExamMinutes;
                    else if (seat.AnyOf is [Discipline.Langue])
                    {
                        var language = candidate.Ef1Language.ToLowerInvariant();
                        LanguageMinutes[language] = LanguageMinutes.GetValueOrDefault(language) + timing.ExamMinutes;
                    }
                    else
                    {
                        foreach (var discipline in seat.AnyOf) Minutes[discipline] += (double)timing.ExamMinutes / seat.AnyOf.Count;
                    }
                }
            }
        }

        /// <summary>This load's minutes spread evenly over <paramref name="parts"/> centre-days.</summary>
        public Load Per(int parts) => Per((double)parts);

        /// <summary>This load times <paramref name="factor"/>.</summary>
        public Load Scaled(double factor) => factor == 1 ? this : Per(1 / factor);

        private Load Per(double parts)
        {
            var share = new Load
            {
                OptionalProfessionalMinutes = OptionalProfessionalMinutes / parts,
                ExamMinutes = ExamMinutes / parts,
                PreparationMinutes = PreparationMinutes / parts,
            };
            foreach (var (discipline, minutes) in Minutes) share.Minutes[discipline] = minutes / parts;
            foreach (var (language, minutes) in LanguageMinutes) share.LanguageMinutes[language] = minutes / parts;
            return share;
        }
    }

    private sealed partial class Builder
    {
        /// <summary>
        /// A planning size: candidates until exactly <see cref="PlanningScale.PonctualCandidates"/> in ponctual form
        /// have orals to plan, ~10% more in CCF alongside; one group (NORMANDIE) for small and academy, all for national.
        /// A ponctual candidate's files are checked first: a non-conforming E4, U61 or U62 is marked NV, a non-conforming
        /// EF2 or EF3 gets no result.
        /// </summary>
        private (AcademyGroup[] Groups, List<SampleCandidate> Candidates, List<SampleMark> Marks) DrawSized(PlanningScale scale)
        {
            var groups = _size == SampleSize.National ? Groups : Groups.Take(1).ToArray();
            var expected = scale.PonctualCandidates / (1 - CcfAlongside);
            var totalWeight = groups.Sum(g => g.Weight);
            // About 25 candidates a school, at least 3 schools an academy.
            foreach (var group in groups)
            foreach (var (academy, share) in group.Members.Where(m => !IndividualOnly.Contains(m.Academy)))
                _establishments[academy] = MakeEstablishments(_random, academy, Math.Max(3, (int)Math.Round(expected * group.Weight / totalWeight * share / 25)));

            var candidates = new List<SampleCandidate>();
            var marks = new List<SampleMark>();
            var counted = 0;
            for (var i = 0; counted < scale.PonctualCandidates; i++)
            {
                var group = PickWeighted(groups.Select(g => (g, g.Weight)));
                var academy = PickWeighted(group.Members.Select(m => (m.Academy, m.Share)));
                var registration = Register($"CCST24-{i + 1:D5}", academy);
                var notConforming = DrawNotConforming(registration);
                var (results, profile) = notConforming.Any(u => UnitCatalogue.Get(u).MayBeNonValide)
                    ? (DrawRegular(registration), SampleProfile.NonValide)
                    : DrawResults(registration, PickWeighted(ProfileMix));
                foreach (var unit in notConforming)
                {
                    // Annexe 4: NV for E4, U61, U62; EF2 and EF3 cannot take place.
                    if (UnitCatalogue.Get(unit).MayBeNonValide) results[results.FindIndex(r => r.Unit == unit)] = (unit, UnitResult.NonValide);
                    else results.RemoveAll(r => r.Unit == unit);
                }
                var candidate = registration with { Profile = profile };
                candidates.Add(candidate);
                marks.AddRange(results.Select(r => new SampleMark(candidate.CandidateNumber, r.Unit, r.Result)));
                if (candidate.Form == ExamForm.Ponctuel && OralsOf(candidate, NotConformingIn(candidate, results)).Count > 0) counted++;
            }
            return (groups, candidates, marks);
        }

        /// <summary>For a planning size: mostly categories in ponctual form, ~10% in CCF alongside (EF1, if chosen, is their only oral).</summary>
        private (CandidateCategory, ExamForm) DrawPlanningCategory(string academy)
        {
            if (IndividualOnly.Contains(academy))
                return (PickWeighted([(CandidateCategory.ExperienceProfessionnelle, 0.6), (CandidateCategory.EnseignementADistance, 0.4)]), ExamForm.Ponctuel);
            return _random.NextDouble() < CcfAlongside ? (PickWeighted(CcfMix), ExamForm.Ccf) : (PickWeighted(PonctualMix), ExamForm.Ponctuel);
        }

        /// <summary>Which of a ponctual candidate's checked files are not conforming (planning sizes only).</summary>
        private SortedSet<UnitCode> DrawNotConforming(SampleCandidate candidate)
        {
            var units = new SortedSet<UnitCode>();
            if (candidate.Form != ExamForm.Ponctuel) return units;
            foreach (var unit in CheckedUnits(candidate))
            {
                var share = UnitCatalogue.Get(unit).MayBeNonValide ? MandatoryNotConforming : OptionalNotConforming;
                if (_plan.NextDouble() < share) units.Add(unit);
            }
            return units;
        }

        /// <summary>The candidate's units whose file is checked before the orals (Annexe 4): E4, U61, U62 unless kept, and the chosen EF2, EF3.</summary>
        private static IEnumerable<UnitCode> CheckedUnits(SampleCandidate candidate) =>
            UnitCatalogue.All.Where(u => u.ConformityChecked).Select(u => u.Code)
                .Where(u => UnitCatalogue.Get(u).IsMandatory ? candidate.KeptUnits.All(k => k.Key != u) : candidate.OptionalUnits.Contains(u));

        /// <summary>
        /// The files the sample records as not conforming, read from the results: a ponctual candidate's E4, U61 or
        /// U62 marked NV, and a chosen EF2 or EF3 without a result. The marks of a session of a given number of
        /// candidates thus stay what they were before conformity.csv existed.
        /// </summary>
        private static SortedSet<UnitCode> NotConformingIn(SampleCandidate candidate, IEnumerable<(UnitCode Unit, UnitResult Result)> results)
        {
            var units = new SortedSet<UnitCode>();
            if (candidate.Form != ExamForm.Ponctuel) return units;
            var byUnit = results.ToDictionary(r => r.Unit, r => r.Result);
            foreach (var unit in CheckedUnits(candidate))
            {
                var found = byUnit.TryGetValue(unit, out var result);
                if (UnitCatalogue.Get(unit).MayBeNonValide ? found && result.Kind == ResultKind.NonValide : !found) units.Add(unit);
            }
            return units;
        }

        /// <summary>conformity.csv: a row for every checked file of the candidates in ponctual form, with Annexe 4 reasons when not conforming.</summary>
        private List<SampleConformity> CheckConformity(List<SampleCandidate> candidates, List<SampleMark> marks)
        {
            var resultsOf = marks.ToLookup(m => m.CandidateNumber, m => (m.Unit, m.Result));
            var rows = new List<SampleConformity>();
            foreach (var candidate in candidates.Where(c => c.Form == ExamForm.Ponctuel))
            {
                var notConforming = NotConformingIn(candidate, resultsOf[candidate.CandidateNumber]);
                foreach (var unit in CheckedUnits(candidate))
                {
                    if (!notConforming.Contains(unit))
                    {
                        rows.Add(new(candidate.CandidateNumber, unit, ConformityStatus.Conforme, [], ""));
                        continue;
                    }
                    var reasons = new List<NonConformityReason> { PickWeighted(_plan, ReasonsByUnit[unit]) };
                    var second = PickWeighted(_plan, ReasonsByUnit[unit]);
                    if (_plan.NextDouble() < 0.2 && !reasons.Contains(second)) reasons.Add(second);
                    reasons.Sort();
                    var details = reasons.Contains(NonConformityReason.Autre) ? Pick(_plan, OtherReasonDetails[unit])
                        : _plan.NextDouble() < 0.2 ? "Pièces réclamées le 22 avril 2024, sans réponse du candidat"
                        : "";
                    rows.Add(new(candidate.CandidateNumber, unit, ConformityStatus.NonConforme, reasons, details));
                }
            }
            return rows;
        }

        /// <summary>
        /// centres.csv and examiners.csv: centres shared between groups by their candidates with orals (at least one
        /// a group), open every day, rooms and preparation seats sized to the load; examiners of every discipline
        /// enough for each centre-day with a margin.
        /// </summary>
        private (List<SampleCentre> Centres, List<SampleExaminer> Examiners) PlanCentres(AcademyGroup[] groups, List<SampleCandidate> candidates, List<SampleConformity> conformity)
        {
            var notConforming = conformity.Where(r => r.Status == ConformityStatus.NonConforme).ToLookup(r => r.CandidateNumber, r => r.Unit);
            var groupOf = groups.SelectMany(g => g.Members.Select(m => (m.Academy, Group: g))).ToDictionary(x => x.Academy, x => x.Group);
            var loads = groups.ToDictionary(g => g.Pilot, _ => new Load());
            foreach (var candidate in candidates)
            {
                var orals = OralsOf(candidate, notConforming[candidate.CandidateNumber].ToHashSet());
                if (orals.Count > 0) loads[groupOf[candidate.Academy].Pilot].Add(candidate, orals);
            }

            var scale = _size is { } size ? PlanningScale.Of(size) : null;
            var days = scale?.Days ?? DefaultDays;
            var dates = _shape.WrittenExamDays ? OralDates(days, SampleShape.FirstOralDayWithWrittenExams, withWrittenExams: true) : OralDates(days);
            var totalCentres = _shape.OneCentrePerAcademy ? groups.Length
                : scale?.Centres ?? Math.Max(groups.Length, (int)Math.Round(loads.Values.Sum(l => l.Candidates) / 50.0));
            var centresOf = Allocate(totalCentres, groups.Select(g => (double)loads[g.Pilot].Candidates).ToList());

            var centres = new List<SampleCentre>();
            var examiners = new List<SampleExaminer>();
            var emails = new HashSet<string>(StringComparer.Ordinal);
            for (var g = 0; g < groups.Length; g++)
            {
                var group = groups[g];
                var perCentreDay = loads[group.Pilot].Per(centresOf[g] * dates.Count);
                var sizes = CentreSizes(centresOf[g]);
                var groupCentres = Enumerable.Range(0, centresOf[g])
                    .Select(k => MakeCentre(group, k, DatesOfCentre(centres.Count + k, dates, days), perCentreDay.Scaled(sizes[k]))).ToList();
                centres.AddRange(groupCentres);
                var schools = new Schools(this, group, 3 + 3 * groupCentres.Count);
                for (var k = 0; k < groupCentres.Count; k++)
                    examiners.AddRange(MakeExaminers(groupCentres[k], groupCentres, perCentreDay.Scaled(sizes[k]), schools, emails, examiners.Count, languageTeachers: k == 0 || !_shape.ScarceLanguageTeachers));
            }
            return (centres, examiners);
        }

        /// <summary>The first <paramref name="days"/> weekdays from <paramref name="first"/> (<see cref="FirstOralDay"/>), written-exam days of Annexe 2 included or not.</summary>
        private static List<DateOnly> OralDates(int days, DateOnly? first = null, bool withWrittenExams = false)
        {
            var dates = new List<DateOnly>();
            for (var date = first ?? FirstOralDay; dates.Count < days; date = date.AddDays(1))
            {
                if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && (withWrittenExams || !SampleShape.WrittenExamDates.Contains(date))) dates.Add(date);
            }
            return dates;
        }

        /// <summary>With written-exam days in the window (<see cref="SampleShape.WrittenExamDays"/>), every other centre opens on as many days after them instead.</summary>
        private List<DateOnly> DatesOfCentre(int centreIndex, List<DateOnly> dates, int days) =>
            _shape.WrittenExamDays && centreIndex % 2 == 1 ? OralDates(days, SampleShape.FirstOralDayWithWrittenExams) : dates;

        /// <summary>Each centre's share of its group's load relative to the mean: 1, or 1.5 and 0.5 in turn (<see cref="SampleShape.UnevenCentres"/>, an odd last one at 1).</summary>
        private double[] CentreSizes(int count) =>
            [.. Enumerable.Range(0, count).Select(k => !_shape.UnevenCentres || (k == count - 1 && count % 2 == 1) ? 1.0 : k % 2 == 0 ? 1.5 : 0.5)];

        /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/>, at least 1 each, largest remainders first.</summary>
        private static int[] Allocate(int total, IReadOnlyList<double> weights)
        {
            var sum = weights.Sum();
            var ideal = weights.Select(w => sum > 0 ? total * w / sum : (double)total / weights.Count).ToArray();
            var shares = ideal.Select(x => Math.Max(1, (int)Math.Floor(x))).ToArray();
            while (shares.Sum() < total)
            {
                var i = Enumerable.Range(0, shares.Length).MaxBy(k => ideal[k] - shares[k]);
                shares[i]++;
            }
            while (shares.Sum() > total && shares.Any(s => s > 1))
            {
                var i = Enumerable.Range(0, shares.Length).Where(k => shares[k] > 1).MaxBy(k => shares[k] - ideal[k]);
                shares[i]--;
            }
            return shares;
        }

        private SampleCentre MakeCentre(AcademyGroup group, int index, List<DateOnly> dates, Load perDay)
        {
            var cities = CentreCities[group.Pilot];
            var city = cities[index % cities.Length];
            var id = index < cities.Length ? city.Id : $"{city.Id}-{index / cities.Length + 1}";
            var (dayStart, dayEnd, lunchStart, lunchEnd) = CentreDay;
            var openMinutes = (dayEnd - dayStart - (lunchEnd - lunchStart)).TotalMinutes;
            // Rooms: the day's exam minutes with a 60% margin, plus two. Preparation seats: one and a half a room (E4's hour
            // of preparation runs while the previous candidate is examined), or the day's preparation minutes 2.5 times over.
            var rooms = Math.Clamp((int)Math.Ceiling(perDay.ExamMinutes / openMinutes * (_shape.TightCapacity ? 1.25 : 1.6)) + (_shape.TightCapacity ? 1 : 2), 1, CentresCsv.MaximumExamRooms);
            var seats = Math.Clamp(Math.Max((int)Math.Ceiling(rooms * 1.5), (int)Math.Ceiling(perDay.PreparationMinutes / openMinutes * 2.5) + 2),
                0, CentresCsv.MaximumPrepSeats);
            var address = _plan.NextDouble() < 0.15 ? "" : $"{1 + _plan.Next(120)} {Pick(_plan, Streets)}, {city.PostCode} {city.Name}";
            return new SampleCentre(id, $"{Pick(_plan, CentreSchools)}, {city.Name}", group.Members.Select(m => m.Academy).ToList(), group.TimeZone,
                dates, dayStart, dayEnd, lunchStart, lunchEnd, rooms, seats, address);
        }

        /// <summary>Schools examiners of a group teach in: those of its candidates (the own-school rule then matters) and others.</summary>
        private sealed class Schools
        {
            public Schools(Builder builder, AcademyGroup group, int others)
            {
                var academies = group.Members.Where(m => !IndividualOnly.Contains(m.Academy)).ToList();
                OfCandidates = academies.SelectMany(m => builder._establishments[m.Academy].Select(uai => (m.Academy, uai))).ToList();
                while (Others.Count < others)
                {
                    var academy = PickWeighted(builder._plan, academies.Select(m => (m.Academy, m.Share)));
                    var uai = MakeEstablishments(builder._plan, academy, 1)[0];
                    if (OfCandidates.All(s => s.Uai != uai) && Others.All(s => s.Uai != uai)) Others.Add((academy, uai));
                }
            }

            public List<(string Academy, string Uai)> OfCandidates { get; }
            public List<(string Academy, string Uai)> Others { get; } = [];
        }

        /// <summary>
        /// The examiners of one centre, discipline by discipline: the first one sits every day and teaches in a school
        /// without candidates, so that every candidate has an examiner of each discipline; the others sit on some days
        /// (each day with a 50% chance, and the day that lacks one), 40% of the teachers in a candidate's school, a few
        /// with a shorter day, until every day has the minutes the load asks for with a margin, even without the
        /// teachers of any one candidate school (who may not examine its candidates).
        /// </summary>
        private List<SampleExaminer> MakeExaminers(SampleCentre centre, List<SampleCentre> groupCentres, Load perDay, Schools schools,
            HashSet<string> emails, int numbered, bool languageTeachers = true)
        {
            var (pairMargin, englishMargin) = _shape.TightCapacity ? (1.15, 1.2) : (1.4, 1.5);
            var needs = new List<(Discipline Discipline, string Language, double Minutes, int Minimum)>
            {
                (Discipline.EcoGestion, "", perDay.Minutes[Discipline.EcoGestion] * pairMargin, 2),
                (Discipline.Sti, "", perDay.Minutes[Discipline.Sti] * pairMargin, 2),
                (Discipline.Anglais, "", perDay.Minutes[Discipline.Anglais] * englishMargin, 1),
            };
            // EF1: a teacher of each language at every centre, whatever the demand (scarce: at the group's first centre
            // only, for the whole group's demand, with no margin).
            if (languageTeachers)
                needs.AddRange(Ef1Languages.Select(l => (Discipline.Langue, l.Language,
                    perDay.LanguageMinutes.GetValueOrDefault(l.Language) * (_shape.ScarceLanguageTeachers ? groupCentres.Count : 1.5), 1)));
            needs.Add((Discipline.Professionnel, "", (perDay.Minutes[Discipline.Professionnel] + perDay.OptionalProfessionalMinutes) * 0.5, 1));
            // Second-group orals on E1 (C_E1).
            needs.Add((Discipline.Lettres, "", 0, 1));

            var examiners = new List<SampleExaminer>();
            foreach (var (discipline, language, minutes, minimum) in needs)
            {
                var capacity = new double[centre.Dates.Count];
                var count = new int[centre.Dates.Count];
                var ofCandidateSchool = new Dictionary<string, double[]>();
                double WithoutOneSchool(int d) => capacity[d] - ofCandidateSchool.Values.Select(c => c[d]).DefaultIfEmpty(0).Max();
                for (var first = true; ; first = false)
                {
                    var day = Enumerable.Range(0, capacity.Length).FirstOrDefault(d => WithoutOneSchool(d) < minutes || count[d] < minimum, -1);
                    if (day < 0) break;
                    var onDays = Enumerable.Range(0, capacity.Length).Where(d => first || d == day || _plan.NextDouble() < 0.5).ToList();
                    var max = first ? null : PickWeighted<int?>(_plan, [(null, 0.7), (300, 0.15), (240, 0.15)]);
                    var ofCandidates = discipline != Discipline.Professionnel && !first && _plan.NextDouble() < _shape.OwnSchoolExaminers && schools.OfCandidates.Count > 0;
                    (string Academy, string Uai) school = discipline == Discipline.Professionnel ? ("", "")
                        : ofCandidates ? Pick(_plan, schools.OfCandidates)
                        : Pick(_plan, schools.Others);
                    List<string> languages = discipline switch
                    {
                        Discipline.Langue when _plan.NextDouble() < 0.25 =>
                            [language, Pick(_plan, Ef1Languages.Select(l => l.Language).Where(l => l != language).ToList())],
                        Discipline.Langue => [language],
                        Discipline.Anglais when _plan.NextDouble() < 0.3 => ["anglais"],
                        _ => [],
                    };
                    var centreIds = new List<string> { centre.CentreId };
                    if (groupCentres.Count > 1 && _plan.NextDouble() < 0.2)
                        centreIds.Add(Pick(_plan, groupCentres.Where(c => c != centre).Select(c => c.CentreId).ToList()));
                    // An examiner who may also sit at another centre counts here for a share of their time.
                    var minutesHere = (double)(max ?? OralRules.DefaultMaxMinutesPerDay) / centreIds.Count;
                    foreach (var d in onDays)
                    {
                        capacity[d] += minutesHere;
                        count[d]++;
                        if (ofCandidates)
                            (ofCandidateSchool.TryGetValue(school.Uai, out var c) ? c : ofCandidateSchool[school.Uai] = new double[capacity.Length])[d] += minutesHere;
                    }
                    var (firstName, lastName) = (Pick(_plan, FirstNames), Pick(_plan, LastNames));
                    var domain = discipline == Discipline.Professionnel ? Pick(_plan, ProfessionalDomains) : AcademyDomain(school.Academy);
                    examiners.Add(new SampleExaminer($"EX{numbered + examiners.Count + 1:D5}", lastName, firstName,
                        UniqueEmail(emails, $"{Slug(firstName)}.{Slug(lastName)}", domain), discipline, languages, school.Uai,
                        centreIds, onDays.Select(d => centre.Dates[d]).ToList(), max));
                }
            }
            return examiners;
        }

        private string AcademyDomain(string academy) =>
            academy == "SIEC" ? Pick(_plan, ["ac-paris.fr", "ac-creteil.fr", "ac-versailles.fr"]) : $"ac-{Slug(academy)}.fr";

        private static string UniqueEmail(HashSet<string> taken, string local, string domain)
        {
            var email = $"{local}@{domain}";
            for (var n = 2; !taken.Add(email); n++) email = $"{local}{n}@{domain}";
            return email;
        }

        /// <summary>Lower case ASCII for an e-mail address: accents dropped, spaces turned into <c>-</c>, apostrophes dropped.</summary>
        private static string Slug(string text)
        {
            var sb = new StringBuilder();
            foreach (var c in FieldRules.Fold(text).ToLowerInvariant())
            {
                if (c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') sb.Append(c);
                else if (c == ' ') sb.Append('-');
            }
            return sb.ToString();
        }
    }
}
