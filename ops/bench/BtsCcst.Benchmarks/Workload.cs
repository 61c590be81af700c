using BtsCcst.Domain;
using BtsCcst.Domain.Imports;
using BtsCcst.SampleGenerator;

namespace BtsCcst.Benchmarks;

/// <summary>One result the benchmark may rewrite: a unit of a candidate that holds a numeric mark.</summary>
public sealed class MarkSlot(string candidate, string unit, string current)
{
    public string Candidate { get; } = candidate;
    public string Unit { get; } = unit;
    public string Current { get; set; } = current;

    /// <summary>A mark that differs from the current one, so that every PUT really changes (and stores) something.</summary>
    public string NextValue() => Current == "12.5" ? "13" : "12.5";
}

/// <summary>The generated sample and what the benchmark derives from it: files, juries, candidates by jury, rewritable marks.</summary>
public sealed class Workload
{
    private Workload(SampleSession sample, string directory)
    {
        Sample = sample;
        Directory = directory;
        var juryOfAcademy = sample.Juries.SelectMany(j => j.Academies.Select(a => (a, j.JuryId))).ToDictionary(p => p.a, p => p.JuryId);
        JuryOf = sample.Candidates.ToDictionary(c => c.CandidateNumber, c => juryOfAcademy[c.Academy]);
        JuryIds = sample.Juries.Select(j => j.JuryId).ToArray();
        CandidatesByJury = JuryIds.ToDictionary(j => j, j => sample.Candidates.Where(c => JuryOf[c.CandidateNumber] == j).Select(c => c.CandidateNumber).ToArray());
        // Units imported with a numeric mark: a jury president may set another mark there.
        SlotsByJury = JuryIds.ToDictionary(j => j, _ => new List<MarkSlot>());
        foreach (var mark in sample.Marks.Where(m => m.Result.Kind == ResultKind.Mark))
            SlotsByJury[JuryOf[mark.CandidateNumber]].Add(new MarkSlot(mark.CandidateNumber, mark.Unit.ToString(), mark.Result.ToString()));
    }

    public SampleSession Sample { get; }
    public string Directory { get; }
    public IReadOnlyDictionary<string, string> JuryOf { get; }
    public IReadOnlyList<string> JuryIds { get; }
    public IReadOnlyDictionary<string, string[]> CandidatesByJury { get; }
    public IReadOnlyDictionary<string, List<MarkSlot>> SlotsByJury { get; }

    public string PathOf(string kind) => Path.Combine(Directory, kind switch
    {
        "juries" => SampleSession.JuriesFileName,
        "candidates" => SampleSession.CandidatesFileName,
        "marks" => SampleSession.MarksFileName,
        "centres" => SampleSession.CentresFileName,
        "examiners" => SampleSession.ExaminersFileName,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    });

    /// <param name="size">A planning size of the sample generator instead of <paramref name="candidates"/> in the national mix.</param>
    public static Workload Generate(int candidates, int seed, string directory, SampleSize? size = null)
    {
        var sample = size is { } planning ? SampleSession.Generate(planning, seed) : SampleSession.Generate(candidates, seed);
        sample.WriteTo(directory);
        return new Workload(sample, directory);
    }

    /// <summary>Canonical text of a result, as the server stores and shows it ("12.50" → "12.5").</summary>
    public static string Canonical(string result) => UnitResult.Parse(result).ToString();

    public static bool IsMark(string result) => UnitResult.TryParse(result, out var parsed, out _) && parsed.Kind == ResultKind.Mark;

    public static string DefaultJuryId(string academy) => Academies.DefaultJuryId(academy);
}
