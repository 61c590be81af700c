using System.Diagnostics;
using BtsCcst.Domain;
using BtsCcst.Domain.Imports;

namespace BtsCcst.SampleGenerator.Tests;

/// <summary>
/// The planning sizes (--size): documented counts, files that parse, and centres and examiners enough to
/// plan comfortably, all checked from the files as read back, independently of the generator's arithmetic.
/// </summary>
public sealed class PlanningSizesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bts-sample-sizes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private SampleFiles WriteAndParse(SampleSize size, int seed = 42) =>
        SampleFiles.WriteAndParse(SampleSession.Generate(size, seed), Path.Combine(_root, $"{size}-{seed}"));

    [Theory]
    [InlineData(SampleSize.Small, 40, 1, 1)]
    [InlineData(SampleSize.Academy, 400, 4, 4)]
    public void A_size_has_its_documented_counts_and_every_file_parses(SampleSize size, int ponctualWithOrals, int centres, int days)
    {
        var files = WriteAndParse(size);

        Assert.Empty(files.Errors);
        AssertDocumentedSize(files, ponctualWithOrals, centres, days);
        Assert.All(files.Centres.Rows, c => Assert.Equal("Europe/Paris", c.TimeZone));
    }

    [Theory]
    [InlineData(SampleSize.Small)]
    [InlineData(SampleSize.Academy)]
    public void Centres_and_examiners_are_enough_for_every_centre_day(SampleSize size) =>
        AssertEnoughToPlan(WriteAndParse(size));

    [Fact]
    public void The_national_size_is_generated_once_parses_and_is_enough_to_plan()
    {
        var clock = Stopwatch.StartNew();
        var files = WriteAndParse(SampleSize.National);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"generating, writing and reading the national size took {clock.Elapsed}");
        Assert.Empty(files.Errors);
        AssertDocumentedSize(files, 3000, 30, 5);
        var overseas = Assert.Single(files.Centres.Rows, c => c.TimeZone != "Europe/Paris");
        Assert.Equal("America/Guadeloupe", overseas.TimeZone);
        Assert.Equal(["GUADELOUPE", "GUYANE", "MARTINIQUE"], overseas.Academies.Order());
        Assert.True(files.Juries.Rows.Count >= 10, "a national session has many juries");
        AssertEnoughToPlan(files);
    }

    [Fact]
    public void A_session_of_a_given_number_of_candidates_has_centres_and_examiners_enough_for_its_orals()
    {
        var files = SampleFiles.WriteAndParse(SampleSession.Generate(600, 42), Path.Combine(_root, "600"));

        Assert.Empty(files.Errors);
        Assert.Equal(files.Juries.Rows.Count, files.Centres.Rows.Count);
        Assert.All(files.Centres.Rows, c => Assert.Equal(SampleSession.DefaultDays, c.Dates.Count));
        Assert.Contains(files.Centres.Rows, c => c.TimeZone == "America/Guadeloupe" && c.Academies.Contains("MARTINIQUE"));
        AssertEnoughToPlan(files);
    }

    [Fact]
    public void Sizes_are_deterministic_and_differ_by_seed()
    {
        var first = SampleSession.Generate(SampleSize.Small, 7).WriteTo(Path.Combine(_root, "a"));
        var second = SampleSession.Generate(SampleSize.Small, 7).WriteTo(Path.Combine(_root, "b"));
        var other = SampleSession.Generate(SampleSize.Small, 8).WriteTo(Path.Combine(_root, "c"));

        for (var i = 0; i < first.Count; i++)
            Assert.Equal(File.ReadAllBytes(first[i]), File.ReadAllBytes(second[i]));
        Assert.NotEqual(File.ReadAllBytes(first[3]), File.ReadAllBytes(other[3]));
    }

    [Fact]
    public void Candidates_are_mostly_in_ponctual_form_with_some_in_CCF_alongside()
    {
        var candidates = WriteAndParse(SampleSize.Academy).Candidates.Rows;

        var ccf = candidates.Count(c => c.Form == ExamForm.Ccf);
        Assert.InRange(ccf / (double)candidates.Count, 0.04, 0.16);
        foreach (var category in new[] { CandidateCategory.PriveHorsContrat, CandidateCategory.ApprentiCfaNonHabilite, CandidateCategory.FpcNonHabilite,
                     CandidateCategory.EnseignementADistance, CandidateCategory.ExperienceProfessionnelle, CandidateCategory.FpcPublicHabilite })
            Assert.Contains(candidates, c => c.Category == category && c.Form == ExamForm.Ponctuel);
        Assert.Contains(candidates, c => c.OptionalUnits.Contains(UnitCode.EF1) && c.Form == ExamForm.Ccf);
        Assert.Equal(["allemand", "espagnol", "italien"], candidates.Where(c => c.Ef1Language != "").Select(c => c.Ef1Language).Distinct().Order());
        Assert.Contains(candidates, c => c.ExtraTimePercent > 0 && c.Form == ExamForm.Ponctuel);
    }

    [Fact]
    public void Conformity_checks_agree_with_the_marks()
    {
        var files = WriteAndParse(SampleSize.Academy);
        var candidates = files.Candidates.Rows.ToDictionary(c => c.CandidateNumber);
        var results = files.Marks.Rows.ToDictionary(m => (m.CandidateNumber, m.Unit), m => m.Result);
        var rows = files.Conformity.Rows;

        // Every checked file of a ponctual candidate has a row; CCF candidates have none.
        Assert.All(rows, r => Assert.Equal(ExamForm.Ponctuel, candidates[r.CandidateNumber].Form));
        Assert.All(rows.Where(r => r.Status == ConformityStatus.NonConforme), r => Assert.NotEmpty(r.Reasons));
        Assert.All(rows.Where(r => r.Reasons.Contains(NonConformityReason.Autre)), r => Assert.NotEqual("", r.Details));
        foreach (var row in rows)
        {
            var mandatory = UnitCatalogue.Get(row.Unit).MayBeNonValide;
            var found = results.TryGetValue((row.CandidateNumber, row.Unit), out var result);
            if (row.Status == ConformityStatus.NonConforme && mandatory) Assert.Equal(UnitResult.NonValide, result);
            else if (row.Status == ConformityStatus.NonConforme) Assert.False(found, $"{row.CandidateNumber} {row.Unit} cannot take place, yet has a result");
            else if (mandatory && found) Assert.NotEqual(ResultKind.NonValide, result.Kind);
        }

        var mandatoryRows = rows.Where(r => UnitCatalogue.Get(r.Unit).MayBeNonValide).ToList();
        Assert.InRange(mandatoryRows.Count(r => r.Status == ConformityStatus.NonConforme) / (double)mandatoryRows.Count, 0.01, 0.05);
        Assert.Contains(rows, r => r.Unit == UnitCode.EF2 && r.Status == ConformityStatus.NonConforme);
        Assert.Contains(rows, r => r.Unit == UnitCode.EF3 && r.Status == ConformityStatus.NonConforme);
        Assert.True(rows.SelectMany(r => r.Reasons).Distinct().Count() >= 6, "most Annexe 4 reasons appear");
    }

    // ---------------------------------------------------------------- checks

    /// <summary>The orals each candidate has to plan, from candidates.csv and conformity.csv.</summary>
    private static List<(CandidateRow Candidate, IReadOnlyList<UnitCode> Orals)> Orals(SampleFiles files)
    {
        var notConforming = files.Conformity.Rows.Where(r => r.Status == ConformityStatus.NonConforme).ToLookup(r => r.CandidateNumber, r => r.Unit);
        return files.Candidates.Rows
            .Select(c => (c, OralRules.OralsToPlan(c.Form, c.OptionalUnits, c.DispensedUnits, c.KeptUnits.Keys.ToHashSet(),
                notConforming[c.CandidateNumber].ToHashSet())))
            .Where(x => x.Item2.Count > 0)
            .ToList();
    }

    private static void AssertDocumentedSize(SampleFiles files, int ponctualWithOrals, int centres, int days)
    {
        var orals = Orals(files);
        Assert.Equal(ponctualWithOrals, orals.Count(x => x.Candidate.Form == ExamForm.Ponctuel));
        Assert.Equal(centres, files.Centres.Rows.Count);
        var dates = files.Centres.Rows.SelectMany(c => c.Dates).Distinct().Order().ToList();
        Assert.Equal(days, dates.Count);
        Assert.All(files.Centres.Rows, c => Assert.Equal(dates, c.Dates));
        // Late May and June 2024, weekdays, after the written exams of Annexe 2 (14–16 May).
        Assert.All(dates, d => Assert.InRange(d, new DateOnly(2024, 5, 20), new DateOnly(2024, 6, 30)));
        Assert.All(dates, d => Assert.NotEqual(DayOfWeek.Saturday, d.DayOfWeek));
        Assert.All(dates, d => Assert.NotEqual(DayOfWeek.Sunday, d.DayOfWeek));
        Assert.All(files.Centres.Rows, c => Assert.Equal(
            (new TimeOnly(8, 0), new TimeOnly(18, 0), new TimeOnly(12, 0), new TimeOnly(13, 30)), (c.DayStart, c.DayEnd, c.LunchStart, c.LunchEnd)));

        var covered = files.Centres.Rows.SelectMany(c => c.Academies).ToHashSet();
        Assert.All(orals, x => Assert.Contains(x.Candidate.Academy, covered));
        var juried = files.Juries.Rows.SelectMany(j => j.Academies).ToHashSet();
        Assert.All(files.Candidates.Rows, c => Assert.Contains(c.Academy, juried));
    }

    /// <summary>
    /// Each centre-day, spreading its academies' orals evenly over the centres that share them and over the days:
    /// examining minutes of each discipline (an examiner listing several centres counting for a share of each)
    /// with a 20% margin, even without the examiners of any one candidate school; an examiner of every EF1
    /// language asked for; a professional and a LETTRES teacher; rooms and preparation seats with a 30% margin.
    /// </summary>
    private static void AssertEnoughToPlan(SampleFiles files)
    {
        var centres = files.Centres.Rows;
        var examiners = files.Examiners.Rows;
        var centreIds = centres.Select(c => c.CentreId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(examiners, e => Assert.Subset(centreIds, e.CentreIds.ToHashSet(StringComparer.OrdinalIgnoreCase)));
        Assert.All(examiners, e => Assert.All(e.CentreIds, id =>
            Assert.Subset(centres.Single(c => c.CentreId == id).Dates.ToHashSet(), e.AvailableDates.ToHashSet())));
        Assert.All(examiners.Where(e => e.Discipline == Discipline.Langue), e => Assert.Subset(new HashSet<string> { "allemand", "espagnol", "italien" }, e.Languages.ToHashSet()));

        var orals = Orals(files);
        var candidateSchools = files.Candidates.Rows.Select(c => c.EstablishmentUai).Where(u => u != "").ToHashSet();
        Assert.Contains(examiners, e => candidateSchools.Contains(e.EstablishmentUai));

        foreach (var shared in centres.GroupBy(c => string.Join(';', c.Academies.Order())))
        {
            var academies = shared.First().Academies;
            var parts = (double)(shared.Count() * shared.First().Dates.Count);
            var ofGroup = orals.Where(x => academies.Contains(x.Candidate.Academy)).ToList();
            var timings = ofGroup.SelectMany(x => x.Orals.Select(u => (x.Candidate, Unit: u, Timing: OralRules.Timing(u, x.Candidate.ExtraTimePercent)))).ToList();
            double PerDay(Func<UnitCode, bool> units) => timings.Where(t => units(t.Unit)).Sum(t => t.Timing.ExamMinutes) / parts;
            var pair = PerDay(u => u is UnitCode.E4 or UnitCode.U61 or UnitCode.U62 or UnitCode.EF2 or UnitCode.EF3);
            var english = PerDay(u => u == UnitCode.E22);
            var exam = timings.Sum(t => t.Timing.ExamMinutes) / parts;
            var preparation = timings.Sum(t => t.Timing.PreparationMinutes) / parts;
            var languages = ofGroup.Where(x => x.Orals.Contains(UnitCode.EF1)).GroupBy(x => x.Candidate.Ef1Language.ToLowerInvariant())
                .ToDictionary(g => g.Key, g => timings.Where(t => t.Unit == UnitCode.EF1 && t.Candidate.Ef1Language.ToLowerInvariant() == g.Key).Sum(t => t.Timing.ExamMinutes) / parts);
            var groupSchools = ofGroup.Select(x => x.Candidate.EstablishmentUai).Where(u => u != "").Distinct().ToList();

            foreach (var centre in shared)
            {
                var open = (centre.DayEnd - centre.DayStart - (centre.LunchEnd - centre.LunchStart)).TotalMinutes;
                Assert.True(centre.ExamRooms * open >= 1.3 * exam, $"{centre.CentreId}: {centre.ExamRooms} rooms for {exam:0} exam minutes a day");
                Assert.True(centre.PrepSeats * open >= 1.3 * preparation, $"{centre.CentreId}: {centre.PrepSeats} seats for {preparation:0} preparation minutes a day");
                foreach (var date in centre.Dates)
                {
                    var sitting = examiners.Where(e => e.CentreIds.Contains(centre.CentreId) && e.AvailableDates.Contains(date)).ToList();
                    double Capacity(Discipline discipline, string exceptSchool = "") => sitting
                        .Where(e => e.Discipline == discipline && (exceptSchool == "" || e.EstablishmentUai != exceptSchool))
                        .Sum(e => (double)e.MaxMinutesPerDay / e.CentreIds.Count);
                    var where = $"{centre.CentreId} {date:yyyy-MM-dd}";

                    foreach (var discipline in new[] { Discipline.EcoGestion, Discipline.Sti })
                    {
                        Assert.True(Capacity(discipline) >= 1.2 * pair, $"{where}: {discipline} {Capacity(discipline):0} minutes for {pair:0}");
                        foreach (var school in groupSchools)
                            Assert.True(Capacity(discipline, school) >= pair, $"{where}: {discipline} without school {school}");
                    }
                    Assert.True(Capacity(Discipline.Anglais) >= Math.Max(1.2 * english, 1), $"{where}: ANGLAIS {Capacity(Discipline.Anglais):0} minutes for {english:0}");
                    foreach (var (language, minutes) in languages)
                    {
                        var capacity = sitting.Where(e => e.Discipline == Discipline.Langue && e.Languages.Contains(language)).Sum(e => (double)e.MaxMinutesPerDay / e.CentreIds.Count);
                        Assert.True(capacity >= Math.Max(1.2 * minutes, 1), $"{where}: LANGUE {language} {capacity:0} minutes for {minutes:0}");
                    }
                    Assert.Contains(sitting, e => e.Discipline == Discipline.Professionnel && e.EstablishmentUai == "");
                    Assert.Contains(sitting, e => e.Discipline == Discipline.Lettres);
                }
            }
        }
    }
}
