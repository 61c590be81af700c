using BtsCcst.Domain.Imports;

namespace BtsCcst.Domain.Tests.Imports;

public class ExaminersCsvTests
{
    private const string Header =
        "examiner_id,last_name,first_name,email,discipline,languages,establishment_uai,centre_ids,available_dates,max_minutes_per_day";

    private const string Valid = "EX01,Dupont,Marie,marie.dupont@ac-normandie.fr,ECO_GESTION,,0141234X,CAEN-1,2024-05-27,";

    private static ParsedFile<ExaminerRow> Parse(string text) => ExaminersCsv.Parse(new StringReader(text));

    private static string File(params string[] rows) => string.Join("\n", [Header, .. rows]) + "\n";

    /// <summary>The valid row with one field (by column name) replaced.</summary>
    private static string With(string column, string value)
    {
        var fields = Valid.Split(',');
        fields[ExaminersCsv.Columns.ToList().IndexOf(column)] = value;
        return string.Join(",", fields);
    }

    [Fact]
    public void A_valid_file_gives_every_examiner()
    {
        var parsed = Parse(File(
            Valid,
            "EX02,Garcia,Lucía,lucia.garcia@ac-normandie.fr,langue,\" Espagnol ; Italien \",0761234b,\"CAEN-1; ROUEN-2\",2024-05-28;2024-05-27,240",
            "EX03,Legrand,Paul,p.legrand@legrand.fr,PROFESSIONNEL,,,CAEN-1,2024-05-27,720",
            "EX04,Smith,Anne,anne.smith@ac-normandie.fr,ANGLAIS,anglais,0141235Y,CAEN-1,2024-05-27,20",
            "EX05,Morel,Jean,jean.morel@ac-normandie.fr,ANGLAIS,,0141235Y,CAEN-1,2024-05-27,"));

        Assert.Empty(parsed.Errors);
        Assert.Equal(5, parsed.Rows.Count);

        var marie = parsed.Rows[0];
        Assert.Equal(2, marie.Line);
        Assert.Equal(("EX01", "Dupont", "Marie", "marie.dupont@ac-normandie.fr"), (marie.ExaminerId, marie.LastName, marie.FirstName, marie.Email));
        Assert.Equal(Discipline.EcoGestion, marie.Discipline);
        Assert.Empty(marie.Languages);
        Assert.Equal("0141234X", marie.EstablishmentUai);
        Assert.Equal(["CAEN-1"], marie.CentreIds);
        Assert.Equal([new DateOnly(2024, 5, 27)], marie.AvailableDates);
        Assert.Equal(OralRules.DefaultMaxMinutesPerDay, marie.MaxMinutesPerDay);

        var lucia = parsed.Rows[1];
        Assert.Equal(Discipline.Langue, lucia.Discipline);
        Assert.Equal(["espagnol", "italien"], lucia.Languages);
        Assert.Equal("0761234B", lucia.EstablishmentUai);
        Assert.Equal(["CAEN-1", "ROUEN-2"], lucia.CentreIds);
        Assert.Contains("rouen-2", lucia.CentreIds);
        Assert.Equal([new DateOnly(2024, 5, 27), new DateOnly(2024, 5, 28)], lucia.AvailableDates);
        Assert.Equal(240, lucia.MaxMinutesPerDay);

        var paul = parsed.Rows[2];
        Assert.Equal(Discipline.Professionnel, paul.Discipline);
        Assert.Equal("", paul.EstablishmentUai);
        Assert.Equal(720, paul.MaxMinutesPerDay);

        Assert.Equal(["anglais"], parsed.Rows[3].Languages);
        Assert.Equal(20, parsed.Rows[3].MaxMinutesPerDay);
        Assert.Empty(parsed.Rows[4].Languages);
    }

    [Theory]
    [InlineData("examiner_id", "EX 01")]
    [InlineData("examiner_id", "")]
    [InlineData("examiner_id", "EX0123456789012345678901234567890")]
    [InlineData("last_name", "")]
    [InlineData("first_name", " ")]
    [InlineData("email", "")]
    [InlineData("email", "marie.dupont")]
    [InlineData("email", "marie@normandie")]
    [InlineData("email", "marie dupont@ac-normandie.fr")]
    [InlineData("email", "marie@@ac-normandie.fr")]
    [InlineData("discipline", "")]
    [InlineData("discipline", "ECONOMIE")]
    [InlineData("discipline", "ECOGESTION")]
    [InlineData("languages", "espagnol")]
    [InlineData("establishment_uai", "014123X")]
    [InlineData("establishment_uai", "")]
    [InlineData("centre_ids", "")]
    [InlineData("centre_ids", ";")]
    [InlineData("centre_ids", "CAEN 1")]
    [InlineData("centre_ids", "CAEN-1;caen-1")]
    [InlineData("available_dates", "")]
    [InlineData("available_dates", "27/05/2024")]
    [InlineData("available_dates", "2024-02-30")]
    [InlineData("available_dates", "2024-05-27;2024-05-27")]
    [InlineData("max_minutes_per_day", "19")]
    [InlineData("max_minutes_per_day", "721")]
    [InlineData("max_minutes_per_day", "-60")]
    [InlineData("max_minutes_per_day", "7h")]
    [InlineData("max_minutes_per_day", "420.5")]
    public void Each_rule_reports_its_column(string column, string value)
    {
        var parsed = Parse(File(With(column, value)));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Empty(parsed.Rows);
    }

    [Theory]
    [InlineData("LANGUE,,0141234X", "obligatoires")]
    [InlineData("LANGUE,;,0141234X", "obligatoires")]
    [InlineData("LANGUE,espagnol;Espagnol,0141234X", "répétée")]
    [InlineData("LANGUE,espagnol;éspagnol,0141234X", "répétée")]
    [InlineData("LANGUE,esp4gnol,0141234X", "esp4gnol")]
    [InlineData("STI,allemand,0141234X", "STI")]
    [InlineData("PROFESSIONNEL,espagnol,", "PROFESSIONNEL")]
    public void Languages_are_required_for_LANGUE_and_refused_outside_LANGUE_and_ANGLAIS(string disciplineLanguagesUai, string inMessage)
    {
        var parsed = Parse(File($"EX01,Dupont,Marie,marie.dupont@ac-normandie.fr,{disciplineLanguagesUai},CAEN-1,2024-05-27,"));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, "languages"), (error.Line, error.Column));
        Assert.Contains(inMessage, error.Message);
    }

    [Theory]
    [InlineData("ECO_GESTION")]
    [InlineData("STI")]
    [InlineData("ANGLAIS")]
    [InlineData("LETTRES")]
    public void A_teacher_needs_a_school_code_a_professional_may_have_one(string discipline)
    {
        var parsed = Parse(File(
            $"EX01,Dupont,Marie,marie.dupont@ac-normandie.fr,{discipline},,,CAEN-1,2024-05-27,",
            "EX02,Legrand,Paul,p.legrand@legrand.fr,PROFESSIONNEL,,0141234X,CAEN-1,2024-05-27,"));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, "establishment_uai"), (error.Line, error.Column));
        Assert.Contains(discipline, error.Message);
        Assert.Equal("0141234X", Assert.Single(parsed.Rows).EstablishmentUai);
    }

    [Fact]
    public void A_bad_file_is_refused_whole_with_every_error_and_the_rows_that_parsed()
    {
        var parsed = Parse(File(
            Valid,
            "EX02,Martin,Paul,paul.martin@ac-normandie.fr,STI,,0141234X,CAEN-1;ROUEN 2,2024-05-27;2024-05-32,900",
            "ex01,Durand,Léa,lea.durand@ac-normandie.fr,ANGLAIS,,0141234X,CAEN-1,2024-05-27,",
            "EX04,Petit,Jean,jean.petit@,MATHS,,0141234X,CAEN-1,2024-05-27,",
            "EX05,Roux,Anne,anne.roux@ac-normandie.fr,LANGUE,allemand,0141234X,CAEN-1,2024-05-27,"));

        Assert.False(parsed.IsValid);
        Assert.Equal(
            [
                (3, "centre_ids"), (3, "available_dates"), (3, "max_minutes_per_day"),
                (4, "examiner_id"),
                (5, "email"), (5, "discipline"),
            ],
            parsed.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("ROUEN 2", parsed.Errors[0].Message);
        Assert.Contains("2024-05-32", parsed.Errors[1].Message);
        Assert.Contains("900", parsed.Errors[2].Message);
        Assert.Contains("ligne 2", parsed.Errors[3].Message);
        Assert.Contains("MATHS", parsed.Errors[5].Message);
        Assert.Equal([(2, "EX01"), (6, "EX05")], parsed.Rows.Select(r => (r.Line, r.ExaminerId)));
    }

    [Fact]
    public void Columns_are_matched_by_name_quotes_and_line_breaks_are_read()
    {
        var text = "\uFEFFmax_minutes_per_day,available_dates,centre_ids,establishment_uai,languages,discipline,email,first_name,last_name,examiner_id,remarque\r\n"
                   + ",\"2024-05-27;\n2024-05-28\",CAEN-1,0141234X,,STI,jean.roux@ac-normandie.fr,Jean,\"Roux, dit \"\"Jeannot\"\"\",EX01,\"à voir\"\r\n"
                   + "300,2024-05-27,CAEN-1,0141234X,,STI,x,Luc,Blanc,EX02,\r\n";

        var parsed = Parse(text);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((4, "email"), (error.Line, error.Column));
        var row = Assert.Single(parsed.Rows);
        Assert.Equal(2, row.Line);
        Assert.Equal("Roux, dit \"Jeannot\"", row.LastName);
        Assert.Equal(2, row.AvailableDates.Count);
    }

    [Fact]
    public void Every_missing_column_is_reported_on_line_1()
    {
        var parsed = Parse("examiner_id,last_name,first_name,email\nEX01,Dupont,Marie,marie.dupont@ac-normandie.fr\n");

        Assert.Equal(ExaminersCsv.Columns.Skip(4), parsed.Errors.Select(e => e.Column));
        Assert.All(parsed.Errors, e => Assert.Equal(1, e.Line));
        Assert.Empty(parsed.Rows);
    }
}
