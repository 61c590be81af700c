using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Planning;

/// <summary>
/// The session's schedule as it stands: each adopted group's plan as its oral centres hold it, that is the adopted run's
/// plan with the repairs accepted since. Exports, convocations, calendars and repairs all read it here.
/// </summary>
public static class CurrentSchedule
{
    /// <summary>The rows of one group (1: first-group orals, 2: contrôle orals), or of both; none for a group with no adopted plan.</summary>
    public static async Task<ScheduleRow[]> OfSessionAsync(IGrainFactory grains, string sessionId, int? group = null)
    {
        var session = grains.Session(sessionId);
        var rows = new List<ScheduleRow>();
        var (_, centres) = await session.GetPlanningResources();
        foreach (var g in group is { } only ? [only] : new[] { PlanningGroups.First, PlanningGroups.Second })
        {
            if (await session.GetScheduleRunId(g) is null) continue;
            var byCentre = await Task.WhenAll(centres.Select(c => grains.OralCentre(sessionId, c.CentreId).GetPlan(g)));
            rows.AddRange(byCentre.SelectMany(r => r));
        }
        return [.. rows];
    }
}
