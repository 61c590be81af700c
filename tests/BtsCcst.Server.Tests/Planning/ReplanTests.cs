using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BtsCcst.Server.Tests.ExamDays;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>
/// Issue 12, the first scenario of "Why": a new planning run after a centre's exam day had begun (events recorded, an
/// exam done, a repair accepted) replaced the plan without a word. A run is now a re-plan that keeps the begun day, the
/// accepted repair and the done exam as they are; its plan is published and what happened stays.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ReplanTests(ServerFixture server)
{
    private const string Session = "replan-begun";
    private const string Centre = "CAEN-1";
    // Future dates: no centre-day falls in the notice period, so only what happened keeps a day.
    private static readonly string[] Dates = ["2027-05-24", "2027-05-25", "2027-05-26"];

    private static readonly string ThreeDayCentre =
        "centre_id,name,academies,time_zone,dates,day_start,day_end,lunch_start,lunch_end,exam_rooms,prep_seats,address\n"
        + $"CAEN-1,Lycée Malherbe,NORMANDIE,Europe/Paris,{string.Join(';', Dates)},08:00,18:00,12:00,13:30,3,4,\"14 avenue Albert Sorel, 14000 Caen\"\n";

    private static string ThreeDayExaminers => SampleFiles.OneDayExaminers.Replace(",2024-05-27,", $",{string.Join(';', Dates)},");

    private static string Candidates(int count) =>
        SampleFiles.Candidates([.. Enumerable.Range(1, count).Select(i => SampleFiles.Candidate($"RB-{i:00}", category: "PRIVE_HORS_CONTRAT"))]);

    private static string Day(string date) => $"/api/sessions/{Session}/centres/{Centre}/days/{date}";

    [Fact]
    public async Task A_re_plan_after_a_day_began_keeps_the_day_the_done_exam_and_the_accepted_repair_and_is_published()
    {
        using var organiser = await server.OrganiserAsync();
        var planned = await ExamDayApiTests.PlanAsync(organiser, Session, Candidates(9), ThreeDayCentre, ThreeDayExaminers);
        var firstRun = await PublicationTests.LatestRunIdAsync(organiser, Session);
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/sessions/{Session}/planning-runs/{firstRun}/publish", null)).StatusCode);
        // A whole re-plan computed before anything happened: kept as a proposal, to publish later.
        var early = await PublicationTests.RunAsync(organiser, Session, new { timeLimitSeconds = 5, replan = "whole" });
        Assert.Equal("proposal", early.GetProperty("disposition").GetString());

        // The busiest day begins: a candidate present and their E4 done; another excused, repaired and accepted.
        var date = planned.GroupBy(r => r.GetProperty("date").GetString()!).OrderByDescending(g => g.Count()).First().Key;
        var onDay = planned.Where(r => r.GetProperty("date").GetString() == date).ToArray();
        using var manager = await server.ClientAsync("centre-manager", "Mme Lefèvre", Centre);
        var e4 = onDay.First(r => r.GetProperty("unit").GetString() == "E4");
        var present = e4.GetProperty("candidateNumber").GetString()!;
        await PostOk(manager, date, new { kind = "candidate-present", candidateNumber = present });
        using var examiner = await server.ClientAsync("examiner", e4.GetProperty("examinerIds")[0].GetString());
        await PostOk(examiner, date, new { kind = "exam-started", candidateNumber = present, unit = "E4" });
        await PostOk(examiner, date, new { kind = "exam-done", candidateNumber = present, unit = "E4" });
        var excused = onDay.Select(r => r.GetProperty("candidateNumber").GetString()!).First(n => n != present);
        await PostOk(manager, date, new { kind = "candidate-excused", candidateNumber = excused, reason = "Certificat médical" });
        var repair = await PostOk(manager, date, new { from = "08:00" }, "repairs");
        Assert.Equal("PROPOSED", repair.GetProperty("state").GetString());
        Assert.True((await manager.PostAsync($"{Day(date)}/repairs/{repair.GetProperty("repairId").GetString()}/accept", null)).IsSuccessStatusCode);
        var before = await ScheduleLinesAsync(organiser);
        var excusedBefore = before.Where(l => l.Contains($",{excused},", StringComparison.Ordinal)).ToArray();
        var dayBefore = before.Where(l => l.Contains($",{date},", StringComparison.Ordinal)).ToArray();

        // The early proposal would rewrite the begun day: refused, saying which day and what to do.
        var stale = await organiser.PostAsync($"/api/sessions/{Session}/planning-runs/{early.GetProperty("runId").GetString()}/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var refusal = (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains(DateOnly.Parse(date).ToString("dd/MM/yyyy"), refusal);
        Assert.Contains("nouvelle planification", refusal);
        Assert.Equal(before, await ScheduleLinesAsync(organiser));

        // A late registration; the notice period is checked; then the re-plan.
        await ExamDayApiTests.ImportOk(organiser, Session, "candidates", Candidates(10));
        var badNotice = await organiser.PostAsJsonAsync($"/api/sessions/{Session}/planning-runs", new { timeLimitSeconds = 5, noticeDays = 400 });
        Assert.Equal(HttpStatusCode.BadRequest, badNotice.StatusCode);
        Assert.Contains("prévenance", await badNotice.Content.ReadAsStringAsync());
        var replan = await PublicationTests.RunAsync(organiser, Session);
        Assert.Equal("proposal", replan.GetProperty("disposition").GetString());
        Assert.Contains(replan.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("Re-planification", StringComparison.Ordinal));
        var runId = replan.GetProperty("runId").GetString();
        var comparison = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/planning-runs/{runId}/comparison");
        Assert.Equal(JsonValueKind.Null, comparison.GetProperty("publishRefusal").ValueKind);
        var changed = comparison.GetProperty("candidatesChanged").EnumerateArray().Select(c => c.GetString()).ToArray();
        Assert.Contains("RB-10", changed);
        Assert.DoesNotContain(present, changed);
        Assert.DoesNotContain(excused, changed);

        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/sessions/{Session}/planning-runs/{runId}/publish", null)).StatusCode);
        await OnlyThePeopleConcernedAreToldAsync(organiser, runId!, comparison);
        var after = await ScheduleLinesAsync(organiser);
        Assert.Equal(dayBefore, after.Where(l => l.Contains($",{date},", StringComparison.Ordinal)).ToArray());
        Assert.Equal(excusedBefore, after.Where(l => l.Contains($",{excused},", StringComparison.Ordinal)).ToArray());
        Assert.Contains(after, l => l.Contains(",RB-10,", StringComparison.Ordinal));
        var day = await manager.GetFromJsonAsync<JsonElement>(Day(date));
        Assert.Equal("DONE", ExamDayApiTests.ExamsOf(day).Single(e => e.GetProperty("candidateNumber").GetString() == present && e.GetProperty("unit").GetString() == "E4")
            .GetProperty("status").GetString());
        var verdict = await (await organiser.PostAsync($"/api/sessions/{Session}/schedule/validate",
            new StringContent(string.Join('\n', after) + "\n", Encoding.UTF8, "text/csv"))).Content.ReadFromJsonAsync<JsonElement>();
        // The only finding allowed: the excused candidate's orals the repair could not place again.
        Assert.DoesNotContain(verdict.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() != "every-oral-once"
            || !v.GetProperty("message").GetString()!.Contains(excused, StringComparison.Ordinal));
    }

    /// <summary>The publication names the candidates and examiners of the comparison, and the new convocations are theirs only.</summary>
    private static async Task OnlyThePeopleConcernedAreToldAsync(HttpClient organiser, string runId, JsonElement comparison)
    {
        static string[] Names(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];
        var run = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/planning-runs/{runId}");
        var publication = run.GetProperty("publication");
        Assert.Equal("bureau-examens", publication.GetProperty("by").GetString());
        var candidates = Names(publication.GetProperty("candidates"));
        Assert.Equal(Names(comparison.GetProperty("candidatesChanged")), candidates);
        Assert.Equal(Names(comparison.GetProperty("examinersChanged")), Names(publication.GetProperty("examiners")));
        var pdf = await organiser.GetAsync($"/api/sessions/{Session}/planning-runs/{runId}/convocations.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        using var document = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        var numbers = document.GetPages().Select(p => candidates.Single(n => p.Text.Contains(n, StringComparison.Ordinal))).ToArray();
        Assert.Equal(candidates, numbers);
        // A run never published has no such convocations: a French 409 saying what to do.
        var early = (await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{Session}/planning-runs"))!
            .First(r => r.GetProperty("disposition").GetString() != "published").GetProperty("runId").GetString();
        var refused = await organiser.GetAsync($"/api/sessions/{Session}/planning-runs/{early}/convocations.pdf");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("publiez-le", await refused.Content.ReadAsStringAsync());
    }

    private async Task<string[]> ScheduleLinesAsync(HttpClient organiser) =>
        (await organiser.GetStringAsync($"/api/sessions/{Session}/exports/schedule.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<JsonElement> PostOk(HttpClient client, string date, object body, string what = "events")
    {
        var response = await client.PostAsJsonAsync($"{Day(date)}/{what}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }
}
