using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BtsCcst.Server.Tests.ExamDays;
using BtsCcst.Server.Tests.Planning;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Server.Tests.Deliberation;

/// <summary>
/// Issue 12: a CLOSED jury's results never change. Every route of a session that writes (every POST and PUT under
/// /api/sessions/{session}, of every role: organiser, centre manager, examiner, president) is tried after the jury has
/// closed; after each, that jury's results.csv rows are byte-identical. The server's own route table is read at the
/// end: a writing route added later and not tried here fails the test until it is.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ClosedJuryInvariantTests(ServerFixture server)
{
    private const string Session = "closed-jury";
    private const string Prefix = "/api/sessions/{session}";

    /// <summary>The walk's clients, the closed jury's rows, and every route template tried.</summary>
    private sealed class Walk(HttpClient organiser, HttpClient president, HttpClient manager, HttpClient examiner, string[] normandie, string[] closed) : IDisposable
    {
        public HttpClient Organiser { get; } = organiser;
        public HttpClient President { get; } = president;
        public HttpClient Manager { get; } = manager;
        public HttpClient Examiner { get; } = examiner;
        public string[] Normandie { get; } = normandie;
        public HashSet<string> Tried { get; } = [];
        public HashSet<string> ImportKinds { get; } = [];

        /// <summary>Sends one request as <paramref name="who"/>, records its route, checks the closed rows; returns the answer.</summary>
        public async Task<HttpResponseMessage> Act(HttpClient who, string method, string route, string path, HttpContent? content = null)
        {
            Tried.Add($"{method} {Prefix}{route}");
            var response = await who.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/sessions/{Session}{path}") { Content = content });
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            await Check($"{method} {path}");
            return response;
        }

        public async Task Check(string after)
        {
            var rows = await NormandieRows(Organiser);
            Assert.True(closed.SequenceEqual(rows), $"after {after}: {string.Join(" | ", rows)}");
        }

        public Task<HttpResponseMessage> Import(string kind, string csv)
        {
            ImportKinds.Add(kind);
            return Act(Organiser, "POST", "/imports/{kind}", $"/imports/{kind}", new StringContent(csv, Encoding.UTF8, "text/csv"));
        }

        public void Dispose()
        {
            Organiser.Dispose();
            President.Dispose();
            Manager.Dispose();
            Examiner.Dispose();
        }
    }

    [Fact]
    public async Task No_session_route_of_any_role_changes_a_closed_jury_s_results()
    {
        using var walk = await ClosedJuryAsync();
        await TryImports(walk);
        await TryDeliberationRoutes(walk);
        await TryPlanningRoutes(walk);
        await TryExamDayRoutes(walk);
        await TryAccessRoutes(walk);

        Assert.Equal(["candidates", "centres", "conformity", "examiners", "juries", "marks"], walk.ImportKinds.Order());
        var routes = WritingRoutes();
        Assert.Contains("POST /api/sessions/{session}/imports/{kind}", routes);
        Assert.Contains("POST /api/sessions/{session}/centres/{centre}/days/{date}/repairs/{repairId}/accept", routes);
        var untried = routes.Except(walk.Tried).ToArray();
        Assert.True(untried.Length == 0, $"Writing routes not tried after the closing: {string.Join(", ", untried)}");
    }

    /// <summary>Every POST and PUT of a session in the running server's route table, as "METHOD template".</summary>
    private string[] WritingRoutes() =>
    [
        .. server.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith(Prefix, StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is not ("GET" or "HEAD"))
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Distinct().Order(StringComparer.Ordinal),
    ];

    /// <summary>NORMANDIE (four candidates planned on one day, all ADMIS) closes; LILLE stays open beside it.</summary>
    private async Task<Walk> ClosedJuryAsync()
    {
        var organiser = await server.OrganiserAsync();
        await ExamDayApiTests.ImportOk(organiser, Session, "juries", "jury_id,academies,president,members\nNORMANDIE,NORMANDIE,M. Leroy,\nLILLE,LILLE,Mme Roux,\n");
        var rows = await ExamDayApiTests.PlanOneDayAsync(organiser, Session);
        var normandie = rows.Select(r => r.Candidate).Distinct().Order().ToArray();
        await ExamDayApiTests.ImportOk(organiser, Session, "candidates", SampleFiles.Candidates(SampleFiles.Candidate("CJ-LIL", "LILLE")));
        await ExamDayApiTests.ImportOk(organiser, Session, "marks", SampleFiles.Marks(normandie, "12"));
        var president = await server.ClientAsync("jury-president", "M. Leroy", "NORMANDIE");
        var close = await president.PostAsync($"/api/sessions/{Session}/juries/NORMANDIE/close", null);
        Assert.True(close.IsSuccessStatusCode, await close.Content.ReadAsStringAsync());
        Assert.Equal("CLOSED", (await close.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString());
        var closed = await NormandieRows(organiser);
        Assert.Equal(normandie.Length, closed.Length);
        Assert.All(closed, row => Assert.Contains(",ADMIS,", row));
        var e4 = rows.First(r => r.Candidate == normandie[0] && r.Unit == "E4");
        return new Walk(organiser, president, await server.ClientAsync("centre-manager", "Mme Lefèvre", "CAEN-1"),
            await server.ClientAsync("examiner", e4.Examiners[0]), normandie, closed);
    }

    private static async Task TryImports(Walk walk)
    {
        var n = walk.Normandie;
        await walk.Import("candidates", SampleFiles.Candidates([.. n.Select(c => SampleFiles.Candidate(c, lastName: "DUPONT"))]));
        await walk.Import("marks", SampleFiles.Marks(n, "4"));
        Assert.True((await walk.Import("juries", "jury_id,academies,president,members\n")).IsSuccessStatusCode, "a header-only juries.csv is an upsert of nothing");
        Assert.False((await walk.Import("juries", "jury_id,academies,president,members\nNORD-OUEST,NORMANDIE;LILLE,Mme Roux,\n")).IsSuccessStatusCode,
            "candidates are never moved out of a closed jury");
        await walk.Import("conformity", "candidate_number,unit,status,reasons,details\n" + string.Concat(n.Select(c => $"{c},E4,NON_CONFORME,FICHE_OU_DOSSIER_ABSENT,\n")));
        await walk.Import("centres", SampleFiles.OneDayCentre.Replace("14 avenue", "16 avenue"));
        await walk.Import("examiners", SampleFiles.OneDayExaminers.Replace("Martin,Anne", "Martin,Annie"));
    }

    private static async Task TryDeliberationRoutes(Walk walk)
    {
        var (organiser, president, first) = (walk.Organiser, walk.President, walk.Normandie[0]);
        Assert.Equal(HttpStatusCode.Conflict, (await walk.Act(organiser, "PUT", "/settings/deliberation", "/settings/deliberation",
            JsonContent.Create(new { passAverage = 13, secondGroupAverage = 9, professionalAverage = 13, nearThresholdMargin = 0.5 }))).StatusCode);
        var correction = JsonContent.Create(new { result = "3", reason = "Correction" });
        Assert.Equal(HttpStatusCode.Conflict, (await walk.Act(president, "PUT", "/candidates/{number}/results/{unit}", $"/candidates/{first}/results/E1", correction)).StatusCode);
        Assert.False((await walk.Act(organiser, "PUT", "/candidates/{number}/results/{unit}", $"/candidates/{first}/results/E1",
            JsonContent.Create(new { result = "3", reason = "Correction" }))).IsSuccessStatusCode);
        Assert.False((await walk.Act(walk.Examiner, "PUT", "/candidates/{number}/results/{unit}", $"/candidates/{first}/results/E4",
            JsonContent.Create(new { result = "2" }))).IsSuccessStatusCode);
        Assert.False((await walk.Act(president, "POST", "/candidates/{number}/results/{unit}/lift-reserve", $"/candidates/{first}/results/E4/lift-reserve",
            JsonContent.Create(new { reason = "Réserve levée", result = "2" }))).IsSuccessStatusCode);
        Assert.False((await walk.Act(president, "POST", "/candidates/{number}/livret/acknowledge", $"/candidates/{first}/livret/acknowledge")).IsSuccessStatusCode);
        Assert.False((await walk.Act(organiser, "PUT", "/candidates/{number}/controle-choices", $"/candidates/{first}/controle-choices",
            JsonContent.Create(new { units = new[] { "C_E1", "C_E2" } }))).IsSuccessStatusCode);
        Assert.False((await walk.Act(president, "POST", "/juries/{jury}/second-group/open", "/juries/NORMANDIE/second-group/open")).IsSuccessStatusCode);
        await walk.Act(president, "POST", "/juries/{jury}/close", "/juries/NORMANDIE/close");
        await walk.Act(organiser, "PUT", "/candidates/{number}/examiners/{unit}", $"/candidates/{first}/examiners/E4",
            JsonContent.Create(new { examinerIds = new[] { "ECO2" } }));
    }

    private static async Task TryPlanningRoutes(Walk walk)
    {
        var organiser = walk.Organiser;
        await walk.Act(organiser, "PUT", "/pins", "/pins",
            JsonContent.Create(new { orals = new[] { new { candidateNumber = walk.Normandie[0], unit = "E4", date = "2024-05-27" } } }));
        // A run (its plan becomes the draft: convocations follow it), published; then a proposal, discarded.
        var started = await walk.Act(organiser, "POST", "/planning-runs", "/planning-runs", JsonContent.Create(new { timeLimitSeconds = 5 }));
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await PublicationTests.WaitForRunAsync(organiser, Session, runId);
        await walk.Check("the run's end");
        await walk.Act(organiser, "POST", "/planning-runs/{runId}/publish", $"/planning-runs/{runId}/publish");
        var proposal = (await PublicationTests.RunAsync(organiser, Session)).GetProperty("runId").GetString();
        await walk.Act(organiser, "POST", "/planning-runs/{runId}/discard", $"/planning-runs/{proposal}/discard");
        var schedule = await organiser.GetStringAsync($"/api/sessions/{Session}/exports/schedule.csv");
        await walk.Act(organiser, "POST", "/schedule/validate", "/schedule/validate", new StringContent(schedule, Encoding.UTF8, "text/csv"));
    }

    private static async Task TryExamDayRoutes(Walk walk)
    {
        var (manager, n) = (walk.Manager, walk.Normandie);
        const string events = "/centres/{centre}/days/{date}/events";
        const string day = "/centres/CAEN-1/days/2024-05-27";
        Assert.True((await walk.Act(manager, "POST", events, $"{day}/events", JsonContent.Create(new { kind = "candidate-late", candidateNumber = n[1], minutes = 30 }))).IsSuccessStatusCode);
        await walk.Act(walk.Examiner, "POST", events, $"{day}/events", JsonContent.Create(new { kind = "candidate-present", candidateNumber = n[0], unit = "E4" }));
        await ProposeThen(walk, "accept");
        Assert.True((await walk.Act(manager, "POST", events, $"{day}/events", JsonContent.Create(new { kind = "candidate-excused", candidateNumber = n[3], reason = "Certificat médical" }))).IsSuccessStatusCode);
        await ProposeThen(walk, "reject");
        Assert.True((await walk.Act(manager, "POST", events, $"{day}/events", JsonContent.Create(new { kind = "candidate-absent", candidateNumber = n[2] }))).IsSuccessStatusCode);
        var closing = await walk.Act(manager, "POST", "/centres/{centre}/days/{date}/close", $"{day}/close");
        Assert.True(closing.IsSuccessStatusCode, await closing.Content.ReadAsStringAsync());
    }

    /// <summary>A repair proposed from the day's start, then accepted or rejected (a FAILED proposal is refused either way).</summary>
    private static async Task ProposeThen(Walk walk, string decision)
    {
        var proposed = await walk.Act(walk.Manager, "POST", "/centres/{centre}/days/{date}/repairs", "/centres/CAEN-1/days/2024-05-27/repairs",
            JsonContent.Create(new { from = "08:00" }));
        Assert.True(proposed.IsSuccessStatusCode, await proposed.Content.ReadAsStringAsync());
        var repairId = (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("repairId").GetString();
        await walk.Act(walk.Manager, "POST", $"/centres/{{centre}}/days/{{date}}/repairs/{{repairId}}/{decision}", $"/centres/CAEN-1/days/2024-05-27/repairs/{repairId}/{decision}");
    }

    private static async Task TryAccessRoutes(Walk walk)
    {
        var issued = await walk.Act(walk.Organiser, "POST", "/accesses", "/accesses", JsonContent.Create(new { role = "organiser", name = "Mme Adjointe" }));
        Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());
        var accessId = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accesses")[0].GetProperty("accessId").GetString();
        Assert.True((await walk.Act(walk.Organiser, "POST", "/accesses/{accessId}/revoke", $"/accesses/{accessId}/revoke")).IsSuccessStatusCode);
    }

    private static async Task<string[]> NormandieRows(HttpClient organiser) =>
        [.. (await organiser.GetStringAsync($"/api/sessions/{Session}/exports/results.csv")).Split('\n').Where(l => l.Contains(",NORMANDIE,"))];
}
