using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Realtime;
using BtsCcst.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace BtsCcst.Grains.Deliberation;

[GenerateSerializer]
public sealed class JuryState
{
    [Id(0)] public JuryDefinition? Definition { get; set; }
    [Id(1)] public HashSet<string> CandidateNumbers { get; set; } = [];
    [Id(2)] public JuryPhase Phase { get; set; } = JuryPhase.FirstOpen;
    [Id(3)] public List<PhaseChange> PhaseChanges { get; set; } = [];
}

[GenerateSerializer, Immutable]
public sealed record PhaseChange([property: Id(0)] JuryPhase Phase, [property: Id(1)] Actor By, [property: Id(2)] DateTimeOffset At);

/// <summary>
/// A deliberation jury: its candidates, the live aggregates of its board, its lifecycle
/// (deliberation.md "The jury"). Candidate rows are derived state: they are rebuilt from the
/// candidate grains at activation and kept current by their pushes, so only membership and
/// phase are persisted.
/// </summary>
public sealed class JuryGrain(
    [PersistentState("jury", StorageNames.Grains)] IPersistentState<JuryState> store,
    DeepCopier copier,
    TimeProvider clock,
    ILogger<JuryGrain> logger) : Grain, IJuryGrain
{
    /// <summary>The least time between two frames of the board; an idle board sends at once (<see cref="SchedulePush"/>).</summary>
    private static readonly TimeSpan MinFrameInterval = TimeSpan.FromMilliseconds(10);

    private readonly Dictionary<string, CandidateSummary> _rows = [];
    private readonly HashSet<string> _changed = [];
    private readonly HashSet<string> _removed = [];
    private readonly ObserverRegistry<IBoardObserver> _observers = new(logger);
    private PushThrottle? _pushes;
    private long _version;
    private long _pushedVersion;

    private PushThrottle Pushes => _pushes ??= new(this, clock, MinFrameInterval, PushBoard);

    private DurableState<JuryState>? _stored;

    /// <summary>Write, then change (<see cref="DurableState{T}"/>): every change goes through here.</summary>
    private DurableState<JuryState> Stored => _stored ??= new(store, this, copier);

    private JuryState State => Stored.State;

    private string SessionId => GrainKeys.Split(this.GetPrimaryKeyString()).SessionId;

    /// <summary>A jury exists once juries.csv or a candidate of its academy created it.</summary>
    private JuryDefinition Definition =>
        State.Definition ?? throw new RefusedException(RefusalKind.NotFound, $"Le jury {JuryId} n'existe pas dans la session {SessionId}.");

    private string JuryId => GrainKeys.Split(this.GetPrimaryKeyString()).Id;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _version = clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        var summaries = await Task.WhenAll(State.CandidateNumbers.Select(n => GrainFactory.Candidate(SessionId, n).GetSummary()));
        foreach (var summary in summaries) _rows[summary.CandidateNumber] = summary;
    }

    public async Task Configure(JuryDefinition definition)
    {
        if (definition.SameAs(State.Definition)) return;
        if (State.Definition is not null && State.Phase != JuryPhase.FirstOpen)
            throw new RefusedException(RefusalKind.Conflict, $"Le jury {JuryId} a clos sa délibération : sa composition ne change plus.");
        await Stored.Update(s => s.Definition = definition);
        SchedulePush();
    }

    public Task<JuryDefinition?> GetDefinition() => Task.FromResult(State.Definition);

    public async Task Remove()
    {
        if (State.Definition is null) return;
        if (State.Phase != JuryPhase.FirstOpen || State.PhaseChanges.Count > 0)
            throw new RefusedException(RefusalKind.Conflict, $"Le jury {JuryId} a délibéré : il ne peut plus être supprimé.");
        if (State.CandidateNumbers.Count > 0)
            throw new RefusedException(RefusalKind.Conflict, $"Le jury {JuryId} a encore {State.CandidateNumbers.Count} candidat(s) : il ne peut pas être supprimé.");
        await Stored.Update(s => s.Definition = null);
        SchedulePush();
    }

    public Task<string> GetPhase() => Task.FromResult(State.Phase.ToCode());

    public Task<bool> HasDeliberated() => Task.FromResult(State.Phase != JuryPhase.FirstOpen || State.PhaseChanges.Count > 0);

    public async Task AddCandidates(string[] candidateNumbers)
    {
        var added = candidateNumbers.Where(n => !State.CandidateNumbers.Contains(n)).Distinct().ToArray();
        if (added.Length > 0) await Stored.Update(s => s.CandidateNumbers.UnionWith(added));
        // Rows of members not yet on the board too: a retry after a failed read of their summaries completes the board.
        var missing = candidateNumbers.Where(n => !_rows.ContainsKey(n)).Distinct().ToArray();
        var summaries = await Task.WhenAll(missing.Select(n => GrainFactory.Candidate(SessionId, n).GetSummary()));
        foreach (var summary in summaries) Track(summary);
    }

    public async Task RemoveCandidate(string candidateNumber)
    {
        if (!State.CandidateNumbers.Contains(candidateNumber)) return;
        await Stored.Update(s => s.CandidateNumbers.Remove(candidateNumber));
        _rows.Remove(candidateNumber);
        _changed.Remove(candidateNumber);
        _removed.Add(candidateNumber);
        SchedulePush();
    }

    public Task CandidateChanged(CandidateSummary summary)
    {
        // A candidate tells again what it may not have told (a retried request): the board changes only if the row does.
        if (State.CandidateNumbers.Contains(summary.CandidateNumber) && !summary.SameAs(_rows.GetValueOrDefault(summary.CandidateNumber)))
            Track(summary);
        return Task.CompletedTask;
    }

    private void Track(CandidateSummary summary)
    {
        _rows[summary.CandidateNumber] = summary;
        _removed.Remove(summary.CandidateNumber);
        _changed.Add(summary.CandidateNumber);
        SchedulePush();
    }

    public Task<BoardSnapshot> GetBoard() => Task.FromResult(new BoardSnapshot
    {
        Academies = Definition.Academies,
        President = Definition.President,
        SessionId = SessionId,
        JuryId = JuryId,
        Phase = State.Phase.ToCode(),
        Candidates = _rows.Values.OrderBy(r => r.CandidateNumber, StringComparer.Ordinal).ToArray(),
        Aggregates = BoardAggregation.Aggregate(_rows.Values),
        Version = _version,
    });

    public async Task<CloseOutcome> Close(Actor actor)
    {
        EnsurePresident(actor, "clôt sa délibération");
        _ = Definition;
        if (State.Phase == JuryPhase.SecondOpen) return await CloseSecondGroup(actor);
        if (State.Phase == JuryPhase.FirstClosed)
            throw new RefusedException(RefusalKind.Conflict, $"Le premier groupe du jury {JuryId} est clos : ouvrez le second groupe, puis clôturez-le.");
        if (State.Phase != JuryPhase.FirstOpen)
            throw new RefusedException(RefusalKind.Conflict, $"La délibération du jury {JuryId} est déjà close ({State.Phase.ToCode()}).");

        RefuseIfBlocked(_rows.Values);
        // Freeze every candidate, then check again what they return: a mark that landed between
        // the first check and the freeze is seen here, and nothing can land after.
        var frozen = await Task.WhenAll(State.CandidateNumbers.Select(n => GrainFactory.Candidate(SessionId, n).Freeze()));
        foreach (var summary in frozen) Track(summary);
        try
        {
            RefuseIfBlocked(frozen);
        }
        catch (RefusedException)
        {
            await Task.WhenAll(State.CandidateNumbers.Select(n => GrainFactory.Candidate(SessionId, n).Unfreeze()));
            throw;
        }

        var secondGroup = frozen.Count(s => s.Decision == Decision.SecondGroupe.ToCode());
        if (secondGroup == 0)
        {
            // Straight to CLOSED: each candidate knows it, so nothing a FIRST_CLOSED candidate still takes (a livret
            // examined, say) reaches a closed jury's rows (found by the session rehearsal).
            var closed = await Task.WhenAll(State.CandidateNumbers.Select(n => GrainFactory.Candidate(SessionId, n).EnterJuryPhase(JuryPhase.Closed.ToCode())));
            foreach (var summary in closed) Track(summary);
        }
        try
        {
            // deliberation.md: a jury with no SECOND_GROUPE candidate goes straight to CLOSED.
            await EnterPhase(secondGroup > 0 ? JuryPhase.FirstClosed : JuryPhase.Closed, actor);
        }
        catch (StorageUnavailableException)
        {
            // The jury stays open: so do its candidates (closing again freezes them again).
            await Task.WhenAll(State.CandidateNumbers.Select(n => GrainFactory.Candidate(SessionId, n).Unfreeze()));
            throw;
        }
        return new CloseOutcome(State.Phase.ToCode(), secondGroup);
    }

    public async Task<string> OpenSecondGroup(Actor actor)
    {
        EnsurePresident(actor, "ouvre le second groupe");
        _ = Definition;
        if (State.Phase != JuryPhase.FirstClosed)
            throw new RefusedException(RefusalKind.Conflict, State.Phase == JuryPhase.FirstOpen
                ? $"Le jury {JuryId} doit d'abord clore le premier groupe."
                : $"Le second groupe du jury {JuryId} est déjà ouvert ou clos ({State.Phase.ToCode()}).");
        var rows = await Task.WhenAll(State.CandidateNumbers.Select(n => GrainFactory.Candidate(SessionId, n).EnterJuryPhase(JuryPhase.SecondOpen.ToCode())));
        foreach (var row in rows) Track(row);
        await EnterPhase(JuryPhase.SecondOpen, actor);
        return State.Phase.ToCode();
    }

    /// <summary>deliberation.md "The jury": SECOND_OPEN → CLOSED once every contrôle oral is marked and nothing else blocks.</summary>
    private async Task<CloseOutcome> CloseSecondGroup(Actor actor)
    {
        RefuseIfBlocked(_rows.Values);
        var rows = await Task.WhenAll(State.CandidateNumbers.Select(n => GrainFactory.Candidate(SessionId, n).EnterJuryPhase(JuryPhase.Closed.ToCode())));
        foreach (var row in rows) Track(row);
        try
        {
            RefuseIfBlocked(rows);
        }
        catch (RefusedException)
        {
            await Task.WhenAll(State.CandidateNumbers.Select(n => GrainFactory.Candidate(SessionId, n).EnterJuryPhase(JuryPhase.SecondOpen.ToCode())));
            throw;
        }
        await EnterPhase(JuryPhase.Closed, actor);
        return new CloseOutcome(State.Phase.ToCode(), rows.Count(r => r.Group == 2));
    }

    private async Task EnterPhase(JuryPhase phase, Actor actor)
    {
        await Stored.Update(s =>
        {
            s.Phase = phase;
            s.PhaseChanges.Add(new PhaseChange(phase, actor, clock.GetUtcNow()));
        });
        SchedulePush();
    }

    private void EnsurePresident(Actor actor, string what)
    {
        if (actor.Role != Roles.JuryPresident || actor.Scope != JuryId)
            throw new RefusedException(RefusalKind.Forbidden, $"Seul le président du jury {JuryId} {what}.");
    }

    public Task<JuryPhaseChange[]> GetPhaseChanges() =>
        Task.FromResult(State.PhaseChanges.Select(c => new JuryPhaseChange(c.Phase.ToCode(), c.By, c.At)).ToArray());

    private void RefuseIfBlocked(IEnumerable<CandidateSummary> rows)
    {
        var blockers = ClosingRules.Blockers(rows);
        if (blockers.Count == 0) return;
        throw new RefusedException(RefusalKind.Conflict,
            $"La délibération du jury {JuryId} ne peut pas être close : {string.Join(" ; ", blockers)}.",
            blockers);
    }

    public Task<bool> Subscribe(IBoardObserver observer) => Task.FromResult(_observers.Subscribe(observer));

    public Task Unsubscribe(IBoardObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Adaptive batching instead of a fixed delay: a change on an idle board is sent as soon as the current turn ends (the
    /// changes of one turn, an import's say, make one frame); changes that come while a frame was just sent wait at most
    /// <see cref="MinFrameInterval"/> and go together in the next one. A lone mark reaches the relays in the time of a
    /// message; a burst becomes a frame per interval, so the relays and their SignalR clients are not flooded.
    /// </summary>
    private void SchedulePush()
    {
        _version++;
        Pushes.Schedule();
    }

    /// <summary>Sends the rows changed since the last frame and the new aggregates to every subscribed silo.</summary>
    private Task PushBoard()
    {
        var update = new BoardUpdate
        {
            SessionId = SessionId,
            JuryId = JuryId,
            Phase = State.Phase.ToCode(),
            Changed = _changed.Select(n => _rows[n]).ToArray(),
            Removed = _removed.ToArray(),
            Aggregates = BoardAggregation.Aggregate(_rows.Values),
            Version = _version,
            PreviousVersion = _pushedVersion,
        };
        _pushedVersion = _version;
        _changed.Clear();
        _removed.Clear();
        return _observers.Notify(o => o.BoardChanged(update));
    }
}
