using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BtsCcst.Server.Tests.Deliberation;

/// <summary>
/// Issue 12, the third scenario of "Why", replayed over HTTP: a juries.csv holding only its header emptied the jury
/// list; results.csv then had no rows, candidates.csv imported again moved the candidates to new per-academy juries
/// without a president, the original juries.csv was refused, and new thresholds turned a CLOSED jury's ADMIS into
/// AJOURNE. Now the header-only file changes nothing that its answer does not list (it lists nothing), and every later
/// step of the scenario leaves the juries, their presidents, their candidates and results.csv as they were.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HeaderOnlyJuriesTests(ServerFixture server)
{
    private const string Session = "why-header-only";
    private const string Juries = "jury_id,academies,president,members\nJURY-NORD,NORMANDIE;LILLE,M. Leroy,\nJURY-SUD,LYON,Mme Roux,\n";

    [Fact]
    public async Task A_header_only_juries_file_changes_nothing_and_the_rest_of_the_scenario_neither()
    {
        using var organiser = await server.OrganiserAsync();
        var candidates = SampleFiles.Candidates(SampleFiles.Candidate("HO-01"), SampleFiles.Candidate("HO-02", "LILLE"), SampleFiles.Candidate("HO-03", "LYON"));
        await Ok(organiser, "juries", Juries);
        await Ok(organiser, "candidates", candidates);
        await Ok(organiser, "marks", SampleFiles.Marks(["HO-01", "HO-02", "HO-03"], "11"));
        var juries = await organiser.GetStringAsync($"/api/sessions/{Session}/juries");
        var results = await Results(organiser);
        Assert.Equal(3, results.Length);

        var headerOnly = await Ok(organiser, "juries", "jury_id,academies,president,members\n");
        Assert.Equal((0, 0, 0), (headerOnly.GetProperty("created").GetInt32(), headerOnly.GetProperty("updated").GetInt32(), headerOnly.GetProperty("unchanged").GetInt32()));
        Assert.Empty(headerOnly.GetProperty("removed").EnumerateArray());
        Assert.Empty(headerOnly.GetProperty("moved").EnumerateArray());
        Assert.Equal(juries, await organiser.GetStringAsync($"/api/sessions/{Session}/juries"));
        Assert.Equal(results, await Results(organiser));

        // candidates.csv again: nobody moves to a new per-academy jury; the juries and their presidents stay.
        var again = await Ok(organiser, "candidates", candidates);
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(juries, await organiser.GetStringAsync($"/api/sessions/{Session}/juries"));
        // The original juries.csv again: accepted, every jury unchanged.
        var original = await Ok(organiser, "juries", Juries);
        Assert.Equal(2, original.GetProperty("unchanged").GetInt32());
        Assert.Equal(results, await Results(organiser));

        // JURY-SUD closes: its ADMIS stays ADMIS, the thresholds are refused in French, saying which jury and why.
        using var president = await server.PresidentAsync("JURY-SUD");
        Assert.True((await president.PostAsync($"/api/sessions/{Session}/juries/JURY-SUD/close", null)).IsSuccessStatusCode);
        var closed = await Results(organiser);
        var settings = await organiser.PutAsJsonAsync($"/api/sessions/{Session}/settings/deliberation",
            new { passAverage = 12, secondGroupAverage = 10, professionalAverage = 12, nearThresholdMargin = 0.5 });
        Assert.Equal(HttpStatusCode.Conflict, settings.StatusCode);
        Assert.Contains("JURY-SUD", (await settings.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(closed, await Results(organiser));
        Assert.Contains(closed, l => l.StartsWith("HO-03,", StringComparison.Ordinal) && l.Contains(",ADMIS,", StringComparison.Ordinal));
    }

    private static async Task<string[]> Results(HttpClient organiser) =>
        [.. (await organiser.GetStringAsync($"/api/sessions/{Session}/exports/results.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];

    private static async Task<JsonElement> Ok(HttpClient organiser, string kind, string csv)
    {
        var response = await organiser.ImportAsync(Session, kind, csv);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{kind}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
