using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BtsCcst.Scheduling;
using Xunit.Abstractions;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>
/// Issue 12, the session rehearsal against the real server (HTTP, real solver): seeded random sequences of what
/// organisers, centre managers, examiners and presidents do with a planned session: planning runs, publications and
/// discards, exam-day events and repairs, day closings, imports good and bad (late registrations), marks by examiners,
/// by file and by the president, the jury's closing, and the second group (marks that send candidates to it, the first
/// closing, the contrôle choices, the second group's planning run, its opening, the contrôle marks by the examiners the
/// plan names, the final closing), its steps spread at random among the others. After every step: every acknowledged
/// mark (contrôle marks included) is on the board, a CLOSED jury's results.csv rows never change, each group's schedule
/// keeps every rule but for orals left out (the validator of the API) and holds each oral at most once, and a begun
/// centre-day's rows change only through a repair accepted on it. A failing sequence is shrunk (a bounded number of
/// replays) and printed. CI plays <see cref="DefaultSequences"/>; BTSCCST_LIVE_REHEARSAL_SEQUENCES=N plays more.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LiveSessionRehearsalTests(ServerFixture server, ITestOutputHelper output)
{
    private const int DefaultSequences = 3;
    private const int StepsPerSequence = 16;
    private const int MaxShrinkReplays = 8;
    private const string Centre = "CAEN-1";
    private const string Jury = "NORMANDIE";
    private static readonly string[] Dates = ["2027-05-24", "2027-05-25", "2027-05-26"];
    private static readonly string[] Units = ["E1", "E21", "E22", "E3", "E4", "E5", "U61", "U62"];
    private static readonly string[] EventKinds = ["candidate-present", "candidate-absent", "candidate-late", "candidate-excused"];
    private const string ControleDay = "2027-06-21";
    private static readonly string[] GeneralUnits = ["E1", "E21", "E22", "E3"];

    /// <summary>The second group in order; each is put at a random place among the random steps.</summary>
    private static readonly string[] SecondGroupSteps =
        ["import-all-marks:second-group", "close-jury", "choose-controles", "plan-second-group", "open-second-group", "controle-marks", "close-jury"];

    private static readonly string CentresCsv =
        "centre_id,name,academies,time_zone,dates,day_start,day_end,lunch_start,lunch_end,exam_rooms,prep_seats,address\n"
        + $"CAEN-1,Lycée Malherbe,NORMANDIE,Europe/Paris,{string.Join(';', Dates)},08:00,18:00,12:00,13:30,3,4,\"14 avenue Albert Sorel, 14000 Caen\"\n";

    private static string ExaminersCsv => SampleFiles.OneDayExaminers.Replace(",2024-05-27,", $",{string.Join(';', Dates)},");

    public static TheoryData<int> Seeds()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("BTSCCST_LIVE_REHEARSAL_SEQUENCES"), out var n) ? n : DefaultSequences;
        var data = new TheoryData<int>();
        foreach (var seed in Enumerable.Range(1, count)) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_random_live_session_keeps_every_invariant_after_every_step(int seed)
    {
        var steps = Generate(seed);
        var failure = await PlayAsync($"live-rehearsal-{seed}", steps);
        if (failure is null) return;
        var shrunk = await ShrinkAsync(seed, steps);
        Assert.Fail($"Seed {seed}: {failure}\nShrunk sequence ({shrunk.Count} steps):\n{string.Join("\n", shrunk.Select((s, i) => $"  {i + 1}. {s}"))}");
    }

    /// <summary>One thing a user does; <see cref="Pick"/> chooses an exam of the schedule as it then is.</summary>
    private sealed record Step(string Kind, int Pick = 0, string Value = "")
    {
        public override string ToString() => $"{Kind} #{Pick} {Value}".Trim();
    }

    private static List<Step> Generate(int seed)
    {
        var random = new Random(seed);
        string Mark() => random.Next(0, 21).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var steps = new List<Step> { new("import-candidates", Value: "6"), new("plan") };
        while (steps.Count < StepsPerSequence)
        {
            steps.Add(random.Next(14) switch
            {
                0 or 1 => new("plan"),
                2 => new("publish"),
                3 => new("discard"),
                4 or 5 => new("event", random.Next(100), EventKinds[random.Next(EventKinds.Length)]),
                6 => new("repair", random.Next(100)),
                7 => new("examiner-mark", random.Next(100), Mark()),
                8 => new("import-candidates", Value: random.Next(3) == 0 ? "bad" : random.Next(6, 9).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                9 => new("import-marks", random.Next(100), Mark()),
                10 => new("president-mark", random.Next(100), Mark()),
                11 => new("close-day", random.Next(100)),
                12 => new("import-all-marks", Value: Mark()),
                _ => new("close-jury"),
            });
        }
        // The second group's steps, in their order, at random places after the first plan.
        var position = 2;
        foreach (var kind in SecondGroupSteps)
        {
            position = random.Next(position, steps.Count + 1);
            var parts = kind.Split(':');
            steps.Insert(position++, parts.Length == 2 ? new(parts[0], Value: parts[1]) : new(kind, random.Next(100), Mark()));
        }
        return steps;
    }

    private sealed class Model
    {
        public Dictionary<(string Candidate, string Unit), string> Acknowledged { get; } = [];
        public Dictionary<string, string> ClosedRows { get; } = [];
        public Dictionary<(string Centre, string Date), string[]> BegunDays { get; } = [];
        public int Registered { get; set; }
        public int Refused { get; set; }
        public HashSet<string> SecondGroupDone { get; } = [];
    }

    private sealed record Clients(HttpClient Organiser, HttpClient Manager, HttpClient President) : IDisposable
    {
        public void Dispose()
        {
            Organiser.Dispose();
            Manager.Dispose();
            President.Dispose();
        }
    }

    private async Task<string?> PlayAsync(string session, IReadOnlyList<Step> steps)
    {
        using var clients = new Clients(await server.OrganiserAsync(), await server.ClientAsync("centre-manager", "Mme Lefèvre", Centre),
            await server.ClientAsync("jury-president", "Mme Présidente", Jury));
        var model = new Model();
        Assert.True((await clients.Organiser.ImportAsync(session, "centres", CentresCsv)).IsSuccessStatusCode);
        Assert.True((await clients.Organiser.ImportAsync(session, "examiners", ExaminersCsv)).IsSuccessStatusCode);
        for (var i = 0; i < steps.Count; i++)
        {
            if (!await ApplyAsync(session, steps[i], model, clients)) model.Refused++;
            if (await BrokenInvariant(session, model, clients) is { } broken) return $"after step {i + 1} ({steps[i]}): {broken}";
        }
        output.WriteLine($"{session}: {steps.Count} steps, {model.Refused} refused, {model.Acknowledged.Count} marks acknowledged, "
                         + $"{model.BegunDays.Count} days begun, {model.ClosedRows.Count} rows closed, "
                         + $"second group: {(model.SecondGroupDone.Count == 0 ? "none" : string.Join(", ", model.SecondGroupDone.Order()))}");
        return null;
    }

    /// <summary>Plays one step; false when the server refused it (a 4xx: an answer, nothing acknowledged).</summary>
    private async Task<bool> ApplyAsync(string session, Step step, Model model, Clients c)
    {
        if (step.Kind is "choose-controles" or "plan-second-group" or "open-second-group" or "controle-marks")
        {
            var done = await ApplySecondGroupAsync(session, step, model, c);
            if (done) model.SecondGroupDone.Add(step.Kind);
            return done;
        }
        var schedule = await ScheduleAsync(c.Organiser, session);
        var exam = schedule.Count == 0 ? null : schedule[step.Pick % schedule.Count];
        switch (step.Kind)
        {
            case "import-candidates":
            {
                var count = step.Value == "bad" ? 9 : int.Parse(step.Value, System.Globalization.CultureInfo.InvariantCulture);
                var csv = Candidates(count);
                if (step.Value == "bad") csv += "LR-99,DURAND,Paul,2004-13-45,NORMANDIE,0141234X,PRIVE_HORS_CONTRAT,PONCTUEL,,,,0,non,\n";
                var ok = (await c.Organiser.ImportAsync(session, "candidates", csv)).IsSuccessStatusCode;
                if (ok) model.Registered = Math.Max(model.Registered, count);
                return ok;
            }
            case "plan":
            {
                var run = await PublicationTests.RunAsync(c.Organiser, session, new { timeLimitSeconds = 3 });
                return run.GetProperty("state").GetString() != "failed";
            }
            case "publish" or "discard":
            {
                var runs = await c.Organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/planning-runs");
                if (runs is not { Length: > 0 }) return false;
                return (await c.Organiser.PostAsync($"/api/sessions/{session}/planning-runs/{runs[0].GetProperty("runId").GetString()}/{step.Kind}", null)).IsSuccessStatusCode;
            }
            case "event" when exam is not null:
            {
                object body = step.Value switch
                {
                    "candidate-late" => new { kind = step.Value, candidateNumber = exam.CandidateNumber, minutes = 20, reason = "Train en retard" },
                    "candidate-excused" => new { kind = step.Value, candidateNumber = exam.CandidateNumber, reason = "Certificat médical" },
                    _ => new { kind = step.Value, candidateNumber = exam.CandidateNumber },
                };
                var key = (exam.CentreId, exam.Date.ToString("yyyy-MM-dd"));
                var rowsBefore = DayLines(await ScheduleCsvAsync(c.Organiser, session), key);
                var ok = (await c.Manager.PostAsJsonAsync($"{DayUrl(session, exam)}/events", body)).IsSuccessStatusCode;
                if (ok) model.BegunDays.TryAdd(key, rowsBefore);
                return ok;
            }
            case "repair" when exam is not null:
            {
                var proposed = await c.Manager.PostAsJsonAsync($"{DayUrl(session, exam)}/repairs", new { from = "08:00" });
                if (!proposed.IsSuccessStatusCode) return false;
                var repair = await proposed.Content.ReadFromJsonAsync<JsonElement>();
                if (repair.GetProperty("state").GetString() != "PROPOSED") return false;
                var accepted = await c.Manager.PostAsync($"{DayUrl(session, exam)}/repairs/{repair.GetProperty("repairId").GetString()}/accept", null);
                if (!accepted.IsSuccessStatusCode) return false;
                // An accepted repair is the one way a begun day changes: every begun day is read again.
                var csv = await ScheduleCsvAsync(c.Organiser, session);
                foreach (var key in model.BegunDays.Keys.ToArray()) model.BegunDays[key] = DayLines(csv, key);
                return true;
            }
            case "close-day" when exam is not null:
                return (await c.Manager.PostAsync($"{DayUrl(session, exam)}/close", null)).IsSuccessStatusCode;
            case "examiner-mark" when exam is not null:
            {
                using var examiner = await server.ClientAsync("examiner", exam.ExaminerIds[0]);
                return await Acknowledge(model, exam.CandidateNumber, exam.Unit.ToString(), step.Value,
                    await examiner.PutResultAsync(session, exam.CandidateNumber, exam.Unit.ToString(), step.Value));
            }
            case "president-mark":
            {
                var number = $"LR-{step.Pick % Math.Max(1, model.Registered) + 1:00}";
                var unit = Units[step.Pick % Units.Length];
                return await Acknowledge(model, number, unit, step.Value, await c.President.PutResultAsync(session, number, unit, step.Value, "Revu en jury"));
            }
            case "import-all-marks" when step.Value == "second-group":
            {
                // General units 6, professional units 10: an average of 8.56 with the professional average at 10 (D643-15).
                var numbers = Enumerable.Range(1, model.Registered).Select(i => $"LR-{i:00}").ToArray();
                var csv = SampleFiles.Marks(numbers, "10", GeneralUnits) + string.Concat(numbers.SelectMany(n => GeneralUnits.Select(u => $"{n},{u},6\n")));
                var ok = (await c.Organiser.ImportAsync(session, "marks", csv)).IsSuccessStatusCode;
                if (ok) foreach (var n in numbers) foreach (var u in SampleFiles.MandatoryUnits) model.Acknowledged[(n, u)] = GeneralUnits.Contains(u) ? "6" : "10";
                return ok;
            }
            case "import-marks" or "import-all-marks":
            {
                var numbers = step.Kind == "import-all-marks" ? Enumerable.Range(1, model.Registered).Select(i => $"LR-{i:00}").ToArray()
                    : [$"LR-{step.Pick % Math.Max(1, model.Registered) + 1:00}"];
                var ok = (await c.Organiser.ImportAsync(session, "marks", SampleFiles.Marks(numbers, step.Value))).IsSuccessStatusCode;
                if (ok) foreach (var n in numbers) foreach (var u in SampleFiles.MandatoryUnits) model.Acknowledged[(n, u)] = step.Value;
                return ok;
            }
            case "close-jury":
            {
                var closed = await c.President.PostAsync($"/api/sessions/{session}/juries/{Jury}/close", null);
                if (!closed.IsSuccessStatusCode) return false;
                var phase = (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString()!;
                model.SecondGroupDone.Add($"closed {phase}");
                if (phase != "CLOSED") return true;
                foreach (var line in await ResultLinesAsync(c.Organiser, session)) model.ClosedRows[line.Split(',')[0]] = line;
                return true;
            }
            default:
                return false;
        }
    }

    private static async Task<bool> Acknowledge(Model model, string candidate, string unit, string value, HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        if (!response.IsSuccessStatusCode) return false;
        model.Acknowledged[(candidate, unit)] = value;
        return true;
    }

    private async Task<string?> BrokenInvariant(string session, Model model, Clients c)
    {
        var board = await c.Organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/juries/{Jury}/board");
        var stored = board.GetProperty("candidates").EnumerateArray().SelectMany(r => r.GetProperty("results").EnumerateArray()
                .Concat(r.GetProperty("controles").EnumerateArray().Where(u => u.GetProperty("result").ValueKind == JsonValueKind.String))
                .Select(u => (Key: (r.GetProperty("candidateNumber").GetString()!, u.GetProperty("unit").GetString()!), Value: u.GetProperty("result").GetString())))
            .ToDictionary(x => x.Key, x => x.Value);
        foreach (var (key, value) in model.Acknowledged)
            if (stored.GetValueOrDefault(key) != value) return $"acknowledged {key.Candidate}/{key.Unit}={value} but the board shows {stored.GetValueOrDefault(key) ?? "(none)"}";

        var results = (await ResultLinesAsync(c.Organiser, session)).ToDictionary(l => l.Split(',')[0]);
        foreach (var (candidate, line) in model.ClosedRows)
            if (results.GetValueOrDefault(candidate) != line) return $"closed row of {candidate} changed: {line} → {results.GetValueOrDefault(candidate)}";

        var csv = await ScheduleCsvAsync(c.Organiser, session);
        var rows = ScheduleCsv.Parse(new StringReader(csv)).Rows;
        if (rows.GroupBy(r => (r.CandidateNumber, r.Unit)).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return $"{twice.Key.CandidateNumber} convoked {twice.Count()} times to {twice.Key.Unit}";
        // Each group's plan is checked on its own (the validator takes one group at a time).
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var group in lines.Skip(1).GroupBy(l => l.Contains(",C_E", StringComparison.Ordinal)))
        {
            var part = string.Join('\n', group.Prepend(lines[0])) + "\n";
            var answer = await c.Organiser.PostAsync($"/api/sessions/{session}/schedule/validate", new StringContent(part, Encoding.UTF8, "text/csv"));
            if (!answer.IsSuccessStatusCode) return $"the schedule could not be validated ({(int)answer.StatusCode}): {await answer.Content.ReadAsStringAsync()}";
            var verdict = await answer.Content.ReadFromJsonAsync<JsonElement>();
            if (verdict.GetProperty("violations").EnumerateArray().FirstOrDefault(v => v.GetProperty("rule").GetString() != HardRules.EveryOralOnce) is { ValueKind: JsonValueKind.Object } broken)
                return $"the schedule breaks {broken.GetProperty("rule").GetString()}: {broken.GetProperty("message").GetString()}";
        }
        foreach (var (key, before) in model.BegunDays)
            if (!DayLines(csv, key).SequenceEqual(before)) return $"begun day {key.Centre} {key.Date} changed without a repair";
        return null;
    }

    /// <summary>The second group's steps: choices by the organiser, the contrôle planning run, the opening, the marks.</summary>
    private async Task<bool> ApplySecondGroupAsync(string session, Step step, Model model, Clients c)
    {
        switch (step.Kind)
        {
            case "choose-controles":
            {
                var board = await c.President.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}/juries/{Jury}/board");
                var chosen = 0;
                foreach (var row in board.GetProperty("candidates").EnumerateArray().Where(r => r.GetProperty("decision").GetString() == "SECOND_GROUPE"))
                {
                    var units = row.GetProperty("controles").EnumerateArray().Select(u => u.GetProperty("unit").GetString()!).Take(2).ToArray();
                    var number = row.GetProperty("candidateNumber").GetString();
                    if ((await c.Organiser.PutAsJsonAsync($"/api/sessions/{session}/candidates/{number}/controle-choices", new { units })).IsSuccessStatusCode) chosen++;
                }
                return chosen > 0;
            }
            case "plan-second-group":
            {
                if (!(await c.Organiser.ImportAsync(session, "examiners", ControleExaminers)).IsSuccessStatusCode) return false;
                // Refused (400) while no candidate has chosen a contrôle oral to plan: an answer like any other.
                var start = await c.Organiser.PostAsJsonAsync($"/api/sessions/{session}/planning-runs",
                    new { timeLimitSeconds = 3, secondGroup = new { dates = new[] { ControleDay }, centreIds = new[] { Centre } } });
                if (!start.IsSuccessStatusCode)
                {
                    output.WriteLine($"second-group run refused: {await start.Content.ReadAsStringAsync()}");
                    return false;
                }
                var runId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
                var run = await PublicationTests.WaitForRunAsync(c.Organiser, session, runId);
                return run.GetProperty("state").GetString() != "failed" && run.GetProperty("placed").GetInt32() > 0;
            }
            case "open-second-group":
                return (await c.President.PostAsync($"/api/sessions/{session}/juries/{Jury}/second-group/open", null)).IsSuccessStatusCode;
            default:
            {
                // Every contrôle oral of the plan is marked by the first examiner the plan names.
                var rows = (await ScheduleAsync(c.Organiser, session)).Where(r => r.Unit.ToString().StartsWith("C_", StringComparison.Ordinal)).ToArray();
                var marked = 0;
                foreach (var row in rows)
                {
                    using var examiner = await server.ClientAsync("examiner", row.ExaminerIds[0]);
                    var mark = (step.Pick + marked) % 3 == 0 ? "ABS" : step.Value;
                    if (await Acknowledge(model, row.CandidateNumber, row.Unit.ToString(), mark,
                            await examiner.PutResultAsync(session, row.CandidateNumber, row.Unit.ToString(), mark))) marked++;
                }
                return marked > 0;
            }
        }
    }

    /// <summary>Teachers of the contrôle orals (LETTRES for C_E1, ANGLAIS for C_E2, ECO_GESTION for C_E3) on the contrôle day.</summary>
    private static readonly string ControleExaminers =
        "examiner_id,last_name,first_name,email,discipline,languages,establishment_uai,centre_ids,available_dates,max_minutes_per_day\n"
        + string.Concat(new[] { ("CTL-LET1", "LETTRES", ""), ("CTL-ANG1", "ANGLAIS", "anglais"), ("CTL-ECO1", "ECO_GESTION", "") }
            .Select(e => $"{e.Item1},Martin,Anne,{e.Item1.ToLowerInvariant()}@ac-normandie.fr,{e.Item2},{e.Item3},0149999Z,{Centre},{ControleDay},\n"));

    private static string Candidates(int count) =>
        SampleFiles.Candidates([.. Enumerable.Range(1, count).Select(i => SampleFiles.Candidate($"LR-{i:00}", category: "PRIVE_HORS_CONTRAT"))]);

    private static string DayUrl(string session, ScheduledExam exam) => $"/api/sessions/{session}/centres/{exam.CentreId}/days/{exam.Date:yyyy-MM-dd}";

    private static async Task<string> ScheduleCsvAsync(HttpClient organiser, string session) =>
        await organiser.GetStringAsync($"/api/sessions/{session}/exports/schedule.csv");

    private static async Task<IReadOnlyList<ScheduledExam>> ScheduleAsync(HttpClient organiser, string session) =>
        [.. ScheduleCsv.Parse(new StringReader(await ScheduleCsvAsync(organiser, session))).Rows
            .OrderBy(r => r.Date).ThenBy(r => r.ExamStart).ThenBy(r => r.CandidateNumber, StringComparer.Ordinal)];

    private static string[] DayLines(string csv, (string Centre, string Date) day) =>
        [.. csv.Split('\n').Where(l => l.StartsWith($"{day.Centre},{day.Date},", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static async Task<string[]> ResultLinesAsync(HttpClient organiser, string session) =>
        [.. (await organiser.GetStringAsync($"/api/sessions/{session}/exports/results.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];

    /// <summary>Drops steps one at a time (the setup steps stay) while the sequence still fails, within a bounded number of replays.</summary>
    private async Task<List<Step>> ShrinkAsync(int seed, List<Step> steps)
    {
        var current = steps;
        var attempt = 0;
        for (var i = current.Count - 1; i >= 2 && attempt < MaxShrinkReplays; i--)
        {
            var candidate = current.Where((_, k) => k != i).ToList();
            if (await PlayAsync($"live-rehearsal-{seed}-shrink-{++attempt}", candidate) is not null) current = candidate;
        }
        output.WriteLine($"shrunk from {steps.Count} to {current.Count} steps in {attempt} replays");
        return current;
    }
}
