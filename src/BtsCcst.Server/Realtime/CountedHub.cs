using BtsCcst.Server.Operations;
using Microsoft.AspNetCore.SignalR;

namespace BtsCcst.Server.Realtime;

/// <summary>
/// A hub whose open connections this silo counts (<see cref="OperationsMetrics.HubConnectionsName"/>,
/// tagged with <paramref name="hubName"/>).
/// </summary>
public abstract class CountedHub(OperationsMetrics metrics, string hubName) : Hub
{
    public override Task OnConnectedAsync()
    {
        metrics.HubConnected(hubName);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.HubDisconnected(hubName);
        return base.OnDisconnectedAsync(exception);
    }
}
