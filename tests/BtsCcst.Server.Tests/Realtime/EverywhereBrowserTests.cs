using BtsCcst.Server.Tests.ExamDays;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>
/// What every page owes its users (issue "screens for a working day", point 4): axe-core finds no WCAG A/AA violation
/// on the six pages with data loaded (the workspace included), and a page told apart "not found" (token kept) from "not allowed".
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class EverywhereBrowserTests(ServerFixture server)
{
    private const string Session = "rt-everywhere";
    private const string Jury = "NORMANDIE";
    private const string Date = "2024-05-27";
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 15_000 };

    [Fact]
    public async Task The_pages_with_data_have_no_axe_violation_and_tell_not_found_from_not_allowed()
    {
        ExamDayApiTests.PlannedExam exam;
        using (var organiser = await server.OrganiserAsync())
        {
            var rows = await ExamDayApiTests.PlanOneDayAsync(organiser, Session);
            exam = rows.First(r => r.Unit == "E4");
            var candidates = rows.Select(r => r.Candidate).Distinct().ToArray();
            await ExamDayApiTests.ImportOk(organiser, Session, "marks", SampleFiles.Marks(candidates[..^1], "12.5"));
            await ExamDayApiTests.ImportOk(organiser, Session, "marks", SampleFiles.Marks(candidates[^1..], "9", "E4"));
        }
        using (var president = await server.PresidentAsync(Jury))
            (await president.PutResultAsync(Session, exam.Candidate, "E1", "14", "Erreur de report")).EnsureSuccessStatusCode();
        var organiserToken = await server.TokenAsync("organiser", "bureau-examens");
        var presidentToken = await server.TokenAsync("jury-president", $"président {Jury}", Jury);
        var examinerToken = await server.TokenAsync("examiner", exam.Examiners[0]);
        var managerToken = await server.TokenAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
        var commission = $"commission/{Uri.EscapeDataString(exam.CommissionId)}?session={Session}&centre=CAEN-1&date={Date}";

        await using var chromium = await Chromium.LaunchAsync();
        var pages = new (string Name, string Address, string Ready, int Width)[]
        {
            ("index", "", "#open-board", 1400),
            ("jury", $"jury/{Jury}?session={Session}#token={presidentToken}", $"#candidates tr[data-candidate=\"{exam.Candidate}\"]", 1400),
            ("commission", $"{commission}#token={examinerToken}", $"#exams tr[data-candidate=\"{exam.Candidate}\"]", 390),
            ("commission", $"{commission}#token={examinerToken}", $"#exams tr[data-candidate=\"{exam.Candidate}\"]", 1400),
            ("centre", $"centre/CAEN-1?session={Session}&date={Date}#token={managerToken}", $"tr[data-candidate=\"{exam.Candidate}\"]", 1400),
            ("planning", $"planning?session={Session}#token={organiserToken}", ".tl-exam", 1400),
            ("workspace", $"workspace?session={Session}#token={organiserToken}", $"#list-juries tbody tr", 1400),
        };
        var found = new List<string>();
        foreach (var (name, address, ready, width) in pages)
        {
            await using var browser = await chromium.NewPageAsync(width, 900);
            await browser.Step($"{name} at {width} px with its data", async () =>
            {
                await browser.Page.GotoAsync($"{server.BaseAddress}{address}");
                await Expect(browser.Page.Locator(ready).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
                // Let the charts and the late parts (marks, history) settle before the check.
                await browser.Page.WaitForTimeoutAsync(300);
            });
            found.AddRange((await Axe.ViolationsAsync(browser.Page)).Select(v => $"{name} ({width} px): {v}"));
        }
        Assert.True(found.Count == 0, string.Join("\n", found));

        await using var lost = await chromium.NewPageAsync(1400, 900);
        await lost.Step("an unknown jury is not found, and the organiser keeps the token", async () =>
        {
            await lost.Page.GotoAsync($"{server.BaseAddress}jury/INCONNU?session={Session}#token={organiserToken}");
            await Expect(lost.Page.Locator("#connection")).ToContainTextAsync("Introuvable", Live);
            await Expect(lost.Page.Locator("#login")).ToBeHiddenAsync();
            Assert.Equal(organiserToken, await lost.Page.EvaluateAsync<string>($"() => sessionStorage.getItem('btsccst-token-{Session}-INCONNU')"));
        });
        await lost.Step("a day without exams is not found, and the examiner keeps the token", async () =>
        {
            await lost.Page.GotoAsync($"{server.BaseAddress}commission/{Uri.EscapeDataString(exam.CommissionId)}?session={Session}&centre=CAEN-1&date=2024-05-29#token={examinerToken}");
            await Expect(lost.Page.Locator("#connection")).ToContainTextAsync("Introuvable", Live);
            await Expect(lost.Page.Locator("#connection")).Not.ToContainTextAsync("HubException");
            await Expect(lost.Page.Locator("#login")).ToBeHiddenAsync();
            Assert.Equal(examinerToken, await lost.Page.EvaluateAsync<string>(
                $"() => sessionStorage.getItem('btsccst-token-commission-{Session}-{exam.CommissionId}')"));
        });
        await lost.Step("on the centre page too, a day without exams is not found, and the manager keeps the token", async () =>
        {
            await lost.Page.GotoAsync($"{server.BaseAddress}centre/CAEN-1?session={Session}&date=2024-05-29#token={managerToken}");
            await Expect(lost.Page.Locator("#connection")).ToContainTextAsync("Introuvable", Live);
            await Expect(lost.Page.Locator("#connection")).Not.ToContainTextAsync("centres.csv");
            await Expect(lost.Page.Locator("#login")).ToBeHiddenAsync();
            Assert.Equal(managerToken, await lost.Page.EvaluateAsync<string>($"() => sessionStorage.getItem('btsccst-token-day-{Session}-CAEN-1')"));
        });
        await lost.Step("another jury's board is not allowed: the login form says so", async () =>
        {
            await lost.Page.GotoAsync($"{server.BaseAddress}jury/AUTRE?session={Session}#token={presidentToken}");
            await Expect(lost.Page.Locator("#login-error")).ToContainTextAsync("Accès refusé", Live);
        });
    }
}
