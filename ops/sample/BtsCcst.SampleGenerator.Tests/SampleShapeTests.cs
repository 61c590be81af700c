using BtsCcst.Domain;

namespace BtsCcst.SampleGenerator.Tests;

/// <summary>The calendar and staffing shapes (SampleShape): files that parse, and the shape each one promises.</summary>
public sealed class SampleShapeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bts-sample-shapes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private SampleFiles WriteAndParse(SampleSize size, string shape) =>
        SampleFiles.WriteAndParse(SampleSession.Generate(size, 42, SampleShape.Named[shape]), Path.Combine(_root, $"{size}-{shape}"));

    private static readonly DateOnly WrittenE21AndE1 = new(2024, 5, 15);
    private static readonly DateOnly WrittenE5 = new(2024, 5, 16);

    [Theory]
    [InlineData("written-days")]
    [InlineData("hard")]
    public void Written_exam_days_fall_inside_the_oral_window_at_every_other_centre(string shape)
    {
        var files = WriteAndParse(SampleSize.Academy, shape);

        Assert.Empty(files.Errors);
        var centres = files.Centres.Rows;
        Assert.Equal(4, centres.Count);
        Assert.All(centres, c => Assert.Equal(4, c.Dates.Count));
        var open = centres.Where(c => c.Dates.Contains(WrittenE21AndE1) && c.Dates.Contains(WrittenE5)).ToList();
        Assert.Equal(2, open.Count);
        Assert.All(centres.Except(open), c => Assert.DoesNotContain(c.Dates, d => d <= WrittenE5));
        // Annexe 2 leaves 08:00–10:30 and, after lunch, 13:30–14:30 on 15 May in Métropole: 210 free minutes.
        var written = WrittenExamCalendar.Session2024.On(WrittenE21AndE1, "Europe/Paris").Select(e => e.Unit).Order();
        Assert.Equal([UnitCode.E1, UnitCode.E21], written);
        // Examiners of those centres are called on those days too.
        Assert.All(open, c => Assert.Contains(files.Examiners.Rows, e => e.CentreIds.Contains(c.CentreId) && e.AvailableDates.Contains(WrittenE21AndE1)));
    }

    [Fact]
    public void The_hard_shape_has_uneven_centres_scarce_language_teachers_and_tighter_margins()
    {
        var standard = WriteAndParse(SampleSize.Academy, "standard");
        var hard = WriteAndParse(SampleSize.Academy, "hard");

        Assert.Empty(hard.Errors);
        var rooms = hard.Centres.Rows.Select(c => c.ExamRooms).ToList();
        Assert.True(rooms.Max() >= 2 * rooms.Min(), $"rooms {string.Join(", ", rooms)}");
        var languageCentres = hard.Examiners.Rows.Where(e => e.Discipline == Discipline.Langue).SelectMany(e => e.CentreIds).Distinct().ToList();
        Assert.True(languageCentres.Count < hard.Centres.Rows.Count, "language teachers at some centres only");
        Assert.True(hard.Examiners.Rows.Count < standard.Examiners.Rows.Count, "fewer examiners than the standard shape");
        var candidateSchools = hard.Candidates.Rows.Select(c => c.EstablishmentUai).ToHashSet();
        Assert.Contains(hard.Examiners.Rows, e => candidateSchools.Contains(e.EstablishmentUai));
    }

    [Fact]
    public void One_centre_per_academy_group()
    {
        var files = WriteAndParse(SampleSize.National, "one-centre");

        Assert.Empty(files.Errors);
        Assert.Equal(files.Juries.Rows.Count, files.Centres.Rows.Count);
        var academies = files.Centres.Rows.SelectMany(c => c.Academies).ToList();
        Assert.Equal(academies.Count, academies.Distinct().Count());
    }
}
