using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Scheduling;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>
/// The validator checks every plan a run brings back, before anyone sees it. A planner process that answers a plan
/// breaking a rule (here an empty plan for a session with orals: each oral neither placed nor reported unplaced) fails
/// the run: its plan becomes neither the draft schedule nor a proposal, and publishing it is refused.
/// </summary>
public sealed class PlanValidationTests : IAsyncLifetime
{
    private const string Session = "plan-checked";
    private readonly string _script = Path.Combine(Path.GetTempPath(), $"btsccst-empty-plan-{Guid.NewGuid():N}.txt");
    private readonly FaultyPlannerHost _host;

    public PlanValidationTests() => _host = new FaultyPlannerHost(_script);

    public async Task InitializeAsync()
    {
        var empty = new PlanResult([], [], [], 0, 0, false);
        await File.WriteAllTextAsync(_script, JsonSerializer.Serialize(new PlannerMessage(PlannerMessage.ResultType, Result: empty), PlanningProtocol.Json) + "\n");
        _host.Start();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_script);
    }

    [Fact]
    public async Task A_plan_that_breaks_a_rule_fails_its_run_and_can_be_neither_the_draft_nor_published()
    {
        using var organiser = await _host.OrganiserAsync();
        foreach (var (kind, csv) in new[]
                 {
                     ("candidates", SampleFiles.Candidates(SampleFiles.Candidate("PC-01", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT"))),
                     ("centres", SampleFiles.OneDayCentre),
                     ("examiners", SampleFiles.OneDayExaminers),
                 })
        {
            var imported = await organiser.ImportAsync(Session, kind, csv);
            Assert.True(imported.IsSuccessStatusCode, $"{kind}: {await imported.Content.ReadAsStringAsync()}");
        }

        var run = await PublicationTests.RunAsync(organiser, Session);

        Assert.Equal("failed", run.GetProperty("state").GetString());
        var reason = Assert.Single(run.GetProperty("reasons").EnumerateArray()).GetString()!;
        Assert.StartsWith("Le plan calculé enfreint", reason);
        Assert.Contains("ni adopté ni publiable", reason);
        var publish = await organiser.PostAsync($"/api/sessions/{Session}/planning-runs/{run.GetProperty("runId").GetString()}/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, publish.StatusCode);
        Assert.Equal("application/problem+json", publish.Content.Headers.ContentType?.MediaType);
        var schedule = await organiser.GetStringAsync($"/api/sessions/{Session}/exports/schedule.csv");
        Assert.Single(schedule.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The real host, with a planner process that reads the request and answers the plan in <paramref name="script"/>.</summary>
    private sealed class FaultyPlannerHost(string script) : TestHost
    {
        protected override void ConfigureWebHost(IWebHostBuilder web) =>
            web.ConfigureTestServices(services => services.AddSingleton(new OutOfProcessPlanner("sh", "-c", $"cat > /dev/null; cat '{script}'")));
    }
}
