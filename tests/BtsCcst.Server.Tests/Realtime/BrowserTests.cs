using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>The live jury board page (/jury/{juryId}) in a real browser, updated by the API without reload.</summary>
[Collection(ServerCollection.Name)]
public sealed class BrowserTests(ServerFixture server)
{
    private const string Session = "rt-browser";
    private const string Jury = "NORMANDIE";
    private const string Corrected = "RTB-01";
    private const string Bystander = "RTB-02";

    /// <summary>How long a pushed change may take to show: the brief's "within about 3 s".</summary>
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 3_000 };

    [Fact]
    public async Task A_mark_posted_through_the_API_shows_on_the_open_board_without_reload()
    {
        using (var organiser = await server.OrganiserAsync())
        {
            (await organiser.ImportAsync(Session, "candidates", SampleFiles.Candidates(
                SampleFiles.Candidate(Corrected, lastName: "CORRIGE"),
                SampleFiles.Candidate(Bystander, lastName: "TEMOIN")))).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks([Corrected, Bystander], "12"))).EnsureSuccessStatusCode();
        }
        var token = await server.TokenAsync("jury-president", $"président {Jury}", Jury);

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        var row = page.Locator($"#candidates tbody tr[data-candidate=\"{Corrected}\"]");

        await browser.Step("open the board", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}jury/{Jury}?session={Session}#token={token}");
            await Expect(row).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected");
            await Expect(page.Locator("#connection")).ToHaveTextAsync("En direct");
            // The token left the address bar once read.
            Assert.DoesNotContain("token", page.Url);
            await Expect(row.Locator("td.average")).ToHaveTextAsync("12,00");
            await Expect(row.Locator("td.decision")).ToHaveTextAsync("Admis");
            await Expect(page.Locator("#agg-admis")).ToHaveTextAsync("2");
            await Expect(page.Locator("#agg-ajourne")).ToHaveTextAsync("0");
            await Expect(page.Locator("#agg-candidates")).ToHaveTextAsync("2");
        });
        await browser.MarkDocumentAsync();

        // E4 (coefficient 6) from 12 to 2: average 9.60, pro average 8.25 → AJOURNE.
        using (var president = await server.PresidentAsync(Jury))
            (await president.PutResultAsync(Session, Corrected, "E4", "2", reason: "Erreur de report de la note d'E4")).EnsureSuccessStatusCode();

        await browser.Step("see the correction pushed", async () =>
        {
            await Expect(row.Locator("td.average")).ToHaveTextAsync("9,60", Live);
            await Expect(row.Locator("td[data-unit=\"E4\"]")).ToHaveTextAsync("2", Live);
            await Expect(row.Locator("td.decision")).ToHaveTextAsync("Ajourné", Live);
            await Expect(row.Locator("td.decision")).ToHaveAttributeAsync("data-decision", "AJOURNE", new() { Timeout = 3_000 });
            await Expect(page.Locator("#agg-admis")).ToHaveTextAsync("1", Live);
            await Expect(page.Locator("#agg-ajourne")).ToHaveTextAsync("1", Live);
            await Expect(page.Locator($"#candidates tbody tr[data-candidate=\"{Bystander}\"] td.average")).ToHaveTextAsync("12,00");
        });
        Assert.True(await browser.IsSameDocumentAsync(), "the board must update in place, not by reloading the page");
    }

    [Fact]
    public async Task A_failed_watch_on_a_live_connection_is_retried_after_connecting_and_after_reconnecting()
    {
        // A jury of its own, so the aggregates of the other test stay as it expects.
        const string jury = "LILLE";
        const string candidate = "RTB-L1";
        using (var organiser = await server.OrganiserAsync())
        {
            (await organiser.ImportAsync(Session, "candidates", SampleFiles.Candidates(
                SampleFiles.Candidate(candidate, academy: "LILLE", lastName: "NORDISTE")))).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks([candidate], "12"))).EnsureSuccessStatusCode();
        }
        var token = await server.TokenAsync("jury-president", $"président {jury}", jury);

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;

        // Every hub connection goes through this route; the first Watch of each one fails on the
        // server (an invalid jury id stands for a transient failure), the next ones pass.
        var sockets = new List<IWebSocketRoute>();
        var watches = 0;
        await page.RouteWebSocketAsync(url => new Uri(url).AbsolutePath == "/hubs/board", ws =>
        {
            lock (sockets) sockets.Add(ws);
            var toServer = ws.ConnectToServer();
            var spoiled = false;
            ws.OnMessage(frame =>
            {
                if (frame.Text is not { } text)
                {
                    toServer.Send(frame.Binary ?? []);
                    return;
                }
                if (text.Contains("\"target\":\"Watch\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref watches);
                    if (!spoiled)
                    {
                        spoiled = true;
                        text = text.Replace($"\"{jury}\"", "\"jury invalide\"", StringComparison.Ordinal);
                    }
                }
                toServer.Send(text);
            });
        });

        var badge = page.Locator("#connection");
        var row = page.Locator($"#candidates tbody tr[data-candidate=\"{candidate}\"]");
        await browser.Step("connect although the first Watch fails", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}jury/{jury}?session={Session}#token={token}");
            await Expect(badge).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 10_000 });
            await Expect(row.Locator("td.average")).ToHaveTextAsync("12,00");
        });
        Assert.Single(sockets);
        Assert.Equal(2, Volatile.Read(ref watches));
        await browser.MarkDocumentAsync();

        // The network drops the connection: the client reconnects by itself, and its first Watch fails again.
        IWebSocketRoute first;
        lock (sockets) first = sockets[0];
        await first.CloseAsync(new() { Code = 4000, Reason = "coupure réseau" });
        await browser.Step("reconnect and watch again", async () =>
        {
            await page.WaitForFunctionAsync("() => document.getElementById('connection').dataset.state !== 'connected'", null, new() { Timeout = 5_000 });
            await Expect(badge).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 10_000 });
        });
        lock (sockets) Assert.Equal(2, sockets.Count);
        Assert.Equal(4, Volatile.Read(ref watches));

        // E1 (coefficient 3) from 12 to 14: average 306 / 25 = 12.24.
        using (var president = await server.PresidentAsync(jury))
            (await president.PutResultAsync(Session, candidate, "E1", "14", reason: "Relecture de la copie")).EnsureSuccessStatusCode();
        await browser.Step("receive updates on the new connection", async () =>
            await Expect(row.Locator("td.average")).ToHaveTextAsync("12,24", Live));
        Assert.True(await browser.IsSameDocumentAsync(), "the board must reconnect in place, not by reloading the page");
    }
}

/// <summary>The board page survives a server restart: it reconnects by itself and goes on updating.</summary>
[Collection(ServerCollection.Name)]
public sealed class BrowserRestartTests
{
    private const string Session = "rt-restart";
    private const string Jury = "NORMANDIE";
    private const string Corrected = "RTR-01";
    private const string Bystander = "RTR-02";

    [Fact]
    public async Task The_board_reconnects_by_itself_after_a_server_restart_and_goes_on_updating()
    {
        await using var server = new TestHost();
        server.Start();
        using (var organiser = await server.ClientAsync("organiser", "bureau-examens"))
        {
            (await organiser.ImportAsync(Session, "candidates", SampleFiles.Candidates(
                SampleFiles.Candidate(Corrected, lastName: "CORRIGE"),
                SampleFiles.Candidate(Bystander, lastName: "TEMOIN")))).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks([Corrected, Bystander], "12"))).EnsureSuccessStatusCode();
        }
        var token = await server.TokenAsync("jury-president", $"président {Jury}", Jury);

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        var badge = page.Locator("#connection");
        var row = page.Locator($"#candidates tbody tr[data-candidate=\"{Corrected}\"]");

        await browser.Step("open the board", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}jury/{Jury}?session={Session}#token={token}");
            await Expect(row.Locator("td.average")).ToHaveTextAsync("12,00", new() { Timeout = 15_000 });
            await Expect(badge).ToHaveAttributeAsync("data-state", "connected");
        });
        await browser.MarkDocumentAsync();

        await server.StopAsync();
        await browser.Step("notice the server is gone", async () =>
            await Expect(badge).ToHaveAttributeAsync("data-state", "reconnecting", new() { Timeout = 10_000 }));
        // The page keeps what it showed while the server is away.
        await Expect(row.Locator("td.average")).ToHaveTextAsync("12,00");

        server.Start();
        await browser.Step("reconnect by itself", async () =>
        {
            // The page retries at most every 5 s.
            await Expect(badge).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
            await Expect(badge).ToHaveTextAsync("En direct");
            await Expect(page.Locator("#agg-admis")).ToHaveTextAsync("2");
        });

        using (var president = await server.ClientAsync("jury-president", $"président {Jury}", Jury))
            (await president.PutResultAsync(Session, Corrected, "E4", "2", reason: "Erreur de report de la note d'E4")).EnsureSuccessStatusCode();

        await browser.Step("see a correction made after the restart", async () =>
        {
            await Expect(row.Locator("td.average")).ToHaveTextAsync("9,60", new() { Timeout = 3_000 });
            await Expect(row.Locator("td.decision")).ToHaveTextAsync("Ajourné", new() { Timeout = 3_000 });
            await Expect(page.Locator("#agg-admis")).ToHaveTextAsync("1", new() { Timeout = 3_000 });
            await Expect(page.Locator("#agg-ajourne")).ToHaveTextAsync("1", new() { Timeout = 3_000 });
        });
        Assert.True(await browser.IsSameDocumentAsync(), "the board must reconnect in place, not by reloading the page");
    }
}
