using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Auth;
using BtsCcst.Server.Operations;
using BtsCcst.Server.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BtsCcst.Server.Deliberation;

/// <summary>
/// Live jury boards. A client calls <see cref="Watch"/> once connected (and again after each
/// reconnection): it joins the jury's group and receives the full snapshot, then "boardChanged"
/// updates.
/// </summary>
[Authorize]
public sealed class BoardHub(BoardRelay relay, IGrainFactory grains, OperationsMetrics metrics)
    : CountedHub(metrics, OperationsMetrics.BoardHub)
{
    public const string Path = "/hubs/board";
    public const string UpdateMethod = "boardChanged";

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
/// This silo's observer of jury boards: juries push updates to it, it forwards them to the SignalR
/// group of the jury (subscriptions and their renewal: <see cref="SubscriptionRelay{TKey}"/>).
/// </summary>
public sealed class BoardRelay(IGrainFactory grains, IHubContext<BoardHub> hub, ILogger<BoardRelay> logger)
    : SubscriptionRelay<(string Session, string Jury)>(logger), IBoardObserver
{
    private IBoardObserver? _reference;

    private IBoardObserver Reference => _reference ??= grains.CreateObjectReference<IBoardObserver>(this);

    public Task WatchAsync(string sessionId, string juryId) => WatchKeyAsync((sessionId, juryId));

    protected override Task<bool> SubscribeAsync((string Session, string Jury) key) => grains.Jury(key.Session, key.Jury).Subscribe(Reference);

    // A jury that lost this subscription pushed updates this silo's clients never got: send them the
    // whole board, which they apply as changed rows.
    protected override async Task RefreshAsync((string Session, string Jury) key) =>
        await BoardChanged(FullUpdate(await grains.Jury(key.Session, key.Jury).GetBoard()));

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
public sealed class BoardSubscriptionRenewal(BoardRelay relay) : SubscriptionRenewal(relay);
