using BtsCcst.Domain.Imports;

namespace BtsCcst.Domain.Tests.Imports;

public class CandidatesCsvTests
{
    private static readonly DateOnly SessionDay = new(2024, 5, 14);

    private const string Header =
        "candidate_number,last_name,first_name,birth_date,academy,establishment_uai,category,form,optional_units,ef1_language,dispensed_units,extra_time_percent,livret,kept_units";

    private static ParsedFile<CandidateRow> Parse(string text) => CandidatesCsv.Parse(new StringReader(text), SessionDay);

    private static string File(params string[] rows) => string.Join("\n", [Header, .. rows]) + "\n";

    [Theory]
    [InlineData("-2-3")]
    [InlineData("_C001")]
    public void A_candidate_number_that_is_not_a_whole_identifier_is_refused(string number)
    {
        var parsed = Parse(File($"{number},Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,"));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal("candidate_number", error.Column);
        Assert.Contains("le premier une lettre ou un chiffre", error.Message);
    }

    [Fact]
    public void A_valid_file_gives_every_candidate()
    {
        var parsed = Parse(File(
            "C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,EF1;EF3,Espagnol,,0,oui,",
            "C002,Martin,Lucas,1990-11-02,Polynésie française,,EXPERIENCE_PROFESSIONNELLE,PONCTUEL,,,E1;E21;E22;E3,33,NON,E4:12.5;U61:11",
            "C003,Nguyen,Thi,2003-07-01,orleans-tours,0451234a,APPRENTI_CFA_HABILITE,ccf,EF2,,,,non,"));

        Assert.Empty(parsed.Errors);
        Assert.True(parsed.IsValid);
        Assert.Equal(3, parsed.Rows.Count);

        var marie = parsed.Rows[0];
        Assert.Equal(2, marie.Line);
        Assert.Equal("C001", marie.CandidateNumber);
        Assert.Equal("Dupont", marie.LastName);
        Assert.Equal("Marie", marie.FirstName);
        Assert.Equal(new DateOnly(2004, 3, 17), marie.BirthDate);
        Assert.Equal("NORMANDIE", marie.Academy);
        Assert.Equal("0141234X", marie.EstablishmentUai);
        Assert.Equal(CandidateCategory.ScolairePublic, marie.Category);
        Assert.Equal(ExamForm.Ccf, marie.Form);
        Assert.Equal([UnitCode.EF1, UnitCode.EF3], marie.OptionalUnits);
        Assert.Equal("Espagnol", marie.Ef1Language);
        Assert.Empty(marie.DispensedUnits);
        Assert.Equal(0, marie.ExtraTimePercent);
        Assert.True(marie.Livret);
        Assert.Empty(marie.KeptUnits);

        var lucas = parsed.Rows[1];
        Assert.Equal("POLYNESIE FRANCAISE", lucas.Academy);
        Assert.Equal("", lucas.EstablishmentUai);
        Assert.Equal(ExamForm.Ponctuel, lucas.Form);
        Assert.Equal([UnitCode.E1, UnitCode.E21, UnitCode.E22, UnitCode.E3], lucas.DispensedUnits);
        Assert.Equal(33, lucas.ExtraTimePercent);
        Assert.False(lucas.Livret);
        Assert.Equal(new Dictionary<UnitCode, decimal> { [UnitCode.E4] = 12.5m, [UnitCode.U61] = 11m }, lucas.KeptUnits);

        var thi = parsed.Rows[2];
        Assert.Equal("ORLEANS-TOURS", thi.Academy);
        Assert.Equal("0451234A", thi.EstablishmentUai);
        Assert.Equal(0, thi.ExtraTimePercent);
        Assert.Equal("", thi.Ef1Language);
    }

    [Fact]
    public void A_bad_file_is_refused_whole_with_every_error()
    {
        // Acceptance: wrong column, unknown unit, mark 21, duplicate candidate, bad date.
        var header = Header.Replace(",livret,", ",livret_scolaire,");
        var text = string.Join("\n",
            header,
            "C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,EF4,,,0,oui,",
            "C002,Martin,Lucas,2004-02-30,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,E4:21",
            "C001,Durand,Paul,2003-01-01,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,",
            "C004,Petit,Léa,2003-01-01,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,E1;E7,0,oui,") + "\n";

        var parsed = CandidatesCsv.Parse(new StringReader(text), SessionDay);

        Assert.False(parsed.IsValid);
        Assert.Empty(parsed.Rows);
        Assert.Equal(
            [
                (1, "livret"),
                (2, "optional_units"),
                (3, "birth_date"),
                (3, "kept_units"),
                (4, "candidate_number"),
                (5, "dispensed_units"),
            ],
            parsed.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("livret", parsed.Errors[0].Message);
        Assert.Contains("EF4", parsed.Errors[1].Message);
        Assert.Contains("2004-02-30", parsed.Errors[2].Message);
        Assert.Contains("dépasse 20", parsed.Errors[3].Message);
        Assert.Contains("ligne 2", parsed.Errors[4].Message);
        Assert.Contains("E7", parsed.Errors[5].Message);
    }

    [Theory]
    [InlineData("C 01,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,", "candidate_number")]
    [InlineData("C001,,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,", "last_name")]
    [InlineData("C001,Dupont, ,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,", "first_name")]
    [InlineData("C001,Dupont,Marie,17/03/2004,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,", "birth_date")]
    [InlineData("C001,Dupont,Marie,2025-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,", "birth_date")]
    [InlineData("C001,Dupont,Marie,2012-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,", "birth_date")]
    [InlineData("C001,Dupont,Marie,1904-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,", "birth_date")]
    [InlineData("C001,Dupont,Marie,2004-03-17,CAEN,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,", "academy")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,014123X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,", "establishment_uai")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE,CCF,,,,0,oui,", "category")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,MIXTE,,,,0,oui,", "form")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,E4,,,0,oui,", "optional_units")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,EF2;EF2,,,0,oui,", "optional_units")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,EF1,,,0,oui,", "ef1_language")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,EF2,espagnol,,0,oui,", "ef1_language")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,E4,0,oui,", "dispensed_units")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,150,oui,", "extra_time_percent")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,-5,oui,", "extra_time_percent")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,tiers,oui,", "extra_time_percent")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,yes,", "livret")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,,", "livret")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,E4:9.5", "kept_units")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,EF1:15", "kept_units")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,E4", "kept_units")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,E1,0,oui,E1:12", "kept_units")]
    [InlineData("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,E4:12;E4:13", "kept_units")]
    public void Each_rule_reports_its_column(string row, string column)
    {
        var parsed = Parse(File(row));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal(column, error.Column);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Empty(parsed.Rows);
    }

    [Theory]
    [InlineData("anglais")]
    [InlineData("Anglais")]
    [InlineData("ANGLAIS")]
    [InlineData(" ånglais ")]
    public void English_is_never_the_EF1_language(string language)
    {
        var parsed = Parse(File($"C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,EF1,{language},,0,oui,"));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal("ef1_language", error.Column);
        Assert.Contains("anglais", error.Message);
    }

    [Theory]
    [InlineData("PRIVE_HORS_CONTRAT")]
    [InlineData("APPRENTI_CFA_NON_HABILITE")]
    [InlineData("FPC_NON_HABILITE")]
    [InlineData("ENSEIGNEMENT_A_DISTANCE")]
    [InlineData("EXPERIENCE_PROFESSIONNELLE")]
    public void Categories_without_CCF_are_refused_in_CCF_naming_the_category(string category)
    {
        var parsed = Parse(File(
            $"C001,Dupont,Marie,2004-03-17,NORMANDIE,,{category},CCF,,,,0,oui,",
            $"C002,Dupont,Marc,2004-03-17,NORMANDIE,,{category},PONCTUEL,,,,0,oui,"));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, "form"), (error.Line, error.Column));
        Assert.Contains(category, error.Message);
        Assert.Contains("D643-19", error.Message);
    }

    [Fact]
    public void Several_problems_of_one_field_make_one_error()
    {
        var parsed = Parse(File("C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,E4:8;EF2:14;X9:12"));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal("kept_units", error.Column);
        Assert.Contains("E4", error.Message);
        Assert.Contains("EF2", error.Message);
        Assert.Contains("X9", error.Message);
    }

    [Fact]
    public void Every_bad_field_of_a_row_is_reported()
    {
        var parsed = Parse(File("C 1,,Marie,2004-13-01,PARIS,X,AUTRE,CCF,EF9,,E5,abc,peut-être,E1"));

        Assert.Equal(
            ["candidate_number", "last_name", "birth_date", "academy", "establishment_uai", "category", "optional_units",
             "dispensed_units", "extra_time_percent", "livret", "kept_units"],
            parsed.Errors.Select(e => e.Column));
        Assert.All(parsed.Errors, e => Assert.Equal(2, e.Line));
    }

    [Fact]
    public void Errors_name_the_line_where_the_record_starts_after_quoted_newlines()
    {
        var text = Header + ",notes\n"
            + "C001,\"Dupont,\nde la Tour\",Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,,\"suivi\nsur\ntrois lignes\"\n"
            + "C002,Martin,Lucas,2004-02-30,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,,\n"
            + "\n"
            + "C003,Durand,\"Paul\",2004-01-01,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,\"E4:12,5\",\n";

        var parsed = Parse(text);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((6, "birth_date"), (error.Line, error.Column));
        Assert.Equal(["C001", "C003"], parsed.Rows.Select(r => r.CandidateNumber));
        Assert.Equal("Dupont,\nde la Tour", parsed.Rows[0].LastName);
        Assert.Equal(2, parsed.Rows[0].Line);
        Assert.Equal(8, parsed.Rows[1].Line);
        Assert.Equal(12.5m, parsed.Rows[1].KeptUnits[UnitCode.E4]);
    }

    [Fact]
    public void Columns_are_matched_by_name_and_extra_columns_ignored()
    {
        var text = "remarque,kept_units,livret,extra_time_percent,dispensed_units,ef1_language,optional_units,form,category,"
                   + "establishment_uai,academy,birth_date,first_name,last_name,candidate_number,commune\n"
                   + "à revoir,,oui,0,,,,CCF,SCOLAIRE_PUBLIC,0141234X,NORMANDIE,2004-03-17,Marie,Dupont,C001,Caen\n";

        var parsed = Parse(text);

        Assert.Empty(parsed.Errors);
        var row = Assert.Single(parsed.Rows);
        Assert.Equal(("C001", "Dupont", "Marie"), (row.CandidateNumber, row.LastName, row.FirstName));
    }

    [Fact]
    public void Byte_order_mark_CRLF_and_blank_trailing_lines_are_tolerated()
    {
        var text = "\uFEFF" + Header + "\r\n"
                   + "C001,Dupont,Marie,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,\r\n"
                   + "C002,Martin,Lucas,2004-02-30,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,\r\n"
                   + "\r\n,,,,,,,,,,,,,\r\n\r\n";

        var parsed = Parse(text);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((3, "birth_date"), (error.Line, error.Column));
        Assert.Equal("C001", Assert.Single(parsed.Rows).CandidateNumber);
    }

    [Fact]
    public void A_byte_order_mark_read_through_a_stream_is_tolerated()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble()
            .Concat(System.Text.Encoding.UTF8.GetBytes(File("C001,Dupont,Léa,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,")))
            .ToArray();
        using var reader = new StreamReader(new MemoryStream(bytes), new System.Text.UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);

        var parsed = CandidatesCsv.Parse(reader, SessionDay);

        Assert.Empty(parsed.Errors);
        Assert.Equal("Léa", Assert.Single(parsed.Rows).FirstName);
    }

    [Fact]
    public void Every_missing_column_is_reported_on_line_1()
    {
        var parsed = Parse("candidate_number,last_name\nC001,Dupont\n");

        Assert.Equal(CandidatesCsv.Columns.Skip(2), parsed.Errors.Where(e => e.Line == 1).Select(e => e.Column));
        Assert.Empty(parsed.Rows);
    }

    [Fact]
    public void An_empty_file_is_an_error()
    {
        var error = Assert.Single(Parse("").Errors);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void A_name_longer_than_its_column_allows_is_refused_naming_the_limit()
    {
        var longName = new string('A', FieldLengths.PersonName + 1);
        var parsed = Parse(File($"C001,{longName},Léa,2004-03-17,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,CCF,,,,0,oui,"));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, "last_name"), (error.Line, error.Column));
        Assert.Contains($"dépasse {FieldLengths.PersonName} caractères", error.Message);
        Assert.Empty(parsed.Rows);
    }
}
