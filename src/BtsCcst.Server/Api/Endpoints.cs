using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Claims;
using BtsCcst.Domain;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Abstractions.Operations;
using BtsCcst.Server.Auth;
using BtsCcst.Server.Deliberation;
using BtsCcst.Server.Hosting;
using BtsCcst.Server.Planning;
using Microsoft.Extensions.Options;

namespace BtsCcst.Server.Api;

public sealed record TokenRequest([property: Required] string? Role, string? Name, [property: Identifier] string? Scope);

public sealed record TokenResponse(string Token);

public sealed record ResultRequest([property: Required] string? Result, string? Reason, bool UnderReserve = false);

public sealed record LiftReserveRequest(string? Reason, string? Result);

public sealed record ExaminersRequest([property: Required, Identifier] string[]? ExaminerIds);

public sealed record DeliberationSettingsRequest(
    [property: Required] decimal? PassAverage, [property: Required] decimal? SecondGroupAverage, [property: Required] decimal? ProfessionalAverage,
    [property: Required] decimal? NearThresholdMargin, string[]? ControleUnits = null);

/// <summary>The HTTP API: translates requests into grain calls, and nothing more.</summary>
public static class Endpoints
{
    public static void MapBtsCcstApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<BtsCcstOptions>>().Value;
        if (options.IsEmbeddedDefault)
            app.MapPost("/api/dev/tokens", IssueDevToken).AllowAnonymous().ValidateJsonBodies().WithTags("Jetons")
                .WithSummary("Issues a token on the embedded default, to loopback callers only.");

        var api = app.MapGroup("/api/sessions/{session}").RequireAuthorization().AddEndpointFilter(ValidateRouteIds).ValidateJsonBodies();

        api.MapPost("/imports/{kind}", Import).RequireAuthorization(Policies.Organiser).WithTags("Imports")
            .Accepts<string>("text/csv").WithSummary("Imports a CSV file whole, or refuses it listing every bad row.");
        api.MapGet("/imports", ImportLog).RequireAuthorization(Policies.Organiser).WithTags("Imports")
            .WithSummary("The audit trail of imports: kind, who (HTTP user or btsccst operator), when, counts or refused rows.");
        api.MapGet("/exports/results.csv", ExportResults).WithTags("Exports")
            .WithSummary("results.csv: every jury for the organiser, their own for a jury president.");
        api.MapGet("/settings/deliberation", GetDeliberationSettings).RequireAuthorization(Policies.Organiser).WithTags("Session");
        api.MapPut("/settings/deliberation", PutDeliberationSettings).RequireAuthorization(Policies.Organiser).WithTags("Session")
            .WithSummary("Sets the session's deliberation thresholds (deliberation.md), while every jury is in its first deliberation.");
        api.MapGet("/juries", ListJuries).RequireAuthorization(Policies.Organiser).WithTags("Jurys");
        api.MapGet("/juries/{jury}/board", GetBoard).WithTags("Jurys").WithSummary("The jury board snapshot.");
        api.MapPost("/juries/{jury}/close", CloseJury).RequireAuthorization(Policies.JuryPresident).WithTags("Jurys")
            .WithSummary("Closes the deliberation under way (first group, or second group once open), or refuses naming the candidates that prevent it.");
        api.MapGet("/candidates/{number}", GetCandidate).WithTags("Candidats");
        api.MapPut("/candidates/{number}/results/{unit}", PutResult).WithTags("Résultats")
            .WithSummary("Enters or corrects one result (examiner of the candidate's commission, or jury president with a reason).");
        api.MapPost("/candidates/{number}/results/{unit}/lift-reserve", LiftReserve).RequireAuthorization(Policies.JuryPresident).WithTags("Résultats");
        api.MapPost("/candidates/{number}/livret/acknowledge", AcknowledgeLivret).RequireAuthorization(Policies.JuryPresident).WithTags("Résultats");
        api.MapPlanningApi();
        api.MapSecondGroupApi();
        api.MapDeliberationDocumentsApi();
        BtsCcst.Server.ExamDays.ExamDayEndpoints.MapExamDaysApi(api);
        api.MapPut("/candidates/{number}/examiners/{unit}", AssignExaminers).RequireAuthorization(Policies.Organiser).WithTags("Candidats")
            .WithSummary("Sets the examiners of the commission that examines the candidate in a unit (normally written by the planner).");
    }

    /// <summary>Refuses a request whose session, jury, candidate number or run in the address is not an identifier, before any grain is called.</summary>
    internal static async ValueTask<object?> ValidateRouteIds(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var name in new[] { "session", "jury", "number", "runId" })
        {
            if (context.HttpContext.Request.RouteValues.TryGetValue(name, out var value) && !FieldRules.IsId(value as string))
                return Problems.Invalid(FieldRules.InvalidIdMessage(name, value));
        }
        return await next(context);
    }

    /// <summary>Headers a proxy adds: behind one, every caller looks local (the proxy's loopback address) or says it is.</summary>
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded"];

    /// <summary>The standard switch (ASPNETCORE_FORWARDEDHEADERS_ENABLED) that makes ASP.NET Core take the caller's address from X-Forwarded-For.</summary>
    private const string ForwardedHeadersEnabled = "FORWARDEDHEADERS_ENABLED";

    private static IResult IssueDevToken(TokenRequest? request, HttpContext http, TokenService tokens, IConfiguration configuration)
    {
        // Loopback is the only proof of a local caller; a proxy (or forwarded-header processing, which
        // takes the address from a header anyone can send) makes it worthless.
        if (string.Equals(configuration[ForwardedHeadersEnabled], "true", StringComparison.OrdinalIgnoreCase))
            return Problems.Forbidden("Les jetons de développement sont refusés quand le serveur lit les en-têtes de proxy (ASPNETCORE_FORWARDEDHEADERS_ENABLED=true) : l'adresse de l'appelant n'est plus sûre.");
        if (ForwardingHeaders.FirstOrDefault(h => http.Request.Headers.ContainsKey(h)) is { } header)
            return Problems.Forbidden($"Les jetons de développement sont refusés aux requêtes passées par un proxy (en-tête {header}) : seuls les appels locaux directs en reçoivent.");
        if (http.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            return Problems.Forbidden("Les jetons de développement ne sont délivrés qu'aux appels locaux (loopback).");
        if (request is null) return Problems.Invalid("Corps JSON attendu : { \"role\": \"...\", \"name\": \"...\", \"scope\": \"...\" }.");
        if (request.Role is null || !Roles.All.Contains(request.Role))
            return Problems.Invalid($"Rôle « {request.Role} » inconnu : attendu l'un de {string.Join(", ", Roles.All)}.");
        var name = string.IsNullOrWhiteSpace(request.Name) ? request.Role : request.Name.Trim();
        if (request.Role == Roles.Examiner && !FieldRules.IsId(name))
            return Problems.Invalid($"Un examinateur agit sous son examiner_id : « name » doit être un identifiant ({FieldRules.IdRule}).");
        if (name.Length > 100) return Problems.Invalid("Le nom dépasse 100 caractères.");
        string? scope = null;
        if (request.Role is Roles.JuryPresident or Roles.CentreManager)
        {
            if (!FieldRules.IsId(request.Scope))
                return Problems.Invalid($"Le rôle {request.Role} exige « scope » : l'identifiant de son {(request.Role == Roles.JuryPresident ? "jury" : "centre")}.");
            scope = request.Scope;
        }
        return Results.Ok(new TokenResponse(tokens.Issue(new Actor(request.Role, name, scope))));
    }

    private static async Task<IResult> Import(string session, string kind, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Imports.Supported.Contains(kind))
            return Problems.Invalid(SessionImports.UnsupportedKindMessage(kind));
        if (request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Format non pris en charge", "Envoyez le fichier avec Content-Type: text/csv.");
        if (await Imports.ReadBodyAsync(request, request.HttpContext.RequestAborted) is not { } text)
            return Imports.TooLarge();

        using var reader = new StringReader(text);
        var outcome = await Imports.RunAsync(grains.Session(session), kind, reader, TokenService.ActorOf(user));
        if (outcome.Counts is not { } counts)
            return Problems.Invalid(SessionImports.RefusedMessage(kind, outcome.TotalErrors),
                outcome.Errors.Select(e => new { line = e.Line, column = e.Column, message = e.Message }), outcome.TotalErrors);
        return Results.Ok(new
        {
            created = counts.Created, updated = counts.Updated, unchanged = counts.Unchanged,
            removed = outcome.Removed,
            moved = outcome.Moved.Select(m => new { candidateNumber = m.CandidateNumber, fromJury = m.FromJury, toJury = m.ToJury }),
        });
    }

    private static async Task<IResult> ImportLog(string session, IGrainFactory grains) =>
        Results.Ok(await grains.Session(session).GetImportLog());

    private static async Task<IResult> ExportResults(string session, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = TokenService.ActorOf(user);
        BoardSnapshot[] boards;
        switch (actor.Role)
        {
            case Roles.Organiser:
                boards = await ResultsCsv.AllJuriesAsync(grains, session);
                break;
            case Roles.JuryPresident when actor.Scope is not null:
                boards = [await grains.Jury(session, actor.Scope).GetBoard()];
                break;
            default:
                return Problems.Forbidden("L'export des résultats est réservé à l'organisateur et aux présidents de jury (pour leur jury).");
        }
        return Results.Text(ResultsExport.Write(boards), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> GetDeliberationSettings(string session, IGrainFactory grains) =>
        Results.Ok(await grains.Session(session).GetDeliberationSettings());

    private static async Task<IResult> PutDeliberationSettings(string session, DeliberationSettingsRequest? body, IGrainFactory grains)
    {
        if (body is not { PassAverage: { } pass, SecondGroupAverage: { } second, ProfessionalAverage: { } pro, NearThresholdMargin: { } margin })
            return Problems.Invalid("Corps JSON attendu : { \"passAverage\": 10, \"secondGroupAverage\": 8, \"professionalAverage\": 10, \"nearThresholdMargin\": 0.5 }, tous les champs requis.");
        string[]? controle = null;
        if (body.ControleUnits is { } units)
        {
            var parsed = units.Select(u => SecondGroupRules.TryParseChoice(u, out var code) ? code.ToString() : null).ToArray();
            if (parsed.Any(u => u is null))
                return Problems.Invalid($"controleUnits : attendu des épreuves de contrôle parmi C_E1 (E1), C_E2 (E2), C_E3 (E3), reçu {string.Join(", ", units)}.");
            controle = [.. parsed.OfType<string>()];
        }
        return Results.Ok(await grains.Session(session).SetDeliberationSettings(new DeliberationSettings(pass, second, pro, margin, controle)));
    }

    private static async Task<IResult> ListJuries(string session, IGrainFactory grains) =>
        Results.Ok(await grains.Session(session).GetOverview());

    private static async Task<IResult> GetBoard(string session, string jury, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Policies.MayWatchJury(TokenService.ActorOf(user), jury))
            return Problems.Forbidden($"Le tableau du jury {jury} est réservé à son président et à l'organisateur.");
        return Results.Ok(await grains.Jury(session, jury).GetBoard());
    }

    private static async Task<IResult> CloseJury(string session, string jury, ClaimsPrincipal user, IGrainFactory grains) =>
        Results.Ok(await grains.Jury(session, jury).Close(TokenService.ActorOf(user)));

    private static async Task<IResult> GetCandidate(string session, string number, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = TokenService.ActorOf(user);
        var candidate = grains.Candidate(session, number);
        if (!await candidate.IsRegistered()) return Problems.NotFound($"Le candidat {number} n'est pas inscrit à la session {session}.");
        var view = await candidate.GetView();
        var allowed = actor.Role switch
        {
            Roles.Organiser => true,
            Roles.JuryPresident => actor.Scope == view.Registration.JuryId,
            Roles.Examiner => await candidate.IsExaminedBy(actor.Name),
            _ => false,
        };
        return allowed ? Results.Ok(view) : Problems.Forbidden($"Vous n'avez pas accès au candidat {number}.");
    }

    private static async Task<IResult> PutResult(string session, string number, string unit, ResultRequest? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = TokenService.ActorOf(user);
        if (actor.Role is not (Roles.Examiner or Roles.JuryPresident))
            return Problems.Forbidden("Seuls l'examinateur de la commission du candidat et le président de son jury saisissent un résultat.");
        if (body?.Result is null) return Problems.Invalid("Corps JSON attendu : { \"result\": \"12.5\" | \"ABS\" | ..., \"reason\": \"...\" }.");
        // An unregistered candidate refuses with NotFound.
        var candidate = grains.Candidate(session, number);
        await candidate.EnterResults([new ResultEntry(unit, body.Result, body.Reason, body.UnderReserve)], actor);
        return Results.Ok(await candidate.GetSummary());
    }

    private static async Task<IResult> LiftReserve(string session, string number, string unit, LiftReserveRequest? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (body is null) return Problems.Invalid("Corps JSON attendu : { \"reason\": \"...\", \"result\": \"(facultatif) nouvelle note\" }.");
        var candidate = grains.Candidate(session, number);
        if (!await candidate.IsRegistered()) return Problems.NotFound($"Le candidat {number} n'est pas inscrit à la session {session}.");
        return Results.Ok(await candidate.LiftReserve(unit, body.Result, body.Reason ?? "", TokenService.ActorOf(user)));
    }

    private static async Task<IResult> AcknowledgeLivret(string session, string number, ClaimsPrincipal user, IGrainFactory grains)
    {
        var candidate = grains.Candidate(session, number);
        if (!await candidate.IsRegistered()) return Problems.NotFound($"Le candidat {number} n'est pas inscrit à la session {session}.");
        return Results.Ok(await candidate.AcknowledgeLivret(TokenService.ActorOf(user)));
    }

    private static async Task<IResult> AssignExaminers(string session, string number, string unit, ExaminersRequest? body, IGrainFactory grains)
    {
        if (body?.ExaminerIds is not { Length: > 0 } ids || !ids.All(FieldRules.IsId))
            return Problems.Invalid("Corps JSON attendu : { \"examinerIds\": [\"EX01\", ...] } avec des identifiants d'examinateurs valides.");
        var candidate = grains.Candidate(session, number);
        if (!await candidate.IsRegistered()) return Problems.NotFound($"Le candidat {number} n'est pas inscrit à la session {session}.");
        await candidate.AssignExaminers(unit, ids);
        return Results.NoContent();
    }
}
