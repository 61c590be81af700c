using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BtsCcst.Domain;
using BtsCcst.Scheduling;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>An organiser plans the orals of a small session through the API, with the real solver out of process.</summary>
[Collection(ServerCollection.Name)]
public sealed class PlanningApiTests(ServerFixture server)
{
    private const string Session = "plan-small";

    [Fact]
    public async Task A_small_session_is_planned_the_schedule_passes_the_validator_and_non_valid_units_are_not_planned()
    {
        using var organiser = await server.OrganiserAsync();
        await ImportOk(organiser, "candidates", SampleFiles.Candidates(
            SampleFiles.Candidate("PL-01", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT", optional: "EF1;EF3", ef1: "espagnol"),
            SampleFiles.Candidate("PL-02", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT"),
            SampleFiles.Candidate("PL-03", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT", dispensed: "E22"),
            SampleFiles.Candidate("PL-04", form: "CCF", optional: "EF1", ef1: "Espagnol")));
        await ImportOk(organiser, "centres", SampleFiles.OneDayCentre);
        await ImportOk(organiser, "examiners", SampleFiles.OneDayExaminers);
        await ImportOk(organiser, "conformity", "candidate_number,unit,status,reasons,details\nPL-02,U62,NON_CONFORME,FICHE_OU_DOSSIER_ABSENT,\n");

        // Annexe 4: a non-conforming U62 gets NV at once and is never planned.
        var pl02 = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/candidates/PL-02");
        Assert.Contains(pl02.GetProperty("summary").GetProperty("results").EnumerateArray(),
            r => r.GetProperty("unit").GetString() == "U62" && r.GetProperty("result").GetString() == "NV");

        // Pins: a commission's members, and a candidate's E4 on a date in a centre. A wrong pin is refused whole.
        var badPins = await organiser.PutAsJsonAsync($"/api/sessions/{Session}/pins", new
        {
            orals = new[] { new { candidateNumber = "PL-03", unit = "E4", date = "2024-05-27", centreId = "ROUEN-9" } },
            commissions = Array.Empty<object>(),
        });
        Assert.Equal(HttpStatusCode.BadRequest, badPins.StatusCode);
        Assert.Contains("ROUEN-9", (await badPins.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var pins = await organiser.PutAsJsonAsync($"/api/sessions/{Session}/pins", new
        {
            orals = new[] { new { candidateNumber = "PL-03", unit = "E4", date = "2024-05-27", centreId = "CAEN-1" } },
            commissions = new[] { new { centreId = "CAEN-1", date = "2024-05-27", examinerIds = new[] { "ECO2", "STI1" } } },
        });
        Assert.True(pins.IsSuccessStatusCode, await pins.Content.ReadAsStringAsync());

        // Soft-goal weights are the organiser's to set (the ones left out keep their defaults).
        var start = await organiser.PostAsJsonAsync($"/api/sessions/{Session}/planning-runs", new { timeLimitSeconds = 10, weights = new { noProfessional = 50, waitingMinute = 2 } });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var runId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var run = await WaitForEndAsync(organiser, runId);
        Assert.True(run.GetProperty("state").GetString() == "succeeded", run.ToString());
        // PL-01: E22, E4, U61, U62, EF3, EF1; PL-02: E22, E4, U61; PL-03: E4, U61, U62; PL-04: EF1.
        Assert.Equal(13, run.GetProperty("placed").GetInt32());
        Assert.Equal(13, run.GetProperty("total").GetInt32());
        // The session bound holds for every plan, this one included; the decomposition's bound stays beside it.
        var sessionBound = run.GetProperty("sessionBound").GetDouble();
        Assert.InRange(sessionBound, 1, run.GetProperty("objective").GetDouble());
        Assert.InRange(run.GetProperty("sessionGap").GetDouble(), 0, 1);
        Assert.True(run.GetProperty("bound").GetDouble() > 0);

        var csv = await organiser.GetStringAsync($"/api/sessions/{Session}/exports/schedule.csv");
        var (rows, errors) = ScheduleCsv.Parse(new StringReader(csv));
        Assert.Empty(errors);
        Assert.Equal(13, rows.Count);
        Assert.DoesNotContain(rows, r => r.CandidateNumber == "PL-02" && r.Unit == UnitCode.U62);
        Assert.DoesNotContain(rows, r => r.CandidateNumber == "PL-03" && r.Unit == UnitCode.E22);
        var ef3 = rows.Single(r => r.CandidateNumber == "PL-01" && r.Unit == UnitCode.EF3);
        var u61 = rows.Single(r => r.CandidateNumber == "PL-01" && r.Unit == UnitCode.U61);
        Assert.Equal(u61.ExamEnd, ef3.ExamStart);
        Assert.Equal(u61.CommissionId, ef3.CommissionId);
        Assert.DoesNotContain("ECO1", rows.Where(r => r.CandidateNumber.StartsWith("PL-0")).SelectMany(r => r.ExaminerIds));

        Assert.Contains(rows, r => r.ExaminerIds.Order().SequenceEqual(["ECO2", "STI1"]));
        Assert.Contains(rows, r => r.CandidateNumber == "PL-03" && r.Unit == UnitCode.E4 && r.CentreId == "CAEN-1");

        var check = await Validate(organiser, csv);
        Assert.True(check.GetProperty("valid").GetBoolean(), check.ToString());

        // The same schedule with an exam moved into the lunch break is refused, naming the rule.
        var e4 = rows.First(r => r.Unit == UnitCode.U62);
        var tampered = rows.Select(r => r == e4 ? r with { ExamStart = new TimeOnly(12, 0), ExamEnd = new TimeOnly(12, 30) } : r).ToList();
        var writer = new StringWriter();
        ScheduleCsv.Write(writer, tampered);
        var refused = await Validate(organiser, writer.ToString());
        Assert.False(refused.GetProperty("valid").GetBoolean());
        Assert.Contains(refused.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == HardRules.LunchBreak);

        // Each candidate knows their convocations.
        var convocations = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/candidates/PL-04/convocations");
        Assert.Equal("EF1", Assert.Single(convocations.EnumerateArray()).GetProperty("unit").GetString());
    }

    [Fact]
    public async Task Planning_is_for_the_organiser_and_needs_centres_and_examiners()
    {
        using var president = await server.PresidentAsync("NORMANDIE");
        Assert.Equal(HttpStatusCode.Forbidden, (await president.PostAsJsonAsync("/api/sessions/plan-empty/planning-runs", new { })).StatusCode);
        using var organiser = await server.OrganiserAsync();
        var refused = await organiser.PostAsJsonAsync("/api/sessions/plan-empty/planning-runs", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("centres.csv", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest,
            (await organiser.PostAsJsonAsync("/api/sessions/plan-empty/planning-runs", new { timeLimitSeconds = 0 })).StatusCode);
        var tooLong = await organiser.PostAsJsonAsync("/api/sessions/plan-empty/planning-runs", new { timeLimitSeconds = 1801 });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("entre 1 et 1800", (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var badWeights = await organiser.PostAsJsonAsync("/api/sessions/plan-empty/planning-runs", new { weights = new { waitingMinute = -1 } });
        Assert.Equal(HttpStatusCode.BadRequest, badWeights.StatusCode);
        Assert.Contains("poids", (await badWeights.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    private static async Task ImportOk(HttpClient organiser, string kind, string csv)
    {
        var response = await organiser.ImportAsync(Session, kind, csv);
        Assert.True(response.IsSuccessStatusCode, $"{kind}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> Validate(HttpClient organiser, string csv)
    {
        var response = await organiser.PostAsync($"/api/sessions/{Session}/schedule/validate", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> WaitForEndAsync(HttpClient organiser, string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var run = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/planning-runs/{runId}");
            if (run.GetProperty("state").GetString() != "running") return run;
            Assert.True(DateTime.UtcNow < deadline, $"the run did not end: {run}");
            await Task.Delay(250);
        }
    }
}
