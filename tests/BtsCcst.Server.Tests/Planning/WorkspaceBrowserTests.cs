using System.Net.Http.Json;
using System.Text;
using BtsCcst.Server.Tests.Realtime;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>
/// Issue 12, the organiser's workspace in Chromium, walked as an organiser would from an empty session: a bad file
/// (its errors shown by line, downloadable), the good files, a run, its publication, a re-plan compared then
/// published, the lists, and the downloads.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WorkspaceBrowserTests(ServerFixture server)
{
    private const string Session = "workspace-walk";
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(60);

    // Future dates: a past centre-day is kept as it is by a re-plan, so the late registration needs a day to come.
    private static readonly string Centres = SampleFiles.OneDayCentre.Replace("2024-05-27", "2027-05-24;2027-05-25");
    private static readonly string Examiners = SampleFiles.OneDayExaminers.Replace(",2024-05-27,", ",2027-05-24;2027-05-25,");

    private static FilePayload Csv(string name, string text) => new() { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(text) };

    private static string Candidates(params string[] numbers) =>
        SampleFiles.Candidates([.. numbers.Select(n => SampleFiles.Candidate(n, category: "PRIVE_HORS_CONTRAT"))]);

    [Fact]
    public async Task The_organiser_imports_plans_publishes_and_downloads_from_the_workspace()
    {
        var token = await server.TokenAsync("organiser", "bureau-examens");
        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;

        await browser.Step("open the workspace of an empty session", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}workspace?session={Session}#token={token}");
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
            await Expect(page.Locator("#stage-label")).ToHaveTextAsync("Préparation");
            await Expect(page.Locator("#next-step")).ToContainTextAsync("Importez");
        });

        await browser.Step("a bad candidates.csv is refused, its errors shown by line and downloadable", async () =>
        {
            var bad = Candidates("WS-01") + "WS-02,DURAND,Paul,2004-13-45,NORMANDIE,0141234X,PRIVE_HORS_CONTRAT,PONCTUEL,,,,0,non,\n";
            await page.Locator("#file-candidates").SetInputFilesAsync(Csv("candidats.csv", bad));
            await page.Locator("[data-import=candidates]").ClickAsync();
            await Expect(page.Locator("#result-candidates")).ToContainTextAsync("refusé", new() { Timeout = 10_000, IgnoreCase = true });
            await Expect(page.Locator("#import-errors-block")).ToBeVisibleAsync();
            var first = page.Locator("#import-errors tbody tr").First;
            await Expect(first.Locator("td").First).ToHaveTextAsync("3");
            await Expect(first.Locator("td").Nth(1)).ToHaveTextAsync("birth_date");
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#import-errors-download").ClickAsync());
            var errors = await File.ReadAllTextAsync(await download.PathAsync());
            Assert.StartsWith("line,column,message\n3,\"birth_date\"", errors);
            await Expect(page.Locator("#import-log tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("#import-log tbody tr").First).ToContainTextAsync("refusé");
        });

        await browser.Step("the good files are imported and counted", async () =>
        {
            foreach (var (kind, name, text) in new[]
                     {
                         ("candidates", "candidates.csv", Candidates("WS-01", "WS-02", "WS-03")),
                         ("centres", "centres.csv", Centres),
                         ("examiners", "examiners.csv", Examiners),
                     })
            {
                await page.Locator($"#file-{kind}").SetInputFilesAsync(Csv(name, text));
                await page.Locator($"[data-import={kind}]").ClickAsync();
                await Expect(page.Locator($"#result-{kind}")).ToContainTextAsync("créé(s)", new() { Timeout = 10_000 });
            }
            await Expect(page.Locator("#import-log tbody tr")).ToHaveCountAsync(4);
            await Expect(page.Locator("#stage-label")).ToHaveTextAsync("Planification");
            await Expect(page.Locator("#glance-tiles")).ToContainTextAsync("Candidats3");
        });

        await browser.Step("a run becomes the draft, which is published", async () =>
        {
            await page.Locator("#run-limit").FillAsync("10");
            await page.GetByRole(AriaRole.Button, new() { Name = "Lancer une planification" }).ClickAsync();
            await Expect(page.Locator("#latest-state")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("réussie|partielle|échouée"),
                new() { Timeout = (float)RunDeadline.TotalMilliseconds });
            Assert.True(await page.Locator("#latest-state").TextContentAsync() == "réussie", await page.Locator("#latest-run").TextContentAsync());
            await Expect(page.Locator("#comparison-summary")).ToContainTextAsync("brouillon", new() { Timeout = 10_000 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Publier ce plan" }).ClickAsync();
            await Expect(page.Locator("#run-message")).ToContainTextAsync("Plan publié");
            await Expect(page.Locator("#stage-label")).ToHaveTextAsync("Planning publié", new() { Timeout = 10_000 });
            await Expect(page.Locator("#replan-options")).ToBeVisibleAsync();
        });

        await browser.Step("a late registration, a re-plan compared with the published plan, then published", async () =>
        {
            await page.Locator("#file-candidates").SetInputFilesAsync(Csv("candidates.csv", Candidates("WS-01", "WS-02", "WS-03", "WS-04")));
            await page.Locator("[data-import=candidates]").ClickAsync();
            await Expect(page.Locator("#result-candidates")).ToContainTextAsync("1 créé(s)", new() { Timeout = 10_000 });
            await page.Locator("#run-limit").FillAsync("10");
            await page.GetByRole(AriaRole.Button, new() { Name = "Lancer une planification" }).ClickAsync();
            await Expect(page.Locator("#latest-reasons")).ToContainTextAsync("Re-planification", new() { Timeout = (float)RunDeadline.TotalMilliseconds });
            await Expect(page.Locator("#comparison-summary")).ToContainTextAsync("épreuve(s) changée(s)", new() { Timeout = 10_000 });
            await page.Locator("#comparison details").First.ClickAsync();
            await Expect(page.Locator("#comparison-candidates")).ToContainTextAsync("WS-04");
            // The cost terms beside the published plan's: the late registration's orals are placed on top of the others.
            await Expect(page.Locator("#comparison-terms tbody tr")).ToHaveCountAsync(4);
            var orals = page.Locator("#comparison-terms tr[data-term=orals] td");
            Assert.True(int.Parse(await orals.Nth(2).TextContentAsync() ?? "0") > int.Parse(await orals.Nth(1).TextContentAsync() ?? "0"),
                await page.Locator("#comparison-terms").TextContentAsync());
            await Expect(page.Locator("#discard")).ToBeVisibleAsync();
            foreach (var width in new[] { 1400, 390 })
            {
                await page.SetViewportSizeAsync(width, 900);
                await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "btsccst-screens", $"workspace-{width}.png"), FullPage = true });
            }
            await page.SetViewportSizeAsync(1400, 900);
            await page.GetByRole(AriaRole.Button, new() { Name = "Publier ce plan" }).ClickAsync();
            await Expect(page.Locator("#run-message")).ToContainTextAsync("Plan publié");
            await Expect(page.Locator("#run-history tbody tr")).ToHaveCountAsync(2, new() { Timeout = 10_000 });
            await Expect(page.Locator("#run-history tbody tr").First).ToContainTextAsync("publié");
            await Expect(page.Locator("#run-history tbody tr").Nth(1)).ToContainTextAsync("remplacé");
            await Expect(page.Locator("#run-history tbody tr").First).ToContainTextAsync("délai 7 j, minimale");
            await Expect(page.Locator("#run-history tbody tr").First).ToContainTextAsync("par bureau-examens");
            // The people the publication concerns: the late registration gets a convocation, theirs and no one else's is new.
            await Expect(page.Locator("#publication-summary")).ToContainTextAsync("WS-04", new() { Timeout = 10_000 });
            var news = await page.RunAndWaitForDownloadAsync(() => page.Locator("#publication-convocations").ClickAsync());
            Assert.Equal("%PDF", Encoding.ASCII.GetString((await File.ReadAllBytesAsync(await news.PathAsync()))[..4]));
            await page.Locator("#planning-section").ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "btsccst-screens", "workspace-published.png") });
        });

        await browser.Step("marks imported, then a candidate's record: registration, convocations, results, history", async () =>
        {
            await page.Locator("#file-marks").SetInputFilesAsync(Csv("marks.csv", SampleFiles.Marks(["WS-01"], "13")));
            await page.Locator("[data-import=marks]").ClickAsync();
            await Expect(page.Locator("#result-marks")).ToContainTextAsync("créé(s)", new() { Timeout = 10_000 });
            await Expect(page.Locator("#glance-tiles")).ToContainTextAsync($"Résultats saisis{SampleFiles.MandatoryUnits.Length}", new() { Timeout = 10_000 });
            await page.GetByRole(AriaRole.Tab, new() { Name = "Candidats" }).ClickAsync();
            await page.Locator("#list-search").FillAsync("WS-01");
            await page.Locator("#list-candidates [data-candidate=WS-01]").ClickAsync();
            await Expect(page.Locator("#candidate-title")).ToContainTextAsync("WS-01");
            await Expect(page.Locator("#candidate-registration")).ToContainTextAsync("PRIVE_HORS_CONTRAT");
            Assert.True(await page.Locator("#candidate-convocations tbody tr").CountAsync() >= 1);
            await Expect(page.Locator("#candidate-convocations tbody")).ToContainTextAsync("/05/2027");
            await Expect(page.Locator("#candidate-results tbody tr")).ToHaveCountAsync(SampleFiles.MandatoryUnits.Length);
            await Expect(page.Locator("#candidate-history tbody")).ToContainTextAsync("saisie");
            await page.Locator("#candidate-detail").ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "btsccst-screens", "workspace-candidate.png") });
            await page.Locator("#candidate-close").ClickAsync();
            await Expect(page.Locator("#candidate-detail")).ToBeHiddenAsync();
            await page.Locator("#list-search").FillAsync("");
        });

        await browser.Step("the lists are searchable and link to each page", async () =>
        {
            await Expect(page.Locator("#list-juries tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("#list-juries a").First).ToHaveAttributeAsync("href", $"/jury/NORMANDIE?session={Session}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Candidats" }).ClickAsync();
            await Expect(page.Locator("#list-candidates tbody tr")).ToHaveCountAsync(4);
            await page.Locator("#list-search").FillAsync("WS-04");
            await Expect(page.Locator("#list-candidates tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("#list-count")).ToHaveTextAsync("1 sur 4");
            await page.Locator("#list-search").FillAsync("");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Centres et journées" }).ClickAsync();
            await Expect(page.Locator("#list-centres .day").First).ToContainTextAsync("/05/2027 planifiée");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Commissions" }).ClickAsync();
            Assert.True(await page.Locator("#list-commissions tbody tr").CountAsync() >= 1);
            await Expect(page.Locator("#list-commissions a").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/commission/"));
            await page.GetByRole(AriaRole.Tab, new() { Name = "Examinateurs" }).ClickAsync();
            await Expect(page.Locator("#list-examiners tbody tr")).ToHaveCountAsync(8);
        });

        await browser.Step("the downloads", async () =>
        {
            var results = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Résultats (results.csv)" }).ClickAsync());
            Assert.StartsWith("candidate_number", await File.ReadAllTextAsync(await results.PathAsync()));
            var schedule = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Planning (schedule.csv)" }).ClickAsync());
            Assert.Contains("WS-04", await File.ReadAllTextAsync(await schedule.PathAsync()));
            var convocations = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Toutes les convocations (PDF)" }).ClickAsync());
            Assert.Equal("%PDF", Encoding.ASCII.GetString((await File.ReadAllBytesAsync(await convocations.PathAsync()))[..4]));
            await page.GetByRole(AriaRole.Tab, new() { Name = "Jurys" }).ClickAsync();
            var minutes = await page.RunAndWaitForDownloadAsync(() => page.Locator("#list-juries button.link").First.ClickAsync());
            Assert.Equal("%PDF", Encoding.ASCII.GetString((await File.ReadAllBytesAsync(await minutes.PathAsync()))[..4]));
            var transcripts = await page.RunAndWaitForDownloadAsync(() => page.Locator("#list-juries button.link", new() { HasText = "relevés" }).First.ClickAsync());
            Assert.Equal("%PDF", Encoding.ASCII.GetString((await File.ReadAllBytesAsync(await transcripts.PathAsync()))[..4]));
            await page.GetByRole(AriaRole.Tab, new() { Name = "Candidats" }).ClickAsync();
            await page.Locator("#list-search").FillAsync("WS-04");
            var one = await page.RunAndWaitForDownloadAsync(() => page.Locator("#list-candidates button.link", new() { HasText = "convocation" }).First.ClickAsync());
            Assert.Equal("convocation-WS-04.pdf", one.SuggestedFilename);
            Assert.Equal("%PDF", Encoding.ASCII.GetString((await File.ReadAllBytesAsync(await one.PathAsync()))[..4]));
            await page.Locator("#list-search").FillAsync("");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Examinateurs" }).ClickAsync();
            var calendar = await page.RunAndWaitForDownloadAsync(() => page.Locator("#list-examiners button.link").First.ClickAsync());
            Assert.StartsWith("BEGIN:VCALENDAR", await File.ReadAllTextAsync(await calendar.PathAsync()));
        });

        await browser.Step("the session's stage is on the other pages too, for the organiser and a centre manager", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}planning?session={Session}#token={token}");
            await Expect(page.Locator("#session-stage")).ToContainTextAsync("Planning publié", new() { Timeout = 15_000 });
            var manager = await server.TokenAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
            await page.GotoAsync($"{server.BaseAddress}centre/CAEN-1?session={Session}&date=2027-05-24#token={manager}");
            await Expect(page.Locator("#session-stage")).ToContainTextAsync("Planning publié", new() { Timeout = 15_000 });
            // The day begins (an event recorded elsewhere): the open page's stage follows within seconds.
            using var client = await server.ClientAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
            var present = await client.PostAsJsonAsync($"/api/sessions/{Session}/centres/CAEN-1/days/2027-05-24/events", new { kind = "candidate-present", candidateNumber = "WS-01" });
            Assert.True(present.IsSuccessStatusCode, await present.Content.ReadAsStringAsync());
            await Expect(page.Locator("#session-stage")).ToContainTextAsync("Journées d'épreuves en cours", new() { Timeout = 15_000 });
            await page.Locator("header").ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "btsccst-screens", "centre-stage.png") });
        });
    }
}
