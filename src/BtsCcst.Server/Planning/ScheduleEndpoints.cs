using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Auth;

namespace BtsCcst.Server.Planning;

/// <summary>The session's schedule as JSON, for the planning page's timeline (the CSV export stays the scripts' contract).</summary>
public static class ScheduleEndpoints
{
    public static void MapScheduleJson(this RouteGroupBuilder session) =>
        session.MapGet("/schedule", GetSchedule).RequireAuthorization(Policies.Organiser).WithTags("Planification")
            .WithSummary("The session's schedule (the plan of the adopted run) as JSON rows, the rows of exports/schedule.csv.");

    private static async Task<ScheduleRow[]> GetSchedule(string session, IGrainFactory grains)
    {
        var rows = await PlanningEndpoints.AdoptedScheduleAsync(grains, session);
        return [.. rows.OrderBy(r => r.CentreId, StringComparer.Ordinal).ThenBy(r => r.Date).ThenBy(r => r.Room, StringComparer.Ordinal).ThenBy(r => r.ExamStart)];
    }
}
