using System.Collections.Concurrent;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BtsCcst.Server.Deliberation;

/// <summary>
/// Live jury boards. A client calls <see cref="Watch"/> once connected (and again after each
/// reconnection): it joins the jury's group and receives the full snapshot, then "boardChanged"
/// updates.
/// </summary>
[Authorize]
public sealed class BoardHub(BoardRelay relay, IGrainFactory grains, BtsCcst.Server.Operations.OperationsMetrics metrics) : Hub
{
    public const string Path = "/hubs/board";
    public const string UpdateMethod = "boardChanged";

    public override Task OnConnectedAsync()
    {
        metrics.HubConnected(BtsCcst.Server.Operations.OperationsMetrics.BoardHub);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.HubDisconnected(BtsCcst.Server.Operations.OperationsMetrics.BoardHub);
        return base.OnDisconnectedAsync(exception);
    }

    public static string Group(string sessionId, string juryId) => $"jury:{sessionId}/{juryId}";

    public async Task<BoardSnapshot> Watch(string sessionId, string juryId)
    {
        if (!FieldRules.IsId(sessionId) || !FieldRules.IsId(juryId))
            throw new HubException("Identifiant de session ou de jury invalide.");
        if (!Policies.MayWatchJury(TokenService.ActorOf(Context.User!), juryId))
            throw new HubException($"Le tableau du jury {juryId} est réservé à son président et à l'organisateur.");
        try
        {
            var snapshot = await grains.Jury(sessionId, juryId).GetBoard();
            await relay.WatchAsync(sessionId, juryId);
            await Groups.AddToGroupAsync(Context.ConnectionId, Group(sessionId, juryId));
            // Read again once in the group, so no update can fall between the snapshot and the group.
            return await grains.Jury(sessionId, juryId).GetBoard();
        }
        catch (RefusedException refused)
        {
            throw new HubException(refused.Message);
        }
    }
}

/// <summary>
/// This silo's observer of jury boards (the GPSTracker shape): juries push updates to it, it
/// forwards them to the SignalR group of the jury. It subscribes to a jury when a client of this
/// silo first watches it and renews every subscription before it expires.
/// </summary>
public sealed class BoardRelay(IGrainFactory grains, IHubContext<BoardHub> hub, ILogger<BoardRelay> logger) : IBoardObserver
{
    private readonly ConcurrentDictionary<(string Session, string Jury), byte> _watched = new();
    private IBoardObserver? _reference;

    private IBoardObserver Reference => _reference ??= grains.CreateObjectReference<IBoardObserver>(this);

    public async Task WatchAsync(string sessionId, string juryId)
    {
        _watched.TryAdd((sessionId, juryId), 0);
        await grains.Jury(sessionId, juryId).Subscribe(Reference);
    }

    public async Task RenewAsync()
    {
        foreach (var (session, jury) in _watched.Keys)
        {
            try
            {
                var juryGrain = grains.Jury(session, jury);
                // A jury that lost this subscription (moved to another silo, or expired) pushed updates this
                // silo's clients never got: send them the whole board, which they apply as changed rows.
                if (await juryGrain.Subscribe(Reference)) await BoardChanged(FullUpdate(await juryGrain.GetBoard()));
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Renewing the board subscription of jury {Session}/{Jury} failed", session, jury);
            }
        }
    }

    private static BoardUpdate FullUpdate(BoardSnapshot board) => new()
    {
        SessionId = board.SessionId,
        JuryId = board.JuryId,
        Phase = board.Phase,
        Changed = board.Candidates,
        Removed = [],
        Aggregates = board.Aggregates,
        Version = board.Version,
    };

    public Task BoardChanged(BoardUpdate update) =>
        hub.Clients.Group(BoardHub.Group(update.SessionId, update.JuryId)).SendAsync(BoardHub.UpdateMethod, update);
}

/// <summary>Keeps this silo's board subscriptions alive (jury grains expire observers after 3 minutes).</summary>
public sealed class BoardSubscriptionRenewal(BoardRelay relay) : BackgroundService
{
    /// <summary>Also how soon boards of this silo follow a jury that moved after a silo died.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await relay.RenewAsync();
    }
}
