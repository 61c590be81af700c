using System.Diagnostics.Metrics;
using BtsCcst.Grains.Planning;

namespace BtsCcst.Server.Operations;

/// <summary>
/// The server's own instruments, on the "BtsCcst" meter (the planning runs' are recorded by the
/// grain, <see cref="PlanningRunMetrics"/>, on the same meter).
/// </summary>
public sealed class OperationsMetrics
{
    public const string MeterName = PlanningRunMetrics.MeterName;
    public const string HubConnectionsName = "btsccst.hub.connections";

    public const string BoardHub = "board";
    public const string PlanningHub = "planning";

    private readonly UpDownCounter<long> _hubConnections;

    public OperationsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _hubConnections = meter.CreateUpDownCounter<long>(HubConnectionsName, "{connection}", "SignalR clients connected, per hub (board, planning).");
    }

    public void HubConnected(string hub) => _hubConnections.Add(1, new KeyValuePair<string, object?>("hub", hub));

    public void HubDisconnected(string hub) => _hubConnections.Add(-1, new KeyValuePair<string, object?>("hub", hub));
}
