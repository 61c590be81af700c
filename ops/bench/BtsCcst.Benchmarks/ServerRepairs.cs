using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BtsCcst.Bench;
using System.Text.Json;
using BtsCcst.Domain;
using BtsCcst.Scheduling;

namespace BtsCcst.Benchmarks;

/// <summary>
/// Exam-day repairs through the server (issue 13, <c>--repairs N</c>): the sample session is imported (juries, candidates,
/// centres, examiners), planned by a planning run, then on each of its N busiest centre-days a centre manager records
/// events and asks for a repair, as the centre page sends them (<c>POST …/events</c>, then <c>POST …/repairs</c> with
/// <c>from</c> and the default time limit), and rejects the proposal. Centre-days take, in turn, one event (a candidate
/// 40 min late, an excused candidate, a teacher absent from 13:30, a professional absent all day) and those four
/// together. Each request is timed wall-clock around the HTTP call (the grain's gathering of the session, the solver
/// process, both validators, the proposal's storage), sent 2 s after the previous one (the spare solver process warms up).
/// <see cref="FullDayRepairs"/> does the same on full days of 25 to 60 candidates.
/// </summary>
public static class ServerRepairs
{
    /// <summary>One repair request: where (<see cref="Scope"/>: the sample, or a full day's size), its day, the events, the timings, the proposal.</summary>
    public sealed record Line(string Scope, string CentreDay, int Candidates, int Exams, int Events, double WallSeconds, double GrainSeconds, string State,
        int Moved, bool Optimal);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<List<Line>> RunAsync(Deployment deployment, Workload work, int requests, int planSeconds, Action<string> say)
    {
        var api = deployment.Apis[0];
        var organiser = await deployment.TokenAsync("organiser", "bench");
        foreach (var kind in new[] { "juries", "candidates", "centres", "examiners" })
        {
            var answer = await api.ImportAsync(kind, work.PathOf(kind), organiser);
            say($"import {kind}: created {answer.Created} in {answer.Elapsed.TotalSeconds:0.0} s");
        }
        var plan = Stopwatch.StartNew();
        var schedule = await PlanAsync(api, organiser, planSeconds);
        say($"planned in {plan.Elapsed.TotalSeconds:0} s: {schedule.Count} exams");

        var discipline = work.Sample.Examiners.ToDictionary(e => e.ExaminerId, e => e.Discipline);
        var days = schedule.GroupBy(e => (e.CentreId, e.Date)).OrderByDescending(g => g.Select(e => e.CandidateNumber).Distinct().Count())
            .ThenBy(g => g.Key.CentreId, StringComparer.Ordinal).ThenBy(g => g.Key.Date).Take(requests).ToList();
        var lines = new List<Line>();
        for (var k = 0; k < days.Count; k++)
        {
            var (centre, date) = days[k].Key;
            var day = days[k].ToList();
            var random = new Random(k);
            var kinds = k % 5 == 4 ? [0, 1, 2, 3] : new[] { k % 5 };
            var events = kinds.Select(kind => Draw(day, id => discipline[id], random, kind, [])).ToList();
            var manager = await deployment.TokenAsync("centre-manager", "bench", centre);
            lines.Add(await RepairAsync(api, manager, centre, date, day, events, accept: false) with { Scope = $"{work.Sample.Candidates.Count}-candidate sample" });
            say($"  {lines[^1]}");
        }
        return lines;
    }

    /// <summary>Starts a planning run, waits for its end; the schedule it leaves.</summary>
    public static async Task<IReadOnlyList<ScheduledExam>> PlanAsync(Api api, string organiser, int planSeconds)
    {
        var run = await SendAsync(api, HttpMethod.Post, "planning-runs", new { timeLimitSeconds = planSeconds }, organiser);
        var runId = run.GetProperty("runId").GetString()!;
        while ((await SendAsync(api, HttpMethod.Get, $"planning-runs/{runId}", null, organiser)).GetProperty("state").GetString() == "running")
            await Task.Delay(1000);
        return await ScheduleAsync(api, organiser);
    }

    public static async Task<IReadOnlyList<ScheduledExam>> ScheduleAsync(Api api, string organiser) =>
        ScheduleCsv.Parse(new StringReader(await api.GetTextAsync($"api/sessions/{api.SessionId}/exports/schedule.csv", organiser))).Rows;

    /// <summary>
    /// Records the events and asks for a repair as the centre page does (<c>from</c>: the earliest event's time, default
    /// time limit), 2 s after the previous request (the spare solver process warms up, as between a manager's requests);
    /// then accepts or rejects the proposal.
    /// </summary>
    public static async Task<Line> RepairAsync(Api api, string manager, string centre, DateOnly date, List<ScheduledExam> day, List<DayEvent> events, bool accept)
    {
        var path = $"centres/{centre}/days/{date:yyyy-MM-dd}";
        foreach (var e in events) await SendAsync(api, HttpMethod.Post, $"{path}/events", e.Body, manager);
        var from = events.Min(e => e.From).ToString("HH:mm", CultureInfo.InvariantCulture);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var watch = Stopwatch.StartNew();
        var body = await SendAsync(api, HttpMethod.Post, $"{path}/repairs", new { from }, manager);
        var wall = watch.Elapsed.TotalSeconds;
        var state = body.GetProperty("state").GetString()!;
        if (state != "PROPOSED")
            Console.WriteLine($"  {state} {centre} {date:yyyy-MM-dd}: {(body.TryGetProperty("failure", out var failure) ? failure.ToString() : "")} "
                              + $"{string.Join(" | ", body.GetProperty("violations").EnumerateArray().Select(v => v.GetString()).Take(5))}");
        var decision = accept && state == "PROPOSED" ? "accept" : "reject";
        if (state == "PROPOSED") await SendAsync(api, HttpMethod.Post, $"{path}/repairs/{body.GetProperty("repairId").GetString()}/{decision}", null, manager);
        return new Line("", $"{centre} {date:yyyy-MM-dd}", day.Select(e => e.CandidateNumber).Distinct().Count(), day.Count, events.Count, wall,
            body.GetProperty("seconds").GetDouble(), state, body.GetProperty("candidatesMoved").GetInt32(), body.GetProperty("optimal").GetBoolean());
    }

    /// <summary>An event as the centre page sends it, and the time from which the repair may move exams.</summary>
    public sealed record DayEvent(object Body, TimeOnly From);

    /// <summary>The events of <c>DayRepairs.cs</c>, on candidates and examiners not <paramref name="used"/> yet.</summary>
    public static DayEvent Draw(List<ScheduledExam> day, Func<string, Discipline> discipline, Random random, int kind, HashSet<string> used)
    {
        static TimeOnly Begins(ScheduledExam e) => e.PrepStart ?? e.ExamStart;
        ScheduledExam Pick(Func<ScheduledExam, bool> where)
        {
            var list = day.Where(e => where(e) && !used.Contains(e.CandidateNumber)).OrderBy(e => e.CandidateNumber, StringComparer.Ordinal).ThenBy(e => e.Unit).ToList();
            return list[random.Next(list.Count)];
        }
        string Use(string id) { used.Add(id); return id; }
        switch (kind)
        {
            case 0:
                var late = Use(Pick(e => Begins(e) >= new TimeOnly(9, 0) && Begins(e) < new TimeOnly(15, 0)).CandidateNumber);
                return new(new { kind = "candidate-late", candidateNumber = late, minutes = 40, reason = "Train en retard" },
                    day.Where(e => e.CandidateNumber == late).Min(Begins));
            case 1:
                return new(new { kind = "candidate-excused", candidateNumber = Use(Pick(e => Begins(e) >= new TimeOnly(10, 0)).CandidateNumber), reason = "Certificat médical" },
                    new TimeOnly(10, 0));
            case 2:
                var teacher = Pick(e => e.ExamStart >= new TimeOnly(13, 30) && e.ExaminerIds.Any(id => !used.Contains(id) && discipline(id) is Discipline.EcoGestion or Discipline.Sti))
                    .ExaminerIds.First(id => !used.Contains(id) && discipline(id) is Discipline.EcoGestion or Discipline.Sti);
                return new(new { kind = "examiner-absent", examinerId = Use(teacher), from = "13:30", reason = "Rendez-vous médical" }, new TimeOnly(12, 0));
            default:
                var professional = Pick(e => e.ExamStart >= new TimeOnly(10, 0) && e.ExaminerIds.Any(id => !used.Contains(id) && discipline(id) == Discipline.Professionnel))
                    .ExaminerIds.First(id => !used.Contains(id) && discipline(id) == Discipline.Professionnel);
                return new(new { kind = "examiner-absent", examinerId = Use(professional), reason = "Malade" }, new TimeOnly(10, 0));
        }
    }

    private static async Task<JsonElement> SendAsync(Api api, HttpMethod method, string path, object? body, string token)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(15) };
        using var request = new HttpRequestMessage(method, $"api/sessions/{api.SessionId}/{path}");
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text, Json);
    }

    /// <summary>Replaces the block between the server-repairs markers of RESULTS.md (appended the first time).</summary>
    public static void WriteInto(string path, List<Line> lines, string command, Machine machine, string loadAfter, int planSeconds)
    {
        var text = new StringBuilder();
        text.AppendLine(ResultsBlock.Begin("server-repairs"));
        text.AppendLine($"### Exam-day repair through the server (issue 13), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine($"`{command}` ({machine.Cores} cores; load average start {machine.LoadAverage}, end {loadAfter}); plans by a {planSeconds} s planning run.");
        text.AppendLine("A sample: its busiest centre-days, each with its events recorded and a repair asked as the centre page does (default time limit), then rejected.");
        text.AppendLine("A full day of N candidates (one centre, two days, 2N candidates): its busiest day's events one after the other, each repaired and accepted,");
        text.AppendLine("then the other day's requests of four events together, each accepted. Each request 2 s after the previous one (the spare solver process warms up).");
        text.AppendLine("Wall: around `POST …/repairs` (HTTP, the grain gathering the session, the solver process, both validators, storage); grain: the proposal's own `seconds`.");
        text.AppendLine();
        text.AppendLine("| where | days (candidates, exams) | events | requests | wall median | p95 | max | grain median | PROPOSED | optimal | candidates moved (total) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in lines.GroupBy(l => (l.Scope, l.Events)))
        {
            var wall = group.Select(l => l.WallSeconds).Order().ToList();
            var grain = group.Select(l => l.GrainSeconds).Order().ToList();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Scope} | {group.Min(l => l.Candidates)}–{group.Max(l => l.Candidates)}, {group.Min(l => l.Exams)}–{group.Max(l => l.Exams)} | {group.Key.Events} | {wall.Count} | "
                + $"{wall[wall.Count / 2]:0.00} s | {wall[Math.Min(wall.Count - 1, (int)Math.Ceiling(0.95 * wall.Count) - 1)]:0.00} s | {wall[^1]:0.00} s | "
                + $"{grain[grain.Count / 2]:0.00} s | {group.Count(l => l.State == "PROPOSED")}/{wall.Count} | {group.Count(l => l.Optimal)}/{wall.Count} | {group.Sum(l => l.Moved)} |"));
        }
        text.AppendLine(ResultsBlock.End("server-repairs"));
        ResultsBlock.Write(path, "server-repairs", text.ToString());
        Console.WriteLine(text);
    }
}
