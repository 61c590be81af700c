using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BtsCcst.Server.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class ImportTests(ServerFixture server)
{
    [Fact]
    public async Task Candidates_import_creates_then_is_idempotent_then_updates_a_changed_row()
    {
        using var organiser = await server.OrganiserAsync();
        var file = SampleFiles.Candidates(SampleFiles.Candidate("IMP001"), SampleFiles.Candidate("IMP002"));

        Assert.Equal(new Counts(2, 0, 0), await CountsOf(await organiser.ImportAsync("imp-1", "candidates", file)));
        Assert.Equal(new Counts(0, 0, 2), await CountsOf(await organiser.ImportAsync("imp-1", "candidates", file)));

        var changed = SampleFiles.Candidates(SampleFiles.Candidate("IMP001"), SampleFiles.Candidate("IMP002", lastName: "DURAND"));
        Assert.Equal(new Counts(0, 1, 1), await CountsOf(await organiser.ImportAsync("imp-1", "candidates", changed)));

        var candidate = await organiser.GetFromJsonAsync<JsonElement>("/api/sessions/imp-1/candidates/IMP002");
        Assert.Equal("DURAND", candidate.GetProperty("registration").GetProperty("lastName").GetString());
        Assert.Equal("NORMANDIE", candidate.GetProperty("registration").GetProperty("juryId").GetString());
    }

    [Fact]
    public async Task A_body_over_kestrels_default_cap_and_under_the_limit_reaches_its_route()
    {
        // 40 MB: Kestrel's default cap (30 MB) refused it before any route ran, as a 400 "attendu un JSON"; the one
        // limit is 50 Mo for every body. JSON padded with spaces, so that the server does not hold 40 MB of text.
        using var organiser = await server.OrganiserAsync();
        var json = "{\"orals\": []," + new string(' ', 40_000_000) + "\"commissions\": []}";
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/sessions/imp-40mb/pins")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;

        var response = await organiser.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    // Over the one limit (50 Mo): Kestrel's own cap (30 MB) answered 400 "attendu un JSON".
    [InlineData("POST", "imports/candidates", "text/csv")]
    // A JSON route: its body binding answered Kestrel's refusal as an English 413 without a detail.
    [InlineData("PUT", "pins", "application/json")]
    public async Task A_body_over_the_limit_is_a_French_413(string method, string route, string type)
    {
        using var organiser = await server.OrganiserAsync();
        var body = new ByteArrayContent(new byte[51 * 1024 * 1024]);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);

        // Expect: 100-continue, as curl sends for large files: the server answers before the body is sent
        // (without it the client may still be writing when the server closes the connection).
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/sessions/imp-big/{route}") { Content = body };
        request.Headers.ExpectContinue = true;
        var response = await organiser.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("50 Mo", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Every_import_stored_or_refused_is_in_the_sessions_audit_trail_with_who_and_when()
    {
        using var organiser = await server.OrganiserAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await organiser.ImportAsync("imp-log", "candidates", SampleFiles.Candidates(SampleFiles.Candidate("LOG001")));
        await organiser.ImportAsync("imp-log", "marks", "candidate_number,unit,result\nLOG001,E4,25\nLOG999,E1,12\n");

        var log = await organiser.GetFromJsonAsync<JsonElement>("/api/sessions/imp-log/imports");

        Assert.Equal(2, log.GetArrayLength());
        var (stored, refused) = (log[0], log[1]);
        Assert.Equal(("candidates", "bureau-examens", "organiser"), (stored.GetProperty("kind").GetString(),
            stored.GetProperty("by").GetProperty("name").GetString(), stored.GetProperty("by").GetProperty("role").GetString()));
        Assert.Equal(1, stored.GetProperty("counts").GetProperty("created").GetInt32());
        Assert.InRange(stored.GetProperty("at").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(("marks", JsonValueKind.Null, 2), (refused.GetProperty("kind").GetString(), refused.GetProperty("counts").ValueKind, refused.GetProperty("refusedRows").GetInt32()));
        using var president = await server.PresidentAsync("NORMANDIE");
        Assert.Equal(HttpStatusCode.Forbidden, (await president.GetAsync("/api/sessions/imp-log/imports")).StatusCode);
    }

    [Fact]
    public async Task A_bad_candidates_file_is_refused_whole_with_every_error_and_nothing_is_stored()
    {
        using var organiser = await server.OrganiserAsync();
        Assert.Equal(HttpStatusCode.OK, (await organiser.ImportAsync("imp-2", "candidates",
            SampleFiles.Candidates(SampleFiles.Candidate("KEEP01")))).StatusCode);

        var bad = SampleFiles.Candidates(
            SampleFiles.Candidate("NEW001"),                                                   // line 2: fine
            SampleFiles.Candidate("NEW002").Replace("2004-03-12", "2004-13-45"),               // line 3: bad date
            SampleFiles.Candidate("NEW001"),                                                   // line 4: duplicate
            SampleFiles.Candidate("NEW003", dispensed: "E9"),                                   // line 5: unknown unit
            SampleFiles.Candidate("NEW004", kept: "E4:21"));                                    // line 6: mark 21
        var response = await organiser.ImportAsync("imp-2", "candidates", bad);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = await ErrorsOf(response);
        Assert.Contains(errors, e => e.Line == 3 && e.Column == "birth_date");
        Assert.Contains(errors, e => e.Line == 4 && e.Column == "candidate_number");
        Assert.Contains(errors, e => e.Line == 5 && e.Column == "dispensed_units");
        Assert.Contains(errors, e => e.Line == 6 && e.Column == "kept_units");
        Assert.DoesNotContain(errors, e => e.Line == 2);

        Assert.Equal(HttpStatusCode.NotFound, (await organiser.GetAsync("/api/sessions/imp-2/candidates/NEW001")).StatusCode);
        var board = await organiser.GetFromJsonAsync<JsonElement>("/api/sessions/imp-2/juries/NORMANDIE/board");
        Assert.Equal(1, board.GetProperty("candidates").GetArrayLength());
    }

    [Fact]
    public async Task A_file_with_a_wrong_column_is_refused_naming_the_missing_column()
    {
        using var organiser = await server.OrganiserAsync();
        var file = SampleFiles.Candidates(SampleFiles.Candidate("COL001")).Replace("birth_date", "date_naissance");
        var response = await organiser.ImportAsync("imp-3", "candidates", file);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsOf(response);
        Assert.Contains(errors, e => e.Line == 1 && e.Column == "birth_date");
        Assert.Equal(HttpStatusCode.NotFound, (await organiser.GetAsync("/api/sessions/imp-3/candidates/COL001")).StatusCode);
    }

    [Fact]
    public async Task A_bad_marks_file_is_refused_whole_and_no_mark_is_stored()
    {
        using var organiser = await server.OrganiserAsync();
        await organiser.ImportAsync("imp-4", "candidates", SampleFiles.Candidates(SampleFiles.Candidate("MRK001"), SampleFiles.Candidate("MRK002", optional: "EF2")));
        var marks = "candidate_number,unit,result\n"
                    + "MRK001,E4,12\n"        // line 2: fine
                    + "MRK001,E1,21\n"        // line 3: mark 21
                    + "MRK002,EF1,14\n"       // line 4: optional unit not chosen
                    + "MRK002,E1,DISP\n"      // line 5: DISP on a unit not dispensed
                    + "NOBODY,E4,10\n"        // line 6: unknown candidate
                    + "MRK002,E9,10\n";       // line 7: unknown unit
        var response = await organiser.ImportAsync("imp-4", "marks", marks);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsOf(response);
        Assert.Contains(errors, e => e.Line == 3 && e.Column == "result");
        Assert.Contains(errors, e => e.Line == 4 && e.Column == "result");
        Assert.Contains(errors, e => e.Line == 5 && e.Column == "result");
        Assert.Contains(errors, e => e.Line == 6 && e.Column == "candidate_number");
        Assert.Contains(errors, e => e.Line == 7 && e.Column == "unit");
        Assert.DoesNotContain(errors, e => e.Line == 2);

        var candidate = await organiser.GetFromJsonAsync<JsonElement>("/api/sessions/imp-4/candidates/MRK001");
        Assert.Equal(0, candidate.GetProperty("history").GetArrayLength());
        Assert.DoesNotContain(candidate.GetProperty("summary").GetProperty("results").EnumerateArray(), r => r.GetProperty("unit").GetString() == "E4");
    }

    [Fact]
    public async Task Marks_import_is_idempotent_and_reports_changes()
    {
        using var organiser = await server.OrganiserAsync();
        await organiser.ImportAsync("imp-5", "candidates", SampleFiles.Candidates(SampleFiles.Candidate("IDM001")));
        var marks = SampleFiles.Marks(["IDM001"], "12");

        Assert.Equal(new Counts(8, 0, 0), await CountsOf(await organiser.ImportAsync("imp-5", "marks", marks)));
        Assert.Equal(new Counts(0, 0, 8), await CountsOf(await organiser.ImportAsync("imp-5", "marks", marks)));
        Assert.Equal(new Counts(0, 1, 0), await CountsOf(await organiser.ImportAsync("imp-5", "marks", "candidate_number,unit,result\nIDM001,E4,\"13,5\"\n")));
    }

    [Fact]
    public async Task Only_the_organiser_imports_and_only_with_a_csv_body()
    {
        var csv = SampleFiles.Candidates(SampleFiles.Candidate("ROL001"));
        foreach (var client in new[] { await server.PresidentAsync("NORMANDIE"), await server.ClientAsync("examiner", "EX01"), await server.ClientAsync("centre-manager", "m", "CAEN1") })
        {
            using (client) Assert.Equal(HttpStatusCode.Forbidden, (await client.ImportAsync("imp-6", "candidates", csv)).StatusCode);
        }
        using var anonymous = server.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.ImportAsync("imp-6", "candidates", csv)).StatusCode);

        using var organiser = await server.OrganiserAsync();
        var json = await organiser.PostAsJsonAsync("/api/sessions/imp-6/imports/candidates", new { });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        var unknownKind = await organiser.ImportAsync("imp-6", "teachers", csv);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
    }

    public sealed record Counts(int Created, int Updated, int Unchanged);

    public sealed record Error(int Line, string Column, string Message);

    private static async Task<Counts> CountsOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<Counts>(body, JsonSerializerOptions.Web)!;
    }

    private static async Task<IReadOnlyList<Error>> ErrorsOf(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").Deserialize<List<Error>>(JsonSerializerOptions.Web)!;
    }

    [Fact]
    public async Task A_file_of_thousands_of_bad_rows_lists_the_first_thousand_errors_and_counts_them_all()
    {
        using var organiser = await server.OrganiserAsync();
        var file = "candidate_number,unit,result\n" + string.Concat(Enumerable.Range(1, 5000).Select(i => $"BAD{i:0000},E4,25\n"));

        var response = await organiser.ImportAsync("imp-many-errors", "marks", file);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(1000, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(5000, problem.GetProperty("errorCount").GetInt32());
        Assert.Contains("5000 erreur(s)", problem.GetProperty("detail").GetString());
        Assert.Contains("1000 premières sont listées", problem.GetProperty("detail").GetString());
        Assert.Equal(2, problem.GetProperty("errors")[0].GetProperty("line").GetInt32());
    }
}
