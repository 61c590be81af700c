using BtsCcst.Domain.Imports;

namespace BtsCcst.Domain.Tests.Imports;

public class ConformityCsvTests
{
    private const string Header = "candidate_number,unit,status,reasons,details";

    private static ParsedFile<ConformityRow> Parse(string text) => ConformityCsv.Parse(new StringReader(text));

    private static string File(params string[] rows) => string.Join("\n", [Header, .. rows]) + "\n";

    [Fact]
    public void A_valid_file_gives_every_row()
    {
        var parsed = Parse(File(
            "C001,E4,CONFORME,,",
            "C001,E61,NON_CONFORME,\"ATTESTATION_STAGE_ABSENTE; duree_stage_insuffisante\",",
            "C001,U62,non_conforme,AUTRE,\"Dossier de 35 pages, au-delà des 20 pages\"",
            "C002,EF2,NON_CONFORME,FICHE_OU_DOSSIER_ABSENT,Support non fourni",
            "C002,EF3,CONFORME,,Fiche de l'annexe 22 reçue"));

        Assert.Empty(parsed.Errors);
        Assert.Equal(
            [
                (2, "C001", UnitCode.E4, ConformityStatus.Conforme),
                (3, "C001", UnitCode.U61, ConformityStatus.NonConforme),
                (4, "C001", UnitCode.U62, ConformityStatus.NonConforme),
                (5, "C002", UnitCode.EF2, ConformityStatus.NonConforme),
                (6, "C002", UnitCode.EF3, ConformityStatus.Conforme),
            ],
            parsed.Rows.Select(r => (r.Line, r.CandidateNumber, r.Unit, r.Status)));
        Assert.Empty(parsed.Rows[0].Reasons);
        Assert.Equal([NonConformityReason.AttestationStageAbsente, NonConformityReason.DureeStageInsuffisante], parsed.Rows[1].Reasons);
        Assert.Equal([NonConformityReason.Autre], parsed.Rows[2].Reasons);
        Assert.Equal("Dossier de 35 pages, au-delà des 20 pages", parsed.Rows[2].Details);
        Assert.Equal("Support non fourni", parsed.Rows[3].Details);
        Assert.Equal("Fiche de l'annexe 22 reçue", parsed.Rows[4].Details);
    }

    [Fact]
    public void Every_reason_of_Annexe_4_is_read()
    {
        var parsed = Parse(File("C001,E4,NON_CONFORME,"
            + "ATTESTATION_STAGE_ABSENTE;DUREE_STAGE_INSUFFISANTE;CERTIFICAT_TRAVAIL_ABSENT;PIECES_NON_VISEES_OU_NON_SIGNEES;"
            + "FICHE_PROJET_ABSENTE;FICHE_OU_DOSSIER_ABSENT;AUTRE,Fiche non conforme au modèle"));

        Assert.Empty(parsed.Errors);
        Assert.Equal(Enum.GetValues<NonConformityReason>(), Assert.Single(parsed.Rows).Reasons);
    }

    [Theory]
    [InlineData("C 001,E4,CONFORME,,", "candidate_number")]
    [InlineData(",E4,CONFORME,,", "candidate_number")]
    [InlineData("C001,,CONFORME,,", "unit")]
    [InlineData("C001,E7,CONFORME,,", "unit")]
    [InlineData("C001,E1,CONFORME,,", "unit")]
    [InlineData("C001,E22,NON_CONFORME,AUTRE,Absent", "unit")]
    [InlineData("C001,EF1,CONFORME,,", "unit")]
    [InlineData("C001,E4,,,", "status")]
    [InlineData("C001,E4,OK,,", "status")]
    [InlineData("C001,E4,NONCONFORME,FICHE_PROJET_ABSENTE,", "status")]
    [InlineData("C001,E4,CONFORME,FICHE_PROJET_ABSENTE,", "reasons")]
    [InlineData("C001,E4,NON_CONFORME,,", "reasons")]
    [InlineData("C001,E4,NON_CONFORME,;,", "reasons")]
    [InlineData("C001,E4,NON_CONFORME,FICHE_ABSENTE,", "reasons")]
    [InlineData("C001,E4,NON_CONFORME,FICHE_PROJET_ABSENTE;fiche_projet_absente,", "reasons")]
    [InlineData("C001,E4,NON_CONFORME,AUTRE,", "details")]
    [InlineData("C001,E4,NON_CONFORME,FICHE_PROJET_ABSENTE;AUTRE, ", "details")]
    public void Each_rule_reports_its_column(string row, string column)
    {
        var parsed = Parse(File(row));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Empty(parsed.Rows);
    }

    [Fact]
    public void A_bad_file_is_refused_whole_with_every_error_and_the_rows_that_parsed()
    {
        var parsed = Parse(File(
            "C001,E4,CONFORME,,",
            "C001,U61,NON_CONFORME,ATTESTATION_STAGE_ABSENTE,",
            "c001,E61,CONFORME,,",
            "C002,E5,CONFORME,,",
            "C003,U62,NON_CONFORME,AUTRE;DOSSIER_PERDU,",
            "C004,EF3,NON_CONFORME,AUTRE,Fiche d'engagement non signée"));

        Assert.False(parsed.IsValid);
        Assert.Equal(
            [(4, "unit"), (5, "unit"), (6, "reasons"), (6, "details")],
            parsed.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("ligne 3", parsed.Errors[0].Message);
        Assert.Contains("U61", parsed.Errors[0].Message);
        Assert.Contains("E5", parsed.Errors[1].Message);
        Assert.Contains("DOSSIER_PERDU", parsed.Errors[2].Message);
        Assert.Contains("AUTRE", parsed.Errors[3].Message);
        Assert.Equal([(2, UnitCode.E4), (3, UnitCode.U61), (7, UnitCode.EF3)], parsed.Rows.Select(r => (r.Line, r.Unit)));
    }

    [Fact]
    public void Quoted_details_over_several_lines_keep_the_line_numbers_right()
    {
        var parsed = Parse("\uFEFFcandidate_number,unit,status,reasons,details,controleur\r\n"
                           + "C001,E4,NON_CONFORME,AUTRE,\"Fiche descriptive \"\"projet\"\" illisible,\r\nà redéposer\",Mme Morel\r\n"
                           + "C002,E4,NON_CONFORME,AUTRE,,Mme Morel\r\n");

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((4, "details"), (error.Line, error.Column));
        var row = Assert.Single(parsed.Rows);
        Assert.Equal("Fiche descriptive \"projet\" illisible,\nà redéposer", row.Details);
    }

    [Fact]
    public void Every_missing_column_is_reported_on_line_1()
    {
        var parsed = Parse("candidate_number,unit,statut\nC001,E4,CONFORME\n");

        Assert.Equal(["status", "reasons", "details"], parsed.Errors.Select(e => e.Column));
        Assert.All(parsed.Errors, e => Assert.Equal(1, e.Line));
        Assert.Empty(parsed.Rows);
    }
}
