using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BtsCcst.SampleGenerator;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>The documented sample sizes plan end to end through the API, and the validator finds nothing wrong.</summary>
[Collection(ServerCollection.Name)]
public sealed class SampleSizePlanningTests(ServerFixture server)
{
    [Theory]
    [InlineData(SampleSize.Small, "size-small", 20)]
    [InlineData(SampleSize.Academy, "size-academy", 60)]
    public async Task A_sample_session_is_fully_planned_and_its_schedule_is_valid(SampleSize size, string session, int timeLimitSeconds)
    {
        var sample = SampleSession.Generate(size, seed: 42);
        using var organiser = await server.OrganiserAsync();
        await Import(organiser, session, "juries", sample.WriteJuries);
        await Import(organiser, session, "centres", sample.WriteCentres);
        await Import(organiser, session, "examiners", sample.WriteExaminers);
        await Import(organiser, session, "candidates", sample.WriteCandidates);
        await Import(organiser, session, "conformity", sample.WriteConformity);

        var start = await organiser.PostAsJsonAsync($"/api/sessions/{session}/planning-runs", new { timeLimitSeconds });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var runId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var run = await WaitForEndAsync(organiser, session, runId, TimeSpan.FromSeconds(timeLimitSeconds + 60));

        // Every oral that can be planned is; what is reported unplaced is only an EF3 whose U61 is not
        // planned (its file is not conforming), as the rules say (domain.md "Which orals are planned").
        var expected = sample.Candidates.Sum(c => sample.OralsToPlan(c).Count);
        Assert.Equal(expected, run.GetProperty("placed").GetInt32());
        Assert.All(run.GetProperty("unplaced").EnumerateArray(), u => Assert.Equal("EF3", u.GetProperty("unit").GetString()));
        Assert.True(run.GetProperty("state").GetString() is "succeeded" or "partial", run.ToString());

        var csv = await organiser.GetStringAsync($"/api/sessions/{session}/exports/schedule.csv");
        var check = await organiser.PostAsync($"/api/sessions/{session}/schedule/validate", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var verdict = await check.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
    }

    private static async Task Import(HttpClient organiser, string session, string kind, Action<TextWriter> write)
    {
        var csv = new StringWriter();
        write(csv);
        var response = await organiser.ImportAsync(session, kind, csv.ToString());
        Assert.True(response.IsSuccessStatusCode, $"{kind}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> WaitForEndAsync(HttpClient organiser, string session, string runId, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var run = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/planning-runs/{runId}");
            if (run.GetProperty("state").GetString() != "running") return run;
            Assert.True(DateTime.UtcNow < deadline, $"the run did not end: {run}");
            await Task.Delay(500);
        }
    }
}
