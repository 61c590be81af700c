using BtsCcst.Domain;
using FsCheck.Xunit;

namespace BtsCcst.Domain.Tests;

public class UnitResultTests
{
    [Theory]
    [InlineData("12,5", ResultKind.Mark, "12.5")]
    [InlineData("12.50", ResultKind.Mark, "12.5")]
    [InlineData(" 20 ", ResultKind.Mark, "20")]
    [InlineData("0", ResultKind.Mark, "0")]
    [InlineData("0.05", ResultKind.Mark, "0.05")]
    [InlineData("abs", ResultKind.Absent, "ABS")]
    [InlineData("ABSJ", ResultKind.AbsentExcused, "ABSJ")]
    [InlineData("nv", ResultKind.NonValide, "NV")]
    [InlineData("DISP", ResultKind.Dispensed, "DISP")]
    [InlineData("BEN:12,50", ResultKind.Kept, "BEN:12.5")]
    [InlineData("ben:10", ResultKind.Kept, "BEN:10")]
    public void Accepted_and_written_canonically(string text, ResultKind kind, string canonical)
    {
        Assert.True(UnitResult.TryParse(text, out var result, out var error));
        Assert.Null(error);
        Assert.Equal(kind, result.Kind);
        Assert.Equal(canonical, result.ToString());
    }

    [Theory]
    [InlineData("21", "dépasse 20")]
    [InlineData("20.01", "dépasse 20")]
    [InlineData("12.345", "2 décimales")]
    [InlineData("-1", "n'est pas un résultat valable")]
    [InlineData("abc", "n'est pas un résultat valable")]
    [InlineData("", "Résultat vide")]
    [InlineData("BEN:9", "D643-23")]
    [InlineData("BEN:", "n'est pas une note")]
    public void Refused_with_a_french_message(string text, string reason)
    {
        Assert.False(UnitResult.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Points_value_of_each_kind()
    {
        Assert.Equal(12.5m, UnitResult.Parse("12,5").PointsValue);
        Assert.Equal(14m, UnitResult.Parse("BEN:14").PointsValue);
        Assert.Equal(0m, UnitResult.AbsentExcused.PointsValue);
        Assert.Null(UnitResult.Absent.PointsValue);
        Assert.Null(UnitResult.NonValide.PointsValue);
        Assert.Null(UnitResult.Dispensed.PointsValue);
    }

    [Property(MaxTest = 300)]
    public bool Every_valid_mark_round_trips_through_its_canonical_text(ushort raw, bool comma)
    {
        var mark = raw % 2001 / 100m;
        var text = UnitResult.Examined(mark).ToString();
        var parsed = UnitResult.Parse(comma ? text.Replace('.', ',') : text);
        return parsed == UnitResult.Examined(mark) && parsed.ToString() == text;
    }
}

public class CodesTests
{
    [Fact]
    public void Every_category_and_decision_round_trips()
    {
        foreach (var c in Enum.GetValues<CandidateCategory>())
        {
            Assert.True(Codes.TryParse<CandidateCategory>(c.ToCode(), out var back));
            Assert.Equal(c, back);
        }
        foreach (var d in Enum.GetValues<Decision>())
        {
            Assert.True(Codes.TryParse<Decision>(d.ToCode(), out var back));
            Assert.Equal(d, back);
        }
        foreach (var p in Enum.GetValues<JuryPhase>())
        {
            Assert.True(Codes.TryParse<JuryPhase>(p.ToCode(), out var back));
            Assert.Equal(p, back);
        }
    }

    [Fact]
    public void Codes_are_those_of_the_exchange_files()
    {
        Assert.Equal(
            ["INCOMPLET", "NON_VALIDE", "ABSENT", "ADMIS", "SECOND_GROUPE", "AJOURNE"],
            Enum.GetValues<Decision>().Select(d => d.ToCode()));
        Assert.Equal(
            ["SCOLAIRE_PUBLIC", "SCOLAIRE_PRIVE_SOUS_CONTRAT", "APPRENTI_CFA_HABILITE", "FPC_PUBLIC_HABILITE", "PRIVE_HORS_CONTRAT",
             "APPRENTI_CFA_NON_HABILITE", "FPC_NON_HABILITE", "ENSEIGNEMENT_A_DISTANCE", "EXPERIENCE_PROFESSIONNELLE"],
            Enum.GetValues<CandidateCategory>().Select(c => c.ToCode()));
        Assert.Equal(["FIRST_OPEN", "FIRST_CLOSED", "SECOND_OPEN", "CLOSED"], Enum.GetValues<JuryPhase>().Select(p => p.ToCode()));
    }

    [Theory]
    [InlineData("second_groupe", true)]
    [InlineData(" AJOURNE ", true)]
    [InlineData("SECONDGROUPE", false)]
    [InlineData("SecondGroupe", false)]
    [InlineData("3", false)]
    [InlineData("", false)]
    [InlineData("RECU", false)]
    public void Decision_parsing_accepts_only_codes(string text, bool ok)
    {
        Assert.Equal(ok, Codes.TryParse<Decision>(text, out _));
    }
}
