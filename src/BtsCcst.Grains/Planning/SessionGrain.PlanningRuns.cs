namespace BtsCcst.Grains.Deliberation;

/// <summary>The session's planning runs, as the planning page lists them.</summary>
public sealed partial class SessionGrain
{
    public Task<string[]> GetPlanningRunIds() => Task.FromResult(State.RunIds.ToArray());
}
