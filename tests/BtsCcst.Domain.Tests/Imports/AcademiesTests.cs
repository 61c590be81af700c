using BtsCcst.Domain.Imports;

namespace BtsCcst.Domain.Tests.Imports;

public class AcademiesTests
{
    [Fact]
    public void Annexe_1_lists_thirty_academies()
    {
        Assert.Equal(30, Academies.All.Count);
        Assert.Equal(Academies.All.Count, Academies.All.Distinct().Count());
        Assert.Contains("POLYNESIE FRANCAISE", Academies.All);
        Assert.DoesNotContain("CAEN", Academies.All);
    }

    [Theory]
    [InlineData("NORMANDIE", "NORMANDIE")]
    [InlineData(" normandie ", "NORMANDIE")]
    [InlineData("Besançon", "BESANCON")]
    [InlineData("Orléans-Tours", "ORLEANS-TOURS")]
    [InlineData("orleans tours", "ORLEANS-TOURS")]
    [InlineData("Polynésie française", "POLYNESIE FRANCAISE")]
    [InlineData("POLYNESIE-FRANCAISE", "POLYNESIE FRANCAISE")]
    [InlineData("Nouvelle Calédonie", "NOUVELLE-CALEDONIE")]
    [InlineData("La Réunion", "REUNION")]
    [InlineData("siec", "SIEC")]
    public void Names_are_matched_ignoring_case_accents_and_separators(string text, string expected)
    {
        Assert.True(Academies.TryNormalize(text, out var academy));
        Assert.Equal(expected, academy);
    }

    [Theory]
    [InlineData("CAEN")]
    [InlineData("PARIS")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_are_refused(string? text) => Assert.False(Academies.TryNormalize(text, out _));

    [Theory]
    [InlineData("POLYNESIE FRANCAISE", "POLYNESIE-FRANCAISE")]
    [InlineData("AIX-MARSEILLE", "AIX-MARSEILLE")]
    [InlineData("Normandie", "NORMANDIE")]
    public void Default_jury_id_turns_spaces_into_hyphens(string academy, string juryId)
    {
        Assert.Equal(juryId, Academies.DefaultJuryId(academy));
        Assert.True(FieldRules.IsId(Academies.DefaultJuryId(academy)));
    }

    [Fact]
    public void Every_default_jury_id_is_an_identifier() =>
        Assert.All(Academies.All, a => Assert.True(FieldRules.IsId(Academies.DefaultJuryId(a))));
}
