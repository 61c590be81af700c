using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Server.Tests.ExamDays;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>
/// Issue 12: plans are proposed, compared, then published, and a planning run never rewrites an exam day that has
/// begun. The "Why" scenario: a new run started after a centre's day began used to replace the plan without a word.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PublicationTests(ServerFixture server)
{
    [Fact]
    public async Task A_draft_is_published_then_a_new_run_is_a_proposal_compared_and_published_or_discarded()
    {
        const string session = "publication";
        using var organiser = await server.OrganiserAsync();
        await ExamDayApiTests.PlanOneDayAsync(organiser, session);
        var first = await LatestRun(organiser, session);
        Assert.Equal("draft", first.GetProperty("disposition").GetString());
        Assert.Equal("planning", await Stage(organiser, session));

        var published = await organiser.PostAsync($"/api/sessions/{session}/planning-runs/{Id(first)}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("published", await Stage(organiser, session));
        var scheduleBefore = await organiser.GetStringAsync($"/api/sessions/{session}/exports/schedule.csv");

        // Once published, a run proposes: the schedule does not move until the organiser publishes it.
        var second = await RunAsync(organiser, session);
        Assert.Equal("proposal", second.GetProperty("disposition").GetString());
        Assert.Equal(scheduleBefore, await organiser.GetStringAsync($"/api/sessions/{session}/exports/schedule.csv"));
        var comparison = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/planning-runs/{Id(second)}/comparison");
        Assert.Equal(Id(first), comparison.GetProperty("currentRunId").GetString());
        Assert.Equal(JsonValueKind.Null, comparison.GetProperty("publishRefusal").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/sessions/{session}/planning-runs/{Id(second)}/discard", null)).StatusCode);
        var discardedPublish = await organiser.PostAsync($"/api/sessions/{session}/planning-runs/{Id(second)}/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, discardedPublish.StatusCode);
        Assert.Contains("écarté", await discardedPublish.Content.ReadAsStringAsync());

        var third = await RunAsync(organiser, session);
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/sessions/{session}/planning-runs/{Id(third)}/publish", null)).StatusCode);
        var runs = await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/planning-runs");
        Assert.Equal(
            [(Id(third), "published"), (Id(second), "discarded"), (Id(first), "replaced")],
            runs!.Select(r => (Id(r), r.GetProperty("disposition").GetString())).ToArray());
        Assert.All(runs!, r => Assert.Equal("bureau-examens", r.GetProperty("startedBy").GetString()));
    }

    [Fact]
    public async Task After_a_centre_s_day_has_begun_a_new_run_keeps_it_and_its_publication_changes_nothing_that_happened()
    {
        const string session = "publication-begun";
        using var organiser = await server.OrganiserAsync();
        var rows = await ExamDayApiTests.PlanOneDayAsync(organiser, session);
        using var manager = await server.ClientAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
        var present = await manager.PostAsJsonAsync($"/api/sessions/{session}/centres/CAEN-1/days/2024-05-27/events",
            new { kind = "candidate-present", candidateNumber = rows[0].Candidate });
        Assert.Equal(HttpStatusCode.OK, present.StatusCode);
        var scheduleBefore = await organiser.GetStringAsync($"/api/sessions/{session}/exports/schedule.csv");
        Assert.Equal("exam-days", await Stage(organiser, session));

        // Never published (the draft was simply used): the new run is still a re-plan that keeps the begun day.
        var again = await RunAsync(organiser, session);
        Assert.Equal("proposal", again.GetProperty("disposition").GetString());
        Assert.Equal(scheduleBefore, await organiser.GetStringAsync($"/api/sessions/{session}/exports/schedule.csv"));
        var comparison = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/planning-runs/{Id(again)}/comparison");
        Assert.Equal(0, comparison.GetProperty("examsChanged").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/sessions/{session}/planning-runs/{Id(again)}/publish", null)).StatusCode);
        Assert.Equal(scheduleBefore, await organiser.GetStringAsync($"/api/sessions/{session}/exports/schedule.csv"));
        var day = await manager.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/centres/CAEN-1/days/2024-05-27");
        Assert.Contains(ExamDayApiTests.ExamsOf(day), e => e.GetProperty("status").GetString() == "PRESENT");
    }

    [Fact]
    public async Task Publishing_discarding_or_comparing_an_unknown_or_malformed_run_is_a_French_problem_and_changes_nothing()
    {
        const string session = "publication-bad";
        using var organiser = await server.OrganiserAsync();
        foreach (var (method, path) in new[] { ("POST", "publish"), ("POST", "discard"), ("GET", "comparison"), ("GET", "convocations.pdf") })
        {
            using var unknown = await organiser.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/sessions/{session}/planning-runs/run-inconnu/{path}"));
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Planification run-inconnu inconnue", await unknown.Content.ReadAsStringAsync());
            using var malformed = await organiser.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/sessions/{session}/planning-runs/-x%0A/{path}"));
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        }
        using var president = await server.ClientAsync("jury-president", "M. Leroy", "NORMANDIE");
        Assert.Equal(HttpStatusCode.Forbidden, (await president.PostAsync($"/api/sessions/{session}/planning-runs/run-inconnu/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await president.GetAsync($"/api/sessions/{session}/planning-runs/run-inconnu/convocations.pdf")).StatusCode);
        // The stage is every signed-in user's to read (every page shows it), but only its stage and label.
        var stage = await president.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/stage");
        Assert.Equal(("setup", "Préparation"), (stage.GetProperty("stage").GetString(), stage.GetProperty("label").GetString()));
        Assert.False(stage.TryGetProperty("nextStep", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous().GetAsync($"/api/sessions/{session}/stage")).StatusCode);
        Assert.Empty(await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/planning-runs") ?? []);
    }

    private static string Id(JsonElement run) => run.GetProperty("runId").GetString()!;

    private static async Task<string> Stage(HttpClient organiser, string session) =>
        (await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/stage")).GetProperty("stage").GetString()!;

    private static async Task<JsonElement> LatestRun(HttpClient organiser, string session) =>
        (await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/planning-runs"))![0];

    internal static async Task<string> LatestRunIdAsync(HttpClient organiser, string session) => Id(await LatestRun(organiser, session));

    /// <summary>Starts a run (with <paramref name="body"/>, by default a 5-second limit) and waits until it has ended and the session has said what became of its plan.</summary>
    internal static async Task<JsonElement> RunAsync(HttpClient organiser, string session, object? body = null)
    {
        var start = await organiser.PostAsJsonAsync($"/api/sessions/{session}/planning-runs", body ?? new { timeLimitSeconds = 5 });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        return await WaitForRunAsync(organiser, session, (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!);
    }

    /// <summary>Waits until the run has ended and the session has said what became of its plan (a failed run has none).</summary>
    internal static async Task<JsonElement> WaitForRunAsync(HttpClient organiser, string session, string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var run = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/planning-runs/{runId}");
            var state = run.GetProperty("state").GetString();
            if (state == "failed" || (state != "running" && run.GetProperty("disposition").ValueKind != JsonValueKind.Null)) return run;
            Assert.True(DateTime.UtcNow < deadline, $"the run did not end: {run}");
            await Task.Delay(250);
        }
    }
}
