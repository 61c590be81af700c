using System.Globalization;
using System.Security.Claims;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Api;
using BtsCcst.Server.Auth;
using BtsCcst.Server.Planning;

namespace BtsCcst.Server.ExamDays;

/// <summary>Asks for a repair: from when exams may move ("HH:mm", the centre's time; default now), and the solver's time.</summary>
public sealed record RepairRequestBody(string? From, double? TimeLimitSeconds);

/// <summary>An exam's place: date, room, commission and its members, times.</summary>
public sealed record ExamSlotResponse(string Date, string Room, string CommissionId, string[] ExaminerIds, string? PrepStart, string ExamStart, string ExamEnd);

/// <summary>
/// One exam a repair changes. Kind: "moved" (time or date), "commission" (same time, other commission),
/// "room" (only the room), "withdrawn" (taken out of the plan), "added".
/// </summary>
public sealed record RepairChangeResponse(
    string CandidateNumber, string LastName, string FirstName, string Unit, string Kind, ExamSlotResponse? Before, ExamSlotResponse? After, string Description);

public sealed record ConcernedCandidateResponse(string CandidateNumber, string LastName, string FirstName);

public sealed record ConcernedExaminerResponse(string ExaminerId, string CalendarUrl);

/// <summary>A repair of a centre's day as its manager sees it: the diff, the figures, the checks, and who gets new documents.</summary>
public sealed record RepairResponse(
    string RepairId, string CentreId, string Date, string State, string From, Actor RequestedBy, DateTimeOffset RequestedAt, double Seconds, bool Optimal,
    int CandidatesMoved, int ExaminersChanged, int TotalDelayMinutes, int[] EventSequences, RepairChangeResponse[] Changes, UnplacedRow[] Unplaced,
    string[] Violations, string? Failure, ConcernedCandidateResponse[] Candidates, ConcernedExaminerResponse[] Examiners, string ConvocationsUrl,
    Actor? DecidedBy, DateTimeOffset? DecidedAt);

/// <summary>
/// Repairs of an exam day: the centre's manager asks for one after the day's events, sees it as a diff, accepts
/// it (the plan, the commissions, the screens and the convocations of the candidates concerned change) or rejects it.
/// </summary>
public static class RepairEndpoints
{
    public static readonly double DefaultTimeLimitSeconds = BtsCcst.Scheduling.Repair.DayRepairer.DefaultTimeLimit.TotalSeconds;
    // Below the grain call timeout (30 s), with room for gathering the inputs and the solver process.
    private const double MaxTimeLimitSeconds = 20;

    public static void MapRepairsApi(this RouteGroupBuilder day)
    {
        var repairs = day.MapGroup("/repairs").WithTags("Journées d'épreuves").AddEndpointFilter(ValidateRepairId);
        repairs.MapPost("", Propose)
            .WithSummary("Computes a repair of the day after its events (the centre's manager): 201 with the proposal, a diff of the exams that change; nothing changes before it is accepted.");
        repairs.MapGet("/{repairId}", Get).WithSummary("A repair proposal and its state (the centre's manager, the organiser).");
        repairs.MapPost("/{repairId}/accept", Accept)
            .WithSummary("Accepts a proposal (the centre's manager): the plan, the commissions, the screens and the candidates' convocations change. Idempotent.");
        repairs.MapPost("/{repairId}/reject", Reject).WithSummary("Rejects a proposal (the centre's manager): nothing changes. Idempotent.");
        repairs.MapGet("/{repairId}/convocations.pdf", Convocations)
            .Produces(StatusCodes.Status200OK, contentType: DocumentsEndpoints.PdfType)
            .WithSummary("The new convocations of the candidates a repair concerns, and theirs only (PDF, one page each).");
    }

    private static async ValueTask<object?> ValidateRepairId(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Request.RouteValues.TryGetValue("repairId", out var id) && !FieldRules.IsId(id as string))
            return Problems.Invalid(FieldRules.InvalidIdMessage("repairId", id));
        return await next(context);
    }

    private static async Task<IResult> Propose(string session, string centre, string date, RepairRequestBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var limit = body?.TimeLimitSeconds ?? DefaultTimeLimitSeconds;
        if (limit is < 0.2 or > MaxTimeLimitSeconds)
            return Problems.Invalid($"Le temps de calcul doit être compris entre 0,2 et {MaxTimeLimitSeconds} secondes (reçu {limit.ToString(CultureInfo.GetCultureInfo("fr-FR"))}).");
        if (!ExamDayEndpoints.TryParseTime(body?.From, "à partir de", out var from, out var error)) return Problems.Invalid(error!);
        var actor = TokenService.ActorOf(user);
        var basis = await grains.OralCentre(session, centre).PrepareRepair(ExamDayEndpoints.DateOf(date), from, actor);
        var repairId = $"rep-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var proposal = await grains.DayRepair(session, repairId).Propose(basis, limit, actor);
        return Results.Created($"/api/sessions/{session}/centres/{centre}/days/{date}/repairs/{repairId}", await ResponseOf(session, proposal, grains));
    }

    /// <summary>The repair, if it is one of this centre's day.</summary>
    private static async Task<RepairProposal> FindAsync(string session, string centre, string date, string repairId, Actor actor, IGrainFactory grains)
    {
        var proposal = await grains.DayRepair(session, repairId).Get(actor);
        if (proposal.CentreId != centre || proposal.Date != ExamDayEndpoints.DateOf(date))
            throw new RefusedException(RefusalKind.NotFound, $"La réparation {repairId} n'est pas une réparation du centre {centre} le {date}.");
        return proposal;
    }

    private static async Task<IResult> Get(string session, string centre, string date, string repairId, ClaimsPrincipal user, IGrainFactory grains) =>
        Results.Ok(await ResponseOf(session, await FindAsync(session, centre, date, repairId, TokenService.ActorOf(user), grains), grains));

    private static async Task<IResult> Accept(string session, string centre, string date, string repairId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = TokenService.ActorOf(user);
        await FindAsync(session, centre, date, repairId, actor, grains);
        return Results.Ok(await ResponseOf(session, await grains.DayRepair(session, repairId).Accept(actor), grains));
    }

    private static async Task<IResult> Reject(string session, string centre, string date, string repairId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = TokenService.ActorOf(user);
        await FindAsync(session, centre, date, repairId, actor, grains);
        return Results.Ok(await ResponseOf(session, await grains.DayRepair(session, repairId).Reject(actor), grains));
    }

    private static async Task<IResult> Convocations(string session, string centre, string date, string repairId, ClaimsPrincipal user,
        IGrainFactory grains, IConfiguration configuration)
    {
        var proposal = await FindAsync(session, centre, date, repairId, TokenService.ActorOf(user), grains);
        if (proposal.State != RepairStates.Accepted)
            return Problems.Problem(StatusCodes.Status409Conflict, "Action refusée",
                $"La réparation {repairId} n'est pas acceptée : les convocations ne changent qu'une fois la réparation acceptée.");
        return await DocumentsEndpoints.ConvocationsAsync(grains, configuration, session, proposal.Basis.Group, proposal.CandidatesConcerned,
            $"convocations-{session}-{centre}-{repairId}.pdf");
    }

    private static ExamSlotResponse? SlotOf(ScheduleRow? row) => row is null ? null : new(
        row.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row.Room, row.CommissionId, row.ExaminerIds,
        ExamDayEndpoints.Time(row.PrepStart), ExamDayEndpoints.Time(row.ExamStart)!, ExamDayEndpoints.Time(row.ExamEnd)!);

    /// <summary>What changed for one exam, and the French line the manager reads: what changes, then why.</summary>
    private static (string Kind, string Description) Describe(RepairChange change, IReadOnlyDictionary<(string, string), string> reasons, RepairEventData[] events)
    {
        static string When(ScheduleRow r) => $"{r.Date:dd/MM} à {r.PrepStart ?? r.ExamStart:HH\\:mm}";
        var (old, now) = (change.Old, change.New);
        if (old is null) return ("added", $"{now!.Unit} : ajoutée le {When(now)}, {now.Room}, commission {now.CommissionId}.");
        var unit = old.Unit;
        if (now is null)
            return ("withdrawn", $"{unit} : retirée du planning (prévue le {When(old)})"
                                 + (reasons.TryGetValue((old.CandidateNumber, unit), out var reason) ? $" — {reason}" : "."));
        var parts = new List<string>();
        var kind = "room";
        if (old.Date != now.Date || old.ExamStart != now.ExamStart)
        {
            kind = "moved";
            parts.Add(old.Date != now.Date ? $"reconvoquée le {When(now)} (au lieu du {When(old)})" : $"déplacée de {old.PrepStart ?? old.ExamStart:HH\\:mm} à {now.PrepStart ?? now.ExamStart:HH\\:mm}");
        }
        if (old.CommissionId != now.CommissionId || !old.ExaminerIds.SequenceEqual(now.ExaminerIds))
        {
            if (kind == "room") kind = "commission";
            parts.Add($"commission {now.CommissionId} ({string.Join(", ", now.ExaminerIds)}) au lieu de {old.CommissionId} ({string.Join(", ", old.ExaminerIds)})");
        }
        if (old.Room != now.Room) parts.Add($"{now.Room} au lieu de {old.Room}");
        return (kind, $"{unit} : {string.Join(", ", parts)}{Why(old, now, events)}.");
    }

    /// <summary>Why an exam changed, from the events the repair absorbed (" car …"), or that it makes room for them.</summary>
    private static string Why(ScheduleRow old, ScheduleRow now, RepairEventData[] events)
    {
        static string Span(RepairEventData e) => (e.From, e.To) switch
        {
            (null, null) => "toute la journée",
            ({ } f, null) => $"à partir de {f:HH\\:mm}",
            (null, { } t) => $"jusqu'à {t:HH\\:mm}",
            ({ } f, { } t) => $"de {f:HH\\:mm} à {t:HH\\:mm}",
        };
        var causes = new List<string>();
        foreach (var e in events)
        {
            if (e.Kind == DayEventKinds.CandidateExcused && e.CandidateNumber == old.CandidateNumber)
                causes.Add($"absent excusé le {old.Date:dd/MM}");
            else if (e.Kind == DayEventKinds.CandidateLate && e.CandidateNumber == old.CandidateNumber)
                causes.Add($"arrivé en retard (attendu à {e.ArrivesAt:HH\\:mm})");
            else if (e.Kind == DayEventKinds.ExaminerAbsent && old.ExaminerIds.Contains(e.ExaminerId) && !now.ExaminerIds.Contains(e.ExaminerId))
            {
                var replacement = now.ExaminerIds.Except(old.ExaminerIds).ToList();
                causes.Add(replacement.Count > 0
                    ? $"{e.ExaminerId}, absent {Span(e)}, est remplacé par {string.Join(", ", replacement)}"
                    : old.ExamStart == now.ExamStart && old.Date == now.Date
                        ? $"la commission examine sans {e.ExaminerId}, absent {Span(e)}"
                        : $"{e.ExaminerId} est absent {Span(e)}");
            }
            else if (e.Kind == DayEventKinds.RoomUnavailable && e.Room is { } room && string.Equals(room, old.Room, StringComparison.OrdinalIgnoreCase)
                     && old.ExamStart < (e.To ?? TimeOnly.MaxValue) && old.ExamEnd > (e.From ?? TimeOnly.MinValue))
                causes.Add($"la salle {room} est fermée {Span(e)}");
        }
        return causes.Count > 0 ? $" car {string.Join(" et ", causes.Distinct())}" : " pour faire place aux changements de la journée";
    }

    internal static async Task<RepairResponse> ResponseOf(string session, RepairProposal proposal, IGrainFactory grains)
    {
        var numbers = proposal.Changes.Select(c => (c.Old ?? c.New)!.CandidateNumber).Distinct().ToArray();
        var names = (await Task.WhenAll(numbers.Select(async n => (Number: n, Name: await ExamDayEndpoints.NameOf(grains, session, n)))))
            .ToDictionary(x => x.Number, x => x.Name);
        var reasons = proposal.Unplaced.ToDictionary(u => (u.CandidateNumber, u.Unit), u => u.Reason);
        var changes = proposal.Changes.Select(change =>
        {
            var row = (change.Old ?? change.New)!;
            var (kind, description) = Describe(change, reasons, proposal.Basis.Events);
            var (last, first) = names[row.CandidateNumber];
            return new RepairChangeResponse(row.CandidateNumber, last, first, row.Unit, kind, SlotOf(change.Old), SlotOf(change.New),
                $"Candidat {row.CandidateNumber} ({last} {first}) — {description}");
        }).ToArray();
        var day = proposal.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new RepairResponse(
            proposal.RepairId, proposal.CentreId, day, proposal.State, ExamDayEndpoints.Time(proposal.Basis.Now)!, proposal.RequestedBy, proposal.RequestedAt,
            proposal.Seconds, proposal.Optimal, proposal.CandidatesMoved, proposal.ExaminersChanged, proposal.TotalDelayMinutes, proposal.Basis.EventSequences,
            changes, proposal.Unplaced, proposal.Violations, proposal.Failure,
            [.. proposal.CandidatesConcerned.Select(n => new ConcernedCandidateResponse(n, names.GetValueOrDefault(n).Last ?? "", names.GetValueOrDefault(n).First ?? ""))],
            [.. proposal.ExaminersConcerned.Select(id => new ConcernedExaminerResponse(id, $"/api/sessions/{session}/examiners/{id}/calendar.ics"))],
            $"/api/sessions/{session}/centres/{proposal.CentreId}/days/{day}/repairs/{proposal.RepairId}/convocations.pdf",
            proposal.DecidedBy, proposal.DecidedAt);
    }
}
