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
/// </summary>
public static class ServerRepairs
{
    public sealed record Line(string CentreDay, int Candidates, int Exams, int Events, double WallSeconds, double GrainSeconds, string State, int Moved, bool Optimal);

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
        var run = await SendAsync(api, HttpMethod.Post, "planning-runs", new { timeLimitSeconds = planSeconds }, organiser);
        var runId = run.Body.GetProperty("runId").GetString()!;
        while ((await SendAsync(api, HttpMethod.Get, $"planning-runs/{runId}", null, organiser)).Body.GetProperty("state").GetString() == "running")
            await Task.Delay(1000);
        var schedule = ScheduleCsv.Parse(new StringReader(await api.GetTextAsync($"api/sessions/{api.SessionId}/exports/schedule.csv", organiser))).Rows;
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
            var all = Enumerable.Range(0, 4).Select(kind => Draw(day, discipline, random, kind)).ToList();
            var events = k % 5 == 4 ? all : [all[k % 5]];
            var manager = await deployment.TokenAsync("centre-manager", "bench", centre);
            var path = $"centres/{centre}/days/{date:yyyy-MM-dd}";
            foreach (var e in events) await SendAsync(api, HttpMethod.Post, $"{path}/events", e.Body, manager);
            var from = events.Min(e => e.From).ToString("HH:mm", CultureInfo.InvariantCulture);
            // A manager's requests come minutes apart: the server's spare solver process, started after the previous job, is warm by then.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var watch = Stopwatch.StartNew();
            var repair = await SendAsync(api, HttpMethod.Post, $"{path}/repairs", new { from }, manager);
            var wall = watch.Elapsed.TotalSeconds;
            var body = repair.Body;
            await SendAsync(api, HttpMethod.Post, $"{path}/repairs/{body.GetProperty("repairId").GetString()}/reject", null, manager);
            lines.Add(new Line($"{centre} {date:yyyy-MM-dd}", day.Select(e => e.CandidateNumber).Distinct().Count(), day.Count, events.Count, wall,
                body.GetProperty("seconds").GetDouble(), body.GetProperty("state").GetString()!, body.GetProperty("candidatesMoved").GetInt32(),
                body.GetProperty("optimal").GetBoolean()));
            say($"  {lines[^1]}");
        }
        return lines;
    }

    private sealed record DayEvent(object Body, TimeOnly From);

    /// <summary>The events of <c>DayRepairs.cs</c>, as the centre page sends them.</summary>
    private static DayEvent Draw(List<ScheduledExam> day, Dictionary<string, Discipline> discipline, Random random, int kind)
    {
        static TimeOnly Begins(ScheduledExam e) => e.PrepStart ?? e.ExamStart;
        ScheduledExam Pick(Func<ScheduledExam, bool> where) { var list = day.Where(where).OrderBy(e => e.CandidateNumber, StringComparer.Ordinal).ThenBy(e => e.Unit).ToList(); return list[random.Next(list.Count)]; }
        switch (kind)
        {
            case 0:
                var late = Pick(e => Begins(e) >= new TimeOnly(9, 0) && Begins(e) < new TimeOnly(15, 0)).CandidateNumber;
                return new(new { kind = "candidate-late", candidateNumber = late, minutes = 40, reason = "Train en retard" },
                    day.Where(e => e.CandidateNumber == late).Min(Begins));
            case 1:
                return new(new { kind = "candidate-excused", candidateNumber = Pick(e => Begins(e) >= new TimeOnly(10, 0)).CandidateNumber, reason = "Certificat médical" },
                    new TimeOnly(10, 0));
            case 2:
                var teacher = Pick(e => e.ExamStart >= new TimeOnly(13, 30) && e.ExaminerIds.Any(id => discipline[id] is Discipline.EcoGestion or Discipline.Sti))
                    .ExaminerIds.First(id => discipline[id] is Discipline.EcoGestion or Discipline.Sti);
                return new(new { kind = "examiner-absent", examinerId = teacher, from = "13:30", reason = "Rendez-vous médical" }, new TimeOnly(12, 0));
            default:
                var professional = Pick(e => e.ExamStart >= new TimeOnly(10, 0) && e.ExaminerIds.Any(id => discipline[id] == Discipline.Professionnel))
                    .ExaminerIds.First(id => discipline[id] == Discipline.Professionnel);
                return new(new { kind = "examiner-absent", examinerId = professional, reason = "Malade" }, new TimeOnly(10, 0));
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(Api api, HttpMethod method, string path, object? body, string token)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(15) };
        using var request = new HttpRequestMessage(method, $"api/sessions/{api.SessionId}/{path}");
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return (response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text, Json));
    }

    /// <summary>Replaces the block between the server-repairs markers of RESULTS.md (appended the first time).</summary>
    public static void WriteInto(string path, List<Line> lines, string command, Machine machine, string loadAfter, int candidates, int planSeconds)
    {
        var text = new StringBuilder();
        text.AppendLine(ResultsBlock.Begin("server-repairs"));
        text.AppendLine($"### Exam-day repair through the server (issue 13), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine($"`{command}` ({machine.Cores} cores; load average start {machine.LoadAverage}, end {loadAfter}). The sample session of {candidates} candidates,");
        text.AppendLine($"planned by a {planSeconds} s planning run; on each of its {lines.Count} busiest centre-days ({lines.Min(l => l.Candidates)}–{lines.Max(l => l.Candidates)} candidates,");
        text.AppendLine($"{lines.Min(l => l.Exams)}–{lines.Max(l => l.Exams)} exams), the events recorded and a repair asked as the centre page does (default time limit), then rejected.");
        text.AppendLine("Wall: around `POST …/repairs` (HTTP, the grain gathering the session, the solver process, both validators, storage); grain: the proposal's own `seconds`.");
        text.AppendLine();
        text.AppendLine("| events | requests | wall median | p95 | max | grain median | PROPOSED | optimal | candidates moved (total) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in lines.GroupBy(l => l.Events).OrderBy(g => g.Key))
        {
            var wall = group.Select(l => l.WallSeconds).Order().ToList();
            var grain = group.Select(l => l.GrainSeconds).Order().ToList();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key} | {wall.Count} | {wall[wall.Count / 2]:0.00} s | {wall[Math.Min(wall.Count - 1, (int)Math.Ceiling(0.95 * wall.Count) - 1)]:0.00} s | {wall[^1]:0.00} s | "
                + $"{grain[grain.Count / 2]:0.00} s | {group.Count(l => l.State == "PROPOSED")}/{wall.Count} | {group.Count(l => l.Optimal)}/{wall.Count} | {group.Sum(l => l.Moved)} |"));
        }
        text.AppendLine(ResultsBlock.End("server-repairs"));
        ResultsBlock.Write(path, "server-repairs", text.ToString());
        Console.WriteLine(text);
    }
}
