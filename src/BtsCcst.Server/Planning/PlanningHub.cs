using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Auth;
using BtsCcst.Server.Operations;
using BtsCcst.Server.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BtsCcst.Server.Planning;

/// <summary>
/// Live planning runs, for the organiser. A client calls <see cref="Watch"/> once connected (and
/// again after each reconnection): it joins the run's group and receives the run as it stands,
/// then "runChanged" messages (at most every 250 ms while the run solves, and once when it ends).
/// <see cref="WatchLatest"/> does the same for the session's latest run, if any.
/// </summary>
[Authorize]
public sealed class PlanningHub(PlanningRelay relay, IGrainFactory grains, OperationsMetrics metrics)
    : CountedHub(metrics, OperationsMetrics.PlanningHub)
{
    public const string Path = "/hubs/planning";
    public const string UpdateMethod = "runChanged";

    public static string Group(string sessionId, string runId) => $"planning:{sessionId}/{runId}";

    public async Task<PlanningRunView> Watch(string sessionId, string runId)
    {
        RefuseUnlessOrganiser();
        if (!FieldRules.IsId(sessionId) || !FieldRules.IsId(runId))
            throw new HubException("Identifiant de session ou de planification invalide.");
        return await WatchRun(sessionId, runId);
    }

    /// <summary>Watches the session's latest run; null when the session has none yet.</summary>
    public async Task<PlanningRunView?> WatchLatest(string sessionId)
    {
        RefuseUnlessOrganiser();
        if (!FieldRules.IsId(sessionId)) throw new HubException("Identifiant de session invalide.");
        var runIds = await grains.Session(sessionId).GetPlanningRunIds();
        return runIds.Length == 0 ? null : await WatchRun(sessionId, runIds[^1]);
    }

    /// <summary>Stops the "runChanged" messages of a run on this connection.</summary>
    public async Task Unwatch(string sessionId, string runId)
    {
        RefuseUnlessOrganiser();
        if (!FieldRules.IsId(sessionId) || !FieldRules.IsId(runId))
            throw new HubException("Identifiant de session ou de planification invalide.");
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(sessionId, runId));
    }

    private void RefuseUnlessOrganiser()
    {
        if (TokenService.ActorOf(Context.User!).Role != Roles.Organiser)
            throw new HubException("Le suivi des planifications est réservé à l'organisateur.");
    }

    private async Task<PlanningRunView> WatchRun(string sessionId, string runId)
    {
        var run = grains.PlanningRun(sessionId, runId);
        try
        {
            // Fails (run unknown) before anything is subscribed.
            var view = await run.GetView();
            if (view.State == PlanningRunStates.Running) await relay.WatchAsync(sessionId, runId);
            await Groups.AddToGroupAsync(Context.ConnectionId, Group(sessionId, runId));
            // Read again once in the group, so no change can fall between the view and the group.
            return await run.GetView();
        }
        catch (RefusedException refused)
        {
            throw new HubException(refused.Message);
        }
    }
}

/// <summary>
/// This silo's observer of planning runs (<see cref="SubscriptionRelay{TKey}"/>, as the board relay): runs
/// push their progress to it, it forwards to the SignalR group of the run. It forgets a run once it has ended.
/// </summary>
public sealed class PlanningRelay(IGrainFactory grains, IHubContext<PlanningHub> hub, ILogger<PlanningRelay> logger)
    : SubscriptionRelay<(string Session, string Run)>(logger), IPlanningObserver
{
    private IPlanningObserver? _reference;

    private IPlanningObserver Reference => _reference ??= grains.CreateObjectReference<IPlanningObserver>(this);

    public Task WatchAsync(string sessionId, string runId) => WatchKeyAsync((sessionId, runId));

    protected override async Task<bool> SubscribeAsync((string Session, string Run) key)
    {
        var run = grains.PlanningRun(key.Session, key.Run);
        if ((await run.GetView()).State == PlanningRunStates.Running) return await run.Subscribe(Reference);
        Forget(key);
        await run.Unsubscribe(Reference);
        return false;
    }

    // A run that lost this subscription may have ended or moved on meanwhile: send its clients the run as it stands.
    protected override async Task RefreshAsync((string Session, string Run) key) =>
        await RunChanged(key.Session, await grains.PlanningRun(key.Session, key.Run).GetView());

    public Task RunChanged(string sessionId, PlanningRunView view)
    {
        if (view.State != PlanningRunStates.Running) Forget((sessionId, view.RunId));
        return hub.Clients.Group(PlanningHub.Group(sessionId, view.RunId)).SendAsync(PlanningHub.UpdateMethod, view);
    }
}

/// <summary>Keeps this silo's planning subscriptions alive (runs expire observers after 3 minutes).</summary>
public sealed class PlanningSubscriptionRenewal(PlanningRelay relay) : SubscriptionRenewal(relay);
