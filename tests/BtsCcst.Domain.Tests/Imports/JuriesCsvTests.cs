using BtsCcst.Domain.Imports;

namespace BtsCcst.Domain.Tests.Imports;

public class JuriesCsvTests
{
    private static ParsedFile<JuryRow> Parse(string text) => JuriesCsv.Parse(new StringReader(text));

    [Fact]
    public void A_valid_file_gives_every_jury_with_normalised_academies()
    {
        var parsed = Parse("jury_id,academies,president,members\n"
                           + "NORMANDIE,Normandie;Nouvelle-Calédonie;polynesie-francaise,Mme Claire Morel (IA-IPR),Jean Petit;Anne Roux\n"
                           + "BORDEAUX,\"BORDEAUX; LIMOGES ; POITIERS\",M. Paul Faure,\n");

        Assert.Empty(parsed.Errors);
        Assert.Equal(2, parsed.Rows.Count);
        Assert.Equal(["NORMANDIE", "NOUVELLE-CALEDONIE", "POLYNESIE FRANCAISE"], parsed.Rows[0].Academies);
        Assert.Equal(["Jean Petit", "Anne Roux"], parsed.Rows[0].Members);
        Assert.Equal("Mme Claire Morel (IA-IPR)", parsed.Rows[0].President);
        Assert.Equal(["BORDEAUX", "LIMOGES", "POITIERS"], parsed.Rows[1].Academies);
        Assert.Empty(parsed.Rows[1].Members);
        Assert.Equal(3, parsed.Rows[1].Line);
    }

    [Fact]
    public void Every_error_is_reported()
    {
        var parsed = Parse("jury_id,academies,president,members\n"
                           + "J1,NORMANDIE;CAEN,Mme Morel,\n"
                           + "J2,LILLE;NORMANDIE,,\n"
                           + "J1,LYON,M. Faure,\n"
                           + "J 4,,M. Faure,\n"
                           + "J5,LYON;LYON,M. Faure,\n");

        Assert.Equal(
            [
                (2, "academies"), (3, "academies"), (3, "president"), (4, "jury_id"), (5, "jury_id"), (5, "academies"), (6, "academies"),
            ],
            parsed.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("CAEN", parsed.Errors[0].Message);
        Assert.Contains("J1", parsed.Errors[1].Message);
        Assert.Contains("ligne 2", parsed.Errors[1].Message);
        Assert.Contains("ligne 2", parsed.Errors[3].Message);
        Assert.Contains("LYON", parsed.Errors[6].Message);
    }
}
