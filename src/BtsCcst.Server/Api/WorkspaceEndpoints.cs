using System.Security.Claims;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Planning;
using BtsCcst.Server.Auth;

namespace BtsCcst.Server.Api;

/// <summary>
/// The lists the organiser's workspace shows beside the juries (GET …/juries) and the schedule (GET …/schedule): the
/// oral centres with the state of each of their days, and the examiners with their exams. Read-only.
/// </summary>
public static class WorkspaceEndpoints
{
    public static void MapWorkspaceApi(this RouteGroupBuilder session)
    {
        session.MapGet("/centres", ListCentres).RequireAuthorization(Policies.Organiser).WithTags("Session")
            .WithSummary("The oral centres, each day with its exams in the schedule and its state (sans oral, planifiée, commencée, close).");
        session.MapGet("/examiners", ListExaminers).RequireAuthorization(Policies.Organiser).WithTags("Session")
            .WithSummary("The examiners of examiners.csv, each with their exams and days in the schedule.");
    }

    /// <summary>A centre-day's state: no oral there, planned, begun (events, statuses, repairs), closed.</summary>
    private static string DayState(int exams, bool begun, bool closed) =>
        closed ? "closed" : begun ? "begun" : exams > 0 ? "planned" : "empty";

    private static async Task<IResult> ListCentres(string session, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (_, centres) = await grains.Session(session).GetPlanningResources();
        var rows = await CurrentSchedule.OfSessionAsync(grains, session, PlanningGroups.First);
        var actor = TokenService.ActorOf(user);
        var listed = await Task.WhenAll(centres.OrderBy(c => c.CentreId, StringComparer.Ordinal).Select(async centre =>
        {
            var grain = grains.OralCentre(session, centre.CentreId);
            var begun = (await grain.GetBegunDays(PlanningGroups.First)).ToHashSet();
            var closed = new HashSet<DateOnly>();
            foreach (var date in begun)
                if ((await grain.GetExamDay(date, actor)).Closed) closed.Add(date);
            var exams = rows.Where(r => r.CentreId == centre.CentreId).GroupBy(r => r.Date).ToDictionary(g => g.Key, g => g.Count());
            return new
            {
                centreId = centre.CentreId,
                name = centre.Name,
                academies = centre.Academies,
                examRooms = centre.ExamRooms,
                days = centre.Dates.Order().Select(d =>
                {
                    var count = exams.GetValueOrDefault(d);
                    var state = DayState(count, begun.Contains(d), closed.Contains(d));
                    return new { date = d, exams = count, state, stateLabel = DayStateLabel(state) };
                }).ToArray(),
            };
        }));
        return Results.Ok(listed);
    }

    private static string DayStateLabel(string state) => state switch
    {
        "closed" => "close",
        "begun" => "commencée",
        "planned" => "planifiée",
        _ => "sans oral",
    };

    private static async Task<IResult> ListExaminers(string session, IGrainFactory grains)
    {
        var (examiners, _) = await grains.Session(session).GetPlanningResources();
        var rows = await CurrentSchedule.OfSessionAsync(grains, session);
        var byExaminer = rows.SelectMany(r => r.ExaminerIds.Select(e => (Examiner: e, Row: r))).ToLookup(x => x.Examiner, x => x.Row, StringComparer.OrdinalIgnoreCase);
        return Results.Ok(examiners.OrderBy(e => e.LastName, StringComparer.Ordinal).ThenBy(e => e.FirstName, StringComparer.Ordinal).Select(e => new
        {
            examinerId = e.ExaminerId,
            lastName = e.LastName,
            firstName = e.FirstName,
            email = e.Email,
            discipline = e.Discipline,
            centreIds = e.CentreIds,
            availableDates = e.AvailableDates,
            exams = byExaminer[e.ExaminerId].Count(),
            days = byExaminer[e.ExaminerId].Select(r => new { centreId = r.CentreId, date = r.Date }).Distinct().OrderBy(d => d.date).ToArray(),
            commissions = byExaminer[e.ExaminerId].Select(r => r.CommissionId).Distinct().Order(StringComparer.Ordinal).ToArray(),
        }).ToArray());
    }
}
