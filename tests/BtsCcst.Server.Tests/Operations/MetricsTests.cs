using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Grains.Planning;
using BtsCcst.Server.Operations;
using Microsoft.AspNetCore.SignalR.Client;

namespace BtsCcst.Server.Tests.Operations;

/// <summary>The "BtsCcst" meter: hub connections and planning runs; the Prometheus scrape endpoint.</summary>
[Collection(OperationsCollection.Name)]
public sealed class MetricsTests(OperationsHost host)
{
    [Fact]
    public async Task Hub_connections_are_counted_per_hub_up_and_down()
    {
        using var recorder = new InstrumentRecorder(host.Services, OperationsMetrics.HubConnectionsName);
        var board = await ConnectAsync("/hubs/board", await host.TokenAsync("jury-president", "président J1", "J1"));
        var planning = await ConnectAsync("/hubs/planning", await host.TokenAsync("organiser", "bureau-examens"));
        await InstrumentRecorder.WaitUntilAsync(
            () => recorder.Sum(OperationsMetrics.HubConnectionsName, "hub", "board") == 1
                && recorder.Sum(OperationsMetrics.HubConnectionsName, "hub", "planning") == 1,
            "one board and one planning connection");

        await board.DisposeAsync();
        await planning.DisposeAsync();
        await InstrumentRecorder.WaitUntilAsync(
            () => recorder.Of(OperationsMetrics.HubConnectionsName).Count == 4
                && recorder.Of(OperationsMetrics.HubConnectionsName).Sum(m => m.Value) == 0,
            "both disconnections");
    }

    [Fact]
    public async Task A_planning_run_is_counted_when_it_starts_and_when_it_ends_with_its_state_and_duration()
    {
        using var recorder = new InstrumentRecorder(host.Services,
            PlanningRunMetrics.StartedName, PlanningRunMetrics.EndedName, PlanningRunMetrics.DurationName);
        using var organiser = await host.ClientAsync("organiser", "bureau-examens");
        foreach (var (kind, csv) in new[]
        {
            ("candidates", SampleFiles.Candidates(SampleFiles.Candidate("OPS-01", form: "CCF", optional: "EF1", ef1: "Espagnol"))),
            ("centres", SampleFiles.OneDayCentre),
            ("examiners", SampleFiles.OneDayExaminers),
        })
        {
            var import = await organiser.ImportAsync("ops-metrics", kind, csv);
            Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        }

        var start = await organiser.PostAsJsonAsync("/api/sessions/ops-metrics/planning-runs", new { timeLimitSeconds = 1 });
        Assert.True(start.StatusCode == HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
        var runId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString();
        Assert.Equal(1, recorder.Sum(PlanningRunMetrics.StartedName, "group", "1"));

        await InstrumentRecorder.WaitUntilAsync(() => recorder.Of(PlanningRunMetrics.EndedName).Count == 1, "the end of the run");
        var run = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/ops-metrics/planning-runs/{runId}");
        var state = run.GetProperty("state").GetString()!;
        Assert.NotEqual("running", state);
        Assert.Equal(1, recorder.Sum(PlanningRunMetrics.EndedName, "state", state));
        var duration = Assert.Single(recorder.Of(PlanningRunMetrics.DurationName));
        Assert.Equal(state, duration.Tags["state"]);
        Assert.InRange(duration.Value, 0, 60);

        // The names the README gives, as Prometheus shows them.
        var text = "";
        await InstrumentRecorder.WaitUntilAsync(() =>
        {
            text = organiser.GetStringAsync("/metrics").GetAwaiter().GetResult();
            return text.Contains("btsccst_planning_runs_ended_total{", StringComparison.Ordinal);
        }, "the planning runs in the scrape");
        Assert.Contains("btsccst_planning_runs_started_total{", text);
        Assert.Contains($"state=\"{state}\"", text);
        Assert.Contains("btsccst_planning_run_duration_seconds_bucket{", text);
    }

    [Fact]
    public async Task Metrics_are_scraped_by_an_organiser_only()
    {
        using (var anonymous = host.Anonymous())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        using (var examiner = await host.ClientAsync("examiner", "ECO1"))
            Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync("/metrics")).StatusCode);

        await using var board = await ConnectAsync("/hubs/board", await host.TokenAsync("organiser", "bureau-examens"));
        using var organiser = await host.ClientAsync("organiser", "bureau-examens");
        var text = "";
        await InstrumentRecorder.WaitUntilAsync(() =>
        {
            var response = organiser.GetAsync("/metrics").GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return text.Contains("btsccst_hub_connections{", StringComparison.Ordinal);
        }, "the hub connections in the scrape");
        Assert.Contains("hub=\"board\"", text);
        // Orleans' own meter (grain calls, activations, messaging) is exported too.
        Assert.Contains("\norleans_", text);
    }

    private async Task<HubConnection> ConnectAsync(string path, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.BaseAddress, path), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await connection.StartAsync();
        return connection;
    }
}

/// <summary>BtsCcst:PublicMetrics=true opens /metrics to a scraper without token; BtsCcst:Dashboard=false maps no dashboard.</summary>
public sealed class PublicMetricsTests(PublicMetricsHost host) : IClassFixture<PublicMetricsHost>
{
    [Fact]
    public async Task Metrics_are_open_and_there_is_no_dashboard()
    {
        using var anonymous = host.Anonymous();
        var metrics = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        using var organiser = await host.ClientAsync("organiser", "bureau-examens");
        Assert.Equal(HttpStatusCode.NotFound, (await organiser.GetAsync("/dashboard/")).StatusCode);
    }
}
