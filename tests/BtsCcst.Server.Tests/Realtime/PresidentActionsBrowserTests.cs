using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>A jury president works from the board: acknowledges a livret, corrects a mark, closes.</summary>
[Collection(ServerCollection.Name)]
public sealed class PresidentActionsBrowserTests(ServerFixture server)
{
    private const string Session = "rt-actions";
    private const string Jury = "NORMANDIE";
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 5_000 };
    private static readonly LocatorAssertionsToContainTextOptions LiveContains = new() { Timeout = 5_000 };

    [Fact]
    public async Task The_president_acknowledges_a_livret_corrects_a_mark_with_a_reason_and_closes_from_the_board()
    {
        using (var organiser = await server.OrganiserAsync())
        {
            (await organiser.ImportAsync(Session, "candidates", SampleFiles.Candidates(
                SampleFiles.Candidate("ACT-01", livret: true, lastName: "LIVRET"),
                SampleFiles.Candidate("ACT-02", lastName: "CORRIGE")))).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks(["ACT-01"], "6"))).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks(["ACT-02"], "12"))).EnsureSuccessStatusCode();
        }
        var token = await server.TokenAsync("jury-president", $"président {Jury}", Jury);

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var livretRow = page.Locator("#candidates tbody tr[data-candidate=\"ACT-01\"]");
        var correctedRow = page.Locator("#candidates tbody tr[data-candidate=\"ACT-02\"]");

        await browser.Step("open the board", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}jury/{Jury}?session={Session}#token={token}");
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
            await Expect(page.Locator("#actions")).ToBeVisibleAsync();
        });

        await browser.Step("closing is refused while the livret of an adjourned candidate is not examined", async () =>
        {
            await page.ClickAsync("#close-jury");
            await Expect(page.Locator("#action-message")).ToContainTextAsync("ACT-01", LiveContains);
            await Expect(page.Locator("#action-message")).ToContainTextAsync("livret", LiveContains);
            await Expect(page.Locator("#agg-phase")).ToHaveTextAsync("1er groupe ouvert");
        });

        await browser.Step("acknowledge the livret", async () =>
        {
            await livretRow.Locator("button.ack-livret").ClickAsync();
            await Expect(livretRow.Locator("td.flags")).ToContainTextAsync("Livret examiné", LiveContains);
            await Expect(page.Locator("#agg-livrets")).ToHaveTextAsync("0", Live);
        });

        await browser.Step("a correction without a reason is not sent; with one it is", async () =>
        {
            await correctedRow.Locator("td[data-unit=\"E4\"]").ClickAsync();
            await page.FillAsync("#mark-result", "2");
            await page.ClickAsync("#mark-save");
            await Expect(page.Locator("#mark-dialog")).ToBeVisibleAsync();
            await Expect(correctedRow.Locator("td[data-unit=\"E4\"]")).ToHaveTextAsync("12");

            await page.FillAsync("#mark-reason", "Erreur de report");
            await page.ClickAsync("#mark-save");
            await Expect(page.Locator("#mark-dialog")).ToBeHiddenAsync();
            await Expect(correctedRow.Locator("td[data-unit=\"E4\"]")).ToHaveTextAsync("2", Live);
            await Expect(correctedRow.Locator("td.decision")).ToHaveTextAsync("Ajourné", Live);
        });

        await browser.Step("a mark the API refuses shows its French reason in the dialog", async () =>
        {
            await correctedRow.Locator("td[data-unit=\"E1\"]").ClickAsync();
            await page.FillAsync("#mark-result", "21");
            await page.FillAsync("#mark-reason", "essai");
            await page.ClickAsync("#mark-save");
            await Expect(page.Locator("#mark-error")).ToContainTextAsync("20", LiveContains);
            await page.ClickAsync("#mark-cancel");
        });

        await browser.Step("close the deliberation", async () =>
        {
            await page.ClickAsync("#close-jury");
            await Expect(page.Locator("#agg-phase")).ToHaveTextAsync("Close", Live);
            await Expect(page.Locator("#close-jury")).ToBeDisabledAsync();
            await Expect(correctedRow.Locator("td.editable")).ToHaveCountAsync(0);
        });
    }
}
