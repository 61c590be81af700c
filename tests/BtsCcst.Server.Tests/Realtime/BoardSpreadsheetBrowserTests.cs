using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>
/// The jury board as a spreadsheet at 1400 px (issue "screens for a working day", point 1): sort, filters, search,
/// frozen header and first columns, every flag on screen, a changed mark with its history one click away, the
/// blockers of a refused close as links to their rows, a missing result entered by the president, and live
/// updates that keep sort, filter and scroll.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BoardSpreadsheetBrowserTests(ServerFixture server)
{
    private const string Session = "rt-sheet";
    private const string Jury = "NORMANDIE";
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 5_000 };
    private static readonly LocatorAssertionsToContainTextOptions LiveContains = new() { Timeout = 5_000 };

    private static string Row(string number) => $"#candidates tbody tr[data-candidate=\"{number}\"]";

    [Fact]
    public async Task The_president_sorts_filters_follows_blockers_and_enters_a_missing_result_without_losing_the_view()
    {
        var fillers = Enumerable.Range(1, 40).Select(i => $"F-{i:00}").ToArray();
        using (var organiser = await server.OrganiserAsync())
        {
            (await organiser.ImportAsync(Session, "candidates", SampleFiles.Candidates([
                SampleFiles.Candidate("B-01", livret: true, lastName: "LIVRET"),
                SampleFiles.Candidate("B-02", lastName: "CORRIGE"),
                SampleFiles.Candidate("B-03", lastName: "MANQUANT"),
                SampleFiles.Candidate("B-04", lastName: "HAUTE", kept: "E4:15.5"),
                .. fillers.Select(f => SampleFiles.Candidate(f, lastName: "REMPLISSAGE"))]))).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks(["B-01"], "6"))).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks(["B-02", .. fillers], "12"))).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks(["B-03"], "14", "E4"))).EnsureSuccessStatusCode();
            (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks(["B-04"], "16.5", "E4"))).EnsureSuccessStatusCode();
        }
        using var president = await server.PresidentAsync(Jury);
        (await president.PutResultAsync(Session, "B-02", "E4", "2", "Erreur de report")).EnsureSuccessStatusCode();
        var token = await server.TokenAsync("jury-president", $"président {Jury}", Jury);

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync(1400, 900);
        var page = browser.Page;
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var body = page.Locator("#candidates tbody");

        await browser.Step("open the board at 1400 px: every flag and the average on screen, the changed mark marked", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}jury/{Jury}?session={Session}#token={token}");
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
            await Expect(body.Locator("tr")).ToHaveCountAsync(44);
            await Expect(page.Locator("#board-count")).ToHaveTextAsync("44 candidat(s)");
            var box = await page.Locator("#board-scroll").BoundingBoxAsync();
            foreach (var column in new[] { "flags", "average", "decision" })
            {
                var cell = await page.Locator($"{Row("B-01")} td.{column}").BoundingBoxAsync();
                Assert.True(cell!.X + cell.Width <= box!.X + box.Width, $"{column} ends at {cell.X + cell.Width} px, the board at {box.X + box.Width} px");
            }
            await Expect(page.Locator($"{Row("B-01")} td.flags")).ToContainTextAsync("Livret à examiner");
            await Expect(page.Locator($"{Row("B-03")} td.flags")).ToContainTextAsync("Manque E4");
            await Expect(page.Locator($"{Row("B-02")} td[data-unit=\"E4\"]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("changed"));
            await Expect(page.Locator($"{Row("B-04")} td[data-unit=\"E1\"]")).ToHaveTextAsync("16,5");
            // A mark kept from an earlier session, the French way too.
            await Expect(page.Locator($"{Row("B-04")} td[data-unit=\"E4\"]")).ToHaveTextAsync("BEN : 15,5");
        });

        await browser.Step("each chart has its figures as a table", async () =>
        {
            await page.Locator("#distribution + details summary").ClickAsync();
            await Expect(page.Locator("#distribution-table tbody tr")).ToHaveCountAsync(20);
            // The forty fillers average 12: the row "de 12 à 13"; B-02 (E4 corrected to 2), B-01 and B-04 are elsewhere.
            await Expect(page.Locator("#distribution-table tbody tr").Nth(12).Locator("td")).ToHaveTextAsync("40");
        });

        await browser.Step("the header and the first two columns stay when the table scrolls", async () =>
        {
            await page.EvalOnSelectorAsync("#board-scroll", "b => { b.scrollLeft = 5000; b.scrollTop = 5000; }");
            var box = await page.Locator("#board-scroll").BoundingBoxAsync();
            var header = await page.Locator("#candidates thead th.name").BoundingBoxAsync();
            var lastNumber = await page.Locator($"{Row("F-40")} th.number").BoundingBoxAsync();
            var lastName = await page.Locator($"{Row("F-40")} td.name").BoundingBoxAsync();
            Assert.InRange(header!.Y - box!.Y, 0, 3);
            Assert.InRange(lastNumber!.X - box.X, 0, 3);
            Assert.InRange(lastName!.X - (lastNumber.X + lastNumber.Width), -2, 2);
            await page.EvalOnSelectorAsync("#board-scroll", "b => { b.scrollLeft = 0; b.scrollTop = 0; }");
        });

        await browser.Step("sort by average both ways; empty averages stay last", async () =>
        {
            await page.ClickAsync("#candidates thead button[data-key=\"average\"]");
            await Expect(page.Locator("#candidates thead th.average")).ToHaveAttributeAsync("aria-sort", "ascending");
            await Expect(body.Locator("tr").First).ToHaveAttributeAsync("data-candidate", "B-01");
            await Expect(body.Locator("tr").Last).ToHaveAttributeAsync("data-candidate", "B-03");
            await page.ClickAsync("#candidates thead button[data-key=\"average\"]");
            await Expect(page.Locator("#candidates thead th.average")).ToHaveAttributeAsync("aria-sort", "descending");
            await Expect(body.Locator("tr").First).ToHaveAttributeAsync("data-candidate", "B-04");
        });

        await browser.Step("filter by flag and decision, search by name or number", async () =>
        {
            await page.SelectOptionAsync("#filter-flag", "missing");
            await Expect(body.Locator("tr")).ToHaveCountAsync(1);
            await Expect(body.Locator("tr")).ToHaveAttributeAsync("data-candidate", "B-03");
            await page.SelectOptionAsync("#filter-flag", "livret");
            await Expect(body.Locator("tr")).ToHaveAttributeAsync("data-candidate", "B-01");
            // B-02's E4 corrected to 2: (300 − 6 × 10) / 25 = 9.6, within half a point of 10.
            await page.SelectOptionAsync("#filter-flag", "near");
            await Expect(body.Locator("tr")).ToHaveCountAsync(1);
            await Expect(body.Locator("tr")).ToHaveAttributeAsync("data-candidate", "B-02");
            await page.SelectOptionAsync("#filter-flag", "");
            await page.SelectOptionAsync("#filter-decision", "AJOURNE");
            await Expect(body.Locator("tr")).ToHaveCountAsync(2);
            await page.SelectOptionAsync("#filter-decision", "");
            await page.FillAsync("#board-search", "corrigé");
            await Expect(body.Locator("tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("#board-count")).ToHaveTextAsync("1 candidat(s) affiché(s) sur 44");
            await page.FillAsync("#board-search", "F-07");
            await Expect(body.Locator("tr")).ToHaveAttributeAsync("data-candidate", "F-07");
            await page.ClickAsync("#filter-reset");
            await Expect(body.Locator("tr")).ToHaveCountAsync(44);
        });

        await browser.Step("the history of a changed mark is one click away", async () =>
        {
            await page.ClickAsync($"{Row("B-02")} td[data-unit=\"E4\"] button");
            await Expect(page.Locator("#mark-current")).ToContainTextAsync("Résultat actuel : 2");
            await Expect(page.Locator("#mark-history")).ToContainTextAsync("12 → 2", LiveContains);
            await Expect(page.Locator("#mark-history")).ToContainTextAsync("Erreur de report");
            await page.ClickAsync("#mark-cancel");
        });

        await browser.Step("a refused close lists its blockers as links that bring their rows into view", async () =>
        {
            await page.SelectOptionAsync("#filter-decision", "ADMIS");
            await page.ClickAsync("#close-jury");
            var link = page.Locator("#action-message a[data-candidate=\"B-03\"]");
            await Expect(link).ToBeVisibleAsync(new() { Timeout = 5_000 });
            await Expect(page.Locator("#action-message a[data-candidate=\"B-01\"]")).ToBeVisibleAsync();
            await link.ClickAsync();
            await Expect(page.Locator(Row("B-03"))).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("highlight"));
            await Expect(page.Locator(Row("B-03"))).ToBeInViewportAsync();
            await Expect(page.Locator("#filter-decision")).ToHaveValueAsync("");
        });

        await browser.Step("dead end 1: the president enters the missing result, with a reason, from its empty cell", async () =>
        {
            var missing = page.Locator($"{Row("B-03")} td[data-unit=\"E4\"] button");
            await Expect(missing).ToHaveTextAsync("manque");
            await missing.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#mark-title")).ToContainTextAsync("Saisir le résultat manquant");
            await page.FillAsync("#mark-result", "13,5");
            await page.FillAsync("#mark-reason", "Note transmise par le centre");
            await page.ClickAsync("#mark-save");
            await Expect(page.Locator("#mark-dialog")).ToBeHiddenAsync();
            await Expect(page.Locator($"{Row("B-03")} td[data-unit=\"E4\"]")).ToHaveTextAsync("13,5", Live);
            await Expect(page.Locator($"{Row("B-03")} td.flags")).Not.ToContainTextAsync("Manque", LiveContains);
        });

        await browser.Step("a live update patches the rows and keeps sort, filter and scroll", async () =>
        {
            await page.ClickAsync("#candidates thead button[data-key=\"average\"]");
            await Expect(page.Locator("#candidates thead th.average")).ToHaveAttributeAsync("aria-sort", "ascending");
            await page.EvalOnSelectorAsync("#board-scroll", "b => { b.scrollTop = 400; }");
            (await president.PutResultAsync(Session, "F-20", "E1", "3", "Correction")).EnsureSuccessStatusCode();
            await Expect(page.Locator($"{Row("F-20")} td[data-unit=\"E1\"]")).ToHaveTextAsync("3", Live);
            // F-20's average fell below the other fillers': the rows are still in ascending order, F-20 now before them.
            var order = await page.EvalOnSelectorAllAsync<string[]>("#candidates tbody tr",
                "rows => rows.map(r => r.dataset.candidate + '=' + r.querySelector('td.average').textContent)");
            var averages = order.Select(o => o.Split('=')[1]).Where(a => a.Length > 0).Select(a => decimal.Parse(a.Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.True(averages.SequenceEqual(averages.Order()), string.Join(" ", order));
            Assert.True(Array.FindIndex(order, o => o.StartsWith("F-20=")) < Array.FindIndex(order, o => o.StartsWith("F-01=")), string.Join(" ", order));
            Assert.Equal(400, await page.EvalOnSelectorAsync<int>("#board-scroll", "b => Math.round(b.scrollTop)"));
            await page.SelectOptionAsync("#filter-flag", "changed");
            await Expect(body.Locator("tr")).ToHaveCountAsync(2);
            (await president.PutResultAsync(Session, "F-21", "E1", "4", "Correction")).EnsureSuccessStatusCode();
            await Expect(body.Locator("tr")).ToHaveCountAsync(3, new() { Timeout = 5_000 });
            await Expect(page.Locator("#filter-flag")).ToHaveValueAsync("changed");
        });
    }

    [Fact]
    public async Task Dead_end_2_the_livret_is_examined_from_the_board_when_the_second_group_closing_needs_it()
    {
        using (var organiser = await server.OrganiserAsync())
        {
            (await organiser.ImportAsync("rt-sheet-2", "candidates", SampleFiles.Candidates(
                SampleFiles.Candidate("L-01", livret: true, lastName: "SECONDE")))).EnsureSuccessStatusCode();
            // deliberation.md worked case 2 without EF1: average 9.88, second group.
            var marks = new StringBuilder("candidate_number,unit,result\n");
            foreach (var (unit, mark) in new[] { ("E1", "8"), ("E21", "9"), ("E22", "11"), ("E3", "7"), ("E4", "12"), ("E5", "10"), ("U61", "11"), ("U62", "9") })
                marks.Append($"L-01,{unit},{mark}\n");
            (await organiser.ImportAsync("rt-sheet-2", "marks", marks.ToString())).EnsureSuccessStatusCode();
        }
        using var president = await server.PresidentAsync(Jury);
        (await president.PostAsync($"/api/sessions/rt-sheet-2/juries/{Jury}/close", null)).EnsureSuccessStatusCode();
        (await president.PutAsJsonAsync("/api/sessions/rt-sheet-2/candidates/L-01/controle-choices", new { units = new[] { "C_E1", "C_E3" } })).EnsureSuccessStatusCode();
        (await president.PostAsync($"/api/sessions/rt-sheet-2/juries/{Jury}/second-group/open", null)).EnsureSuccessStatusCode();
        foreach (var unit in new[] { "C_E1", "C_E3" })
        {
            var put = await president.PutResultAsync("rt-sheet-2", "L-01", unit, "2", "Oral de contrôle");
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        var token = await server.TokenAsync("jury-president", $"président {Jury}", Jury);

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync(1400, 900);
        var page = browser.Page;
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var row = page.Locator(Row("L-01"));

        await browser.Step("in the second group the close is refused for the livret, and the row offers the action", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}jury/{Jury}?session=rt-sheet-2#token={token}");
            await Expect(page.Locator("#agg-phase")).ToHaveTextAsync("2nd groupe ouvert", Live);
            await Expect(row.Locator("td.decision")).ToHaveTextAsync("Ajourné");
            await page.ClickAsync("#close-jury");
            await Expect(page.Locator("#action-message a[data-candidate=\"L-01\"]")).ToBeVisibleAsync(new() { Timeout = 5_000 });
            await Expect(page.Locator("#action-message")).ToContainTextAsync("livret");
            await row.Locator("button.ack-livret").ClickAsync();
            await Expect(row.Locator("td.flags")).ToContainTextAsync("Livret examiné", LiveContains);
        });

        await browser.Step("then the second group closes", async () =>
        {
            await page.ClickAsync("#close-jury");
            await Expect(page.Locator("#agg-phase")).ToHaveTextAsync("Close", Live);
        });
    }
}
