using System.Security.Cryptography;
using BtsCcst.Domain;
using BtsCcst.Domain.Imports;

namespace BtsCcst.SampleGenerator.Tests;

public sealed class SampleSessionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bts-sample-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private SampleFiles WriteAndParse(int candidates, int seed) =>
        SampleFiles.WriteAndParse(SampleSession.Generate(candidates, seed), Path.Combine(_root, $"{candidates}-{seed}"));

    [Fact]
    public void The_same_seed_writes_byte_identical_files()
    {
        var first = SampleSession.Generate(600, 42).WriteTo(Path.Combine(_root, "a"));
        var second = SampleSession.Generate(600, 42).WriteTo(Path.Combine(_root, "b"));
        var other = SampleSession.Generate(600, 43).WriteTo(Path.Combine(_root, "c"));

        Assert.Equal(["juries.csv", "centres.csv", "examiners.csv", "candidates.csv", "conformity.csv", "marks.csv"], first.Select(Path.GetFileName));
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(File.ReadAllBytes(first[i]), File.ReadAllBytes(second[i]));
            if (Path.GetFileName(first[i]) != "juries.csv") Assert.NotEqual(File.ReadAllBytes(first[i]), File.ReadAllBytes(other[i]));
        }
    }

    [Fact]
    public void Candidates_marks_and_juries_are_those_written_before_the_planning_files_existed()
    {
        // SHA-256 of the files of --candidates 600 --seed 42 before centres, examiners and conformity were added.
        var directory = Path.Combine(_root, "golden");
        SampleSession.Generate(600, 42).WriteTo(directory);
        string Hash(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, file))));

        Assert.Equal("eb93a3b1cecc0b87c3157acc245771d108485faf7a838e3c4ea2624040a5c471", Hash(SampleSession.CandidatesFileName));
        Assert.Equal("ddc8c9c2f5b8924ef898222b2c4a4b57ca3b09bae288e3d3e7426dd3f3e72738", Hash(SampleSession.MarksFileName));
        Assert.Equal("45437d710a81365a9d61e175d6cc5a24bfeba68febf91fdfcc454ab1bd348d2b", Hash(SampleSession.JuriesFileName));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(40, 7)]
    [InlineData(600, 42)]
    [InlineData(1500, 2024)]
    public void Every_file_parses_without_error(int candidates, int seed)
    {
        var parsed = WriteAndParse(candidates, seed);

        Assert.Empty(parsed.Errors);
        Assert.Equal(candidates, parsed.Candidates.Rows.Count);
        Assert.NotEmpty(parsed.Centres.Rows);
        Assert.NotEmpty(parsed.Examiners.Rows);
    }

    [Theory]
    [InlineData(40, 3)]
    [InlineData(300, 4)]
    [InlineData(600, 5)]
    [InlineData(1500, 6)]
    public void Juries_cover_every_academy_and_grow_with_the_session(int candidates, int juries)
    {
        var parsed = WriteAndParse(candidates, 42);

        Assert.Equal(juries, parsed.Juries.Rows.Count);
        var covered = parsed.Juries.Rows.SelectMany(j => j.Academies).ToHashSet();
        Assert.All(parsed.Candidates.Rows, c => Assert.Contains(c.Academy, covered));
        Assert.All(parsed.Juries.Rows, j => Assert.Equal(Academies.DefaultJuryId(j.Academies[0]), j.JuryId));
        Assert.Contains(parsed.Juries.Rows, j => j.Academies.Contains("POLYNESIE FRANCAISE"));
    }

    [Fact]
    public void Results_agree_with_each_registration()
    {
        var parsed = WriteAndParse(600, 42);
        var session = SampleSession.Generate(600, 42);
        var marksOf = parsed.Marks.Rows.ToLookup(m => m.CandidateNumber);

        Assert.All(parsed.Candidates.Rows, candidate =>
        {
            var results = marksOf[candidate.CandidateNumber].ToDictionary(m => m.Unit, m => m.Result);
            var profile = session.Candidates.Single(c => c.CandidateNumber == candidate.CandidateNumber).Profile;

            var missing = UnitCatalogue.Mandatory.Count(u => !results.ContainsKey(u.Code));
            Assert.Equal(profile == SampleProfile.Incomplete ? 1 : 0, missing);
            foreach (var (unit, result) in results)
            {
                Assert.Equal(candidate.DispensedUnits.Contains(unit), result.Kind == ResultKind.Dispensed);
                Assert.Equal(candidate.KeptUnits.ContainsKey(unit), result.Kind == ResultKind.Kept);
                if (result.Kind == ResultKind.Kept) Assert.Equal(candidate.KeptUnits[unit], result.Mark);
                if (UnitCatalogue.Get(unit).IsOptional)
                {
                    Assert.Contains(unit, candidate.OptionalUnits);
                    Assert.Contains(result.Kind, new[] { ResultKind.Mark, ResultKind.Absent, ResultKind.AbsentExcused });
                }
            }
            foreach (var unit in candidate.DispensedUnits.Concat(candidate.KeptUnits.Keys))
                Assert.True(results.ContainsKey(unit), $"{candidate.CandidateNumber} {unit}");
        });
    }

    [Fact]
    public void The_session_has_a_realistic_mix()
    {
        var parsed = WriteAndParse(600, 42);
        var candidates = parsed.Candidates.Rows;
        var marks = parsed.Marks.Rows;
        double Share(Func<CandidateRow, bool> predicate) => candidates.Count(predicate) / (double)candidates.Count;

        Assert.InRange(parsed.Juries.Rows.Count, 3, 6);
        Assert.InRange(Share(c => c.Category is CandidateCategory.ScolairePublic or CandidateCategory.ScolairePriveSousContrat), 0.6, 0.8);
        Assert.InRange(Share(c => c.Form == ExamForm.Ccf), 0.75, 0.92);
        Assert.Contains(candidates, c => c.Category == CandidateCategory.ApprentiCfaHabilite);
        foreach (var ponctual in new[] { CandidateCategory.PriveHorsContrat, CandidateCategory.EnseignementADistance, CandidateCategory.ExperienceProfessionnelle })
            Assert.Contains(candidates, c => c.Category == ponctual && c.Form == ExamForm.Ponctuel);
        Assert.All(candidates.Where(c => c.Category is CandidateCategory.ExperienceProfessionnelle), c => Assert.Equal("", c.EstablishmentUai));

        Assert.InRange(Share(c => c.OptionalUnits.Count > 0), 0.22, 0.38);
        Assert.Equal(["allemand", "espagnol", "italien"], candidates.Where(c => c.Ef1Language != "").Select(c => c.Ef1Language).Distinct().Order());
        Assert.Contains(candidates, c => c.OptionalUnits.Contains(UnitCode.EF2));
        Assert.Contains(candidates, c => c.OptionalUnits.Contains(UnitCode.EF3));
        Assert.InRange(Share(c => c.DispensedUnits.Count > 0), 0.02, 0.09);
        Assert.InRange(Share(c => c.KeptUnits.Count > 0), 0.01, 0.06);
        Assert.InRange(Share(c => c.Livret), 0.3, 0.5);
        Assert.InRange(Share(c => c.ExtraTimePercent == 33), 0.01, 0.06);

        foreach (var kind in new[] { ResultKind.NonValide, ResultKind.Absent, ResultKind.AbsentExcused, ResultKind.Dispensed, ResultKind.Kept })
            Assert.Contains(marks, m => m.Result.Kind == kind);
        Assert.All(marks.Where(m => m.Result.Kind == ResultKind.NonValide), m => Assert.Contains(m.Unit, new[] { UnitCode.E4, UnitCode.U61, UnitCode.U62 }));

        var examined = marks.Where(m => m.Result.Kind == ResultKind.Mark && UnitCatalogue.Get(m.Unit).IsMandatory).Select(m => (double)m.Result.Mark!.Value).ToList();
        var mean = examined.Average();
        var sd = Math.Sqrt(examined.Average(x => (x - mean) * (x - mean)));
        Assert.InRange(mean, 10.3, 11.7);
        Assert.InRange(sd, 3.0, 4.0);
        Assert.True(examined.Count(x => x % 0.5 == 0) > examined.Count * 0.75, "marks mostly to the half point");

        var outcomes = candidates.Select(c => FirstGroup(c, marks.Where(m => m.CandidateNumber == c.CandidateNumber).ToList())).ToList();
        Assert.InRange(outcomes.Count(o => o.Incomplete) / (double)candidates.Count, 0.02, 0.08);
        Assert.True(outcomes.Count(o => o.Average is >= 8m and < 10m && o.ProAverage >= 10m) >= 15, "second-group band");
        Assert.True(outcomes.Count(o => o.Average is >= 9.5m and < 10m) >= 10, "just below 10");
        Assert.True(outcomes.Count(o => o.Average >= 10m) > candidates.Count / 2, "most pass");
        Assert.Contains(outcomes, o => o.Average < 8m);
    }

    /// <summary>deliberation.md "First group", computed independently of the generator.</summary>
    private static (bool Incomplete, decimal? Average, decimal? ProAverage) FirstGroup(CandidateRow candidate, IReadOnlyList<MarkRow> marks)
    {
        var results = marks.ToDictionary(m => m.Unit, m => m.Result);
        decimal points = 0, coefficients = 0, proPoints = 0, proCoefficients = 0;
        foreach (var unit in UnitCatalogue.Mandatory)
        {
            if (!results.TryGetValue(unit.Code, out var result)) return (true, null, null);
            if (result.Kind == ResultKind.Dispensed) continue;
            if (result.PointsValue is not { } value) return (false, null, null);
            points += unit.Coefficient * value;
            coefficients += unit.Coefficient;
            if (unit.Professional) { proPoints += unit.Coefficient * value; proCoefficients += unit.Coefficient; }
        }
        points += marks.Where(m => UnitCatalogue.Get(m.Unit).IsOptional && m.Result.Kind == ResultKind.Mark).Sum(m => Math.Max(0, m.Result.Mark!.Value - 10));
        Assert.Equal(candidate.DispensedUnits.Sum(u => UnitCatalogue.Get(u).Coefficient), UnitCatalogue.MandatoryCoefficientSum - coefficients);
        return (false, points / coefficients, proPoints / proCoefficients);
    }
}
