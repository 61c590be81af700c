using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BtsCcst.Server.Tests.ExamDays;

/// <summary>
/// A one-day session is planned through the API, then its day is scripted: the centre manager and the
/// commissions record what happens, others are refused, the day closes and the jury board shows ABS/ABSJ.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ExamDayApiTests(ServerFixture server)
{
    private const string Session = "exam-day";
    private const string Day = $"/api/sessions/{Session}/centres/CAEN-1/days/2024-05-27";
    private const string Present = "ED-01", Absent = "ED-02", Excused = "ED-03", Late = "ED-04";

    [Fact]
    public async Task A_day_is_recorded_by_its_centre_manager_and_commissions_then_closed_with_ABS_and_ABSJ_on_the_board()
    {
        using var organiser = await server.OrganiserAsync();
        var rows = await PlanOneDayAsync(organiser);
        using var manager = await server.ClientAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
        using var otherManager = await server.ClientAsync("centre-manager", "M. Rouen", "ROUEN-1");

        // The day: rooms, commissions, each exam with the candidate's number and name, times, status; never the school.
        var dayResponse = await manager.GetAsync(Day);
        Assert.Equal(HttpStatusCode.OK, dayResponse.StatusCode);
        var raw = await dayResponse.Content.ReadAsStringAsync();
        Assert.DoesNotContain("0141234X", raw);
        Assert.DoesNotContain("establishment", raw, StringComparison.OrdinalIgnoreCase);
        var day = JsonDocument.Parse(raw).RootElement;
        Assert.Equal("Lycée Malherbe", day.GetProperty("centreName").GetString());
        var exams = ExamsOf(day);
        Assert.Equal(rows.Length, exams.Length);
        Assert.All(exams, e => Assert.Equal("CONVOKED", e.GetProperty("status").GetString()));
        Assert.All(exams, e => Assert.Equal("MARTIN", e.GetProperty("lastName").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.GetAsync(Day)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organiser.GetAsync(Day)).StatusCode);

        // Present: every exam of the candidate's day; then their E4 commission starts and ends the exam.
        var afterPresent = await PostOk(manager, new { kind = "candidate-present", candidateNumber = Present });
        Assert.All(ExamsOf(afterPresent).Where(e => Is(e, Present)), e => Assert.Equal("PRESENT", e.GetProperty("status").GetString()));
        var e4 = rows.Single(r => r.Candidate == Present && r.Unit == "E4");
        using var e4Examiner = await server.ClientAsync("examiner", e4.Examiners[0]);
        // The examiner sees the exams of their own commissions only.
        var examinerDay = await e4Examiner.GetFromJsonAsync<JsonElement>(Day);
        Assert.All(ExamsOf(examinerDay), e => Assert.Contains(e4.Examiners[0], e.GetProperty("examinerIds").EnumerateArray().Select(x => x.GetString())));
        var started = await PostOk(e4Examiner, new { kind = "exam-started", candidateNumber = Present, unit = "E4" });
        Assert.Equal("IN_EXAM", ExamOf(started, Present, "E4").GetProperty("status").GetString());
        // An exam starts once.
        await PostRefused(e4Examiner, new { kind = "exam-started", candidateNumber = Present, unit = "E4" }, HttpStatusCode.Conflict, "en interrogation");
        var done = await PostOk(e4Examiner, new { kind = "exam-done", candidateNumber = Present, unit = "E4" });
        Assert.Equal("DONE", ExamOf(done, Present, "E4").GetProperty("status").GetString());

        // Absent, excused (the excuse needs its reason), late (recorded; the status stays).
        await PostOk(manager, new { kind = "candidate-absent", candidateNumber = Absent });
        await PostRefused(manager, new { kind = "candidate-excused", candidateNumber = Excused }, HttpStatusCode.BadRequest, "motif");
        await PostOk(manager, new { kind = "candidate-excused", candidateNumber = Excused, reason = "Certificat médical" });
        var late = await PostOk(manager, new { kind = "candidate-late", candidateNumber = Late, minutes = 15, reason = "Train en retard" });
        Assert.All(ExamsOf(late).Where(e => Is(e, Late)), e =>
        {
            Assert.Equal("CONVOKED", e.GetProperty("status").GetString());
            Assert.Equal(15, e.GetProperty("lateMinutes").GetInt32());
        });

        // Examiner absent part of the day, room unavailable: recorded, shown with the day.
        var someone = rows.SelectMany(r => r.Examiners).First(x => x != e4.Examiners[0]);
        await PostOk(manager, new { kind = "examiner-absent", examinerId = someone, from = "13:30", to = "15:00", reason = "Malaise" });
        var room = rows[0].Room;
        var unavailable = await PostOk(manager, new { kind = "room-unavailable", room, from = "10:00", to = "11:00" });
        Assert.Equal(2, unavailable.GetProperty("unavailabilities").GetArrayLength());

        // Refusals: in French, as problems.
        await PostRefused(otherManager, new { kind = "candidate-present", candidateNumber = Late }, HttpStatusCode.Forbidden, "ROUEN-1");
        var notTheirs = rows.SelectMany(r => r.Examiners).First(x => !e4.Examiners.Contains(x));
        using var otherExaminer = await server.ClientAsync("examiner", notTheirs);
        await PostRefused(otherExaminer, new { kind = "exam-started", candidateNumber = Present, unit = "E4" }, HttpStatusCode.Forbidden, "n'examine pas");
        await PostRefused(e4Examiner, new { kind = "candidate-absent", candidateNumber = Late }, HttpStatusCode.Forbidden, "responsable du centre");
        await PostRefused(organiser, new { kind = "candidate-present", candidateNumber = Late }, HttpStatusCode.Forbidden, "responsable du centre");
        await PostRefused(manager, new { kind = "exam-done", candidateNumber = Absent, unit = "E4" }, HttpStatusCode.Conflict, "absent");
        await PostRefused(manager, new { kind = "candidate-present", candidateNumber = "ED-99" }, HttpStatusCode.NotFound, "ED-99");
        await PostRefused(manager, new { kind = "candidate-present", candidateNumber = Late, unit = "EF1" }, HttpStatusCode.NotFound, "EF1");
        await PostRefused(manager, new { kind = "room-unavailable", room, from = "07:00", to = "09:00" }, HttpStatusCode.BadRequest, "sort de la journée");
        await PostRefused(manager, new { kind = "room-unavailable", room, from = "9h" }, HttpStatusCode.BadRequest, "HH:mm");
        await PostRefused(manager, new { kind = "examiner-absent", examinerId = "ESP9" }, HttpStatusCode.NotFound, "ne siège pas");
        await PostRefused(manager, new { kind = "candidate-late", candidateNumber = Late, minutes = 0 }, HttpStatusCode.BadRequest, "minutes");
        await PostRefused(manager, new { kind = "lunch" }, HttpStatusCode.BadRequest, "inconnu");
        var otherDate = await manager.PostAsJsonAsync($"/api/sessions/{Session}/centres/CAEN-1/days/2024-05-28/events", new { kind = "candidate-present", candidateNumber = Late });
        Assert.Equal(HttpStatusCode.NotFound, otherDate.StatusCode);

        // Before closing, a centre manager enters no result at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PutResultAsync(Session, Absent, "E4", "ABS")).StatusCode);

        // Closing: the centre manager only, then ABS for the absent, ABSJ for the excused, the late one "non renseigné".
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.PostAsync($"{Day}/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await e4Examiner.PostAsync($"{Day}/close", null)).StatusCode);
        var closing = await CloseOk(manager);
        var units = (string candidate) => rows.Where(r => r.Candidate == candidate).Select(r => r.Unit).Order().ToArray();
        Assert.Equal(units(Absent), Entered(closing, Absent, "ABS"));
        Assert.Equal(units(Excused), Entered(closing, Excused, "ABSJ"));
        Assert.Equal(units(Late), closing.GetProperty("nonRenseignes").EnumerateArray().Select(e => e.GetProperty("unit").GetString()!).Order().ToArray());
        Assert.All(closing.GetProperty("nonRenseignes").EnumerateArray(), e => Assert.Equal(Late, e.GetProperty("candidateNumber").GetString()));
        Assert.Empty(closing.GetProperty("refused").EnumerateArray());
        // Twice: the same answer, nothing more entered.
        var again = await CloseOk(manager);
        Assert.Equal(closing.GetProperty("entered").ToString(), again.GetProperty("entered").ToString());
        Assert.Equal(closing.GetProperty("nonRenseignes").ToString(), again.GetProperty("nonRenseignes").ToString());
        Assert.Equal(closing.GetProperty("closedAt").GetString(), again.GetProperty("closedAt").GetString());

        // The board shows them; the candidate's history says who and why.
        var board = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/juries/NORMANDIE/board");
        Assert.Equal("ABS", ResultOf(board, Absent, "E4"));
        Assert.Equal("ABSJ", ResultOf(board, Excused, "E4"));
        Assert.Null(ResultOf(board, Late, "E4"));
        var absent = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/candidates/{Absent}");
        var change = absent.GetProperty("history").EnumerateArray().First(h => h.GetProperty("unit").GetString() == "E4");
        Assert.Equal("centre-manager", change.GetProperty("by").GetProperty("role").GetString());
        Assert.Equal("Absent à l'épreuve du 27/05/2024", change.GetProperty("reason").GetString());

        // A closed day does not change; the centre manager still cannot enter a mark or an ABS elsewhere.
        await PostRefused(manager, new { kind = "candidate-present", candidateNumber = Late }, HttpStatusCode.Conflict, "close");
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PutResultAsync(Session, Late, "E4", "ABS")).StatusCode);

        // The audit trail: every event, with who and when; for the organiser and the centre manager.
        var trail = await manager.GetFromJsonAsync<JsonElement>($"{Day}/events");
        var kinds = trail.EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray();
        Assert.Equal<string[]>(
            ["candidate-present", "exam-started", "exam-done", "candidate-absent", "candidate-excused", "candidate-late", "examiner-absent", "room-unavailable", "day-closed"],
            kinds);
        Assert.All(trail.EnumerateArray(), e =>
        {
            Assert.False(string.IsNullOrEmpty(e.GetProperty("by").GetProperty("name").GetString()));
            Assert.True(e.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-10));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("description").GetString()));
        });
        var startedEvent = trail.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "exam-started");
        Assert.Equal(("examiner", e4.Examiners[0]), (startedEvent.GetProperty("by").GetProperty("role").GetString(), startedEvent.GetProperty("by").GetProperty("name").GetString()));
        var lateEvent = trail.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "candidate-late");
        Assert.Equal(("Mme Lefèvre", 15), (lateEvent.GetProperty("by").GetProperty("name").GetString(), lateEvent.GetProperty("minutes").GetInt32()));
        var examinerEvent = trail.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "examiner-absent");
        Assert.Equal(("13:30", "15:00"), (examinerEvent.GetProperty("from").GetString(), examinerEvent.GetProperty("to").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await organiser.GetAsync($"{Day}/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await e4Examiner.GetAsync($"{Day}/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.GetAsync($"{Day}/events")).StatusCode);

        // The routes are in the OpenAPI document.
        using var anonymous = server.Anonymous();
        var paths = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/sessions/{session}/centres/{centre}/days/{date}/events", paths);
        Assert.Contains("/api/sessions/{session}/centres/{centre}/days/{date}/close", paths);
    }

    [Fact]
    public async Task A_commission_enters_a_mark_or_NV_for_the_candidates_it_examined_and_only_those()
    {
        using var organiser = await server.OrganiserAsync();
        var rows = await PlanOneDayAsync(organiser, "exam-day-marks");
        var e4 = rows.First(r => r.Unit == "E4");
        using var examiner = await server.ClientAsync("examiner", e4.Examiners[0]);
        Assert.True((await examiner.PutResultAsync("exam-day-marks", e4.Candidate, "E4", "14.5")).IsSuccessStatusCode);
        var nv = await examiner.PutResultAsync("exam-day-marks", e4.Candidate, "E4", "NV", "Fiche descriptive absente");
        Assert.True(nv.IsSuccessStatusCode, await nv.Content.ReadAsStringAsync());

        // A candidate of another commission: refused.
        var other = rows.FirstOrDefault(r => r.Candidate != e4.Candidate && !r.Examiners.Contains(e4.Examiners[0]))
            ?? rows.First(r => !r.Examiners.Contains(e4.Examiners[0]));
        var refused = await examiner.PutResultAsync("exam-day-marks", other.Candidate, other.Unit, "12");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("n'examine pas", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        // NV outside E4, U61, U62: refused, even by the unit's own commission.
        var e22 = rows.First(r => r.Unit == "E22");
        using var e22Examiner = await server.ClientAsync("examiner", e22.Examiners[0]);
        var badNv = await e22Examiner.PutResultAsync("exam-day-marks", e22.Candidate, "E22", "NV");
        Assert.Equal(HttpStatusCode.BadRequest, badNv.StatusCode);
        Assert.Contains("NV", (await badNv.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.True((await e22Examiner.PutResultAsync("exam-day-marks", e22.Candidate, "E22", "11")).IsSuccessStatusCode);
    }

    internal sealed record PlannedExam(string Candidate, string Unit, string Room, string CommissionId, string[] Examiners);

    /// <summary>Four candidates on CAEN-1's one day, planned by the real solver; returns the adopted schedule.</summary>
    internal static async Task<PlannedExam[]> PlanOneDayAsync(HttpClient organiser, string session = Session)
    {
        var schedule = await PlanAsync(organiser, session, SampleFiles.Candidates(
            SampleFiles.Candidate(Present, category: "PRIVE_HORS_CONTRAT"),
            SampleFiles.Candidate(Absent, category: "PRIVE_HORS_CONTRAT"),
            SampleFiles.Candidate(Excused, category: "PRIVE_HORS_CONTRAT"),
            SampleFiles.Candidate(Late, category: "PRIVE_HORS_CONTRAT")), SampleFiles.OneDayCentre, SampleFiles.OneDayExaminers);
        var rows = schedule.Select(r => new PlannedExam(
            r.GetProperty("candidateNumber").GetString()!, r.GetProperty("unit").GetString()!, r.GetProperty("room").GetString()!,
            r.GetProperty("commissionId").GetString()!, [.. r.GetProperty("examinerIds").EnumerateArray().Select(x => x.GetString()!)])).ToArray();
        Assert.All(new[] { Present, Absent, Excused, Late }, c => Assert.Contains(rows, r => r.Candidate == c && r.Unit == "E4"));
        return rows;
    }

    /// <summary>Imports the files, plans with the real solver, waits for success; returns the schedule's rows (GET …/schedule).</summary>
    internal static async Task<JsonElement[]> PlanAsync(HttpClient organiser, string session, string candidates, string centres, string examiners)
    {
        await ImportOk(organiser, session, "candidates", candidates);
        await ImportOk(organiser, session, "centres", centres);
        await ImportOk(organiser, session, "examiners", examiners);
        var start = await organiser.PostAsJsonAsync($"/api/sessions/{session}/planning-runs", new { timeLimitSeconds = 10 });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var runId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var run = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/planning-runs/{runId}");
            var state = run.GetProperty("state").GetString();
            if (state != "running")
            {
                Assert.True(state == "succeeded", run.ToString());
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the run did not end: {run}");
            await Task.Delay(250);
        }
        var schedule = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/schedule");
        return [.. schedule.EnumerateArray()];
    }

    internal static async Task ImportOk(HttpClient organiser, string session, string kind, string csv)
    {
        var response = await organiser.ImportAsync(session, kind, csv);
        Assert.True(response.IsSuccessStatusCode, $"{kind}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> PostOk(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync($"{Day}/events", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task PostRefused(HttpClient client, object body, HttpStatusCode status, string inDetail)
    {
        var response = await client.PostAsJsonAsync($"{Day}/events", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{JsonSerializer.Serialize(body)} → {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(inDetail, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
    }

    private static async Task<JsonElement> CloseOk(HttpClient manager)
    {
        var response = await manager.PostAsync($"{Day}/close", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static JsonElement[] ExamsOf(JsonElement day) =>
        [.. day.GetProperty("rooms").EnumerateArray()
            .SelectMany(r => r.GetProperty("commissions").EnumerateArray())
            .SelectMany(c => c.GetProperty("exams").EnumerateArray())];

    private static bool Is(JsonElement exam, string candidate) => exam.GetProperty("candidateNumber").GetString() == candidate;

    private static JsonElement ExamOf(JsonElement day, string candidate, string unit) =>
        ExamsOf(day).Single(e => Is(e, candidate) && e.GetProperty("unit").GetString() == unit);

    private static string[] Entered(JsonElement closing, string candidate, string result) =>
        [.. closing.GetProperty("entered").EnumerateArray()
            .Where(e => e.GetProperty("candidateNumber").GetString() == candidate)
            .Select(e =>
            {
                Assert.Equal(result, e.GetProperty("result").GetString());
                return e.GetProperty("unit").GetString()!;
            })
            .Order()];

    private static string? ResultOf(JsonElement board, string candidate, string unit) =>
        board.GetProperty("candidates").EnumerateArray()
            .Single(c => c.GetProperty("candidateNumber").GetString() == candidate)
            .GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("unit").GetString() == unit)
            .Select(r => r.GetProperty("result").GetString())
            .FirstOrDefault();
}
