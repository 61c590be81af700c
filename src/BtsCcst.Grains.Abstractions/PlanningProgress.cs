namespace BtsCcst.Grains.Abstractions;

/// <summary>
/// Receives a planning run's progress: one per silo (the planning hub's relay), forwarding to the
/// SignalR clients it serves. A run pushes at most every quarter of a second while it solves, and
/// once more when it ends (after its plan became the session's schedule).
/// </summary>
public interface IPlanningObserver : IGrainObserver
{
    [Orleans.Concurrency.OneWay]
    Task RunChanged(string sessionId, PlanningRunView view);
}
