namespace BtsCcst.Grains.Abstractions;

/// <summary>A candidate's registration as imported from candidates.csv (codes as in the file).</summary>
[GenerateSerializer, Immutable]
public sealed record CandidateRegistration
{
    [Id(0)] public required string CandidateNumber { get; init; }
    [Id(1)] public required string LastName { get; init; }
    [Id(2)] public required string FirstName { get; init; }
    [Id(3)] public required DateOnly BirthDate { get; init; }
    [Id(4)] public required string Academy { get; init; }
    [Id(5)] public required string EstablishmentUai { get; init; }
    [Id(6)] public required string Category { get; init; }
    [Id(7)] public required string Form { get; init; }
    [Id(8)] public required string[] OptionalUnits { get; init; }
    [Id(9)] public required string Ef1Language { get; init; }
    [Id(10)] public required string[] DispensedUnits { get; init; }
    [Id(11)] public required int ExtraTimePercent { get; init; }
    [Id(12)] public required bool Livret { get; init; }
    /// <summary>Units kept from an earlier session, "UNIT:mark" sorted by unit.</summary>
    [Id(13)] public required string[] KeptUnits { get; init; }
    [Id(14)] public required string JuryId { get; init; }

    /// <summary>Value equality over every field (records compare arrays by reference).</summary>
    public bool SameAs(CandidateRegistration? other) => other is not null && Fingerprint == other.Fingerprint;

    private string Fingerprint => string.Join('|',
        CandidateNumber, LastName, FirstName, BirthDate.ToString("O"), Academy, EstablishmentUai, Category, Form,
        string.Join(';', OptionalUnits), Ef1Language, string.Join(';', DispensedUnits), ExtraTimePercent, Livret,
        string.Join(';', KeptUnits), JuryId);
}

public enum ChangeKind { Created, Updated, Unchanged }

/// <summary>One result to enter for one unit of one candidate.</summary>
[GenerateSerializer, Immutable]
public sealed record ResultEntry(
    [property: Id(0)] string Unit,
    [property: Id(1)] string Result,
    [property: Id(2)] string? Reason = null,
    [property: Id(3)] bool UnderReserve = false);

/// <summary>One change of a unit result: who, when, old, new, why (D643-26 trace of the jury's changes).</summary>
[GenerateSerializer, Immutable]
public sealed record ResultChange(
    [property: Id(0)] string Unit,
    [property: Id(1)] string? OldResult,
    [property: Id(2)] string? NewResult,
    [property: Id(3)] Actor By,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] string? Reason,
    [property: Id(6)] string Action);

/// <summary>
/// The current result of one unit as shown to users; <see cref="Changed"/> when it is no longer the
/// result first entered (corrected, or its reserve lifted with a new result): the board marks it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UnitCell(
    [property: Id(0)] string Unit,
    [property: Id(1)] string Result,
    [property: Id(2)] bool UnderReserve,
    [property: Id(3)] bool Changed = false);

/// <summary>A contrôle unit on the board (deliberation.md "Second group"): the first-group mark, the contrôle result, the mark kept.</summary>
[GenerateSerializer, Immutable]
public sealed record ControleCell(
    [property: Id(0)] string Unit,
    [property: Id(1)] bool Chosen,
    [property: Id(2)] decimal FirstGroupMark,
    [property: Id(3)] string? Result,
    [property: Id(4)] decimal Kept);

/// <summary>
/// What a jury needs of a candidate: results, computed outcome and flags. Never carries the
/// school (the livret is kept anonymous, Annexe 3).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CandidateSummary
{
    [Id(0)] public required string CandidateNumber { get; init; }
    [Id(1)] public required string LastName { get; init; }
    [Id(2)] public required string FirstName { get; init; }
    [Id(3)] public required string JuryId { get; init; }
    [Id(4)] public required UnitCell[] Results { get; init; }
    [Id(5)] public required string Decision { get; init; }
    [Id(6)] public required int Group { get; init; }
    [Id(7)] public decimal? Points { get; init; }
    [Id(8)] public decimal? Average { get; init; }
    [Id(9)] public decimal? ProAverage { get; init; }
    [Id(10)] public required bool NearThreshold { get; init; }
    [Id(11)] public required bool Livret { get; init; }
    [Id(12)] public required bool LivretAcknowledged { get; init; }
    [Id(13)] public required string[] MissingUnits { get; init; }
    [Id(14)] public required bool Frozen { get; init; }
    [Id(15)] public required string[] OptionalUnits { get; init; }
    /// <summary>The first-group decision (equal to <see cref="Decision"/> until a second-group outcome replaces it).</summary>
    [Id(16)] public string FirstGroupDecision { get; init; } = "";
    [Id(17)] public decimal? FirstGroupAverage { get; init; }
    /// <summary>Second group: the contrôle units the candidate chose (C_E1, C_E2, C_E3).</summary>
    [Id(18)] public string[] ControleChoices { get; init; } = [];
    /// <summary>Second group: each contrôle unit the candidate may choose, its first-group mark, contrôle result and the mark kept.</summary>
    [Id(19)] public ControleCell[] Controles { get; init; } = [];
    /// <summary>Second group open and this SECOND_GROUPE candidate has not chosen their contrôle units.</summary>
    [Id(20)] public bool ControleChoiceMissing { get; init; }

    public bool HasReserve => Results.Any(r => r.UnderReserve);

    /// <summary>The same row, arrays compared item by item (a record compares them by reference).</summary>
    public bool SameAs(CandidateSummary? other) =>
        other is not null
        && this with { Results = [], MissingUnits = [], OptionalUnits = [], ControleChoices = [], Controles = [] }
           == other with { Results = [], MissingUnits = [], OptionalUnits = [], ControleChoices = [], Controles = [] }
        && Results.SequenceEqual(other.Results) && MissingUnits.SequenceEqual(other.MissingUnits)
        && OptionalUnits.SequenceEqual(other.OptionalUnits) && ControleChoices.SequenceEqual(other.ControleChoices)
        && Controles.SequenceEqual(other.Controles);

    /// <summary>D643-26: the jury must examine the livret before adjourning this candidate.</summary>
    public bool LivretToAcknowledge => Livret && !LivretAcknowledged && Decision == Domain.Codes.ToCode(Domain.Decision.Ajourne);
}

/// <summary>Everything about one candidate, for the candidate endpoint.</summary>
[GenerateSerializer, Immutable]
public sealed record CandidateView(
    [property: Id(0)] CandidateRegistration Registration,
    [property: Id(1)] CandidateSummary Summary,
    [property: Id(2)] ResultChange[] History);

public interface ICandidateGrain : IGrainWithStringKey
{
    /// <summary>Moves the candidate to another jury (juries.csv gave their academy to it): refused once their jury has deliberated.</summary>
    Task MoveToJury(string juryId);

    /// <summary>Whether a jury president has acted on this candidate (a mark, a reserve lifted, a livret examined).</summary>
    Task<bool> HasPresidentActions();

    /// <summary>Checks a registration without storing it; returns what storing it would do, or throws <see cref="RefusedException"/>.</summary>
    Task<ChangeKind> CheckRegistration(CandidateRegistration registration);

    Task<ChangeKind> Register(CandidateRegistration registration);

    /// <summary>Checks entries without storing them; returns one French error per refused entry (index, message).</summary>
    Task<EntryError[]> CheckResults(ResultEntry[] entries, Actor actor);

    /// <summary>Stores entries (all or none) and informs the jury; returns created/updated/unchanged counts.</summary>
    Task<EntryCounts> EnterResults(ResultEntry[] entries, Actor actor);

    Task<CandidateSummary> LiftReserve(string unit, string? newResult, string reason, Actor actor);

    Task<CandidateSummary> AcknowledgeLivret(Actor actor);

    /// <summary>Examiners of the commission that examines this candidate in a unit (written by the planner).</summary>
    Task AssignExaminers(string unit, string[] examinerIds);

    Task<bool> IsExaminedBy(string examinerId);

    Task<bool> IsRegistered();

    Task<CandidateView> GetView();

    /// <summary>
    /// Read-only; interleaves because the jury reads it (at activation, or when adding candidates)
    /// while this candidate may be waiting on the jury in the middle of a change.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<CandidateSummary> GetSummary();

    /// <summary>Freezes first-group results when the jury closes; returns the final summary.</summary>
    Task<CandidateSummary> Freeze();

    Task Unfreeze();

    /// <summary>
    /// The jury moved to SECOND_OPEN (contrôle marks may be entered) or CLOSED (everything frozen);
    /// returns the summary in that phase. Interleaves with nothing: the jury calls it in its own turn.
    /// </summary>
    Task<CandidateSummary> EnterJuryPhase(string phase);

    /// <summary>Records the contrôle units a SECOND_GROUPE candidate chooses (organiser, or their jury's president).</summary>
    Task<CandidateSummary> ChooseControles(string[] units, Actor actor);

    /// <summary>What the planner needs for the second group: the chosen contrôle orals that have no result yet.</summary>
    Task<CandidatePlanningData> GetControlePlanningData();

    /// <summary>Checks (then stores, unless checkOnly) the conformity of the candidate's files (Annexe 4).</summary>
    Task<EntryError[]> ApplyConformity(ConformityEntry[] entries, bool checkOnly);

    Task<CandidatePlanningData> GetPlanningData();

    /// <summary>
    /// The candidate's convocations of a plan of one group (1: first-group orals, 2: contrôle orals),
    /// replacing that group's only; the commission of each unit may enter its result.
    /// </summary>
    Task SetConvocations(ScheduleRow[] convocations, int group);

    /// <summary>After a repaired day: the convocations to these units become <paramref name="rows"/> (none: no longer convoked).</summary>
    Task ReplaceConvocations(string[] units, ScheduleRow[] rows);

    Task<ScheduleRow[]> GetConvocations();

    /// <summary>The session's thresholds changed: recompute the outcome and tell the jury.</summary>
    Task ApplyDeliberationSettings(DeliberationSettings settings);
}

[GenerateSerializer, Immutable]
public sealed record EntryError([property: Id(0)] int Index, [property: Id(1)] string Message);

[GenerateSerializer, Immutable]
public sealed record EntryCounts([property: Id(0)] int Created, [property: Id(1)] int Updated, [property: Id(2)] int Unchanged)
{
    public static EntryCounts None { get; } = new(0, 0, 0);

    public EntryCounts Add(EntryCounts other) => new(Created + other.Created, Updated + other.Updated, Unchanged + other.Unchanged);

    public EntryCounts Add(ChangeKind kind) => kind switch
    {
        ChangeKind.Created => this with { Created = Created + 1 },
        ChangeKind.Updated => this with { Updated = Updated + 1 },
        _ => this with { Unchanged = Unchanged + 1 },
    };
}
