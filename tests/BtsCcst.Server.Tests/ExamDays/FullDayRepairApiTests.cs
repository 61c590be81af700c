using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BtsCcst.Server.Tests.ExamDays;

/// <summary>
/// Issue 13 on a full-size centre-day planned through the API (≥ 45 candidates, ≥ 200 exams): the four events of a day
/// (a candidate 40 minutes late, an excused absence, a teacher absent for the afternoon, a professional absent all day),
/// each recorded and repaired as the centre page sends them, at the default time limit, and accepted. Every proposal is
/// PROPOSED and passes both validators; another day changes only by the re-convoked exams; no on-time candidate loses an
/// oral; nothing that began before "à partir de" moves; the professional's absence moves nobody.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FullDayRepairApiTests(ServerFixture server)
{
    private const string Session = "repair-full-day";
    private const string Centre = "CAEN-9";
    private const string Dates = "2024-05-27;2024-05-28";

    private static string Day(string date) => $"/api/sessions/{Session}/centres/{Centre}/days/{date}";

    private sealed record Row(string Candidate, string Unit, string Date, string Room, string Commission, string Examiners, string Begins, string Start, bool Withdrawn);

    private static string Examiners()
    {
        var rows = new List<string> { "examiner_id,last_name,first_name,email,discipline,languages,establishment_uai,centre_ids,available_dates,max_minutes_per_day" };
        void Add(string prefix, int count, string discipline, string languages)
        {
            for (var i = 1; i <= count; i++)
                rows.Add($"{prefix}{i:00},Nom{prefix}{i},Prénom,{prefix.ToLowerInvariant()}{i}@ac-normandie.fr,{discipline},{languages},{(discipline == "PROFESSIONNEL" ? "" : $"01400{i:00}B")},{Centre},{Dates},");
        }
        Add("ECO", 20, "ECO_GESTION", "");
        Add("STI", 20, "STI", "");
        Add("PRO", 14, "PROFESSIONNEL", "");
        Add("ANG", 5, "ANGLAIS", "anglais");
        return string.Join("\n", rows) + "\n";
    }

    private const string Centres =
        "centre_id,name,academies,time_zone,dates,day_start,day_end,lunch_start,lunch_end,exam_rooms,prep_seats,address\n"
        + $"{Centre},Lycée Malherbe,NORMANDIE,Europe/Paris,{Dates},08:00,18:00,12:00,13:30,24,18,\"14 avenue Albert Sorel, 14000 Caen\"\n";

    [Fact]
    public async Task The_four_events_of_a_full_day_sent_as_the_page_sends_them_are_repaired_by_the_rules()
    {
        using var organiser = await server.OrganiserAsync();
        var candidates = SampleFiles.Candidates([.. Enumerable.Range(1, 100).Select(i => SampleFiles.Candidate($"FD-{i:000}"))]);
        var schedule = await ExamDayApiTests.PlanAsync(organiser, Session, candidates, Centres, Examiners());
        var date = schedule.GroupBy(r => r.GetProperty("date").GetString()!).OrderByDescending(g => g.Count()).First().Key;
        using var manager = await server.ClientAsync("centre-manager", "Mme Lefèvre", Centre);
        var day = await RowsAsync(manager, date);
        Assert.True(day.Select(r => r.Candidate).Distinct().Count() >= 45, $"{day.Select(r => r.Candidate).Distinct().Count()} candidates");
        Assert.True(day.Count >= 200, $"{day.Count} exams");
        var events = new List<string>();

        // 1. The first convoked candidate arrives 40 minutes late.
        var late = day.OrderBy(r => r.Begins, StringComparer.Ordinal).First();
        await PostEvent(manager, date, new { kind = "candidate-late", candidateNumber = late.Candidate, minutes = 40, reason = "Train en retard" });
        events.Add(late.Candidate);
        var arrival = TimeOnly.Parse(late.Begins).AddMinutes(40).ToString("HH:mm");
        await RepairAndAccept(manager, date, late.Begins, events, arrival, null);

        // 2. A candidate of the late morning is excused: re-convoked on the other day, in a free room, or reported.
        day = await RowsAsync(manager, date);
        var excused = day.Where(r => !r.Withdrawn && string.CompareOrdinal(r.Begins, "10:30") >= 0 && !events.Contains(r.Candidate))
            .OrderBy(r => r.Start, StringComparer.Ordinal).First().Candidate;
        await PostEvent(manager, date, new { kind = "candidate-excused", candidateNumber = excused, reason = "Certificat médical" });
        events.Add(excused);
        var repair = await RepairAndAccept(manager, date, "09:30", events, arrival, excused);
        Assert.All(Changes(repair).Where(c => c.GetProperty("candidateNumber").GetString() == excused),
            c => Assert.Contains("excusé", c.GetProperty("description").GetString()));

        // 3. The teacher sitting most in the afternoon is absent from 13:30.
        day = await RowsAsync(manager, date);
        var teacher = day.Where(r => !r.Withdrawn && string.CompareOrdinal(r.Start, "13:30") >= 0).SelectMany(r => r.Examiners.Split(','))
            .Where(id => id.StartsWith("ECO", StringComparison.Ordinal) || id.StartsWith("STI", StringComparison.Ordinal))
            .GroupBy(id => id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        await PostEvent(manager, date, new { kind = "examiner-absent", examinerId = teacher, from = "13:30", reason = "Rendez-vous médical" });
        await RepairAndAccept(manager, date, "12:00", events, arrival, excused);
        day = await RowsAsync(manager, date);
        Assert.DoesNotContain(day, r => !r.Withdrawn && r.Examiners.Split(',').Contains(teacher) && string.CompareOrdinal(r.Start, "13:30") >= 0);

        // 4. A professional of the afternoon is absent all day: their commissions examine without them; nobody moves.
        var professional = day.Where(r => !r.Withdrawn && string.CompareOrdinal(r.Start, "14:00") >= 0).SelectMany(r => r.Examiners.Split(','))
            .Where(id => id.StartsWith("PRO", StringComparison.Ordinal)).GroupBy(id => id).OrderByDescending(g => g.Count()).First().Key;
        await PostEvent(manager, date, new { kind = "examiner-absent", examinerId = professional, reason = "Malade" });
        repair = await RepairAndAccept(manager, date, "13:00", events, arrival, excused);
        Assert.Equal(0, repair.GetProperty("candidatesMoved").GetInt32());
        Assert.Contains(Changes(repair), c => c.GetProperty("description").GetString()!.Contains($"sans {professional}"));
        day = await RowsAsync(manager, date);
        Assert.DoesNotContain(day, r => !r.Withdrawn && r.Examiners.Split(',').Contains(professional) && string.CompareOrdinal(r.Begins, "13:00") >= 0);
    }

    [Fact]
    public async Task After_an_excused_candidate_with_no_later_date_is_taken_out_the_next_repair_is_still_proposed()
    {
        const string session = "repair-last-day";
        using var organiser = await server.OrganiserAsync();
        var candidates = SampleFiles.Candidates([.. Enumerable.Range(1, 100).Select(i => SampleFiles.Candidate($"LD-{i:000}"))]);
        await ExamDayApiTests.PlanAsync(organiser, session, candidates, Centres, Examiners());
        using var manager = await server.ClientAsync("centre-manager", "Mme Lefèvre", Centre);
        var day = $"/api/sessions/{session}/centres/{Centre}/days/2024-05-28";
        var rows = ExamDayApiTests.ExamsOf(await manager.GetFromJsonAsync<JsonElement>(day));
        string Begins(JsonElement e) => e.GetProperty("prepStart").GetString() ?? e.GetProperty("examStart").GetString()!;
        var byStart = rows.OrderBy(Begins, StringComparer.Ordinal).Select(e => e.GetProperty("candidateNumber").GetString()!).Distinct().ToList();

        // The last date: an excused candidate has no later date to go to; the accepted repair takes their exams out.
        var excused = byStart[^1];
        Assert.True((await manager.PostAsJsonAsync($"{day}/events", new { kind = "candidate-excused", candidateNumber = excused, reason = "Certificat médical" })).IsSuccessStatusCode);
        var first = await ProposedAsync(manager, day, "08:00");
        Assert.Contains(first.GetProperty("unplaced").EnumerateArray(), u => u.GetProperty("candidateNumber").GetString() == excused);
        Assert.True((await manager.PostAsync($"{day}/repairs/{first.GetProperty("repairId").GetString()}/accept", null)).IsSuccessStatusCode);

        // A later event: the repair accounts for the orals taken out, and is proposed.
        Assert.True((await manager.PostAsJsonAsync($"{day}/events", new { kind = "candidate-late", candidateNumber = byStart[0], minutes = 20, reason = "Bus" })).IsSuccessStatusCode);
        var second = await ProposedAsync(manager, day, "08:00");
        Assert.DoesNotContain(second.GetProperty("unplaced").EnumerateArray(), u => u.GetProperty("candidateNumber").GetString() == excused);
    }

    private static async Task<JsonElement> ProposedAsync(HttpClient manager, string day, string from)
    {
        var response = await manager.PostAsJsonAsync($"{day}/repairs", new { from });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var repair = JsonDocument.Parse(text).RootElement;
        Assert.True(repair.GetProperty("state").GetString() == "PROPOSED", text);
        return repair;
    }

    /// <summary>Asks for a repair as the page does (from, default time limit), checks the rules of issue 13 on it, accepts it.</summary>
    private static async Task<JsonElement> RepairAndAccept(HttpClient manager, string date, string from, List<string> events, string arrival, string? excused)
    {
        var before = await RowsAsync(manager, date);
        var otherDate = date == "2024-05-27" ? "2024-05-28" : "2024-05-27";
        var otherBefore = await RowsAsync(manager, otherDate);
        var response = await manager.PostAsJsonAsync($"{Day(date)}/repairs", new { from });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var repair = JsonDocument.Parse(text).RootElement;
        Assert.True(repair.GetProperty("state").GetString() == "PROPOSED", text);
        Assert.Empty(repair.GetProperty("violations").EnumerateArray());
        // No on-time candidate loses an oral.
        Assert.All(repair.GetProperty("unplaced").EnumerateArray(), u => Assert.Contains(u.GetProperty("candidateNumber").GetString(), events));
        // Nothing that began before "from" moves, whoever it belongs to (the excused candidate's exams leave the day).
        // (The late candidate was there from their arrival: their exams placed before it, by the plan, do move.)
        var begun = before.Where(r => !r.Withdrawn && string.CompareOrdinal(r.Begins, from) < 0 && r.Candidate != excused
                                      && !(r.Candidate == events[0] && string.CompareOrdinal(r.Begins, arrival) < 0))
            .Select(r => (r.Candidate, r.Unit)).ToHashSet();
        Assert.DoesNotContain(Changes(repair), c => begun.Contains((c.GetProperty("candidateNumber").GetString()!, c.GetProperty("unit").GetString()!)));
        Assert.All(Changes(repair), c => Assert.DoesNotContain("from", c.GetProperty("description").GetString()));
        Assert.Equal("ACCEPTED", (await (await manager.PostAsync($"{Day(date)}/repairs/{repair.GetProperty("repairId").GetString()}/accept", null))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        // The other day changes only by the re-convoked exams.
        var otherAfter = await RowsAsync(manager, otherDate);
        Assert.Equal([.. otherBefore.Where(r => r.Candidate != excused)], [.. otherAfter.Where(r => r.Candidate != excused)]);
        Assert.All(otherBefore.Where(r => r.Candidate == excused), r => Assert.Contains(r, otherAfter));
        return repair;
    }

    private static async Task PostEvent(HttpClient manager, string date, object body)
    {
        var response = await manager.PostAsJsonAsync($"{Day(date)}/events", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement[] Changes(JsonElement repair) => [.. repair.GetProperty("changes").EnumerateArray()];

    private static async Task<List<Row>> RowsAsync(HttpClient client, string date) =>
        [.. ExamDayApiTests.ExamsOf(await client.GetFromJsonAsync<JsonElement>(Day(date))).Select(e => new Row(
            e.GetProperty("candidateNumber").GetString()!, e.GetProperty("unit").GetString()!, date, e.GetProperty("room").GetString()!,
            e.GetProperty("commissionId").GetString()!, string.Join(",", e.GetProperty("examinerIds").EnumerateArray().Select(x => x.GetString())),
            e.GetProperty("prepStart").GetString() ?? e.GetProperty("examStart").GetString()!, e.GetProperty("examStart").GetString()!,
            e.GetProperty("withdrawn").GetBoolean()))
            .OrderBy(r => r.Candidate, StringComparer.Ordinal).ThenBy(r => r.Unit, StringComparer.Ordinal)];
}
