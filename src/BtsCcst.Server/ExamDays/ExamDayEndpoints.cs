using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Api;
using BtsCcst.Server.Auth;

namespace BtsCcst.Server.ExamDays;

/// <summary>An event of the day as posted; times are the centre's wall-clock "HH:mm".</summary>
public sealed record DayEventBody(
    [property: Required] string? Kind, [property: Identifier] string? CandidateNumber, string? Unit, int? Minutes, [property: Identifier] string? ExaminerId,
    string? Room, string? From, string? To, string? Reason);

public sealed record ExamOfDayResponse(
    string CandidateNumber, string LastName, string FirstName, string Unit, int Group, string Room, string CommissionId, string[] ExaminerIds,
    string? PrepStart, string ExamStart, string ExamEnd, string Status, int? LateMinutes, bool Withdrawn);

public sealed record CommissionOfDayResponse(string CommissionId, string[] ExaminerIds, ExamOfDayResponse[] Exams);

public sealed record RoomOfDayResponse(string Room, CommissionOfDayResponse[] Commissions);

public sealed record UnavailabilityResponse(string Kind, string? ExaminerId, string? Room, string? From, string? To, string? Reason, string Description);

/// <summary>A centre's exam day: its rooms, the commissions in each, their exams with status (withdrawn: taken out of the plan by a
/// repair, kept for the closing), and the repair awaiting the manager's decision. Never the candidate's school.</summary>
public sealed record CentreDayResponse(
    string SessionId, string CentreId, string CentreName, string Date, bool Closed, RoomOfDayResponse[] Rooms, UnavailabilityResponse[] Unavailabilities,
    string? PendingRepairId);

public sealed record DayEventResponse(
    int Sequence, string Kind, string Description, Actor By, DateTimeOffset At, string? CandidateNumber, string[] Units,
    int? Minutes, string? ExaminerId, string? Room, string? From, string? To, string? Reason);

public sealed record ClosedExamResponse(string CandidateNumber, string Unit, string Status, string? Result, string? Problem);

/// <summary>What closing a day did: ABS/ABSJ entered, exams "non renseignés" (still CONVOKED: nothing entered), entries refused.</summary>
public sealed record DayClosingResponse(
    string Date, Actor ClosedBy, DateTimeOffset ClosedAt, ClosedExamResponse[] Entered, ClosedExamResponse[] NonRenseignes, ClosedExamResponse[] Refused);

/// <summary>Exam days: the centre manager's and the commissions' events, the day's statuses, its closing.</summary>
public static class ExamDayEndpoints
{
    public static void MapExamDaysApi(this RouteGroupBuilder session)
    {
        var day = session.MapGroup("/centres/{centre}/days/{date}").WithTags("Journées d'épreuves").AddEndpointFilter(ValidateCentreAndDate);
        day.MapGet("", GetDay)
            .WithSummary("The centre's exam day: rooms, commissions, each exam with candidate number and name, times and status (organiser, the centre's manager, the day's examiners for their own exams).");
        day.MapPost("/events", PostEvent)
            .WithSummary("Records an event of the day (the centre's manager: any; an examiner: candidate-present, preparation-started, exam-started, exam-done for their own exams); returns the updated day.");
        day.MapGet("/events", GetEvents)
            .WithSummary("The day's audit trail: every event with who and when (organiser, the centre's manager).");
        day.MapPost("/close", CloseDay)
            .WithSummary("Closes the day (the centre's manager): ABS for every exam still absent, ABSJ for the excused ones, entered on the candidates; lists the exams still convoked as non renseignés. Idempotent.");
        day.MapRepairsApi();
    }

    private static async ValueTask<object?> ValidateCentreAndDate(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var values = context.HttpContext.Request.RouteValues;
        if (values.TryGetValue("centre", out var centre) && !FieldRules.IsId(centre as string))
            return Problems.Invalid(FieldRules.InvalidIdMessage("centre", centre));
        if (values.TryGetValue("date", out var date) && !TryParseDate(date as string, out _))
            return Problems.Invalid($"Date « {date} » invalide : attendu AAAA-MM-JJ.");
        return await next(context);
    }

    internal static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    internal static DateOnly DateOf(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string? Time(TimeOnly? time) => time?.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A commission's members: a row lists only those who examine it (no professional on a U62 row), so the union.</summary>
    private static string[] MembersOf(IEnumerable<ScheduleRow> rows) =>
        [.. rows.OrderByDescending(r => r.ExaminerIds.Length).SelectMany(r => r.ExaminerIds).Distinct()];

    private static async Task<IResult> GetDay(string session, string centre, string date, ClaimsPrincipal user, IGrainFactory grains)
    {
        var day = await grains.OralCentre(session, centre).GetExamDay(DateOf(date), TokenService.ActorOf(user));
        return Results.Ok(await ResponseOf(session, day, grains));
    }

    private static async Task<IResult> PostEvent(string session, string centre, string date, DayEventBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (body?.Kind is null)
            return Problems.Invalid($"Corps JSON attendu : {{ \"kind\": \"{string.Join("\" | \"", DayEventKinds.Recordable)}\", \"candidateNumber\", \"unit\", \"minutes\", \"examinerId\", \"room\", \"from\", \"to\", \"reason\" }}.");
        if (!TryParseTime(body.From, "début", out var from, out var fromError)) return Problems.Invalid(fromError!);
        if (!TryParseTime(body.To, "fin", out var to, out var toError)) return Problems.Invalid(toError!);
        var request = new DayEventRequest(body.Kind.Trim(), body.CandidateNumber, body.Unit, body.Minutes, body.ExaminerId, body.Room, from, to, body.Reason);
        var day = await grains.OralCentre(session, centre).RecordEvent(DateOf(date), request, TokenService.ActorOf(user));
        return Results.Ok(await ResponseOf(session, day, grains));
    }

    internal static bool TryParseTime(string? text, string field, out TimeOnly? time, out string? error)
    {
        time = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            time = parsed;
            return true;
        }
        error = $"Heure « {text} » ({field}) invalide, attendu HH:mm (heure du centre).";
        return false;
    }

    private static async Task<IResult> GetEvents(string session, string centre, string date, ClaimsPrincipal user, IGrainFactory grains)
    {
        var events = await grains.OralCentre(session, centre).GetEvents(DateOf(date), TokenService.ActorOf(user));
        return Results.Ok(events.Select(e => new DayEventResponse(
            e.Sequence, e.Kind, e.Description, e.By, e.At, e.CandidateNumber, e.Units, e.Minutes, e.ExaminerId, e.Room, Time(e.From), Time(e.To), e.Reason)));
    }

    private static async Task<IResult> CloseDay(string session, string centre, string date, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = TokenService.ActorOf(user);
        if (!Policies.ManagesCentre(actor, centre))
            return Problems.Forbidden($"Seul le responsable du centre {centre} clôt sa journée.");
        var closing = await grains.OralCentre(session, centre).CloseDay(DateOf(date), actor);
        static ClosedExamResponse[] Of(ClosedExam[] exams) =>
            [.. exams.Select(e => new ClosedExamResponse(e.CandidateNumber, e.Unit, e.Status, e.Result, e.Problem))];
        return Results.Ok(new DayClosingResponse(
            closing.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), closing.By, closing.At, Of(closing.Entered), Of(closing.NotRecorded), Of(closing.Refused)));
    }

    internal static async Task<CentreDayResponse> ResponseOf(string session, CentreDay day, IGrainFactory grains)
    {
        var numbers = day.Exams.Select(e => e.Row.CandidateNumber).Distinct().ToArray();
        var names = (await Task.WhenAll(numbers.Select(async n => (Number: n, Name: await NameOf(grains, session, n)))))
            .ToDictionary(x => x.Number, x => x.Name);
        var rooms = day.Exams
            .GroupBy(e => e.Row.Room)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(room => new RoomOfDayResponse(room.Key, [.. room
                .GroupBy(e => e.Row.CommissionId)
                .OrderBy(g => g.Min(e => e.Row.ExamStart))
                .Select(commission => new CommissionOfDayResponse(commission.Key, MembersOf(commission.Select(e => e.Row)), [.. commission
                    .OrderBy(e => e.Row.ExamStart)
                    .Select(e => new ExamOfDayResponse(
                        e.Row.CandidateNumber, names[e.Row.CandidateNumber].Last, names[e.Row.CandidateNumber].First, e.Row.Unit, e.Group,
                        e.Row.Room, e.Row.CommissionId, e.Row.ExaminerIds, Time(e.Row.PrepStart), Time(e.Row.ExamStart)!, Time(e.Row.ExamEnd)!,
                        e.Status, e.LateMinutes, e.Withdrawn))]))]))
            .ToArray();
        var unavailable = day.Unavailabilities
            .Select(u => new UnavailabilityResponse(u.Kind, u.ExaminerId, u.Room, Time(u.From), Time(u.To), u.Reason, u.Description))
            .ToArray();
        return new CentreDayResponse(session, day.CentreId, day.CentreName, day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day.Closed, rooms, unavailable,
            day.PendingRepairId);
    }

    /// <summary>The candidate's name from their summary, which never carries the school.</summary>
    internal static async Task<(string Last, string First)> NameOf(IGrainFactory grains, string session, string number)
    {
        var candidate = grains.Candidate(session, number);
        if (!await candidate.IsRegistered()) return ("", "");
        var summary = await candidate.GetSummary();
        return (summary.LastName, summary.FirstName);
    }
}
