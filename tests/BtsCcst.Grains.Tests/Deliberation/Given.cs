using System.Text.Json;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>The people, candidates and files of the scenarios.</summary>
internal static class Given
{
    /// <summary>The exam office, which imports the files.</summary>
    public static readonly Actor Bureau = new(Roles.Organiser, "bureau");

    public static Actor PresidentOf(string juryId, string name = "M. Durand") => new(Roles.JuryPresident, name, juryId);

    public static Actor Examiner(string id) => new(Roles.Examiner, id);

    /// <summary>deliberation.md worked case 2 without EF1: average 9.88, pro average 10.75.</summary>
    public const string Case2 = "E1=8 E21=9 E22=11 E3=7 E4=12 E5=10 U61=11 U62=9";

    public static string AllMarks(decimal mark) =>
        string.Join(' ', new[] { "E1", "E21", "E22", "E3", "E4", "E5", "U61", "U62" }.Select(u => $"{u}={mark.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>A school candidate in the ponctual form, as candidates.csv would give it (the session fills the jury).</summary>
    public static CandidateRegistration Candidate(
        string number,
        string academy = "LYON",
        bool livret = false,
        string[]? optional = null,
        string[]? dispensed = null,
        string[]? kept = null,
        string lastName = "MARTIN") => new()
        {
            CandidateNumber = number,
            LastName = lastName,
            FirstName = "Camille",
            BirthDate = new DateOnly(2004, 3, 14),
            Academy = academy,
            EstablishmentUai = "0690026D",
            Category = "SCOLAIRE_PUBLIC",
            Form = "PONCTUEL",
            OptionalUnits = optional ?? [],
            Ef1Language = optional?.Contains("EF1") == true ? "ESPAGNOL" : "",
            DispensedUnits = dispensed ?? [],
            ExtraTimePercent = 0,
            Livret = livret,
            KeptUnits = kept ?? [],
            JuryId = "",
        };

    /// <summary>candidates.csv rows: line 1 is the header.</summary>
    public static CandidateImportRow[] CandidateRows(params CandidateRegistration[] registrations) =>
        registrations.Select((r, i) => new CandidateImportRow(i + 2, r)).ToArray();

    /// <summary>One candidate's marks written "E1=8 E21=9 ...".</summary>
    public static (string Candidate, string Unit, string Result)[] Sheet(string candidate, string marks) =>
        marks.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(m => m.Split('='))
            .Select(p => (candidate, p[0], p[1]))
            .ToArray();

    /// <summary>marks.csv rows, in order: line 1 is the header.</summary>
    public static MarkImportRow[] MarkRows(params (string Candidate, string Unit, string Result)[][] sheets) =>
        sheets.SelectMany(s => s)
            .Select((m, i) => new MarkImportRow(i + 2, m.Candidate, m.Unit, m.Result))
            .ToArray();

    /// <summary>Imports the candidates and their marks into a new session, checking both imports went through.</summary>
    public static async Task<ISessionGrain> SessionWith(
        IGrainFactory grains,
        string sessionId,
        CandidateRegistration[] candidates,
        params (string Candidate, string Unit, string Result)[][] sheets)
    {
        var session = grains.Session(sessionId);
        var imported = await session.ImportCandidates(CandidateRows(candidates));
        Assert.Empty(imported.Errors);
        if (sheets.Length > 0)
        {
            var marks = await session.ImportMarks(MarkRows(sheets), Bureau);
            Assert.Empty(marks.Errors);
        }
        return session;
    }

    public static UnitCell Cell(this CandidateSummary row, string unit) => Assert.Single(row.Results, c => c.Unit == unit);

    public static CandidateSummary Row(this BoardSnapshot board, string candidate) =>
        Assert.Single(board.Candidates, c => c.CandidateNumber == candidate);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Value of a record graph, arrays included (records compare arrays by reference).</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>A board without its version, which a new activation of the jury starts afresh.</summary>
    public static string BoardJson(BoardSnapshot board) => Json(board with { Version = 0 });
}
