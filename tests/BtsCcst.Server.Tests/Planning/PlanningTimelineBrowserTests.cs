using System.Text.Json;
using BtsCcst.Server.Tests.Realtime;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>
/// The planning timeline at 1400 px over two centres and two days (issue "screens for a working day", point 3): one lane
/// per commission with its room, filters by centre, day, unit and examiner, a search that highlights a candidate's or an
/// examiner's exams, sample-length numbers and names whole at the default zoom, keyboard access, a table behind each day,
/// and no sideways scrolling of the page at 390 px. The schedule is served to the page by the test (no planning run):
/// the page is what is checked, the solver has tests of its own.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PlanningTimelineBrowserTests(ServerFixture server)
{
    private const string Session = "tl-filters";

    private sealed record Exam(string CentreId, string Date, string Room, string CommissionId, string Unit, string CandidateNumber,
        string? PrepStart, string ExamStart, string ExamEnd, string[] ExaminerIds, string LastName, string FirstName);

    // Long names of the 600-candidate sample among them.
    private static readonly (string Last, string First)[] Names =
        [("Marie-Sainte", "Océane"), ("Faure", "Jean-Baptiste"), ("Garcia", "Inès"), ("Le Gall", "Clément"), ("Benali", "Mathilde"), ("Roux", "Clara")];

    /// <summary>Per centre and day: C1 in Salle 1 (six 20-minute E22 with preparation), C2 in Salle 2 (three E4), C3 in Salle 3 (four U61).</summary>
    private static List<Exam> Schedule()
    {
        var exams = new List<Exam>();
        var next = 500;
        string Time(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}:00";
        foreach (var centre in new[] { "CAEN", "ROUEN" })
            foreach (var date in new[] { "2024-05-27", "2024-05-28" })
            {
                void Add(string c, string room, string unit, int start, int length, int count, bool prep, string[] examiners)
                {
                    for (var i = 0; i < count; i++)
                    {
                        var at = start + i * length;
                        var (last, first) = Names[next % Names.Length];
                        exams.Add(new Exam(centre, date, room, $"{centre}-{date}-{c}", unit, $"CCST24-{next++:00000}",
                            prep ? Time(at - 20) : null, Time(at), Time(at + length), examiners, last, first));
                    }
                }
                // EX-ANG examines the E22 of both centres on both days: a search for it lights up all four lanes C1.
                Add("C1", "Salle 1", "E22", 8 * 60 + 20, 20, 6, prep: true, ["EX-ANG"]);
                Add("C2", "Salle 2", "E4", 9 * 60, 60, 3, prep: false, [$"EX-{centre}-ECO", $"EX-{centre}-STI"]);
                Add("C3", "Salle 3", "U61", 13 * 60 + 30, 30, 4, prep: false, [$"EX-{centre}-ECO", "EX-PRO"]);
            }
        return exams;
    }

    [Fact]
    public async Task The_organiser_filters_the_timeline_by_centre_day_unit_and_examiner_and_finds_an_examiners_exams()
    {
        var exams = Schedule();
        var json = JsonSerializer.Serialize(exams, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var token = await server.TokenAsync("organiser", "bureau-examens");

        await using var chromium = await Chromium.LaunchAsync();
        await using var browser = await chromium.NewPageAsync(1400, 900);
        var page = browser.Page;
        await page.RouteAsync($"**/api/sessions/{Session}/schedule", route => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = json }));
        var blocks = page.Locator(".tl-exam");

        await browser.Step("two centres over two days: a section per centre and day, a lane per commission with its room", async () =>
        {
            await page.GotoAsync($"{server.BaseAddress}planning?session={Session}#token={token}");
            await Expect(blocks).ToHaveCountAsync(exams.Count, new() { Timeout = 15_000 });
            await Expect(page.Locator(".tl-day")).ToHaveCountAsync(4);
            var firstDay = page.Locator(".tl-day[data-centre=\"CAEN\"][data-date=\"2024-05-27\"]");
            await Expect(firstDay.Locator(".tl-row[data-commission]")).ToHaveCountAsync(3);
            var lane = firstDay.Locator(".tl-row[data-commission=\"CAEN-2024-05-27-C2\"] .tl-label");
            await Expect(lane).ToContainTextAsync("Commission C2");
            await Expect(lane).ToContainTextAsync("Salle 2");
            await Expect(lane).ToContainTextAsync("EX-CAEN-ECO, EX-CAEN-STI");
            foreach (var unit in new[] { "E22", "E4", "U61" }) await Expect(page.Locator("#tl-legend")).ToContainTextAsync(unit);
        });

        await browser.Step("at the default zoom every block shows its whole number, unit and name", async () =>
        {
            var cut = await page.EvalOnSelectorAllAsync<string[]>(".tl-exam .tl-candidate, .tl-exam .tl-name",
                "spans => spans.filter(s => s.scrollWidth > s.clientWidth + 1 || s.scrollHeight > s.clientHeight + 1).map(s => s.textContent)");
            Assert.Empty(cut);
            var first = exams.First(e => e.Unit == "E22");
            await Expect(page.Locator($".tl-exam[data-candidate=\"{first.CandidateNumber}\"]"))
                .ToHaveTextAsync($"{first.CandidateNumber} E22 {first.LastName} {first.FirstName}");
        });

        await browser.Step("filter by centre, then by day", async () =>
        {
            await page.SelectOptionAsync("#tl-centre", "ROUEN");
            await Expect(blocks).ToHaveCountAsync(exams.Count(e => e.CentreId == "ROUEN"));
            await Expect(page.Locator(".tl-day")).ToHaveCountAsync(2);
            await Expect(page.Locator(".tl-day[data-centre=\"CAEN\"]")).ToHaveCountAsync(0);
            await page.SelectOptionAsync("#tl-day", "2024-05-28");
            await Expect(page.Locator(".tl-day")).ToHaveCountAsync(1);
            await Expect(page.Locator(".tl-day h3")).ToContainTextAsync("Centre ROUEN — mardi 28 mai 2024");
            await Expect(blocks).ToHaveCountAsync(exams.Count(e => e.CentreId == "ROUEN" && e.Date == "2024-05-28"));
            await page.SelectOptionAsync("#tl-centre", "");
            await page.SelectOptionAsync("#tl-day", "");
            await Expect(blocks).ToHaveCountAsync(exams.Count);
        });

        await browser.Step("filter by unit and by examiner", async () =>
        {
            await page.SelectOptionAsync("#tl-unit", "E4");
            await Expect(blocks).ToHaveCountAsync(exams.Count(e => e.Unit == "E4"));
            await page.SelectOptionAsync("#tl-unit", "");
            await page.SelectOptionAsync("#tl-examiner", "EX-PRO");
            await Expect(blocks).ToHaveCountAsync(exams.Count(e => e.ExaminerIds.Contains("EX-PRO")));
            await page.SelectOptionAsync("#tl-examiner", "");
        });

        await browser.Step("a search for an examiner highlights their exams, a search for a name a candidate's", async () =>
        {
            await page.FillAsync("#tl-search", "ex-ang");
            var expected = exams.Count(e => e.ExaminerIds.Contains("EX-ANG"));
            await Expect(page.Locator(".tl-exam.match")).ToHaveCountAsync(expected);
            await Expect(page.Locator(".tl-exam.dim")).ToHaveCountAsync(exams.Count - expected);
            await Expect(page.Locator("#tl-count")).ToHaveTextAsync($"{expected} oral(aux) trouvé(s)");
            await Expect(page.Locator(".tl-exam.match").First).ToBeInViewportAsync();
            // Typed without capitals or accents.
            await page.FillAsync("#tl-search", "garcia ines");
            await Expect(page.Locator(".tl-exam.match")).ToHaveCountAsync(exams.Count(e => e.LastName == "Garcia"));
            await page.FillAsync("#tl-search", "");
            await Expect(page.Locator(".tl-exam.match")).ToHaveCountAsync(0);
        });

        await browser.Step("a block is reached with the keyboard and opens its detail", async () =>
        {
            var exam = exams.First(e => e.CentreId == "ROUEN" && e.Unit == "E4");
            var block = page.Locator($".tl-exam[data-candidate=\"{exam.CandidateNumber}\"]");
            await block.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#tl-detail")).ToContainTextAsync($"commission {exam.CommissionId}");
            await Expect(page.Locator("#tl-detail")).ToContainTextAsync("Examinateurs : EX-ROUEN-ECO, EX-ROUEN-STI");
        });

        await browser.Step("a table behind each day lists the same exams", async () =>
        {
            var day = page.Locator(".tl-day[data-centre=\"ROUEN\"][data-date=\"2024-05-27\"]");
            await day.Locator("details.tl-table summary").ClickAsync();
            await Expect(day.Locator("details.tl-table tbody tr")).ToHaveCountAsync(exams.Count(e => e.CentreId == "ROUEN" && e.Date == "2024-05-27"));
        });

        await browser.Step("zoomed out to the week, each centre's days side by side, a lane per commission of each day", async () =>
        {
            await Expect(page.Locator("#tl-zoom-label")).ToHaveTextAsync("Zoom : 3 heures");
            foreach (var _ in Enumerable.Range(0, 3)) await page.ClickAsync("#tl-zoom-out");
            await Expect(page.Locator("#tl-zoom-label")).ToHaveTextAsync("Zoom : Semaine");
            await Expect(page.Locator("#tl-zoom-out")).ToBeDisabledAsync();
            await Expect(page.Locator(".tl-day")).ToHaveCountAsync(2);
            var caen = page.Locator(".tl-day[data-centre=\"CAEN\"]");
            await Expect(caen.Locator("h3")).ToContainTextAsync("lundi 27 mai 2024, mardi 28 mai 2024");
            await Expect(caen.Locator(".tl-row[data-commission]")).ToHaveCountAsync(exams.Where(e => e.CentreId == "CAEN").Select(e => e.CommissionId).Distinct().Count());
            await Expect(caen.Locator(".tl-tick-day")).ToHaveTextAsync(["lun. 27", "mar. 28"]);
            // The second day's first exam sits right of the first day's last one.
            var dayOne = await caen.Locator(".tl-row[data-commission=\"CAEN-2024-05-27-C3\"] .tl-exam").Last.BoundingBoxAsync();
            var dayTwo = await caen.Locator(".tl-row[data-commission=\"CAEN-2024-05-28-C1\"] .tl-exam").First.BoundingBoxAsync();
            Assert.True(dayTwo!.X > dayOne!.X + dayOne.Width, $"day two starts at {dayTwo.X} px, day one ends at {dayOne.X + dayOne.Width} px");
            await Expect(blocks).ToHaveCountAsync(exams.Count);
        });

        await browser.Step("at 390 px the page does not scroll sideways: each day's timeline scrolls in its own box", async () =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await Expect(blocks).ToHaveCountAsync(exams.Count);
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390,
                $"page {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide");
        });
    }
}
