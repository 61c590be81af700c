using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Auth;

namespace BtsCcst.Server.Planning;

/// <summary>The session's schedule as JSON, for the planning page's timeline (the CSV export stays the scripts' contract).</summary>
public static class ScheduleEndpoints
{
    public static void MapScheduleJson(this RouteGroupBuilder session) =>
        session.MapGet("/schedule", GetSchedule).RequireAuthorization(Policies.Organiser).WithTags("Planification")
            .WithSummary("The session's schedule (the plan of the adopted run) as JSON rows, the rows of exports/schedule.csv.");

    private static async Task<ScheduleEntry[]> GetSchedule(string session, IGrainFactory grains)
    {
        var rows = await PlanningEndpoints.AdoptedScheduleAsync(grains, session);
        // The timeline shows who sits each exam: the candidates' names, read once per candidate (never their school).
        var numbers = rows.Select(r => r.CandidateNumber).Distinct(StringComparer.Ordinal).ToArray();
        var summaries = await Task.WhenAll(numbers.Select(n => SummaryOrNull(grains.Candidate(session, n))));
        var names = summaries.OfType<CandidateSummary>().ToDictionary(s => s.CandidateNumber, s => (s.LastName, s.FirstName), StringComparer.Ordinal);
        return [.. rows.OrderBy(r => r.CentreId, StringComparer.Ordinal).ThenBy(r => r.Date).ThenBy(r => r.Room, StringComparer.Ordinal).ThenBy(r => r.ExamStart)
            .Select(r => ScheduleEntry.Of(r, names.TryGetValue(r.CandidateNumber, out var name) ? name : (null, null)))];
    }

    /// <summary>A candidate the plan names but the session no longer registers (removed since) has no name to show.</summary>
    private static async Task<CandidateSummary?> SummaryOrNull(ICandidateGrain candidate) =>
        await candidate.IsRegistered() ? await candidate.GetSummary() : null;
}

/// <summary>A row of the schedule as the timeline reads it: the fields of <see cref="ScheduleRow"/>, then the candidate's name.</summary>
public sealed record ScheduleEntry(
    string CentreId, DateOnly Date, string Room, string CommissionId, string Unit, string CandidateNumber,
    TimeOnly? PrepStart, TimeOnly ExamStart, TimeOnly ExamEnd, string[] ExaminerIds, string? LastName, string? FirstName)
{
    public static ScheduleEntry Of(ScheduleRow r, (string? LastName, string? FirstName) name) =>
        new(r.CentreId, r.Date, r.Room, r.CommissionId, r.Unit, r.CandidateNumber, r.PrepStart, r.ExamStart, r.ExamEnd, r.ExaminerIds,
            name.LastName, name.FirstName);
}
