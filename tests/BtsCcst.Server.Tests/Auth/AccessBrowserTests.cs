using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BtsCcst.Server.Tests.ExamDays;
using BtsCcst.Server.Tests.Realtime;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Auth;

/// <summary>
/// Issue 14's journey in Chromium: the organiser signs in with the first-start link, issues links for a jury's
/// president and a commission's examiner; each opens theirs in a fresh browser and sees only their board or
/// commission; the organiser revokes the examiner, whose open page is refused within 5 s; a link opened twice is refused.
/// </summary>
public sealed class AccessBrowserTests
{
    private const string Session = "acces-navigateur";
    private const string Date = "2024-05-27";

    [Fact]
    public async Task The_organiser_issues_links_each_person_sees_only_their_page_and_a_revoked_examiner_is_refused_within_5_s()
    {
        await using var server = new AccessHost();
        server.Start();
        ExamDayApiTests.PlannedExam[] rows;
        using (var bearer = await server.OrganiserAsync())
        {
            Assert.True((await bearer.ImportAsync(Session, "juries", AccessHost.JuriesCsv)).IsSuccessStatusCode);
            rows = await ExamDayApiTests.PlanOneDayAsync(bearer, Session);
        }
        var exam = rows.First(r => r.Unit == "E4");
        var examinerId = exam.Examiners[0];

        await using var chromium = await Chromium.LaunchAsync();
        await using var organiser = await chromium.NewPageAsync();
        string presidentLink = "", examinerLink = "";
        await organiser.Step("the organiser signs in with the first-start link and issues two links", async () =>
        {
            await organiser.Page.GotoAsync(await server.FirstOrganiserLinkAsync());
            // The link lands on the workspace, signed in by its cookie alone; people and accesses are one link away.
            await Expect(organiser.Page).ToHaveURLAsync(new Regex("/workspace"), new() { Timeout = 15_000 });
            await organiser.Page.GotoAsync($"{server.BaseAddress}workspace?session={Session}");
            await Expect(organiser.Page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            await Expect(organiser.Page.Locator("#sign-out")).ToBeVisibleAsync();
            // A download the page fetches itself goes by the cookie alone.
            var download = await organiser.Page.RunAndWaitForDownloadAsync(() => organiser.Page.Locator("[data-download=\"/exports/schedule.csv\"]").ClickAsync());
            Assert.Equal("schedule.csv", download.SuggestedFilename);
            Assert.Contains(exam.Candidate, await File.ReadAllTextAsync(await download.PathAsync()));
            // An import is a write: the page sends the cookie's antiforgery token with it.
            await organiser.Page.Locator("#file-juries").SetInputFilesAsync(new FilePayload { Name = "juries.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(AccessHost.JuriesCsv) });
            await organiser.Page.Locator("[data-import=juries]").ClickAsync();
            await Expect(organiser.Page.Locator("#result-juries")).ToContainTextAsync("inchangé", new() { Timeout = 10_000 });
            await organiser.Page.Locator("#access-link").ClickAsync();
            await Expect(organiser.Page).ToHaveURLAsync(new Regex($"/acces\\?session={Session}$"), new() { Timeout = 15_000 });
            // A validity out of range is refused in words, nothing issued.
            await organiser.Page.Locator("#validity").FillAsync("0");
            await organiser.Page.Locator("button[data-issue=\"jury-president:JURY-N\"]").ClickAsync();
            await Expect(organiser.Page.Locator("#message")).ToContainTextAsync("de 1 à 60 jours (reçu 0)");
            await Expect(organiser.Page.Locator("#issued tr[data-person=\"jury-president:JURY-N\"]")).ToHaveCountAsync(0);
            await organiser.Page.Locator("#validity").FillAsync("7");
            await organiser.Page.Locator("button[data-issue=\"jury-president:JURY-N\"]").ClickAsync();
            presidentLink = await organiser.Page.Locator("#links tr[data-person=\"jury-president:JURY-N\"] input.link").InputValueAsync(new() { Timeout = 10_000 });
            await organiser.Page.Locator($"button[data-issue=\"examiner:{examinerId}\"]").ClickAsync();
            examinerLink = await organiser.Page.Locator($"#links tr[data-person=\"examiner:{examinerId}\"] input.link").InputValueAsync(new() { Timeout = 10_000 });
            Assert.Contains("/connexion#code=", presidentLink);
            await Expect(organiser.Page.Locator($"#issued tr[data-person=\"examiner:{examinerId}\"] td.status")).ToHaveTextAsync("Lien non ouvert");
        });

        await using var president = await chromium.NewPageAsync();
        await president.Step("the president opens the link and sees their board, not another", async () =>
        {
            await president.Page.GotoAsync(presidentLink);
            // The sign-in page moves on by script once its fetch returns. Polled, not WaitForURL: that one misses a
            // navigation committed between its own URL check and its wait (seen once in CI, a 30 s timeout).
            await Expect(president.Page).ToHaveURLAsync(new Regex($"/jury/JURY-N\\?session={Session}$"), new() { Timeout = 15_000 });
            await Expect(president.Page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            await Expect(president.Page.Locator("#candidates tbody tr")).ToHaveCountAsync(4);
            await president.Page.GotoAsync($"{server.BaseAddress}jury/JURY-P?session={Session}");
            await Expect(president.Page.Locator("#login-error")).ToContainTextAsync("Accès refusé", new() { Timeout = 15_000 });
            await Expect(president.Page.Locator("#board")).ToBeHiddenAsync();
        });

        await using var examiner = await chromium.NewPageAsync();
        var commissionUrl = $"{server.BaseAddress}commission/{Uri.EscapeDataString(exam.CommissionId)}?session={Session}&centre=CAEN-1&date={Date}";
        await examiner.Step("the examiner opens the link and sees their commission's exams only", async () =>
        {
            // The link lands on one of their commissions (that of their first exam), on the plan's day.
            var theirs = string.Join("|", rows.Where(r => r.Examiners.Contains(examinerId)).Select(r => Regex.Escape(Uri.EscapeDataString(r.CommissionId))).Distinct());
            await examiner.Page.GotoAsync(examinerLink);
            await Expect(examiner.Page).ToHaveURLAsync(
                new Regex($"/commission/({theirs})\\?session={Session}&centre=CAEN-1&date={Date}$"), new() { Timeout = 15_000 });
            await Expect(examiner.Page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            await examiner.Page.GotoAsync(commissionUrl);
            await Expect(examiner.Page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            await Expect(examiner.Page.Locator($"tr[data-candidate=\"{exam.Candidate}\"][data-unit=\"E4\"]")).ToBeVisibleAsync();
            var own = rows.Count(r => r.CommissionId == exam.CommissionId);
            await Expect(examiner.Page.Locator("#exams tbody tr")).ToHaveCountAsync(own);
        });
        await examiner.Step("signed in by the cookie, the examiner reaches neither another commission nor the organiser's routes", async () =>
        {
            var day = $"/api/sessions/{Session}/centres/CAEN-1/days/{Date}";
            var seen = await FetchAsync(examiner.Page, "GET", day);
            Assert.Equal(200, seen.GetProperty("status").GetInt32());
            var exams = JsonDocument.Parse(seen.GetProperty("body").GetString()!).RootElement.GetProperty("rooms").EnumerateArray()
                .SelectMany(r => r.GetProperty("commissions").EnumerateArray()).SelectMany(c => c.GetProperty("exams").EnumerateArray()).ToArray();
            Assert.All(exams, e => Assert.Contains(examinerId, e.GetProperty("examinerIds").EnumerateArray().Select(x => x.GetString())));
            var notTheirs = rows.First(r => !r.Examiners.Contains(examinerId));
            Assert.DoesNotContain(exams, e => e.GetProperty("candidateNumber").GetString() == notTheirs.Candidate && e.GetProperty("unit").GetString() == notTheirs.Unit);
            // A write for another commission's exam, with the cookie's antiforgery token: refused by role, not by the token.
            var write = await FetchAsync(examiner.Page, "POST", $"{day}/events", new { kind = "exam-started", candidateNumber = notTheirs.Candidate, unit = notTheirs.Unit });
            Assert.Equal(403, write.GetProperty("status").GetInt32());
            Assert.Contains("n'examine pas", write.GetProperty("body").GetString());
            foreach (var path in new[] { "people", "accesses", "juries/JURY-N/board" })
                Assert.Equal(403, (await FetchAsync(examiner.Page, "GET", $"/api/sessions/{Session}/{path}")).GetProperty("status").GetInt32());
            Assert.Equal(403, (await FetchAsync(examiner.Page, "POST", $"/api/sessions/{Session}/accesses", new { role = "organiser", name = "Intrus" })).GetProperty("status").GetInt32());
        });

        await organiser.Step("the organiser revokes the examiner; the open page is refused within 5 s", async () =>
        {
            await organiser.Page.ReloadAsync();
            await organiser.Page.Locator($"#issued tr[data-person=\"examiner:{examinerId}\"] button[data-revoke]").ClickAsync();
            await Expect(organiser.Page.Locator($"#issued tr[data-person=\"examiner:{examinerId}\"] td.status")).ToHaveTextAsync("Révoqué");
        });
        await examiner.Step("the examiner's page says the access ended", async () =>
        {
            await Expect(examiner.Page.Locator("#login-error")).ToContainTextAsync("accès a été retiré", new() { Timeout = 5_000 });
            await Expect(examiner.Page.Locator("#day")).ToBeHiddenAsync();
            await examiner.Page.ReloadAsync();
            await Expect(examiner.Page.Locator("#login")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        });

        await using var again = await chromium.NewPageAsync();
        await again.Step("the president's link opened a second time is refused", async () =>
        {
            await again.Page.GotoAsync(presidentLink);
            await Expect(again.Page.Locator("#error")).ToContainTextAsync("déjà servi", new() { Timeout = 10_000 });
            await again.Page.GotoAsync($"{server.BaseAddress}jury/JURY-N?session={Session}");
            await Expect(again.Page.Locator("#login")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        });
        await president.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "btsccst-access-president.png") });
        await organiser.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "btsccst-access-organiser.png"), FullPage = true });
    }

    /// <summary>A request the page itself sends (its cookie, and the antiforgery token a page sends with its writes): { status, body }.</summary>
    private static Task<JsonElement> FetchAsync(IPage page, string method, string path, object? body = null) => page.EvaluateAsync<JsonElement>(
        """
        async ([method, path, body]) => {
          const me = await (await fetch("/api/access/me")).json();
          const response = await fetch(path, {
            method, headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": me.antiforgery },
            body: body === null ? undefined : JSON.stringify(body),
          });
          return { status: response.status, body: await response.text() };
        }
        """, new object?[] { method, path, body });
}
