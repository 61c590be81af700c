using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace BtsCcst.Server.Auth;

/// <summary>
/// Hub connections opened with a personal access, and their end: a connection is authenticated once, when it opens,
/// so this silo checks its open connections' accesses every <see cref="Period"/> and, when one no longer holds
/// (revoked, signed out, on any silo), tells the page ("accessEnded", in French) and closes the connection.
/// Within <see cref="AccessCheck.Freshness"/> + <see cref="Period"/> of the revocation.
/// </summary>
public sealed class AccessHubWatch(AccessCheck check, IServiceProvider services, ILogger<AccessHubWatch> logger) : BackgroundService, IHubFilter
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    public const string EndedMethod = "accessEnded";

    public const string EndedMessage = "Votre accès a été retiré ou fermé : ouvrez un nouveau lien personnel pour continuer.";

    private readonly ConcurrentDictionary<string, (string AccessId, Type Hub, HubCallerContext Caller)> _connections = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        if (context.Context.User?.FindFirst(TokenService.AccessClaim)?.Value is { } accessId)
            _connections[context.Context.ConnectionId] = (accessId, context.Hub.GetType(), context.Context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _connections.TryRemove(context.Context.ConnectionId, out _);
        await next(context, exception);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await EndRevokedAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The grain unreachable a moment: the next tick asks again.
                logger.LogWarning("Access check of hub connections failed: {Message}", e.Message);
            }
        }
    }

    private async Task EndRevokedAsync()
    {
        foreach (var group in _connections.ToArray().GroupBy(c => c.Value.AccessId))
        {
            if (await check.IsActiveAsync(group.Key)) continue;
            foreach (var (connectionId, (_, hub, caller)) in group)
            {
                _connections.TryRemove(connectionId, out _);
                var context = (IHubContext)services.GetRequiredService(typeof(IHubContext<>).MakeGenericType(hub));
                await context.Clients.Client(connectionId).SendAsync(EndedMethod, EndedMessage);
                caller.Abort();
            }
        }
    }
}
