using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Server.Tests.ExamDays;

namespace BtsCcst.Server.Tests.Deliberation;

/// <summary>
/// Issue 12: a CLOSED jury's results never change. Every organiser (and centre) route that could reach them is tried
/// after the jury has closed; after each, that jury's results.csv rows are byte-identical.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ClosedJuryInvariantTests(ServerFixture server)
{
    private const string Session = "closed-jury";
    private const string Day = $"/api/sessions/{Session}/centres/CAEN-1/days/2024-05-27";

    [Fact]
    public async Task No_import_setting_plan_repair_day_closing_or_mark_changes_a_closed_jury_s_results()
    {
        using var organiser = await server.OrganiserAsync();
        await ExamDayApiTests.ImportOk(organiser, Session, "juries", "jury_id,academies,president,members\nNORMANDIE,NORMANDIE,M. Leroy,\nLILLE,LILLE,Mme Roux,\n");
        var rows = await ExamDayApiTests.PlanOneDayAsync(organiser, Session);
        var normandie = rows.Select(r => r.Candidate).Distinct().Order().ToArray();
        await ExamDayApiTests.ImportOk(organiser, Session, "candidates", SampleFiles.Candidates(SampleFiles.Candidate("CJ-LIL", "LILLE")));
        await ExamDayApiTests.ImportOk(organiser, Session, "marks", SampleFiles.Marks(normandie, "12"));
        using var president = await server.ClientAsync("jury-president", "M. Leroy", "NORMANDIE");
        var close = await president.PostAsync($"/api/sessions/{Session}/juries/NORMANDIE/close", null);
        Assert.True(close.IsSuccessStatusCode, await close.Content.ReadAsStringAsync());
        var closed = await NormandieRows(organiser);
        Assert.Equal(normandie.Length, closed.Length);
        Assert.All(closed, row => Assert.Contains(",ADMIS,", row));

        async Task Unchanged(string route)
        {
            var after = await NormandieRows(organiser);
            Assert.True(closed.SequenceEqual(after), $"after {route}: {string.Join(" | ", after)}");
        }

        await Try(organiser, "imports/candidates", "text/csv", SampleFiles.Candidates([.. normandie.Select(n => SampleFiles.Candidate(n, lastName: "DUPONT"))]));
        await Unchanged("candidates.csv with new names");
        await Try(organiser, "imports/marks", "text/csv", SampleFiles.Marks(normandie, "4"));
        await Unchanged("marks.csv with new marks");
        await Try(organiser, "imports/juries", "text/csv", "jury_id,academies,president,members\n");
        await Unchanged("header-only juries.csv");
        await Try(organiser, "imports/juries", "text/csv", "jury_id,academies,president,members\nNORD-OUEST,NORMANDIE;LILLE,Mme Roux,\n");
        await Unchanged("juries.csv moving NORMANDIE");
        await Try(organiser, "imports/conformity", "text/csv",
            "candidate_number,unit,status,reasons,details\n" + string.Join("", normandie.Select(n => $"{n},E4,NON_CONFORME,FICHE_OU_DOSSIER_ABSENT,\n")));
        await Unchanged("conformity.csv");
        var settings = await organiser.PutAsJsonAsync($"/api/sessions/{Session}/settings/deliberation",
            new { passAverage = 13, secondGroupAverage = 9, professionalAverage = 13, nearThresholdMargin = 0.5 });
        Assert.Equal(HttpStatusCode.Conflict, settings.StatusCode);
        await Unchanged("new thresholds");
        var mark = await president.PutAsJsonAsync($"/api/sessions/{Session}/candidates/{normandie[0]}/results/E1", new { result = "3", reason = "Correction" });
        Assert.Equal(HttpStatusCode.Conflict, mark.StatusCode);
        Assert.False((await organiser.PutAsJsonAsync($"/api/sessions/{Session}/candidates/{normandie[0]}/results/E1", new { result = "3", reason = "Correction" })).IsSuccessStatusCode);
        await Unchanged("a mark entered by the president, then by the organiser");

        await BtsCcst.Server.Tests.Planning.PublicationTests.RunAsync(organiser, Session);
        await Unchanged("a planning run");

        using var manager = await server.ClientAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
        Assert.True((await manager.PostAsJsonAsync($"{Day}/events", new { kind = "candidate-late", candidateNumber = normandie[1], minutes = 30 })).IsSuccessStatusCode);
        var repair = await manager.PostAsJsonAsync($"{Day}/repairs", new { from = "08:00" });
        Assert.True(repair.IsSuccessStatusCode, await repair.Content.ReadAsStringAsync());
        var proposal = await repair.Content.ReadFromJsonAsync<JsonElement>();
        if (proposal.GetProperty("state").GetString() == "PROPOSED")
            await manager.PostAsync($"{Day}/repairs/{proposal.GetProperty("repairId").GetString()}/accept", null);
        await Unchanged("a repair of the day");
        Assert.True((await manager.PostAsJsonAsync($"{Day}/events", new { kind = "candidate-absent", candidateNumber = normandie[2] })).IsSuccessStatusCode);
        var closing = await manager.PostAsync($"{Day}/close", null);
        Assert.True(closing.IsSuccessStatusCode, await closing.Content.ReadAsStringAsync());
        Assert.Contains("close", (await closing.Content.ReadAsStringAsync()).ToLowerInvariant());
        await Unchanged("the closing of the day, with an absence");
    }

    private async Task<string[]> NormandieRows(HttpClient organiser) =>
        [.. (await organiser.GetStringAsync($"/api/sessions/{Session}/exports/results.csv")).Split('\n').Where(l => l.Contains(",NORMANDIE,"))];

    private static async Task Try(HttpClient organiser, string route, string contentType, string body)
    {
        using var response = await organiser.PostAsync($"/api/sessions/{Session}/{route}", new StringContent(body, System.Text.Encoding.UTF8, contentType));
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }
}
