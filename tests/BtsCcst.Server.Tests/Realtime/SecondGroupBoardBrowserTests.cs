using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>
/// The board during the second group (issue "second group and official documents"): the second-group tiles and
/// table, the president's choices and opening from the page, contrôle marks pushed live with the mark kept and the
/// new decision, the per-unit chart updated in place, and the minutes downloaded from the page.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SecondGroupBoardBrowserTests(ServerFixture server)
{
    private const string Session = "rt-second";
    private const string Jury = "NORMANDIE";
    /// <summary>Both second group: deliberation.md worked case 2 without EF1 (average 9.88, pro average 10.75).</summary>
    private const string Chooser = "SG-01";
    private const string Other = "SG-02";
    private const string Admitted = "SG-03";
    private const string School = "0141234X";

    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 5_000 };
    private static readonly LocatorAssertionsToContainTextOptions LiveContains = new() { Timeout = 5_000 };

    private const string UnitData = "() => Array.from(Chart.getChart(document.getElementById('unit-distribution')).data.datasets[0].data)";

    [Fact]
    public async Task The_president_runs_the_second_group_from_the_board_and_sees_contrôle_marks_live()
    {
        using (var organiser = await server.OrganiserAsync())
        {
            // The minutes name the president and the members: the jury is defined, not the default one per academy.
            (await organiser.ImportAsync(Session, "juries",
                $"jury_id,academies,president,members\n{Jury},NORMANDIE,Mme Durand (IA-IPR),M. Martin;Mme Leroy\n")).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "candidates", SampleFiles.Candidates(
                SampleFiles.Candidate(Chooser, lastName: "CONTROLE"),
                SampleFiles.Candidate(Other, lastName: "ORAL"),
                SampleFiles.Candidate(Admitted, lastName: "ADMISE")))).EnsureSuccessStatusCode();
            var marks = new StringBuilder("candidate_number,unit,result\n");
            foreach (var number in new[] { Chooser, Other })
                foreach (var (unit, mark) in new[] { ("E1", "8"), ("E21", "9"), ("E22", "11"), ("E3", "7"), ("E4", "12"), ("E5", "10"), ("U61", "11"), ("U62", "9") })
                    marks.Append($"{number},{unit},{mark}\n");
            (await organiser.ImportAsync(Session, "marks", marks.ToString())).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks([Admitted], "12"))).EnsureSuccessStatusCode();
        }
        using var president = await server.PresidentAsync(Jury);
        var close = await president.PostAsync($"/api/sessions/{Session}/juries/{Jury}/close", null);
        Assert.True(close.IsSuccessStatusCode, await close.Content.ReadAsStringAsync());
        Assert.Equal("FIRST_CLOSED", (await close.Content.ReadFromJsonAsync<CloseBody>())!.Phase);
        var token = await server.TokenAsync("jury-president", $"président {Jury}", Jury);

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var table = page.Locator("#second-group-table tbody");
        var chooser = table.Locator($"tr[data-candidate=\"{Chooser}\"]");
        var other = table.Locator($"tr[data-candidate=\"{Other}\"]");

        await browser.Step("open the board after the first group is closed", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}jury/{Jury}?session={Session}#token={token}");
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
            await Expect(page.Locator("#agg-phase")).ToHaveTextAsync("1er groupe clos");
            await Expect(page.Locator("#agg-second-examine")).ToBeVisibleAsync();
            await Expect(page.Locator("#agg-second-examine")).ToHaveTextAsync("2");
            await Expect(page.Locator("#agg-controles")).ToHaveTextAsync("0");
            await Expect(page.Locator("#open-second-group")).ToBeVisibleAsync();
            await Expect(page.Locator("#close-jury")).ToBeHiddenAsync();
            // Only the two SECOND_GROUPE candidates, each still to choose.
            await Expect(table.Locator("tr")).ToHaveCountAsync(2);
            await Expect(chooser.Locator("td.first-average")).ToHaveTextAsync("9,88");
            await Expect(chooser.Locator("td.choices")).ToContainTextAsync("Choix à faire");
            await Expect(other.Locator("td.choices")).ToContainTextAsync("Choix à faire");
            await Expect(chooser.Locator("td.decision")).ToHaveTextAsync("Second groupe");
            await Expect(chooser.Locator("td[data-unit=\"C_E1\"] .first")).ToContainTextAsync("8,00");
            // Livret, Annexe 3: the board never shows the candidate's school.
            Assert.DoesNotContain(School, await page.ContentAsync());
        });
        await browser.MarkDocumentAsync();

        await browser.Step("a choice of one unit is refused with the API's French reason", async () =>
        {
            await other.Locator("td.choices input[value=\"C_E1\"]").CheckAsync();
            await other.Locator("button.save-choices").ClickAsync();
            await Expect(page.Locator("#action-message")).ToContainTextAsync("pas 1", LiveContains);
            await Expect(page.Locator("#action-message")).ToHaveClassAsync("error");
        });

        await browser.Step("record both candidates' choices from the page", async () =>
        {
            await chooser.Locator("td.choices input[value=\"C_E1\"]").CheckAsync();
            await chooser.Locator("td.choices input[value=\"C_E3\"]").CheckAsync();
            await chooser.Locator("button.save-choices").ClickAsync();
            await Expect(chooser.Locator("td.choices .chosen-units")).ToHaveTextAsync("C_E1, C_E3", Live);
            await Expect(page.Locator("#agg-controles")).ToHaveTextAsync("2", Live);

            await other.Locator("td.choices input[value=\"C_E1\"]").CheckAsync();
            await other.Locator("td.choices input[value=\"C_E2\"]").CheckAsync();
            await other.Locator("button.save-choices").ClickAsync();
            await Expect(other.Locator("td.choices .chosen-units")).ToHaveTextAsync("C_E1, C_E2", Live);
            await Expect(page.Locator("#agg-controles")).ToHaveTextAsync("4", Live);
            await Expect(chooser.Locator("td[data-unit=\"C_E1\"] .controle-result")).ToContainTextAsync("à venir");
            await Expect(chooser.Locator("td[data-unit=\"C_E2\"]")).ToContainTextAsync("non choisie");
        });

        await browser.Step("open the second group from the page", async () =>
        {
            await page.ClickAsync("#open-second-group");
            await Expect(page.Locator("#agg-phase")).ToHaveTextAsync("2nd groupe ouvert", Live);
            await Expect(page.Locator("#open-second-group")).ToBeHiddenAsync();
            await Expect(page.Locator("#close-jury")).ToHaveTextAsync("Clore la délibération du second groupe");
            await Expect(page.Locator("#close-jury")).ToBeEnabledAsync();
        });

        await browser.Step("enter a contrôle mark through the mark dialog", async () =>
        {
            await page.EvaluateAsync("() => { window.__unitChart = Chart.getChart(document.getElementById('unit-distribution')); }");
            await chooser.Locator("td[data-unit=\"C_E1\"]").ClickAsync();
            await Expect(page.Locator("#mark-dialog")).ToBeVisibleAsync();
            await page.FillAsync("#mark-result", "14");
            await page.FillAsync("#mark-reason", "Note de l'oral de contrôle");
            await page.ClickAsync("#mark-save");
            await Expect(page.Locator("#mark-dialog")).ToBeHiddenAsync();
            await Expect(chooser.Locator("td[data-unit=\"C_E1\"] .controle-result")).ToContainTextAsync("14", LiveContains);
            await Expect(chooser.Locator("td[data-unit=\"C_E1\"] strong.kept")).ToHaveTextAsync("14,00", Live);
            await Expect(chooser.Locator("td.decision")).ToHaveTextAsync("Second groupe");
            await Expect(page.Locator("#agg-controles")).ToHaveTextAsync("3", Live);
        });

        // C_E3 12 for SG-01: points 247 + 3·(14 − 8) + 3·(12 − 7) = 280 → 11.20 → ADMIS.
        await Ok(await president.PutResultAsync(Session, Chooser, "C_E3", "12", reason: "Note de l'oral de contrôle"));

        await browser.Step("see the second-group decision pushed", async () =>
        {
            await Expect(chooser.Locator("td[data-unit=\"C_E3\"] strong.kept")).ToHaveTextAsync("12,00", Live);
            await Expect(chooser.Locator("td.decision")).ToHaveTextAsync("Admis", Live);
            await Expect(chooser.Locator("td.decision")).ToHaveAttributeAsync("data-group", "2");
            await Expect(chooser.Locator("td.average")).ToHaveTextAsync("11,20");
            await Expect(chooser.Locator("td.first-average")).ToHaveTextAsync("9,88");
            await Expect(page.Locator($"#candidates tbody tr[data-candidate=\"{Chooser}\"] td.decision")).ToHaveTextAsync("Admis", Live);
            await Expect(page.Locator("#agg-second-examine")).ToHaveTextAsync("1", Live);
            await Expect(page.Locator("#agg-controles")).ToHaveTextAsync("2", Live);
        });

        await browser.Step("the per-unit chart shows the contrôle marks, updated in place", async () =>
        {
            await Expect(page.Locator("#unit-select option[value=\"C_E1\"]")).ToHaveCountAsync(1);
            await Expect(page.Locator("#unit-select option[value=\"C_E3\"]")).ToHaveCountAsync(1);
            await Expect(page.Locator("#unit-select option[value=\"C_E2\"]")).ToHaveCountAsync(0);
            await page.SelectOptionAsync("#unit-select", "C_E1");
            var data = await page.EvaluateAsync<int[]>(UnitData);
            Assert.Equal(20, data.Length);
            Assert.Equal(1, data[14]);
            Assert.Equal(1, data.Sum());
            // E1 first-group marks (three candidates: 8, 8, 12) are a unit of their own.
            await page.SelectOptionAsync("#unit-select", "E1");
            data = await page.EvaluateAsync<int[]>(UnitData);
            Assert.Equal(2, data[8]);
            Assert.Equal(1, data[12]);
            await page.SelectOptionAsync("#unit-select", "C_E1");
        });

        // SG-02: C_E1 6 (the first-group 8 is kept), absent from C_E2 (the first-group E2 is kept) → 9.88 → AJOURNE.
        await Ok(await president.PutResultAsync(Session, Other, "C_E1", "6", reason: "Note de l'oral de contrôle"));
        await Ok(await president.PutResultAsync(Session, Other, "C_E2", "ABS", reason: "Absent à l'oral de contrôle"));

        await browser.Step("the selected unit's chart and the table follow the pushes", async () =>
        {
            await page.WaitForFunctionAsync($"() => ({UnitData})()[6] === 1", null, new() { Timeout = 5_000 });
            var data = await page.EvaluateAsync<int[]>(UnitData);
            Assert.Equal(1, data[14]);
            Assert.Equal(2, data.Sum());
            Assert.True(await page.EvaluateAsync<bool>("() => Chart.getChart(document.getElementById('unit-distribution')) === window.__unitChart"),
                "the per-unit chart must be updated in place, not recreated");
            await Expect(other.Locator("td[data-unit=\"C_E1\"] strong.kept")).ToHaveTextAsync("8,00", Live);
            await Expect(other.Locator("td[data-unit=\"C_E2\"] .controle-result")).ToContainTextAsync("Absent", LiveContains);
            await Expect(other.Locator("td[data-unit=\"C_E2\"] strong.kept")).ToHaveTextAsync("10,00");
            await Expect(other.Locator("td.decision")).ToHaveTextAsync("Ajourné", Live);
            await Expect(page.Locator("#agg-second-examine")).ToHaveTextAsync("0", Live);
            await Expect(page.Locator("#agg-controles")).ToHaveTextAsync("0", Live);
        });
        Assert.True(await browser.IsSameDocumentAsync(), "the board must update in place, not by reloading the page");

        await browser.Step("download the minutes from the page", async () =>
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-minutes"), new() { Timeout = 15_000 });
            Assert.Equal($"proces-verbal-{Session}-{Jury}.pdf", download.SuggestedFilename);
            await using var pdf = await download.CreateReadStreamAsync();
            var head = new byte[4];
            Assert.Equal(4, await pdf.ReadAtLeastAsync(head, 4));
            Assert.Equal("%PDF", Encoding.ASCII.GetString(head));
            await Expect(page.Locator("#action-message")).ToContainTextAsync("Procès-verbal téléchargé", LiveContains);
        });
    }

    private static async Task Ok(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private sealed record CloseBody(string Phase, int SecondGroupCandidates);
}
