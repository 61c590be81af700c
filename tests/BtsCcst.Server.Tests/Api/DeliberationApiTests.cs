using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BtsCcst.Server.Tests.Api;

/// <summary>A jury's life through the API: marks, the president's changes, reserves, livrets, closing, export.</summary>
[Collection(ServerCollection.Name)]
public sealed class DeliberationApiTests(ServerFixture server)
{
    private async Task<HttpClient> SessionWithMarksAsync(string session, params string[] rows)
    {
        var organiser = await server.OrganiserAsync();
        var import = await organiser.ImportAsync(session, "candidates", SampleFiles.Candidates(rows));
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        return organiser;
    }

    [Fact]
    public async Task The_president_changes_a_mark_with_a_reason_and_the_trace_keeps_who_when_old_new_why()
    {
        using var organiser = await SessionWithMarksAsync("del-1", SampleFiles.Candidate("TRC001"));
        await organiser.ImportAsync("del-1", "marks", SampleFiles.Marks(["TRC001"], "9"));
        using var president = await server.PresidentAsync("NORMANDIE");

        var withoutReason = await president.PutResultAsync("del-1", "TRC001", "E4", "11");
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.Equal("application/problem+json", withoutReason.Content.Headers.ContentType?.MediaType);
        Assert.Contains("motif", (await withoutReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var changed = await president.PutResultAsync("del-1", "TRC001", "E4", "11", "Harmonisation de la commission E4");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var view = await organiser.GetFromJsonAsync<JsonElement>("/api/sessions/del-1/candidates/TRC001");
        var last = view.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("E4", last.GetProperty("unit").GetString());
        Assert.Equal("9", last.GetProperty("oldResult").GetString());
        Assert.Equal("11", last.GetProperty("newResult").GetString());
        Assert.Equal("Harmonisation de la commission E4", last.GetProperty("reason").GetString());
        Assert.Equal("jury-president", last.GetProperty("by").GetProperty("role").GetString());
        Assert.Equal("président NORMANDIE", last.GetProperty("by").GetProperty("name").GetString());
        Assert.True(DateTimeOffset.UtcNow - last.GetProperty("at").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        // 9×19 + 11×6 = 237 points over 25: 9.48
        Assert.Equal(9.48m, view.GetProperty("summary").GetProperty("average").GetDecimal());
    }

    [Fact]
    public async Task Each_role_is_refused_what_it_may_not_do()
    {
        using var organiser = await SessionWithMarksAsync("del-2", SampleFiles.Candidate("ROL001"), SampleFiles.Candidate("ROL002", academy: "LILLE"));
        using var normandie = await server.PresidentAsync("NORMANDIE");
        using var examiner = await server.ClientAsync("examiner", "EX01");
        using var manager = await server.ClientAsync("centre-manager", "responsable", "CAEN1");

        // A president acts only for their own jury.
        Assert.Equal(HttpStatusCode.Forbidden, (await normandie.PutResultAsync("del-2", "ROL002", "E4", "12", "motif")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await normandie.GetAsync("/api/sessions/del-2/juries/LILLE/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await normandie.PostAsync("/api/sessions/del-2/juries/LILLE/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await normandie.GetAsync("/api/sessions/del-2/candidates/ROL002")).StatusCode);

        // An examiner marks only the candidates their commissions examine.
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.PutResultAsync("del-2", "ROL001", "E4", "12")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync("/api/sessions/del-2/candidates/ROL001")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await organiser.PutAsJsonAsync("/api/sessions/del-2/candidates/ROL001/examiners/E4", new { examinerIds = new[] { "EX01", "EX02" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await examiner.PutResultAsync("del-2", "ROL001", "E4", "12")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.PutResultAsync("del-2", "ROL001", "U62", "12")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await examiner.GetAsync("/api/sessions/del-2/candidates/ROL001")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync("/api/sessions/del-2/juries/NORMANDIE/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.PostAsync("/api/sessions/del-2/candidates/ROL001/livret/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync("/api/sessions/del-2/exports/results.csv")).StatusCode);

        // The organiser imports and exports but neither marks nor closes.
        Assert.Equal(HttpStatusCode.Forbidden, (await organiser.PutResultAsync("del-2", "ROL001", "E4", "12", "motif")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await organiser.PostAsync("/api/sessions/del-2/juries/NORMANDIE/close", null)).StatusCode);

        // A centre manager has nothing to do with deliberation.
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PutResultAsync("del-2", "ROL001", "E4", "12", "motif")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/sessions/del-2/juries/NORMANDIE/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/sessions/del-2/exports/results.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/sessions/del-2/candidates/ROL001")).StatusCode);

        // Without a token, nothing.
        using var anonymous = server.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sessions/del-2/juries/NORMANDIE/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutResultAsync("del-2", "ROL001", "E4", "12")).StatusCode);
    }

    [Fact]
    public async Task Closing_is_refused_naming_the_candidates_then_results_are_frozen()
    {
        using var organiser = await SessionWithMarksAsync("del-3",
            SampleFiles.Candidate("CLO001"),                       // complete, ADMIS
            SampleFiles.Candidate("CLO002", livret: true),         // AJOURNE with a livret
            SampleFiles.Candidate("CLO003"),                       // E4 under reserve
            SampleFiles.Candidate("CLO004"));                      // U62 missing
        await organiser.ImportAsync("del-3", "marks", SampleFiles.Marks(["CLO001", "CLO003"], "12"));
        await organiser.ImportAsync("del-3", "marks", SampleFiles.Marks(["CLO002"], "6"));
        await organiser.ImportAsync("del-3", "marks", SampleFiles.Marks(["CLO004"], "11", "U62"));
        await organiser.PutAsJsonAsync("/api/sessions/del-3/candidates/CLO003/examiners/E4", new { examinerIds = new[] { "EX07" } });
        using var examiner = await server.ClientAsync("examiner", "EX07");
        Assert.Equal(HttpStatusCode.OK, (await examiner.PutResultAsync("del-3", "CLO003", "E4", "15", underReserve: true)).StatusCode);
        using var president = await server.PresidentAsync("NORMANDIE");

        var refused = await president.PostAsync("/api/sessions/del-3/juries/NORMANDIE/close", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("CLO002", detail);
        Assert.Contains("CLO003", detail);
        Assert.Contains("CLO004", detail);
        Assert.DoesNotContain("CLO001", detail);

        Assert.Equal(HttpStatusCode.OK, (await president.PostAsync("/api/sessions/del-3/candidates/CLO002/livret/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await president.PostAsJsonAsync("/api/sessions/del-3/candidates/CLO003/results/E4/lift-reserve",
            new { reason = "Situation vérifiée auprès de l'entreprise" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await president.PutResultAsync("del-3", "CLO004", "U62", "ABSJ", "Certificat médical reçu")).StatusCode);

        var closed = await president.PostAsync("/api/sessions/del-3/juries/NORMANDIE/close", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("CLOSED", (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString());

        var frozen = await president.PutResultAsync("del-3", "CLO001", "E4", "13", "trop tard");
        Assert.Equal(HttpStatusCode.Conflict, frozen.StatusCode);
        Assert.Contains("figés", (await frozen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var frozenImport = await organiser.ImportAsync("del-3", "marks", "candidate_number,unit,result\nCLO001,E4,13\n");
        Assert.Equal(HttpStatusCode.BadRequest, frozenImport.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await president.PostAsync("/api/sessions/del-3/juries/NORMANDIE/close", null)).StatusCode);
    }

    [Fact]
    public async Task Results_export_follows_the_contract_and_a_president_gets_only_their_jury()
    {
        using var organiser = await SessionWithMarksAsync("del-4",
            SampleFiles.Candidate("EXP001"),
            SampleFiles.Candidate("EXP002", dispensed: "E1;E21;E22;E3"),
            SampleFiles.Candidate("EXP003", academy: "LILLE"));
        await organiser.ImportAsync("del-4", "marks", SampleFiles.Marks(["EXP001"], "10"));
        await organiser.ImportAsync("del-4", "marks",
            "candidate_number,unit,result\nEXP002,E4,9\nEXP002,E5,11\nEXP002,U61,10\nEXP002,U62,10\n");

        var csv = await organiser.GetStringAsync("/api/sessions/del-4/exports/results.csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("candidate_number,jury_id,points,average,pro_average,decision,group", lines[0]);
        Assert.Contains("EXP001,NORMANDIE,250.000,10.00,10.00,ADMIS,1", lines);
        // deliberation.md worked case 4: 158 points over 16 → 9.875 shown 9.88, pro average 9.875 < 10 → AJOURNE
        Assert.Contains("EXP002,NORMANDIE,158.000,9.88,9.88,AJOURNE,1", lines);
        Assert.Contains("EXP003,LILLE,,,,INCOMPLET,1", lines);

        using var president = await server.PresidentAsync("LILLE");
        var own = await president.GetStringAsync("/api/sessions/del-4/exports/results.csv");
        Assert.Contains("EXP003", own);
        Assert.DoesNotContain("EXP001", own);
    }

    [Fact]
    public async Task Bad_bodies_and_ids_get_a_problem_naming_what_is_wrong()
    {
        using var organiser = await SessionWithMarksAsync("del-5", SampleFiles.Candidate("BAD001"));
        using var president = await server.PresidentAsync("NORMANDIE");

        var notJson = await president.PutAsync("/api/sessions/del-5/candidates/BAD001/results/E4",
            new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);

        var mark21 = await president.PutResultAsync("del-5", "BAD001", "E4", "21", "motif");
        Assert.Equal(HttpStatusCode.BadRequest, mark21.StatusCode);
        Assert.Contains("20", (await mark21.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await president.PutResultAsync("del-5", "BAD001", "E9", "12", "motif")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await president.PutResultAsync("del-5", "NOBODY", "E4", "12", "motif")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await president.GetAsync("/api/sessions/del-5/candidates/not%20an%20id")).StatusCode);
        using var ghostPresident = await server.PresidentAsync("ATLANTIDE");
        var ghost = await ghostPresident.GetAsync("/api/sessions/del-5/juries/ATLANTIDE/board");
        Assert.Equal(HttpStatusCode.NotFound, ghost.StatusCode);
        Assert.Contains("ATLANTIDE", (await ghost.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        using var anonymous = server.Anonymous();
        var badRole = await anonymous.PostAsJsonAsync("/api/dev/tokens", new { role = "dean" });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Contains("dean", (await badRole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var noScope = await anonymous.PostAsJsonAsync("/api/dev/tokens", new { role = "jury-president" });
        Assert.Equal(HttpStatusCode.BadRequest, noScope.StatusCode);
    }

    [Fact]
    public async Task The_thresholds_are_configurable_per_session_and_every_candidate_recomputes()
    {
        using var organiser = await SessionWithMarksAsync("del-6", SampleFiles.Candidate("THR001"));
        // General units 9, professional units 10: 241 points over 25 → 9.64, professional average 10.
        await organiser.ImportAsync("del-6", "marks", SampleFiles.Marks(["THR001"], "10"));
        await organiser.ImportAsync("del-6", "marks", "candidate_number,unit,result\nTHR001,E1,9\nTHR001,E21,9\nTHR001,E22,9\nTHR001,E3,9\n");
        var settings = await organiser.GetFromJsonAsync<JsonElement>("/api/sessions/del-6/settings/deliberation");
        Assert.Equal(10m, settings.GetProperty("passAverage").GetDecimal());
        Assert.Equal("SECOND_GROUPE", await DecisionAsync());

        var bad = await organiser.PutAsJsonAsync("/api/sessions/del-6/settings/deliberation",
            new { passAverage = 10, secondGroupAverage = 12, professionalAverage = 10, nearThresholdMargin = 0.5 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("secondGroupAverage", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PutAsJsonAsync("/api/sessions/del-6/settings/deliberation", new { passAverage = 9 })).StatusCode);

        var changed = await organiser.PutAsJsonAsync("/api/sessions/del-6/settings/deliberation",
            new { passAverage = 9.5, secondGroupAverage = 8, professionalAverage = 10, nearThresholdMargin = 0.5 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("ADMIS", await DecisionAsync());

        using var president = await server.PresidentAsync("NORMANDIE");
        Assert.Equal(HttpStatusCode.Forbidden, (await president.PutAsJsonAsync("/api/sessions/del-6/settings/deliberation",
            new { passAverage = 10, secondGroupAverage = 8, professionalAverage = 10, nearThresholdMargin = 0.5 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await president.PostAsync("/api/sessions/del-6/juries/NORMANDIE/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await organiser.PutAsJsonAsync("/api/sessions/del-6/settings/deliberation",
            new { passAverage = 10, secondGroupAverage = 8, professionalAverage = 10, nearThresholdMargin = 0.5 })).StatusCode);

        async Task<string?> DecisionAsync() =>
            (await organiser.GetFromJsonAsync<JsonElement>("/api/sessions/del-6/candidates/THR001")).GetProperty("summary").GetProperty("decision").GetString();
    }
}
