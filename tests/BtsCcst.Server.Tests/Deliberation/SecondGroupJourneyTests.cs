using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BtsCcst.SampleGenerator;
using BtsCcst.Server.Deliberation.Documents;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace BtsCcst.Server.Tests.Deliberation;

/// <summary>
/// A whole jury through the API (issue: second group and official documents): the first group of a generated
/// sample, closing, second-group choices, planning and validation of the contrôle orals, their marks by the
/// commissions, the second deliberation and closing; then the minutes and transcripts agree with results.csv.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SecondGroupJourneyTests(ServerFixture server)
{
    private const string Session = "journey-2024";
    private const string ControleDay = "2024-06-24";

    [Fact]
    public async Task A_jury_deliberates_twice_and_its_minutes_and_transcripts_match_results_csv()
    {
        var sample = SampleSession.Generate(SampleSize.Small, seed: 42);
        using var organiser = await server.OrganiserAsync();
        await Import(organiser, "juries", sample.WriteJuries);
        await Import(organiser, "centres", sample.WriteCentres);
        await Import(organiser, "examiners", sample.WriteExaminers);
        await Import(organiser, "candidates", sample.WriteCandidates);
        await Import(organiser, "conformity", sample.WriteConformity);
        await Import(organiser, "marks", sample.WriteMarks);

        // The jury with the most second-group candidates.
        var boards = new List<JsonElement>();
        foreach (var jury in sample.Juries)
            boards.Add(await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/juries/{jury.JuryId}/board"));
        var board = boards.MaxBy(b => Rows(b).Count(r => Decision(r) == "SECOND_GROUPE"));
        var juryId = board.GetProperty("juryId").GetString()!;
        using var president = await server.PresidentAsync(juryId);

        // First group: the president settles what prevents closing, then closes.
        foreach (var row in Rows(board))
        {
            var number = Number(row);
            foreach (var unit in row.GetProperty("missingUnits").EnumerateArray())
                await Ok(await president.PutResultAsync(Session, number, unit.GetString()!, "10", "Note transmise par le centre"));
            foreach (var cell in row.GetProperty("results").EnumerateArray().Where(c => c.GetProperty("underReserve").GetBoolean()))
                await Ok(await president.PostAsJsonAsync($"/api/sessions/{Session}/candidates/{number}/results/{cell.GetProperty("unit").GetString()}/lift-reserve",
                    new { reason = "Réserve levée après vérification" }));
        }
        board = await president.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/juries/{juryId}/board");
        foreach (var row in Rows(board).Where(r => r.GetProperty("livret").GetBoolean() && Decision(r) == "AJOURNE"))
            await Ok(await president.PostAsync($"/api/sessions/{Session}/candidates/{Number(row)}/livret/acknowledge", null));
        var close = await Ok(await president.PostAsync($"/api/sessions/{Session}/juries/{juryId}/close", null));
        Assert.Equal("FIRST_CLOSED", close.GetProperty("phase").GetString());
        var secondGroup = close.GetProperty("secondGroupCandidates").GetInt32();
        Assert.True(secondGroup > 0, "the sample's jury has second-group candidates");

        // Choices: each SECOND_GROUPE candidate takes the first two contrôle units they may choose.
        board = await president.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/juries/{juryId}/board");
        var candidates = Rows(board).Where(r => Decision(r) == "SECOND_GROUPE").ToArray();
        Assert.Equal(secondGroup, candidates.Length);
        var choices = new Dictionary<string, string[]>();
        foreach (var row in candidates)
        {
            var eligible = row.GetProperty("controles").EnumerateArray().Select(c => c.GetProperty("unit").GetString()!).ToArray();
            choices[Number(row)] = eligible.Take(2).ToArray();
            var chosen = await Ok(await organiser.PutAsJsonAsync($"/api/sessions/{Session}/candidates/{Number(row)}/controle-choices", new { units = choices[Number(row)] }));
            Assert.Equal(choices[Number(row)], chosen.GetProperty("controleChoices").EnumerateArray().Select(u => u.GetString()));
        }

        // The contrôle examiners of the window, then the second-group planning run in the jury's centre.
        var centre = sample.Centres.First(c => c.Academies.Intersect(sample.Juries.Single(j => j.JuryId == juryId).Academies).Any());
        await Import(organiser, "examiners", writer => writer.Write(ControleExaminers(centre.CentreId)));
        var start = await organiser.PostAsJsonAsync($"/api/sessions/{Session}/planning-runs",
            new { timeLimitSeconds = 20, secondGroup = new { dates = new[] { ControleDay }, centreIds = new[] { centre.CentreId } } });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var runId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var run = await WaitForEndAsync(organiser, runId);
        Assert.True(run.GetProperty("state").GetString() == "succeeded", run.ToString());
        Assert.Equal(2, run.GetProperty("group").GetInt32());
        Assert.Equal(choices.Values.Sum(c => c.Length), run.GetProperty("placed").GetInt32());

        var csv = await organiser.GetStringAsync($"/api/sessions/{Session}/exports/schedule.csv");
        var schedule = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(choices.SelectMany(c => c.Value.Select(u => (c.Key, u))).Order(),
            schedule.Select(r => (r[5], r[4])).Order());
        Assert.All(schedule, r => Assert.Equal(ControleDay, r[1]));
        var verdict = await Ok(await organiser.PostAsync($"/api/sessions/{Session}/schedule/validate", new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.True(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        var convocations = await organiser.GetAsync($"/api/sessions/{Session}/exports/convocations.pdf?group=2");
        Assert.Equal(HttpStatusCode.OK, convocations.StatusCode);
        using (var pdf = PdfDocument.Open(await convocations.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(candidates.Length, pdf.NumberOfPages);
            Assert.All(pdf.GetPages(), p => Assert.Contains("Épreuve de contrôle", p.Text));
        }

        // Second group: each commission enters its marks (one candidate absent from one oral); then the jury closes.
        await Ok(await president.PostAsync($"/api/sessions/{Session}/juries/{juryId}/second-group/open", null));
        var marks = new[] { "15", "6", "12.5", "ABS", "9" };
        foreach (var (row, i) in schedule.Select((r, i) => (r, i)))
        {
            using var examiner = await server.ClientAsync("examiner", row[9].Split(';')[0]);
            await Ok(await examiner.PutResultAsync(Session, row[5], row[4], marks[i % marks.Length]));
        }
        board = await president.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/juries/{juryId}/board");
        Assert.Equal(0, board.GetProperty("aggregates").GetProperty("secondGroupToExamine").GetInt32());
        foreach (var row in Rows(board).Where(r => r.GetProperty("livret").GetBoolean() && Decision(r) == "AJOURNE" && !r.GetProperty("livretAcknowledged").GetBoolean()))
            await Ok(await president.PostAsync($"/api/sessions/{Session}/candidates/{Number(row)}/livret/acknowledge", null));
        Assert.Equal("CLOSED", (await Ok(await president.PostAsync($"/api/sessions/{Session}/juries/{juryId}/close", null))).GetProperty("phase").GetString());

        var results = (await president.GetStringAsync($"/api/sessions/{Session}/exports/results.csv"))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
            .ToDictionary(r => r[0], r => (Average: r[3], Decision: r[5], Group: r[6]));
        Assert.All(choices.Keys, n => Assert.Equal("2", results[n].Group));
        Assert.All(choices.Keys, n => Assert.Contains(results[n].Decision, new[] { "ADMIS", "AJOURNE" }));

        // The minutes: one table row per candidate, with the decision and average of results.csv.
        var minutes = await president.GetAsync($"/api/sessions/{Session}/juries/{juryId}/minutes.pdf");
        Assert.Equal(HttpStatusCode.OK, minutes.StatusCode);
        using (var pdf = PdfDocument.Open(await minutes.Content.ReadAsByteArrayAsync()))
        {
            var lines = pdf.GetPages().SelectMany(Lines).ToArray();
            foreach (var (number, expected) in results)
            {
                var row = lines.First(l => l.StartsWith(number + " ", StringComparison.Ordinal));
                Assert.Contains(DeliberationWording.DecisionLabel(expected.Decision), row);
                if (expected.Average != "") Assert.Contains(French(expected.Average), row);
            }
            var text = string.Join("\n", lines);
            Assert.Contains("Procès-verbal de délibération", text);
            Assert.Contains("Le président du jury", text);
        }

        // The transcripts: one page per candidate, in results.csv's order, each with its own average and decision.
        var transcripts = await president.GetAsync($"/api/sessions/{Session}/juries/{juryId}/transcripts.pdf");
        Assert.Equal(HttpStatusCode.OK, transcripts.StatusCode);
        using (var pdf = PdfDocument.Open(await transcripts.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(results.Count, pdf.NumberOfPages);
            foreach (var (page, (number, expected)) in pdf.GetPages().Zip(results))
            {
                var text = string.Join("\n", Lines(page));
                Assert.Contains(number, text);
                Assert.Contains(DeliberationWording.DecisionLabel(expected.Decision), text);
                if (expected.Average != "") Assert.Contains($"{French(expected.Average)} / 20", text);
                if (choices.TryGetValue(number, out var chosen)) Assert.All(chosen, unit => Assert.Contains(unit, text));
            }
        }

        // Documents are the jury's: another jury's president gets none.
        using var stranger = await server.PresidentAsync("AUTRE-JURY");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/sessions/{Session}/juries/{juryId}/minutes.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/sessions/{Session}/candidates/{choices.Keys.First()}/transcript.pdf")).StatusCode);
    }

    /// <summary>Teachers for the contrôle orals (LETTRES for C_E1, ANGLAIS for C_E2, ECO_GESTION for C_E3) on the contrôle day.</summary>
    private static string ControleExaminers(string centreId)
    {
        var csv = new StringBuilder("examiner_id,last_name,first_name,email,discipline,languages,establishment_uai,centre_ids,available_dates,max_minutes_per_day\n");
        foreach (var (id, discipline, languages) in new[]
                 {
                     ("CTL-LET1", "LETTRES", ""), ("CTL-LET2", "LETTRES", ""), ("CTL-ANG1", "ANGLAIS", "anglais"), ("CTL-ANG2", "ANGLAIS", "anglais"),
                     ("CTL-ECO1", "ECO_GESTION", ""), ("CTL-ECO2", "ECO_GESTION", ""),
                 })
            csv.Append($"{id},Martin,Anne,{id.ToLowerInvariant()}@ac-normandie.fr,{discipline},{languages},0149999Z,{centreId},{ControleDay},\n");
        return csv.ToString();
    }

    private static IEnumerable<JsonElement> Rows(JsonElement board) => board.GetProperty("candidates").EnumerateArray();

    private static string Number(JsonElement row) => row.GetProperty("candidateNumber").GetString()!;

    private static string Decision(JsonElement row) => row.GetProperty("decision").GetString()!;

    private static string French(string average) => average.Replace('.', ',');

    /// <summary>The page's text as a reader sees it: words on the same baseline, left to right, lines top to bottom.</summary>
    private static IEnumerable<string> Lines(Page page) =>
        page.GetWords()
            .GroupBy(w => Math.Round(w.BoundingBox.Bottom))
            .OrderByDescending(g => g.Key)
            .Select(g => string.Join(" ", g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text)));

    private async Task Import(HttpClient organiser, string kind, Action<TextWriter> write)
    {
        var csv = new StringWriter(CultureInfo.InvariantCulture);
        write(csv);
        var response = await organiser.ImportAsync(Session, kind, csv.ToString());
        Assert.True(response.IsSuccessStatusCode, $"{kind}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> WaitForEndAsync(HttpClient organiser, string runId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var run = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/planning-runs/{runId}");
            if (run.GetProperty("state").GetString() != "running") return run;
            Assert.True(DateTime.UtcNow < deadline, $"the run did not end: {run}");
            await Task.Delay(500);
        }
    }
}
