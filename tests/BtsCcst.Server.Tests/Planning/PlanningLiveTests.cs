using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Scheduling;
using BtsCcst.Server.Planning;
using BtsCcst.Server.Tests.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>A planning run's progress pushed live: to a .NET SignalR client of the planning hub, and to the planning page in a browser.</summary>
[Collection(ServerCollection.Name)]
public sealed class PlanningLiveTests(ServerFixture server)
{
    /// <summary>
    /// How long a small session may take to plan, solver process start and adoption included, on a loaded 2-core machine
    /// (a wait, not a timing: the run's limit is 10 s and it usually ends in 2).
    /// </summary>
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(90);

    /// <summary>The orals of the small session: E22, E4, U61 and U62 for two candidates, E4, U61 and U62 for the third.</summary>
    private const int Orals = 11;

    /// <summary>A small session of its own: three candidates, <see cref="Orals"/> orals.</summary>
    private async Task ImportSmallSessionAsync(string session, string prefix)
    {
        using var organiser = await server.OrganiserAsync();
        await ImportOk(organiser, session, "candidates", SampleFiles.Candidates(
            SampleFiles.Candidate($"{prefix}-01", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT"),
            SampleFiles.Candidate($"{prefix}-02", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT"),
            SampleFiles.Candidate($"{prefix}-03", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT", dispensed: "E22")));
        await ImportOk(organiser, session, "centres", SampleFiles.OneDayCentre);
        await ImportOk(organiser, session, "examiners", SampleFiles.OneDayExaminers);
    }

    [Fact]
    public async Task A_watching_client_receives_the_progress_of_a_run_then_its_final_state()
    {
        const string session = "plan-live-hub";
        await ImportSmallSessionAsync(session, "LH");
        await using var watcher = await PlanningWatcher.ConnectAsync(server.BaseAddress, await server.TokenAsync("organiser", "bureau-examens"));
        Assert.Null(await watcher.Connection.InvokeAsync<PlanningRunView?>("WatchLatest", session).WaitAsync(TimeSpan.FromSeconds(10)));

        using var organiser = await server.OrganiserAsync();
        var start = await organiser.PostAsJsonAsync($"/api/sessions/{session}/planning-runs", new { timeLimitSeconds = 10 });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var runId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;

        var first = await watcher.WatchAsync(session, runId);
        Assert.Equal(runId, first.RunId);
        Assert.Equal(PlanningRunStates.Running, first.State);

        var final = await WithRunStateOnTimeout(organiser, session, runId,
            () => watcher.NextAsync(v => v.RunId == runId && v.State != PlanningRunStates.Running, RunDeadline));
        Assert.True(final.State == PlanningRunStates.Succeeded, $"{final.State}: {string.Join(" ; ", final.Reasons)}");
        Assert.Equal(Orals, final.Placed);
        Assert.Equal(Orals, final.Total);
        Assert.Empty(final.Unplaced);
        Assert.Equal("terminée", final.Phase);
        Assert.NotNull(final.EndedAt);

        // Progress came before the end, pushed while the run was solving: no more often than every 250 ms.
        var progress = watcher.Received.TakeWhile(v => v.State == PlanningRunStates.Running).ToList();
        Assert.True(progress.Count > 0, "no progress was pushed before the final state");
        Assert.All(progress, v => Assert.Equal(runId, v.RunId));
        Assert.Contains(progress, v => v.Phase != "préparation");
        Assert.True(progress.Select(v => v.ElapsedSeconds).SequenceEqual(progress.Select(v => v.ElapsedSeconds).Order()),
            "progress must move forward: " + string.Join(", ", progress.Select(v => v.ElapsedSeconds)));
        var arrivals = watcher.Arrivals.Take(progress.Count + 1).ToList();
        Assert.All(arrivals.Zip(arrivals.Skip(1)).SkipLast(1), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(100),
            $"progress pushed {(pair.Second - pair.First).TotalMilliseconds:F0} ms apart"));

        // The pushed final state is what the API reads, and its plan is the session's schedule.
        var run = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/planning-runs/{runId}");
        Assert.Equal("succeeded", run.GetProperty("state").GetString());
        var schedule = await organiser.GetFromJsonAsync<ScheduleRow[]>($"/api/sessions/{session}/schedule");
        Assert.Equal(Orals, schedule!.Length);

        // Watching the run (or the latest one) after its end answers its final state at once.
        Assert.Equal(PlanningRunStates.Succeeded, (await watcher.WatchAsync(session, runId)).State);
        var latest = await watcher.Connection.InvokeAsync<PlanningRunView?>("WatchLatest", session).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(runId, latest?.RunId);
    }

    /// <summary>A push that never came says what the API reads of the run then: ended but not pushed, or still running.</summary>
    private static async Task<PlanningRunView> WithRunStateOnTimeout(HttpClient organiser, string session, string runId, Func<Task<PlanningRunView>> wait)
    {
        try
        {
            return await wait();
        }
        catch (TimeoutException e)
        {
            var run = await organiser.GetStringAsync($"/api/sessions/{session}/planning-runs/{runId}");
            throw new TimeoutException($"{e.Message}; the API reads the run as: {run}", e);
        }
    }

    [Fact]
    public async Task Only_the_organiser_may_watch_planning_runs()
    {
        const string session = "plan-live-refused";
        await using (var president = await PlanningWatcher.ConnectAsync(server.BaseAddress, await server.TokenAsync("jury-president", "président NORMANDIE", "NORMANDIE")))
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => president.WatchAsync(session, "run-1"));
            Assert.Contains("réservé à l'organisateur", refused.Message);
            await Assert.ThrowsAsync<HubException>(() => president.Connection.InvokeAsync<PlanningRunView?>("WatchLatest", session));
        }
        await using (var examiner = await PlanningWatcher.ConnectAsync(server.BaseAddress, await server.TokenAsync("examiner", "ECO1")))
            Assert.Contains("organisateur", (await Assert.ThrowsAsync<HubException>(() => examiner.WatchAsync(session, "run-1"))).Message);

        // Without a token the hub does not even connect.
        await using (var anonymous = PlanningWatcher.Create(server.BaseAddress, token: null))
            await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.Connection.StartAsync());

        // The organiser is told, in French, of a bad or unknown run.
        await using var organiser = await PlanningWatcher.ConnectAsync(server.BaseAddress, await server.TokenAsync("organiser", "bureau-examens"));
        Assert.Contains("invalide", (await Assert.ThrowsAsync<HubException>(() => organiser.WatchAsync(session, "run 1"))).Message);
        Assert.Contains("inconnue", (await Assert.ThrowsAsync<HubException>(() => organiser.WatchAsync(session, "run-1"))).Message);
    }

    [Fact]
    public async Task The_planning_page_shows_the_run_progress_live_then_the_plan_as_a_timeline()
    {
        const string session = "plan-live-page";
        // Numbers as long as the sample's ("CCST24-00513"), one character more: a 20-minute E22 block must still show it whole.
        await ImportSmallSessionAsync(session, "CCST24-005");
        var token = await server.TokenAsync("organiser", "bureau-examens");

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync(1400, 900);
        var page = browser.Page;

        await browser.Step("open the planning page", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}planning?session={session}#token={token}");
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
            await Expect(page.Locator("#connection")).ToHaveTextAsync("En direct");
            Assert.DoesNotContain("token", page.Url);
            await Expect(page.Locator("#schedule-summary")).ToHaveTextAsync("Aucun planning adopté pour cette session.");
            await Expect(page.Locator(".tl-exam")).ToHaveCountAsync(0);
        });
        await browser.MarkDocumentAsync();

        // Record every state and progress the page shows, to check it changed in place while the run went on.
        await page.EvaluateAsync("""
            () => {
              window.__seen = [];
              const record = () => window.__seen.push({
                state: document.getElementById('run-state').textContent,
                progress: document.getElementById('progress-text').textContent,
                phase: document.getElementById('run-phase').textContent,
              });
              new MutationObserver(record).observe(document.getElementById('run'), { subtree: true, childList: true, characterData: true, attributes: true });
            }
            """);

        await browser.Step("start a run", async () =>
        {
            await page.Locator("#time-limit").FillAsync("10");
            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Lancer une planification" }).ClickAsync();
            await Expect(page.Locator("#run")).ToBeVisibleAsync(new() { Timeout = 5_000 });
            await Expect(page.Locator("#action-message")).ToContainTextAsync("lancée");
        });

        await browser.Step("see the run end as réussie", async () =>
        {
            await Expect(page.Locator("#run-state")).ToHaveTextAsync("réussie", new() { Timeout = (float)RunDeadline.TotalMilliseconds });
            await Expect(page.Locator("#progress-text")).ToHaveTextAsync($"{Orals} / {Orals} oraux placés (100 %)");
            await Expect(page.Locator(".progress")).ToHaveAttributeAsync("aria-valuenow", $"{Orals}");
            await Expect(page.Locator("#run-phase")).ToHaveTextAsync("Terminée");
            await Expect(page.Locator("#run-placed")).ToHaveTextAsync($"{Orals} / {Orals}");
            await Expect(page.Locator("#run-unplaced-block")).ToBeHiddenAsync();
            await Expect(page.Locator("#start-run")).ToBeEnabledAsync();
            await Expect(page.Locator("#run-session-bound")).ToContainTextAsync("ne peut coûter moins de");
        });

        var seen = await page.EvaluateAsync<JsonElement>("() => window.__seen");
        var states = seen.EnumerateArray().Select(s => s.GetProperty("state").GetString()).ToList();
        var phases = seen.EnumerateArray().Select(s => s.GetProperty("phase").GetString()).Distinct().ToList();
        Assert.True(states.Contains("en cours"), $"the page never showed the run in progress: {seen}");
        Assert.True(phases.Count(p => p is not ("—" or "Terminée" or "")) >= 1, $"the page showed no solving phase: {seen}");
        // The solver's "centre CAEN-1, 2024-05-27" is told as a day of a centre, the French way.
        Assert.All(phases, p => Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", p));
        Assert.True(await browser.IsSameDocumentAsync(), "the page must update in place, not by reloading");

        using var organiser = await server.OrganiserAsync();
        var (rows, errors) = ScheduleCsv.Parse(new StringReader(await organiser.GetStringAsync($"/api/sessions/{session}/exports/schedule.csv")));
        Assert.Empty(errors);
        Assert.Equal(Orals, rows.Count);
        await browser.Step("see the plan as a timeline", async () =>
        {
            await Expect(page.Locator(".tl-exam")).ToHaveCountAsync(rows.Count, new() { Timeout = 5_000 });
            await Expect(page.Locator(".tl-day")).ToHaveCountAsync(rows.Select(r => (r.CentreId, r.Date)).Distinct().Count());
            await Expect(page.Locator(".tl-day h3").First).ToContainTextAsync("Centre CAEN-1 — lundi 27 mai 2024");
            // One lane per commission, its room in the label.
            await Expect(page.Locator(".tl-row[data-commission]")).ToHaveCountAsync(rows.Select(r => r.CommissionId).Distinct().Count());
            await Expect(page.Locator($".tl-row[data-commission=\"{rows[0].CommissionId}\"] .tl-label")).ToContainTextAsync(rows[0].Room);
            await Expect(page.Locator(".tl-prep")).ToHaveCountAsync(rows.Count(r => r.PrepStart is not null));
            var first = rows.OrderBy(r => r.ExamStart).First();
            await Expect(page.Locator($".tl-exam[data-candidate=\"{first.CandidateNumber}\"][data-unit=\"{first.Unit}\"]"))
                .ToHaveTextAsync($"{first.CandidateNumber} {first.Unit} MARTIN Léa");
        });

        await browser.Step("the timeline: colour by unit with a legend, number and name readable at the default zoom", async () =>
        {
            var units = rows.Select(r => r.Unit.ToString()).Distinct().ToArray();
            foreach (var unit in units) await Expect(page.Locator("#tl-legend")).ToContainTextAsync(unit);
            var colours = await page.EvalOnSelectorAllAsync<string[]>(".tl-exam",
                "bs => [...new Set(bs.map(b => b.dataset.unit + '=' + getComputedStyle(b).backgroundColor))]");
            Assert.Equal(units.Length, colours.Length);
            Assert.Equal(units.Length, colours.Select(c => c.Split('=')[1]).Distinct().Count());
            var cut = await page.EvalOnSelectorAllAsync<string[]>(".tl-exam .tl-candidate, .tl-exam .tl-name",
                "spans => spans.filter(s => s.scrollWidth > s.clientWidth + 1 || s.scrollHeight > s.clientHeight + 1).map(s => s.textContent)");
            Assert.Empty(cut);
        });

        await browser.Step("zoom, pan with the keyboard, filter by unit and examiner, search that highlights", async () =>
        {
            var block = page.Locator(".tl-exam").First;
            var before = (await block.BoundingBoxAsync())!.Width;
            await page.ClickAsync("#tl-zoom-in");
            await Expect(page.Locator("#tl-zoom-label")).ToHaveTextAsync("Zoom : 1 heure");
            // From the default (7 px a minute) to 10: blocks about 1.4 times as wide.
            Assert.True((await page.Locator(".tl-exam").First.BoundingBoxAsync())!.Width > before * 1.3);
            await page.ClickAsync("#tl-zoom-out");
            await page.Locator(".tl-scroll").First.FocusAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            await page.Keyboard.PressAsync("ArrowRight");
            // The browser's own keyboard scrolling is animated: wait for it to move rather than read it at once.
            await page.WaitForFunctionAsync("() => document.querySelector('.tl-scroll').scrollLeft > 0", null, new() { Timeout = 5_000 });

            await page.SelectOptionAsync("#tl-unit", "E4");
            await Expect(page.Locator(".tl-exam")).ToHaveCountAsync(rows.Count(r => r.Unit.ToString() == "E4"));
            await page.SelectOptionAsync("#tl-unit", "");
            var examiner = rows[0].ExaminerIds[0];
            await page.SelectOptionAsync("#tl-examiner", examiner);
            await Expect(page.Locator(".tl-exam")).ToHaveCountAsync(rows.Count(r => r.ExaminerIds.Contains(examiner)));
            await page.SelectOptionAsync("#tl-examiner", "");

            var candidate = rows[0].CandidateNumber;
            await page.FillAsync("#tl-search", candidate);
            await Expect(page.Locator(".tl-exam.match")).ToHaveCountAsync(rows.Count(r => r.CandidateNumber == candidate));
            await Expect(page.Locator(".tl-exam.dim")).ToHaveCountAsync(rows.Count(r => r.CandidateNumber != candidate));
            await page.FillAsync("#tl-search", "");

            await page.Locator(".tl-exam").First.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#tl-detail")).ToContainTextAsync("Examinateurs");
        });

        await browser.Step("publish the draft", async () =>
        {
            await Expect(page.Locator("#run-disposition")).ToContainTextAsync("brouillon", new() { Timeout = 5_000 });
            await Expect(page.Locator("#discard-run")).ToBeHiddenAsync();
            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Publier ce plan" }).ClickAsync();
            await Expect(page.Locator("#action-message")).ToContainTextAsync("Plan publié");
            await Expect(page.Locator("#run-disposition")).ToContainTextAsync("planning publié");
            await Expect(page.Locator("#publish-run")).ToBeHiddenAsync();
        });

        await browser.Step("a new run is a proposal compared with the published plan, then set aside", async () =>
        {
            await page.Locator("#time-limit").FillAsync("5");
            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Lancer une planification" }).ClickAsync();
            await Expect(page.Locator("#run-disposition")).ToContainTextAsync("proposition", new() { Timeout = (float)RunDeadline.TotalMilliseconds });
            await Expect(page.Locator("#run-comparison")).ToContainTextAsync("Par rapport au planning en vigueur");
            foreach (var width in new[] { 1400, 390 })
            {
                await page.SetViewportSizeAsync(width, 900);
                await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "btsccst-screens", $"planning-proposal-{width}.png"), FullPage = true });
            }
            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Écarter cette proposition" }).ClickAsync();
            await Expect(page.Locator("#run-disposition")).ToContainTextAsync("écartée");
        });
        Assert.Equal(rows.Count, ScheduleCsv.Parse(new StringReader(await organiser.GetStringAsync($"/api/sessions/{session}/exports/schedule.csv"))).Rows.Count);
    }

    private static async Task ImportOk(HttpClient organiser, string session, string kind, string csv)
    {
        var response = await organiser.ImportAsync(session, kind, csv);
        Assert.True(response.IsSuccessStatusCode, $"{kind}: {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>A .NET SignalR client of the planning hub that keeps every "runChanged" it receives, with its arrival time.</summary>
public sealed class PlanningWatcher : IAsyncDisposable
{
    private readonly Channel<PlanningRunView> _updates = Channel.CreateUnbounded<PlanningRunView>();
    private readonly List<(PlanningRunView View, DateTime At)> _received = [];

    private PlanningWatcher(HubConnection connection)
    {
        Connection = connection;
        Connection.On<PlanningRunView>(PlanningHub.UpdateMethod, view =>
        {
            lock (_received) _received.Add((view, DateTime.UtcNow));
            _updates.Writer.TryWrite(view);
        });
    }

    public HubConnection Connection { get; }

    public IReadOnlyList<PlanningRunView> Received
    {
        get { lock (_received) return _received.Select(r => r.View).ToList(); }
    }

    public IReadOnlyList<DateTime> Arrivals
    {
        get { lock (_received) return _received.Select(r => r.At).ToList(); }
    }

    public static PlanningWatcher Create(Uri baseAddress, string? token) =>
        new(new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, PlanningHub.Path.TrimStart('/')), options =>
            {
                if (token is not null) options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build());

    public static async Task<PlanningWatcher> ConnectAsync(Uri baseAddress, string token)
    {
        var watcher = Create(baseAddress, token);
        try
        {
            await watcher.Connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
            return watcher;
        }
        catch
        {
            await watcher.DisposeAsync();
            throw;
        }
    }

    public Task<PlanningRunView> WatchAsync(string sessionId, string runId) =>
        Connection.InvokeAsync<PlanningRunView>("Watch", sessionId, runId).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>The first queued update that satisfies <paramref name="match"/>, skipping the others; fails after <paramref name="within"/>.</summary>
    public async Task<PlanningRunView> NextAsync(Func<PlanningRunView, bool> match, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var view = await _updates.Reader.ReadAsync(timeout.Token);
                if (match(view)) return view;
                seen.Add($"{view.State} {view.Phase} {view.Placed}/{view.Total} {view.ElapsedSeconds:F1}s");
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching runChanged within {within.TotalSeconds} s; received: [{string.Join(" | ", seen)}]");
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
