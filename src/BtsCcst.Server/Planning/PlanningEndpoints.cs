using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using BtsCcst.Domain;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Planning;
using BtsCcst.Scheduling;
using BtsCcst.Server.Api;
using BtsCcst.Server.Auth;

namespace BtsCcst.Server.Planning;

/// <param name="NoticeDays">Once a plan is published: centre-days within this many days of today are kept as they are
/// (default 7, 0 to 60).</param>
/// <param name="Replan">Once a plan is published: "minimal" (default) re-plans only the centre-days that must change,
/// "whole" every centre-day not kept.</param>
public sealed record PlanningRunRequest(double? TimeLimitSeconds, PlanningWeightsRequest? Weights, SecondGroupRequest? SecondGroup = null,
    int? NoticeDays = null, string? Replan = null);

/// <summary>Plans the second group's contrôle orals instead of the first group's: on these dates, in these centres.</summary>
public sealed record SecondGroupRequest([property: Required] DateOnly[]? Dates, [property: Required, Identifier] string[]? CentreIds);

/// <summary>Soft-goal weights; any left out keeps its documented default (PlannerWeights).</summary>
public sealed record PlanningWeightsRequest(int? Unplaced, int? ExtraDay, int? WaitingMinute, int? NoProfessional, int? ExaminerDay, int? LoadBalanceMinute,
    int? LateInDayMinute = null, int? IncidentSlackMinutes = null);

public sealed record OralPinRequest([property: Required, Identifier] string? CandidateNumber, [property: Required] string? Unit, DateOnly? Date,
    [property: Identifier] string? CentreId);

public sealed record CommissionPinRequest([property: Required, Identifier] string? CentreId, [property: Required] DateOnly? Date,
    [property: Required, Identifier] string[]? ExaminerIds);

public sealed record PinsRequest(OralPinRequest[]? Orals, CommissionPinRequest[]? Commissions);

/// <summary>Planning runs and the schedule (api.md "Planning"), for the organiser.</summary>
public static class PlanningEndpoints
{
    public static void MapPlanningApi(this RouteGroupBuilder session)
    {
        session.MapPost("/planning-runs", StartRun).RequireAuthorization(Policies.Organiser).WithTags("Planification")
            .WithSummary("Starts a planning run of every oral of the session (asynchronous): 202 { runId }.");
        session.MapGet("/pins", GetPins).RequireAuthorization(Policies.Organiser).WithTags("Planification");
        session.MapPut("/pins", PutPins).RequireAuthorization(Policies.Organiser).WithTags("Planification")
            .WithSummary("Replaces the pins every plan keeps: a candidate's unit on a date and/or in a centre; a commission's members in a centre on a date.");
        session.MapGet("/planning-runs", ListRuns).RequireAuthorization(Policies.Organiser).WithTags("Planification")
            .WithSummary("Every planning run, newest first: who started it, its figures, and what became of its plan (draft, published, proposal, discarded, replaced).");
        session.MapGet("/planning-runs/{runId}", GetRun).RequireAuthorization(Policies.Organiser).WithTags("Planification");
        session.MapGet("/planning-runs/{runId}/comparison", ComparePlan).RequireAuthorization(Policies.Organiser).WithTags("Planification")
            .WithSummary("The run's plan beside the schedule as it stands: candidates whose convocation would change, examiners whose days would change, begun days, and why it may not be published.");
        session.MapPost("/planning-runs/{runId}/publish", PublishPlan).RequireAuthorization(Policies.Organiser).WithTags("Planification")
            .WithSummary("Publishes the run's plan (convocations and calendars follow it), or 409 saying why not.");
        session.MapGet("/planning-runs/{runId}/convocations.pdf", PublicationConvocations).RequireAuthorization(Policies.Organiser).WithTags("Convocations")
            .Produces(StatusCodes.Status200OK, contentType: DocumentsEndpoints.PdfType)
            .WithSummary("The new convocations of the candidates the run's publication concerned (whose convocations it changed), theirs only.");
        session.MapPost("/planning-runs/{runId}/discard", DiscardPlan).RequireAuthorization(Policies.Organiser).WithTags("Planification")
            .WithSummary("Sets a proposal aside.");
        session.MapGet("/stage", GetStage).WithTags("Session")
            .WithSummary("Where the session stands (setup, planning, published, exam-days, deliberation, closed) and, for the organiser, the next step and the counts; every signed-in user reads the stage and its label (shown on every page).");
        session.MapGet("/exports/schedule.csv", ExportSchedule).RequireAuthorization(Policies.Organiser).WithTags("Exports");
        session.MapGet("/candidates/{number}/convocations", GetConvocations).WithTags("Planification");
        session.MapPost("/schedule/validate", Validate).RequireAuthorization(Policies.Organiser).WithTags("Planification")
            .Accepts<string>("text/csv")
            .WithSummary("Checks a schedule.csv (e.g. edited by hand) against every hard rule; lists each violation.");
        session.MapDocumentsApi();
        session.MapScheduleJson();
        session.MapWorkspaceApi();
    }

    private static async Task<IResult> StartRun(string session, PlanningRunRequest? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var limit = body?.TimeLimitSeconds ?? PlanningTimeLimits.DefaultSeconds;
        if (!PlanningTimeLimits.Allows(limit))
            return Problems.Invalid($"timeLimitSeconds doit être compris entre {PlanningTimeLimits.MinSeconds} et {PlanningTimeLimits.MaxSeconds} (reçu {limit}).");
        PlanningWeights? weights = null;
        if (body?.Weights is { } w)
        {
            var d = PlannerWeights.Default;
            weights = new PlanningWeights(w.Unplaced ?? d.Unplaced, w.ExtraDay ?? d.ExtraDay, w.WaitingMinute ?? d.WaitingMinute,
                w.NoProfessional ?? d.NoProfessional, w.ExaminerDay ?? d.ExaminerDay, w.LoadBalanceMinute ?? d.LoadBalanceMinute,
                w.LateInDayMinute ?? d.LateInDayMinute, w.IncidentSlackMinutes ?? d.IncidentSlackMinutes);
            var values = new[] { weights.Unplaced, weights.ExtraDay, weights.WaitingMinute, weights.NoProfessional, weights.ExaminerDay, weights.LoadBalanceMinute, weights.LateInDayMinute };
            if (values.Any(v => v is < 0 or > 1_000_000) || weights.Unplaced < 1)
                return Problems.Invalid("Les poids sont des entiers de 0 à 1 000 000, et « unplaced » vaut au moins 1.");
            if (weights.IncidentSlackMinutes is < 0 or > 600)
                return Problems.Invalid("« incidentSlackMinutes » est une durée en minutes de 0 à 600.");
        }
        SecondGroupScope? secondGroup = null;
        if (body?.SecondGroup is { } scope)
        {
            if (scope.Dates is null || scope.CentreIds is null || !scope.CentreIds.All(FieldRules.IsId))
                return Problems.Invalid("secondGroup attendu : { \"dates\": [\"2024-06-24\", ...], \"centreIds\": [\"CAEN-1\", ...] }, identifiants de centres valides.");
            secondGroup = new SecondGroupScope(scope.Dates, scope.CentreIds);
        }
        if (body?.NoticeDays is < 0 or > ReplanChoice.MaxNoticeDays)
            return Problems.Invalid($"Le délai de prévenance (noticeDays) se compte en jours, de 0 à {ReplanChoice.MaxNoticeDays} (reçu {body.NoticeDays}).");
        if (body?.Replan is not (null or "minimal" or "whole"))
            return Problems.Invalid($"replan vaut « minimal » (seules les journées qui doivent changer) ou « whole » (toutes les journées non gardées), reçu « {body.Replan} ».");
        var replan = new ReplanChoice(body?.NoticeDays ?? ReplanChoice.DefaultNoticeDays, body?.Replan == "whole");
        var runId = await grains.Session(session).StartPlanningRun(limit, weights, TokenService.ActorOf(user), secondGroup, replan);
        return Results.Accepted($"/api/sessions/{session}/planning-runs/{runId}", new { runId });
    }

    private static async Task<IResult> GetPins(string session, IGrainFactory grains) => Results.Ok(await grains.Session(session).GetPins());

    private static async Task<IResult> PutPins(string session, PinsRequest? body, IGrainFactory grains)
    {
        if (body is null) return Problems.Invalid("Corps JSON attendu : { \"orals\": [{ \"candidateNumber\", \"unit\", \"date\", \"centreId\" }], \"commissions\": [{ \"centreId\", \"date\", \"examinerIds\" }] }.");
        var orals = body.Orals ?? [];
        var commissions = body.Commissions ?? [];
        var malformed = orals.Where(o => !FieldRules.IsId(o.CandidateNumber) || !UnitCatalogue.TryParse(o.Unit, out _) || (o.CentreId is not null && !FieldRules.IsId(o.CentreId)))
            .Select(o => $"Épinglage d'épreuve mal formé : candidat « {o.CandidateNumber} », épreuve « {o.Unit} », centre « {o.CentreId} ».")
            .Concat(commissions.Where(c => !FieldRules.IsId(c.CentreId) || c.Date is null || c.ExaminerIds is null || !c.ExaminerIds.All(FieldRules.IsId))
                .Select(c => $"Épinglage de commission mal formé : centre « {c.CentreId} », date et examinerIds requis."))
            .ToList();
        if (malformed.Count > 0) return Problems.Invalid(string.Join(" ", malformed));
        var pins = new PlanningPins(
            orals.Select(o => new OralPinDefinition(o.CandidateNumber!, UnitCatalogue.TryParse(o.Unit, out var u) ? u.ToString() : "", o.Date, o.CentreId)).ToArray(),
            commissions.Select(c => new CommissionPinDefinition(c.CentreId!, c.Date!.Value, c.ExaminerIds!)).ToArray());
        return Results.Ok(await grains.Session(session).SetPins(pins));
    }

    private static async Task<IResult> GetRun(string session, string runId, IGrainFactory grains) =>
        Results.Ok(await RunResponse(grains, session, runId));

    private static async Task<IResult> ListRuns(string session, IGrainFactory grains)
    {
        var ids = await grains.Session(session).GetPlanningRunIds();
        return Results.Ok(await Task.WhenAll(ids.Reverse().Select(id => RunResponse(grains, session, id))));
    }

    private static async Task<IResult> ComparePlan(string session, string runId, IGrainFactory grains) =>
        Results.Ok(await grains.Session(session).ComparePlan(runId));

    private static async Task<IResult> PublishPlan(string session, string runId, ClaimsPrincipal user, IGrainFactory grains) =>
        Results.Ok(new { runId, disposition = await grains.Session(session).PublishPlan(runId, TokenService.ActorOf(user)) });

    private static async Task<IResult> DiscardPlan(string session, string runId, ClaimsPrincipal user, IGrainFactory grains) =>
        Results.Ok(new { runId, disposition = await grains.Session(session).DiscardPlan(runId, TokenService.ActorOf(user)) });

    private static async Task<IResult> PublicationConvocations(string session, string runId, IGrainFactory grains, IConfiguration configuration)
    {
        var sessionGrain = grains.Session(session);
        if (!(await sessionGrain.GetPlanningRunIds()).Contains(runId)) return Problems.NotFound($"Planification {runId} inconnue.");
        if (await sessionGrain.GetPublication(runId) is not { } publication)
            return Problems.Problem(StatusCodes.Status409Conflict, "Action refusée",
                $"Le plan de la planification {runId} n'a pas été publié : publiez-le (POST …/planning-runs/{runId}/publish), puis téléchargez les convocations des candidats concernés.");
        if (publication.Candidates.Length == 0)
            return Problems.Problem(StatusCodes.Status409Conflict, "Action refusée",
                $"La publication de la planification {runId} ne changeait la convocation d'aucun candidat : il n'y a pas de nouvelle convocation à envoyer.");
        var group = (await grains.PlanningRun(session, runId).GetView()).Group;
        return await DocumentsEndpoints.ConvocationsAsync(grains, configuration, session, group, publication.Candidates, $"convocations-{session}-{runId}.pdf");
    }

    private static async Task<IResult> GetStage(string session, ClaimsPrincipal user, IGrainFactory grains)
    {
        var stage = await grains.Session(session).GetStage();
        return TokenService.ActorOf(user).Role == Roles.Organiser ? Results.Ok(stage) : Results.Ok(new { stage = stage.Stage, label = stage.Label });
    }

    private static async Task<object> RunResponse(IGrainFactory grains, string session, string runId)
    {
        var view = await grains.PlanningRun(session, runId).GetView();
        var disposition = await grains.Session(session).GetPlanDisposition(runId);
        var publication = await grains.Session(session).GetPublication(runId);
        return new
        {
            runId,
            startedBy = view.StartedBy?.Name,
            disposition,
            dispositionLabel = disposition is null ? null : PlanDispositions.French(disposition),
            state = view.State,
            phase = view.Phase,
            elapsedSeconds = view.ElapsedSeconds,
            placed = view.Placed,
            total = view.Total,
            objective = view.Objective,
            bound = view.Bound,
            gap = view.Gap,
            sessionBound = view.SessionBound,
            sessionGap = view.SessionGap,
            group = view.Group,
            reasons = view.Reasons,
            unplaced = view.Unplaced,
            startedAt = view.StartedAt,
            endedAt = view.EndedAt,
            replan = view.Replan is { } replan ? new { noticeDays = replan.NoticeDays, mode = replan.Whole ? "whole" : "minimal" } : null,
            publication = publication is null ? null : new { by = publication.By.Name, at = publication.At, candidates = publication.Candidates, examiners = publication.Examiners },
        };
    }

    private static async Task<IResult> ExportSchedule(string session, IGrainFactory grains)
    {
        var rows = await AdoptedScheduleAsync(grains, session);
        using var csv = new StringWriter();
        ScheduleCsv.Write(csv, rows.Select(PlanningMapping.ToExam));
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> Validate(string session, HttpRequest request, IGrainFactory grains)
    {
        if (request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Format non pris en charge", "Envoyez le fichier avec Content-Type: text/csv.");
        if (await Imports.ReadBodyAsync(request, request.HttpContext.RequestAborted) is not { } text)
            return Imports.TooLarge();
        var (rows, errors) = ScheduleCsv.Parse(new StringReader(text));
        if (errors.Count > 0)
            return Problems.Invalid($"Le fichier schedule.csv est illisible ({errors.Count} erreur(s)).",
                errors.Select(e => new { line = e.Line, column = e.Column, message = e.Message }));
        // A schedule of contrôle orals is checked against the second group's window and centres of the adopted run.
        SecondGroupScope? scope = null;
        if (rows.Count > 0 && rows.All(r => PlanningGroups.Of(r.Unit.ToString()) == PlanningGroups.Second))
        {
            if (await grains.Session(session).GetScheduleRunId(PlanningGroups.Second) is not { } secondRun)
                return Problems.Problem(StatusCodes.Status409Conflict, "Action refusée", "Ce planning d'épreuves de contrôle ne peut être vérifié qu'après une planification du second groupe (qui fixe ses dates et ses centres).");
            scope = (await grains.PlanningRun(session, secondRun).GetView()).SecondGroup;
        }
        else if (rows.Any(r => PlanningGroups.Of(r.Unit.ToString()) == PlanningGroups.Second))
            return Problems.Invalid("Un fichier schedule.csv à vérifier contient soit les oraux du premier groupe, soit les épreuves de contrôle, pas les deux.");
        var inputs = await PlanningInputs.GatherAsync(grains, session, scope);
        var violations = ScheduleValidator.Validate(inputs.Instance, rows);
        return Results.Ok(new { valid = violations.Count == 0, violations = violations.Select(v => new { rule = v.Rule, message = v.Message }) });
    }

    /// <summary>The session's schedule: the adopted plan of each group with the repairs accepted since (CurrentSchedule).</summary>
    public static Task<ScheduleRow[]> AdoptedScheduleAsync(IGrainFactory grains, string session, int? group = null) =>
        CurrentSchedule.OfSessionAsync(grains, session, group);

    private static async Task<IResult> GetConvocations(string session, string number, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = TokenService.ActorOf(user);
        if (actor.Role != Roles.Organiser) return Problems.Forbidden("Les convocations sont réservées à l'organisateur.");
        return Results.Ok(await grains.Candidate(session, number).GetConvocations());
    }
}
