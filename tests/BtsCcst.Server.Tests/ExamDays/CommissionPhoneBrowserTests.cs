using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Server.Tests.Realtime;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.ExamDays;

/// <summary>
/// The commission page on a phone (390 px) and on a wide screen (issue "screens for a working day", point 2): no
/// sideways scrolling, the next candidate first with big buttons, a real form for the mark that shows the current
/// value and asks before overwriting it, the mark in the row once entered, and a mark entered offline sent when the
/// connection returns.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CommissionPhoneBrowserTests(ServerFixture server)
{
    private const string Session = "commission-phone";
    private const string Date = "2024-05-27";
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 5_000 };
    private static readonly LocatorAssertionsToContainTextOptions LiveContains = new() { Timeout = 5_000 };

    private static Task<int> PageWidth(IPage page) => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

    [Fact]
    public async Task An_examiner_enters_marks_on_a_phone_confirms_an_overwrite_and_loses_nothing_offline()
    {
        ExamDayApiTests.PlannedExam exam;
        using (var organiser = await server.OrganiserAsync())
        {
            var rows = await ExamDayApiTests.PlanOneDayAsync(organiser, Session);
            exam = rows.First(r => r.Unit == "E4");
            await ExamDayApiTests.ImportOk(organiser, Session, "marks", $"candidate_number,unit,result\n{exam.Candidate},E4,11.5\n");
        }
        var token = await server.TokenAsync("examiner", exam.Examiners[0]);
        var address = $"{server.BaseAddress}commission/{Uri.EscapeDataString(exam.CommissionId)}?session={Session}&centre=CAEN-1&date={Date}";

        await using var chromium = await Chromium.LaunchAsync();
        await using var phone = await chromium.NewPageAsync(390, 844);
        var page = phone.Page;
        var row = page.Locator($"#exams tr[data-candidate=\"{exam.Candidate}\"][data-unit=\"E4\"]");

        await phone.Step("the login form fits 390 px", async () =>
        {
            await page.GotoAsync(address);
            await Expect(page.Locator("#login")).ToBeVisibleAsync(new() { Timeout = 10_000 });
            Assert.True(await PageWidth(page) <= 390, $"login page {await PageWidth(page)} px wide");
        });

        await phone.Step("the day fits 390 px, the next candidate first with big buttons", async () =>
        {
            await page.GotoAsync($"{address}#token={token}");
            await page.ReloadAsync();
            await Expect(page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            await Expect(row).ToBeVisibleAsync();
            Assert.True(await PageWidth(page) <= 390, $"day page {await PageWidth(page)} px wide");
            var next = await page.Locator("#next").BoundingBoxAsync();
            var table = await page.Locator("#exams").BoundingBoxAsync();
            Assert.True(next!.Y < table!.Y, "the next candidate comes before the list");
            var present = await page.Locator("#next-actions button[data-kind=\"candidate-present\"]").BoundingBoxAsync();
            Assert.True(present!.Height >= 44, $"the next candidate's button is {present.Height} px high");
        });

        await phone.Step("start the exam from the row", async () =>
        {
            await row.Locator("button[data-kind=\"candidate-present\"]").ClickAsync();
            await Expect(row.Locator("td.status")).ToHaveTextAsync("Présent", Live);
            await row.Locator("button[data-kind=\"exam-started\"]").ClickAsync();
            await Expect(row.Locator("td.status")).ToHaveTextAsync("En interrogation", Live);
            await Expect(row.Locator("td.mark")).ToHaveTextAsync("11,5", Live);
        });

        await phone.Step("the mark form shows the imported 11,5 and asks before replacing it", async () =>
        {
            await row.Locator("button[data-mark]").ClickAsync();
            await Expect(page.Locator("#mark-current")).ToHaveTextAsync("Note actuelle : 11,5.", Live);
            Assert.True(await PageWidth(page) <= 390, "the form fits");
            await page.FillAsync("#mark-input", "14,5");
            await page.ClickAsync("#mark-save");
            await Expect(page.Locator("#mark-error")).ToContainTextAsync("Remplacer la note actuelle");
            await Expect(page.Locator("#mark-dialog")).ToBeVisibleAsync();
            await page.CheckAsync("#overwrite");
            await page.ClickAsync("#mark-save");
            await Expect(page.Locator("#mark-dialog")).ToBeHiddenAsync();
            await Expect(row.Locator("td.mark")).ToHaveTextAsync("14,5", Live);
        });
        Assert.Equal("14.5", await ResultAsync(exam));

        await phone.Step("offline, a mark waits in the page and is sent when the connection returns", async () =>
        {
            await phone.Context.SetOfflineAsync(true);
            await row.Locator("button[data-mark]").ClickAsync();
            await Expect(page.Locator("#mark-current")).ToContainTextAsync("14,5", LiveContains);
            await page.FillAsync("#mark-input", "16");
            await page.CheckAsync("#overwrite");
            await page.ClickAsync("#mark-save");
            await Expect(row.Locator("td.mark")).ToContainTextAsync("en attente d'envoi", LiveContains);
            await Expect(page.Locator("#pending-banner")).ToContainTextAsync("1 note(s) en attente");
            await phone.Context.SetOfflineAsync(false);
            await Expect(row.Locator("td.mark")).ToHaveTextAsync("16", new() { Timeout = 10_000 });
            await Expect(page.Locator("#pending-banner")).ToBeHiddenAsync();
        });
        Assert.Equal("16", await ResultAsync(exam));

        await phone.Step("a waiting mark the server refuses when it is sent is said so, not dropped silently", async () =>
        {
            // A mark left waiting from an earlier connection, for an exam this examiner does not mark.
            await page.EvaluateAsync($$"""
                () => localStorage.setItem('btsccst-pending-marks-{{Session}}-{{exam.CommissionId}}',
                  JSON.stringify([{ number: '{{exam.Candidate}}', unit: 'E1', result: '12' }]))
                """);
            await page.ReloadAsync();
            await Expect(page.Locator("#action-message")).ToContainTextAsync("refusée par le serveur", new() { Timeout = 10_000 });
            await Expect(page.Locator("#action-message")).ToContainTextAsync($"{exam.Candidate} en E1");
            await Expect(page.Locator("#pending-banner")).ToBeHiddenAsync();
        });

        await using var wide = await chromium.NewPageAsync(1400, 900);
        await wide.Step("at 1400 px the same day is a table", async () =>
        {
            await wide.Page.GotoAsync($"{address}#token={token}");
            var wideRow = wide.Page.Locator($"#exams tr[data-candidate=\"{exam.Candidate}\"][data-unit=\"E4\"]");
            await Expect(wideRow.Locator("td.mark")).ToHaveTextAsync("16", new() { Timeout = 15_000 });
            await Expect(wide.Page.Locator("#exams thead")).ToBeVisibleAsync();
            Assert.True(await PageWidth(wide.Page) <= 1400);
        });
    }

    private async Task<string?> ResultAsync(ExamDayApiTests.PlannedExam exam)
    {
        using var organiser = await server.OrganiserAsync();
        var view = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/candidates/{exam.Candidate}");
        return view.GetProperty("summary").GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("unit").GetString() == "E4").Select(r => r.GetProperty("result").GetString()).SingleOrDefault();
    }
}
