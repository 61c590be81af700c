using System.Text;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Abstractions.Operations;
using Xunit.Abstractions;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>
/// Issue 12, the session rehearsal: seeded random sequences of what organisers and presidents do (imports good, bad and
/// repeated, juries.csv reshuffles, marks, thresholds, livrets, closings), played against the real grains on SQLite.
/// After every step: every acknowledged mark is stored, a CLOSED jury's rows never change, every board equals its
/// candidates and each candidate is on exactly one board. A failing sequence is shrunk (steps dropped while it still
/// fails) and printed. CI plays <see cref="DefaultSequences"/>; BTSCCST_REHEARSAL_SEQUENCES=N plays more (a soak).
/// </summary>
[Collection(DeliberationClusterCollection.Name)]
public sealed class SessionRehearsalTests(DeliberationClusterFixture fixture, ITestOutputHelper output)
{
    private const int DefaultSequences = 6;
    private const int StepsPerSequence = 24;
    private static readonly string[] Academies = ["LYON", "NANTES", "LILLE"];
    private static readonly string[] Units = ["E1", "E21", "E22", "E3", "E4", "E5", "U61", "U62"];

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    public static TheoryData<int> Seeds()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("BTSCCST_REHEARSAL_SEQUENCES"), out var n) ? n : DefaultSequences;
        var data = new TheoryData<int>();
        foreach (var seed in Enumerable.Range(1, count)) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_random_session_keeps_every_invariant_after_every_step(int seed)
    {
        var steps = Generate(seed);
        var failure = await PlayAsync($"rehearsal-{seed}", steps);
        if (failure is null) return;
        var shrunk = await ShrinkAsync(seed, steps);
        Assert.Fail($"Seed {seed}: {failure}\nShrunk sequence ({shrunk.Count} steps):\n{string.Join("\n", shrunk.Select((s, i) => $"  {i + 1}. {s}"))}");
    }

    /// <summary>One thing a user does. <see cref="ToString"/> is how a failing sequence reads.</summary>
    private sealed record Step(string Kind, string Candidate = "", string Academy = "", string Unit = "", string Value = "", int Count = 0)
    {
        public override string ToString() => $"{Kind} {Candidate}{Academy} {Unit} {Value} {(Count > 0 ? Count : "")}".Trim();
    }

    private static List<Step> Generate(int seed)
    {
        var random = new Random(seed);
        string Candidate() => $"R{random.Next(1, 10):00}";
        string Mark() => random.Next(0, 41) % 21 is var m ? m.ToString(System.Globalization.CultureInfo.InvariantCulture) : "10";
        var steps = new List<Step> { new("import-candidates", Count: 9) };
        for (var i = 1; i < StepsPerSequence; i++)
        {
            steps.Add(random.Next(12) switch
            {
                0 => new("import-candidates", Count: random.Next(3, 10), Value: random.Next(3) == 0 ? "renamed" : ""),
                10 => new("import-all-marks", Value: Mark()),
                1 or 2 => new("import-marks", Candidate: Candidate(), Value: random.Next(5) == 0 ? "25" : Mark()),
                3 => new("import-juries", Academy: Academies[random.Next(Academies.Length)], Value: random.Next(3) switch { 0 => "header-only", 1 => "merge", _ => "split" }),
                4 or 5 => new("president-mark", Candidate: Candidate(), Unit: Units[random.Next(Units.Length)], Value: Mark()),
                6 => new("thresholds", Value: random.Next(2) == 0 ? "10" : "11"),
                7 => new("livret", Candidate: Candidate()),
                _ => new("close", Academy: Academies[random.Next(Academies.Length)]),
            });
        }
        return steps;
    }

    /// <summary>Plays the steps on a fresh session; the first broken invariant, or null.</summary>
    private async Task<string?> PlayAsync(string sessionId, IReadOnlyList<Step> steps)
    {
        var model = new Model();
        for (var i = 0; i < steps.Count; i++)
        {
            try
            {
                await ApplyAsync(sessionId, steps[i], model);
            }
            catch (RefusedException)
            {
                // A refusal is an answer: nothing acknowledged, and the invariants still hold.
                model.Refused++;
            }
            if (await BrokenInvariant(sessionId, model) is { } broken) return $"after step {i + 1} ({steps[i]}): {broken}";
        }
        output.WriteLine($"{sessionId}: {steps.Count} steps, {model.Refused} refused, {model.Acknowledged.Count} marks acknowledged, {model.ClosedRows.Count} rows closed");
        return null;
    }

    private sealed class Model
    {
        public Dictionary<(string Candidate, string Unit), string> Acknowledged { get; } = [];
        public Dictionary<string, string> ClosedRows { get; } = [];
        public HashSet<string> Registered { get; } = [];
        public int Refused { get; set; }
    }

    private async Task ApplyAsync(string sessionId, Step step, Model model)
    {
        var session = Grains.Session(sessionId);
        switch (step.Kind)
        {
            case "import-candidates":
            {
                var numbers = Enumerable.Range(1, step.Count).Select(i => $"R{i:00}").ToArray();
                var csv = new StringBuilder("candidate_number,last_name,first_name,birth_date,academy,establishment_uai,category,form,optional_units,ef1_language,dispensed_units,extra_time_percent,livret,kept_units\n");
                foreach (var (number, i) in numbers.Select((n, i) => (n, i)))
                    csv.Append($"{number},{(step.Value == "renamed" ? "DURAND" : "MARTIN")},Léa,2004-03-12,{Academies[i % Academies.Length]},0690026D,SCOLAIRE_PUBLIC,PONCTUEL,,,,0,{(i % 4 == 0 ? "oui" : "non")},\n");
                var outcome = await SessionImports.RunAsync(session, "candidates", new StringReader(csv.ToString()), Given.Bureau);
                if (outcome.Counts is not null) model.Registered.UnionWith(numbers);
                break;
            }
            case "import-marks":
            {
                var csv = "candidate_number,unit,result\n" + string.Concat(Units.Select(u => $"{step.Candidate},{u},{step.Value}\n"));
                var outcome = await SessionImports.RunAsync(session, "marks", new StringReader(csv), Given.Bureau);
                if (outcome.Counts is not null)
                    foreach (var unit in Units) model.Acknowledged[(step.Candidate, unit)] = step.Value;
                break;
            }
            case "import-all-marks":
            {
                var numbers = Enumerable.Range(1, 9).Select(i => $"R{i:00}").Where(model.Registered.Contains).ToArray();
                var csv = "candidate_number,unit,result\n" + string.Concat(numbers.SelectMany(n => Units.Select(u => $"{n},{u},{step.Value}\n")));
                var outcome = await SessionImports.RunAsync(session, "marks", new StringReader(csv), Given.Bureau);
                if (outcome.Counts is not null)
                    foreach (var number in numbers) foreach (var unit in Units) model.Acknowledged[(number, unit)] = step.Value;
                break;
            }
            case "import-juries":
            {
                var others = Academies.Where(a => a != step.Academy).ToArray();
                var csv = step.Value switch
                {
                    "header-only" => "jury_id,academies,president,members\n",
                    "merge" => $"jury_id,academies,president,members\nGRAND-{step.Academy},{step.Academy};{others[0]},Mme Roux,\n",
                    _ => $"jury_id,academies,president,members\n{step.Academy},{step.Academy},M. Petit,\n",
                };
                await SessionImports.RunAsync(session, "juries", new StringReader(csv), Given.Bureau);
                break;
            }
            case "president-mark":
            {
                var jury = (await Grains.Candidate(sessionId, step.Candidate).GetSummary()).JuryId;
                await Grains.Candidate(sessionId, step.Candidate).EnterResults([new ResultEntry(step.Unit, step.Value, "Revu en jury")], Given.PresidentOf(jury));
                model.Acknowledged[(step.Candidate, step.Unit)] = step.Value;
                break;
            }
            case "thresholds":
                await session.SetDeliberationSettings(new DeliberationSettings(decimal.Parse(step.Value), 8m, 10m, 0.5m));
                break;
            case "livret":
            {
                var jury = (await Grains.Candidate(sessionId, step.Candidate).GetSummary()).JuryId;
                await Grains.Candidate(sessionId, step.Candidate).AcknowledgeLivret(Given.PresidentOf(jury));
                break;
            }
            case "close":
            {
                var juries = (await session.GetOverview()).Juries.Where(j => j.Academies.Contains(step.Academy)).Select(j => j.JuryId).ToArray();
                foreach (var jury in juries)
                {
                    var closed = await Grains.Jury(sessionId, jury).Close(Given.PresidentOf(jury));
                    if (closed.Phase != "CLOSED") continue;
                    foreach (var row in (await Grains.Jury(sessionId, jury).GetBoard()).Candidates) model.ClosedRows[row.CandidateNumber] = Given.Json(row);
                }
                break;
            }
        }
    }

    private async Task<string?> BrokenInvariant(string sessionId, Model model)
    {
        var overview = await Grains.Session(sessionId).GetOverview();
        var boards = new Dictionary<string, CandidateSummary>();
        foreach (var jury in overview.Juries)
        {
            var board = await Grains.Jury(sessionId, jury.JuryId).GetBoard();
            foreach (var row in board.Candidates)
            {
                if (!boards.TryAdd(row.CandidateNumber, row)) return $"{row.CandidateNumber} is on two boards ({boards[row.CandidateNumber].JuryId}, {jury.JuryId})";
                var summary = await Grains.Candidate(sessionId, row.CandidateNumber).GetSummary();
                if (Given.Json(summary) != Given.Json(row)) return $"board {jury.JuryId} differs from candidate {row.CandidateNumber}";
                if (summary.JuryId != jury.JuryId) return $"{row.CandidateNumber} is on board {jury.JuryId} but belongs to {summary.JuryId}";
            }
        }
        foreach (var number in model.Registered)
            if (!boards.ContainsKey(number)) return $"{number}, registered, is on no board";
        foreach (var ((candidate, unit), value) in model.Acknowledged)
        {
            var stored = (await Grains.Candidate(sessionId, candidate).GetSummary()).Results.FirstOrDefault(r => r.Unit == unit)?.Result;
            if (stored != value) return $"acknowledged {candidate}/{unit}={value} but stored {stored ?? "(none)"}";
        }
        foreach (var (candidate, row) in model.ClosedRows)
            if (!boards.TryGetValue(candidate, out var now) || Given.Json(now) != row) return $"closed row of {candidate} changed";
        return null;
    }

    /// <summary>Drops steps one at a time while the sequence still fails: the shortest failing sequence found.</summary>
    private async Task<List<Step>> ShrinkAsync(int seed, List<Step> steps)
    {
        var current = steps;
        var attempt = 0;
        for (var i = current.Count - 1; i >= 1; i--)
        {
            var candidate = current.Where((_, k) => k != i).ToList();
            if (await PlayAsync($"rehearsal-{seed}-shrink-{++attempt}", candidate) is not null) current = candidate;
        }
        output.WriteLine($"shrunk from {steps.Count} to {current.Count} steps in {attempt} replays");
        return current;
    }
}
