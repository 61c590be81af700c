using System.Text;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Tests.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>
/// Issue 16 (7, 8) in Chromium: while a large file is written in batches the workspace shows its progress from the
/// import journal, and an import cut short by a stop of the server shows as interrupted, asking for the same file again.
/// </summary>
public sealed class WorkspaceImportProgressBrowserTests
{
    private const string Session = "ws-import-progress";

    [Fact]
    public async Task The_workspace_shows_a_large_imports_progress_and_after_a_restart_that_it_was_interrupted()
    {
        await using var host = new TestHost();
        host.Start();
        var token = await host.TokenAsync("organiser", "bureau-examens");
        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync(1200);
        var page = browser.Page;

        // The browser's request is held (the server has not read it yet); meanwhile the session's journal is written
        // as SessionImports writes it for a file of 3,000 rows once its first batch is stored.
        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync($"**/api/sessions/{Session}/imports/candidates", route => held.TrySetResult(route));

        await browser.Step("open the workspace and send a file", async () =>
        {
            await page.GotoAsync($"{host.BaseAddress}workspace?session={Session}#token={token}");
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
            var file = new FilePayload { Name = "candidats-national.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(SampleFiles.Candidates(SampleFiles.Candidate("PRG001"))) };
            await page.Locator("#file-candidates").SetInputFilesAsync(file);
            await page.Locator("[data-import=candidates]").ClickAsync();
            await held.Task.WaitAsync(TimeSpan.FromSeconds(15));
        });

        var session = host.Services.GetRequiredService<IGrainFactory>().Session(Session);
        var sequence = await session.BeginImport("candidates", new Actor("organiser", "bureau-examens"));
        await session.ReportImportProgress(sequence, 250, 3000);

        await browser.Step("the file's row and the journal show the rows written so far", async () =>
        {
            await Expect(page.Locator("#result-candidates")).ToHaveTextAsync("Import de candidats-national.csv : 250 / 3000 lignes écrites…", new() { Timeout = 10_000 });
            await Expect(page.Locator("#import-log tbody tr").First).ToContainTextAsync("en cours : 250 / 3000 lignes écrites");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "btsccst-screens", "workspace-import-progress.png"), FullPage = true });
        });

        await browser.Step("the server stops during the import: the page says so", async () =>
        {
            await (await held.Task).AbortAsync();
            await Expect(page.Locator("#result-candidates")).ToContainTextAsync("Serveur injoignable : candidats-national.csv n'a peut-être pas été importé");
        });

        await host.RestartAsync();

        await browser.Step("after the restart the journal shows the import interrupted, to be sent again", async () =>
        {
            await page.ReloadAsync();
            await Expect(page.Locator("#import-log tbody tr").First).ToContainTextAsync("Import interrompu par un arrêt du serveur", new() { Timeout = 15_000 });
            await Expect(page.Locator("#import-log tbody tr").First).ToContainTextAsync("Importez de nouveau le même fichier");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "btsccst-screens", "workspace-import-interrupted.png"), FullPage = true });
        });
    }
}
