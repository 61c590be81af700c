using System.Net.Http.Json;
using BtsCcst.Server.Tests.Realtime;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.ExamDays;

/// <summary>The centre-day screen (/centre/{id}) and a commission screen in a real browser, updated live without reload.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExamDayBrowserTests(ServerFixture server)
{
    private const string Session = "exam-day-browser";
    private const string Date = "2024-05-27";

    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 3_000 };

    [Fact]
    public async Task The_centre_manager_marks_a_candidate_present_and_an_event_posted_through_the_API_shows_without_reload()
    {
        ExamDayApiTests.PlannedExam[] rows;
        using (var organiser = await server.OrganiserAsync()) rows = await ExamDayApiTests.PlanOneDayAsync(organiser, Session);
        var first = rows.First(r => r.Unit == "E4");
        var other = rows.First(r => r.Candidate != first.Candidate && r.Unit == "E4");
        var token = await server.TokenAsync("centre-manager", "Mme Lefèvre", "CAEN-1");

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        ILocator Status(ExamDayApiTests.PlannedExam exam) =>
            page.Locator($"tr[data-candidate=\"{exam.Candidate}\"][data-unit=\"{exam.Unit}\"] td.status");

        await browser.Step("open the centre day", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}centre/CAEN-1?session={Session}&date={Date}#token={token}");
            await Expect(Status(first)).ToHaveTextAsync("Convoqué", new() { Timeout = 15_000 });
            await Expect(page.Locator("#connection")).ToHaveTextAsync("En direct");
            await Expect(page.Locator($"section.room[data-room=\"{first.Room}\"] div.commission[data-commission=\"{first.CommissionId}\"]")).ToBeVisibleAsync();
            Assert.DoesNotContain("0141234X", await page.ContentAsync());
        });
        await browser.MarkDocumentAsync();

        await browser.Step("click Présent", async () =>
        {
            await page.Locator($"tr[data-candidate=\"{first.Candidate}\"][data-unit=\"E4\"] button[data-kind=\"candidate-present\"]").ClickAsync();
            await Expect(Status(first)).ToHaveTextAsync("Présent", Live);
            await Expect(Status(first)).ToHaveAttributeAsync("data-status", "PRESENT");
        });

        using (var manager = await server.ClientAsync("centre-manager", "M. Adjoint", "CAEN-1"))
        {
            var response = await manager.PostAsJsonAsync($"/api/sessions/{Session}/centres/CAEN-1/days/{Date}/events",
                new { kind = "candidate-absent", candidateNumber = other.Candidate, unit = "E4" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        await browser.Step("see the absence pushed", async () =>
        {
            await Expect(Status(other)).ToHaveTextAsync("Absent", Live);
            await Expect(Status(other)).ToHaveAttributeAsync("data-status", "ABSENT");
        });
        Assert.True(await browser.IsSameDocumentAsync(), "the day must update in place, not by reloading the page");

        // The commission screen of the first candidate's E4: its next candidate, then the exam's start pushed.
        var examinerToken = await server.TokenAsync("examiner", first.Examiners[0]);
        await using var commission = await chromium.NewPageAsync();
        await commission.Step("open the commission screen", async () =>
        {
            await commission.Page.GotoAsync(
                $"{server.BaseAddress}commission/{Uri.EscapeDataString(first.CommissionId)}?session={Session}&centre=CAEN-1&date={Date}#token={examinerToken}");
            await Expect(commission.Page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            await Expect(commission.Page.Locator("#next")).ToContainTextAsync("Prochain candidat");
            var row = commission.Page.Locator($"tr[data-candidate=\"{first.Candidate}\"][data-unit=\"E4\"]");
            await row.Locator("button[data-kind=\"exam-started\"]").ClickAsync();
            await Expect(row.Locator("td.status")).ToHaveTextAsync("En interrogation", Live);
        });
        await browser.Step("see the commission's start on the centre day", async () =>
            await Expect(Status(first)).ToHaveTextAsync("En interrogation", Live));
    }
}
