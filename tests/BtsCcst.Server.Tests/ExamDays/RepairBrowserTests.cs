using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Server.Tests.Realtime;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.ExamDays;

/// <summary>
/// The repair of a day in a real browser: the centre manager proposes a repair after a late candidate, sees the diff,
/// accepts it, and the centre screen and a commission screen both show the new time without reload.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RepairBrowserTests(ServerFixture server)
{
    private const string Session = "repair-browser";
    private const string Date = "2024-05-27";
    private const string Day = $"/api/sessions/{Session}/centres/CAEN-1/days/{Date}";
    private const string KeptButE4 = "E22:12;U61:12;U62:12";

    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 5_000 };
    private static readonly LocatorAssertionsToContainTextOptions LiveContains = new() { Timeout = 5_000 };

    private sealed record Exam(string Candidate, string Unit, string? PrepStart, string ExamStart, string CommissionId, string[] Examiners)
    {
        public string Convocation => PrepStart ?? ExamStart;
    }

    [Fact]
    public async Task The_manager_repairs_the_day_after_a_late_candidate_and_the_centre_and_commission_screens_show_the_new_time()
    {
        // One candidate sits the four orals (a full afternoon), two only their E4 (the others kept from an earlier session):
        // in the one-day sample every candidate fills the afternoon, and a late one could only be taken out of the plan.
        using (var organiser = await server.OrganiserAsync())
            await ExamDayApiTests.PlanAsync(organiser, Session, SampleFiles.Candidates(
                SampleFiles.Candidate("RB-01", category: "PRIVE_HORS_CONTRAT", lastName: "DURAND"),
                SampleFiles.Candidate("RB-02", category: "PRIVE_HORS_CONTRAT", kept: KeptButE4, lastName: "LEROUX"),
                SampleFiles.Candidate("RB-03", category: "PRIVE_HORS_CONTRAT", kept: KeptButE4, lastName: "PETIT")),
                SampleFiles.OneDayCentre, SampleFiles.OneDayExaminers);
        using var manager = await server.ClientAsync("centre-manager", "Mme Lefèvre", "CAEN-1");

        // The day as planned; the late candidate: the first convoked of those who sit their E4 alone.
        var exams = ExamsOf(await manager.GetFromJsonAsync<JsonElement>(Day));
        var late = exams.Where(e => e.Candidate is "RB-02" or "RB-03").MinBy(e => e.Convocation)!.Candidate;
        var recorded = await manager.PostAsJsonAsync($"{Day}/events", new { kind = "candidate-late", candidateNumber = late, minutes = 40 });
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());

        var token = await server.TokenAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
        await using var chromium = await Chromium.LaunchAsync();
        await using var centre = await chromium.NewPageAsync();
        var page = centre.Page;

        await centre.Step("open the centre day", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}centre/CAEN-1?session={Session}&date={Date}#token={token}");
            await Expect(page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            await Expect(page.Locator("#repair")).ToBeVisibleAsync();
            // A past day: "À partir de" starts at the first exam not begun (a rehearsal of the day), for the manager to change.
            await Expect(page.Locator("#repair-from")).ToHaveValueAsync(exams.Min(e => e.Convocation)!);
            await page.Locator("#repair-from").FillAsync("");
        });
        await centre.MarkDocumentAsync();

        await centre.Step("a past day is repaired from a time given", async () =>
        {
            await page.Locator("#repair-propose").ClickAsync();
            await Expect(page.Locator("#repair-error")).ToContainTextAsync("indiquez l'heure", LiveContains);
            await Expect(page.Locator("#repair-proposal")).ToBeHiddenAsync();
        });

        string repairId = "";
        await centre.Step("propose a repair from 08:00", async () =>
        {
            await page.Locator("#repair-from").FillAsync("08:00");
            await page.Locator("#repair-propose").ClickAsync();
            await Expect(page.Locator("#repair-state")).ToHaveAttributeAsync("data-state", "PROPOSED", new() { Timeout = 20_000 });
            await Expect(page.Locator("#repair-error")).ToBeEmptyAsync();
            await Expect(page.Locator($"#repair-proposal table tr[data-candidate=\"{late}\"][data-unit]").First).ToBeVisibleAsync();
            await Expect(page.Locator("#repair-accept")).ToBeVisibleAsync();
            await Expect(page.Locator("#repair-reject")).ToBeVisibleAsync();
            repairId = (await page.Locator("#repair-id").TextContentAsync())!.Trim();
        });

        // The late candidate's exam that moves, as the API gives it.
        var proposal = await manager.GetFromJsonAsync<JsonElement>($"{Day}/repairs/{repairId}");
        Assert.Equal("PROPOSED", proposal.GetProperty("state").GetString());
        var change = proposal.GetProperty("changes").EnumerateArray()
            .FirstOrDefault(c => c.GetProperty("candidateNumber").GetString() == late && c.GetProperty("kind").GetString() == "moved");
        Assert.True(change.ValueKind == JsonValueKind.Object, $"no move of {late}'s exams; day {string.Join("; ", exams)}; proposal {proposal}");
        var unit = change.GetProperty("unit").GetString()!;
        var before = change.GetProperty("before");
        var after = change.GetProperty("after");
        var newTimes = $"{after.GetProperty("examStart").GetString()}–{after.GetProperty("examEnd").GetString()}";
        var oldTimes = $"{before.GetProperty("examStart").GetString()}–{before.GetProperty("examEnd").GetString()}";
        Assert.NotEqual(oldTimes, newTimes);
        var commissionId = after.GetProperty("commissionId").GetString()!;
        var sitting = exams.SelectMany(e => e.Examiners).ToHashSet();
        var examiner = after.GetProperty("examinerIds").EnumerateArray().Select(x => x.GetString()!).First(sitting.Contains);

        await centre.Step("see the late candidate's exam in the diff", async () =>
        {
            var row = page.Locator($"#repair-proposal table tr[data-candidate=\"{late}\"][data-unit=\"{unit}\"]");
            await Expect(row.Locator("td.before")).ToContainTextAsync(oldTimes);
            await Expect(row.Locator("td.after")).ToContainTextAsync(newTimes);
            await Expect(row.Locator("td.kind")).ToHaveTextAsync("Déplacée");
            await Expect(page.Locator("#repair-delay")).ToContainTextAsync("min");
        });

        // Another manager's screen finds the pending proposal; the commission screen where the exam will be watches too.
        var deputyToken = await server.TokenAsync("centre-manager", "M. Adjoint", "CAEN-1");
        await using var deputy = await chromium.NewPageAsync();
        await deputy.Step("a second manager screen shows the pending proposal", async () =>
        {
            await deputy.Page.GotoAsync($"{server.BaseAddress}centre/CAEN-1?session={Session}&date={Date}#token={deputyToken}");
            await Expect(deputy.Page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            await Expect(deputy.Page.Locator("#repair-id")).ToHaveTextAsync(repairId, Live);
            await Expect(deputy.Page.Locator("#repair-state")).ToHaveAttributeAsync("data-state", "PROPOSED");
            await Expect(deputy.Page.Locator($"#repair-proposal table tr[data-candidate=\"{late}\"][data-unit=\"{unit}\"] td.after")).ToContainTextAsync(newTimes);
        });
        var examinerToken = await server.TokenAsync("examiner", examiner);
        await using var commission = await chromium.NewPageAsync();
        var commissionTime = commission.Page.Locator($"#exams tr[data-candidate=\"{late}\"][data-unit=\"{unit}\"] td.time");
        await commission.Step("open the commission screen", async () =>
        {
            await commission.Page.GotoAsync(
                $"{server.BaseAddress}commission/{Uri.EscapeDataString(commissionId)}?session={Session}&centre=CAEN-1&date={Date}#token={examinerToken}");
            await Expect(commission.Page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            if (before.GetProperty("commissionId").GetString() == commissionId) await Expect(commissionTime).ToContainTextAsync(oldTimes);
        });
        await deputy.MarkDocumentAsync();
        await commission.MarkDocumentAsync();

        await centre.Step("accept the repair", async () =>
        {
            await page.Locator("#repair-accept").ClickAsync();
            await Expect(page.Locator("#repair-state")).ToHaveAttributeAsync("data-state", "ACCEPTED", new() { Timeout = 10_000 });
            await Expect(page.Locator("#repair-state")).ToHaveTextAsync("acceptée");
            await Expect(page.Locator("#repair-accept")).ToBeHiddenAsync();
            await Expect(page.Locator("#repair-convocations")).ToBeVisibleAsync();
            await Expect(page.Locator($"#repair-examiners li[data-examiner=\"{examiner}\"]")).ToBeVisibleAsync();
        });

        await centre.Step("see the new time on the centre day", async () =>
        {
            var time = page.Locator($"#rooms div.commission[data-commission=\"{commissionId}\"] tr[data-candidate=\"{late}\"][data-unit=\"{unit}\"] td.time");
            await Expect(time).ToContainTextAsync(newTimes, LiveContains);
        });
        await commission.Step("see the new time on the commission screen", async () =>
            await Expect(commissionTime).ToContainTextAsync(newTimes, LiveContains));
        await deputy.Step("see the acceptance and the new time on the second manager screen", async () =>
        {
            await Expect(deputy.Page.Locator("#repair-state")).ToHaveTextAsync("acceptée", Live);
            await Expect(deputy.Page.Locator("#repair-accept")).ToBeHiddenAsync();
            await Expect(deputy.Page.Locator($"#rooms tr[data-candidate=\"{late}\"][data-unit=\"{unit}\"] td.time")).ToContainTextAsync(newTimes, LiveContains);
        });
        Assert.True(await centre.IsSameDocumentAsync(), "the centre day must update in place, not by reloading the page");
        Assert.True(await deputy.IsSameDocumentAsync(), "the second manager screen must update in place, not by reloading the page");
        Assert.True(await commission.IsSameDocumentAsync(), "the commission screen must update in place, not by reloading the page");

        var accepted = await manager.GetFromJsonAsync<JsonElement>($"{Day}/repairs/{repairId}");
        Assert.Equal("ACCEPTED", accepted.GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_manager_records_a_teachers_absence_from_the_page_repairs_reads_why_accepts_and_the_replacement_sees_the_exams()
    {
        const string session = "repair-browser-absence";
        const string day = $"/api/sessions/{session}/centres/CAEN-1/days/{Date}";
        // A teacher of économie-gestion of another school, free that day: the replacement the repair should find.
        var examiners = SampleFiles.OneDayExaminers + "ECO9,Remplaçant,Jean,jean.remplacant@ac-normandie.fr,ECO_GESTION,,0149999Q,CAEN-1,2024-05-27,\n";
        using (var organiser = await server.OrganiserAsync())
            await ExamDayApiTests.PlanAsync(organiser, session, SampleFiles.Candidates(
                SampleFiles.Candidate("RA-01", category: "PRIVE_HORS_CONTRAT", lastName: "DURAND"),
                SampleFiles.Candidate("RA-02", category: "PRIVE_HORS_CONTRAT", kept: KeptButE4, lastName: "LEROUX")),
                SampleFiles.OneDayCentre, examiners);
        using var manager = await server.ClientAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
        var exams = ExamsOf(await manager.GetFromJsonAsync<JsonElement>(day));
        var absent = exams.SelectMany(e => e.Examiners).Where(id => id.StartsWith("ECO", StringComparison.Ordinal))
            .GroupBy(id => id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

        var token = await server.TokenAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
        await using var chromium = await Chromium.LaunchAsync();
        await using var centre = await chromium.NewPageAsync();
        var page = centre.Page;
        await centre.Step("open the centre day and its 'now' view", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}centre/CAEN-1?session={session}&date={Date}#token={token}");
            await Expect(page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            await Expect(page.Locator("#now-rooms tbody tr").First).ToBeVisibleAsync();
            await Expect(page.Locator($"#rooms a.examiner[data-examiner=\"{absent}\"]").First).ToHaveAttributeAsync("href", $"/api/sessions/{session}/examiners/{absent}/calendar.ics");
        });
        await centre.Step("record the teacher's absence for the whole day", async () =>
        {
            await page.Locator("#absence-examiner").SelectOptionAsync(absent);
            await Expect(page.Locator("#absence-all-day")).ToBeCheckedAsync();
            await page.Locator("#absence-reason").FillAsync("Malade");
            await page.Locator("#absence-form button[type=submit]").ClickAsync();
            await Expect(page.Locator("#action-message")).ToContainTextAsync($"Absence de {absent}", LiveContains);
            await Expect(page.Locator("#unavailability-list")).ToContainTextAsync(absent, LiveContains);
        });
        await centre.Step("ask for a repair from 08:00 with the default time", async () =>
        {
            await Expect(page.Locator("#repair-limit")).ToHaveValueAsync("1.2");
            await page.Locator("#repair-from").FillAsync("08:00");
            await page.Locator("#repair-propose").ClickAsync();
            await Expect(page.Locator("#repair-state")).ToHaveAttributeAsync("data-state", "PROPOSED", new() { Timeout = 20_000 });
        });
        // The replacement, as the API gives the proposal.
        var repairId = (await page.Locator("#repair-id").TextContentAsync())!.Trim();
        var proposal = await manager.GetFromJsonAsync<JsonElement>($"{day}/repairs/{repairId}");
        var replacement = proposal.GetProperty("changes").EnumerateArray()
            .Where(c => c.GetProperty("after").ValueKind == JsonValueKind.Object && c.GetProperty("before").GetProperty("examinerIds").EnumerateArray().Any(x => x.GetString() == absent))
            .SelectMany(c => c.GetProperty("after").GetProperty("examinerIds").EnumerateArray().Select(x => x.GetString()!))
            .First(id => id.StartsWith("ECO", StringComparison.Ordinal));
        await centre.Step("read the explanations", async () =>
        {
            var why = page.Locator("#repair-diff td.why");
            await Expect(why.First).ToContainTextAsync($"{absent}, absent toute la journée, est remplacé par {replacement}");
            await Expect(page.Locator("#repair-moved .value")).ToHaveTextAsync("0");
            Assert.DoesNotContain("from", await page.Locator("#repair-proposal").InnerTextAsync());
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "centre-repair-absence.png"), FullPage = true });
        });
        await centre.Step("accept", async () =>
        {
            await page.Locator("#repair-accept").ClickAsync();
            await Expect(page.Locator("#repair-state")).ToHaveAttributeAsync("data-state", "ACCEPTED", new() { Timeout = 10_000 });
            await Expect(page.Locator($"#repair-examiners li[data-examiner=\"{replacement}\"] a").First).ToBeVisibleAsync();
        });

        // The replacement's commission page shows the exams they now sit.
        var now = ExamsOf(await manager.GetFromJsonAsync<JsonElement>(day));
        var theirs = now.Where(e => e.Examiners.Contains(replacement)).ToList();
        Assert.NotEmpty(theirs);
        Assert.DoesNotContain(now, e => e.Examiners.Contains(absent));
        var link = await page.Locator($"#repair-examiners li[data-examiner=\"{replacement}\"] a").Nth(1).GetAttributeAsync("href");
        Assert.Contains($"/commission/{Uri.EscapeDataString(theirs[0].CommissionId)}?", link);
        await using var commission = await chromium.NewPageAsync();
        await commission.Step("the replacement opens the commission page", async () =>
        {
            await commission.Page.GotoAsync($"{server.BaseAddress}{link!.TrimStart('/')}#token={await server.TokenAsync("examiner", replacement)}");
            await Expect(commission.Page.Locator("#connection")).ToHaveTextAsync("En direct", new() { Timeout = 15_000 });
            foreach (var exam in theirs.Where(e => e.CommissionId == theirs[0].CommissionId))
                await Expect(commission.Page.Locator($"#exams tr[data-candidate=\"{exam.Candidate}\"][data-unit=\"{exam.Unit}\"]")).ToBeVisibleAsync();
        });
    }

    private static Exam[] ExamsOf(JsonElement day) =>
        [.. day.GetProperty("rooms").EnumerateArray()
            .SelectMany(r => r.GetProperty("commissions").EnumerateArray())
            .SelectMany(c => c.GetProperty("exams").EnumerateArray().Select(e => new Exam(
                e.GetProperty("candidateNumber").GetString()!, e.GetProperty("unit").GetString()!,
                e.GetProperty("prepStart").GetString(), e.GetProperty("examStart").GetString()!, c.GetProperty("commissionId").GetString()!,
                [.. c.GetProperty("examinerIds").EnumerateArray().Select(x => x.GetString()!)])))];
}
