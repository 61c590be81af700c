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
            rows.AddRange(await OfCentresAsync(grains, sessionId, centres.Select(c => c.CentreId), g));
        }
        return [.. rows];
    }

    /// <summary>One group's rows as these centres hold them (for the session grain itself, which cannot call itself back).</summary>
    public static async Task<ScheduleRow[]> OfCentresAsync(IGrainFactory grains, string sessionId, IEnumerable<string> centreIds, int group)
    {
        var byCentre = await Task.WhenAll(centreIds.Select(c => grains.OralCentre(sessionId, c).GetPlan(group)));
        return [.. byCentre.SelectMany(r => r)];
    }
}
