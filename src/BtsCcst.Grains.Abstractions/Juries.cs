namespace BtsCcst.Grains.Abstractions;

/// <summary>A jury as juries.csv (or the default one-jury-per-academy rule) defines it.</summary>
[GenerateSerializer, Immutable]
public sealed record JuryDefinition(
    [property: Id(0)] string JuryId,
    [property: Id(1)] string[] Academies,
    [property: Id(2)] string President,
    [property: Id(3)] string[] Members,
    [property: Id(4)] string? PresidentEmail = null)
{
    public bool SameAs(JuryDefinition? other) => other is not null && JuryId == other.JuryId
        && Academies.SequenceEqual(other.Academies) && President == other.President && Members.SequenceEqual(other.Members)
        && (PresidentEmail ?? "") == (other.PresidentEmail ?? "");
}

/// <summary>Live aggregates of a jury's board.</summary>
[GenerateSerializer, Immutable]
public sealed record BoardAggregates
{
    [Id(0)] public required int Candidates { get; init; }
    /// <summary>Counts per decision code (INCOMPLET, NON_VALIDE, ABSENT, ADMIS, SECOND_GROUPE, AJOURNE).</summary>
    [Id(1)] public required Dictionary<string, int> Decisions { get; init; }
    /// <summary>Admitted among candidates with a decision (all but INCOMPLET), 0–1; null when none decided.</summary>
    [Id(2)] public decimal? PassRate { get; init; }
    /// <summary>Averages per one-point band: index i counts averages in [i, i+1), the last band holds 19–20.</summary>
    [Id(3)] public required int[] AverageDistribution { get; init; }
    [Id(4)] public required int NearThreshold { get; init; }
    [Id(5)] public required int LivretsSupplied { get; init; }
    [Id(6)] public required int LivretsAcknowledged { get; init; }
    [Id(7)] public required int LivretsToAcknowledge { get; init; }
    [Id(8)] public required int MarksUnderReserve { get; init; }
    [Id(9)] public required int Incomplete { get; init; }
    /// <summary>Marks per unit (E1 … EF3, C_E1 … C_E3) in one-point bands as <see cref="AverageDistribution"/>; units without marks are left out.</summary>
    [Id(10)] public required Dictionary<string, int[]> UnitDistributions { get; init; }
    /// <summary>Second group: SECOND_GROUPE candidates whose contrôle orals are not all marked yet.</summary>
    [Id(11)] public required int SecondGroupToExamine { get; init; }
    /// <summary>Second group: contrôle orals chosen and not marked yet.</summary>
    [Id(12)] public required int ControlesToMark { get; init; }
}

/// <summary>A change of a jury's phase: who made it and when (for the minutes).</summary>
[GenerateSerializer, Immutable]
public sealed record JuryPhaseChange([property: Id(0)] string Phase, [property: Id(1)] Actor By, [property: Id(2)] DateTimeOffset At);

[GenerateSerializer, Immutable]
public sealed record BoardSnapshot
{
    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string JuryId { get; init; }
    [Id(2)] public required string Phase { get; init; }
    [Id(3)] public required string[] Academies { get; init; }
    [Id(4)] public required string President { get; init; }
    [Id(5)] public required CandidateSummary[] Candidates { get; init; }
    [Id(6)] public required BoardAggregates Aggregates { get; init; }
    /// <summary>Increases with every change; a client drops updates older than its snapshot.</summary>
    [Id(7)] public required long Version { get; init; }
}

/// <summary>What changed on a board since the last push: the changed rows and the new aggregates.</summary>
[GenerateSerializer, Immutable]
public sealed record BoardUpdate
{
    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string JuryId { get; init; }
    [Id(2)] public required string Phase { get; init; }
    [Id(3)] public required CandidateSummary[] Changed { get; init; }
    [Id(4)] public required string[] Removed { get; init; }
    [Id(5)] public required BoardAggregates Aggregates { get; init; }
    [Id(6)] public required long Version { get; init; }
    /// <summary>
    /// The version of the jury's previous frame: frames may arrive out of order or be lost, so a client applies a frame
    /// only when it starts at or before the version it holds, and otherwise takes a fresh snapshot.
    /// </summary>
    [Id(7)] public long PreviousVersion { get; init; }
}

/// <summary>Receives a jury's board updates: one per silo, forwarding to the SignalR clients it serves.</summary>
public interface IBoardObserver : IGrainObserver
{
    [Orleans.Concurrency.OneWay]
    Task BoardChanged(BoardUpdate update);
}

[GenerateSerializer, Immutable]
public sealed record CloseOutcome([property: Id(0)] string Phase, [property: Id(1)] int SecondGroupCandidates);

public interface IJuryGrain : IGrainWithStringKey
{
    Task Configure(JuryDefinition definition);

    /// <summary>Removes the jury (juries.csv left it without an academy): only while open, never touched, and without candidates.</summary>
    Task Remove();

    Task<JuryDefinition?> GetDefinition();

    Task<string> GetPhase();

    /// <summary>Whether the jury has ever left its first deliberation (closed, even if a refusal reopened nothing since).</summary>
    Task<bool> HasDeliberated();

    Task AddCandidates(string[] candidateNumbers);

    Task RemoveCandidate(string candidateNumber);

    /// <summary>
    /// A candidate's results or outcome changed: pushed by the candidate, never polled. Interleaves
    /// (it only replaces a row, in one turn) because a closing jury waits on its candidates while
    /// one of them may be waiting on this call.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task CandidateChanged(CandidateSummary summary);

    Task<BoardSnapshot> GetBoard();

    /// <summary>
    /// Closes the deliberation under way (FIRST_OPEN → FIRST_CLOSED, or CLOSED without second group;
    /// SECOND_OPEN → CLOSED), or refuses naming the candidates that prevent it.
    /// </summary>
    Task<CloseOutcome> Close(Actor actor);

    /// <summary>Opens the second group (FIRST_CLOSED → SECOND_OPEN): contrôle marks may be entered.</summary>
    Task<string> OpenSecondGroup(Actor actor);

    Task<JuryPhaseChange[]> GetPhaseChanges();

    /// <summary>
    /// Subscribes a silo's board relay; subscriptions expire unless renewed. True when the relay was not
    /// subscribed (first time, expired, or this jury was activated anew, e.g. on another silo after a
    /// silo died): it may have missed updates, so it should send its clients a fresh snapshot.
    /// </summary>
    Task<bool> Subscribe(IBoardObserver observer);

    Task Unsubscribe(IBoardObserver observer);
}
