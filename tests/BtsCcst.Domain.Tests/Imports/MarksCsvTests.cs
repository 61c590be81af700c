using BtsCcst.Domain.Imports;

namespace BtsCcst.Domain.Tests.Imports;

public class MarksCsvTests
{
    private static ParsedFile<MarkRow> Parse(string text) => MarksCsv.Parse(new StringReader(text));

    [Fact]
    public void A_valid_file_gives_every_result()
    {
        var parsed = Parse("candidate_number,unit,result\n"
                           + "C001,E1,12.5\n"
                           + "C001,E21,\"12,5\"\n"
                           + "C001,E22,DISP\n"
                           + "C001,E4,NV\n"
                           + "C001,E61,abs\n"
                           + "C001,U62,BEN:14\n"
                           + "C001,EF1,ABSJ\n"
                           + "C001,C_E1,9.25\n");

        Assert.Empty(parsed.Errors);
        Assert.Equal(
            [
                (2, UnitCode.E1, UnitResult.Examined(12.5m)),
                (3, UnitCode.E21, UnitResult.Examined(12.5m)),
                (4, UnitCode.E22, UnitResult.Dispensed),
                (5, UnitCode.E4, UnitResult.NonValide),
                (6, UnitCode.U61, UnitResult.Absent),
                (7, UnitCode.U62, UnitResult.KeptFromEarlierSession(14m)),
                (8, UnitCode.EF1, UnitResult.AbsentExcused),
                (9, UnitCode.C_E1, UnitResult.Examined(9.25m)),
            ],
            parsed.Rows.Select(r => (r.Line, r.Unit, r.Result)));
        Assert.All(parsed.Rows, r => Assert.Equal("C001", r.CandidateNumber));
    }

    [Fact]
    public void A_bad_file_is_refused_whole_with_every_error()
    {
        // Acceptance: wrong column, unknown unit, mark 21, duplicate (candidate, unit), bad values.
        var parsed = Parse("candidate_number,unite,result\n"
                           + "C001,E1,12\n");
        var header = Assert.Single(parsed.Errors);
        Assert.Equal((1, "unit"), (header.Line, header.Column));
        Assert.Empty(parsed.Rows);

        parsed = Parse("candidate_number,unit,result\n"
                       + "C001,E7,12\n"
                       + "C001,E1,21\n"
                       + "C002,E4,15\n"
                       + "C002,E4,16\n"
                       + "C003,E5,NV\n"
                       + "C003,E4,DISP\n"
                       + "C003,EF2,BEN:12\n"
                       + "C/3,E1,\n"
                       + "C004,E1,12.555\n");

        Assert.False(parsed.IsValid);
        Assert.Equal(
            [
                (2, "unit"), (3, "result"), (5, "unit"), (6, "result"), (7, "result"), (8, "result"),
                (9, "candidate_number"), (9, "result"), (10, "result"),
            ],
            parsed.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("E7", parsed.Errors[0].Message);
        Assert.Contains("dépasse 20", parsed.Errors[1].Message);
        Assert.Contains("ligne 4", parsed.Errors[2].Message);
        Assert.Contains("NV", parsed.Errors[3].Message);
        Assert.Equal([(4, "C002")], parsed.Rows.Select(r => (r.Line, r.CandidateNumber)));
    }

    [Fact]
    public void Rows_with_extra_columns_quotes_and_CRLF_are_read()
    {
        var parsed = Parse("\uFEFFcommission,candidate_number,result,unit,commentaire\r\n"
                           + "CM1,C001,\"13,75\",E4,\"très bien, \"\"solide\"\"\r\nà confirmer\"\r\n"
                           + "CM1,C002,8,E4,\r\n");

        Assert.Empty(parsed.Errors);
        Assert.Equal([(2, "C001", 13.75m), (4, "C002", 8m)], parsed.Rows.Select(r => (r.Line, r.CandidateNumber, r.Result.Mark!.Value)));
    }

    [Fact]
    public void An_unclosed_quote_is_reported_where_its_record_starts()
    {
        var parsed = Parse("candidate_number,unit,result\nC001,E1,12\nC002,E1,\"12\n\nC003,E1,12\n");

        Assert.Contains(parsed.Errors, e => e is { Line: 3, Column: "result" } && e.Message.Contains("Guillemet"));
        Assert.False(parsed.IsValid);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_reported()
    {
        var parsed = Parse("candidate_number,unit,result\nC001,\"E1\"x,12\n");

        Assert.Contains(parsed.Errors, e => e is { Line: 2, Column: "unit" });
    }

    [Fact]
    public void A_row_with_more_fields_than_the_header_is_reported()
    {
        var parsed = Parse("candidate_number,unit,result\nC001,E1,12,5\n");

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, ""), (error.Line, error.Column));
    }
}
