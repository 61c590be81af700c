using System.Text.Json;
using BtsCcst.Grains.Abstractions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BtsCcst.Server.Api;

/// <summary>Every error leaves as application/problem+json, in French.</summary>
public static class Problems
{
    public static IResult Invalid(string detail, object? errors = null) => Problem(StatusCodes.Status400BadRequest, "Requête invalide", detail, errors);

    /// <summary>A refused file: its first errors listed, and how many there are in all (<c>errorCount</c>).</summary>
    public static IResult Invalid(string detail, object errors, int errorCount) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Requête invalide",
            extensions: new Dictionary<string, object?> { ["errors"] = errors, ["errorCount"] = errorCount });

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "Action non autorisée", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Introuvable", detail);

    public static IResult Problem(int status, string title, string detail, object? errors = null, IReadOnlyList<string>? subjects = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (errors is not null) extensions["errors"] = errors;
        if (subjects is { Count: > 0 }) extensions["subjects"] = subjects;
        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    /// <summary>
    /// A 413 the framework answers itself: a JSON route's body binding swallows Kestrel's refusal of a body over
    /// <see cref="Imports.MaxBytes"/> and leaves an empty 413, which UseStatusCodePages then writes as a problem.
    /// It says what the other refusals of an oversized body say.
    /// </summary>
    public static void InFrench(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is not { Status: StatusCodes.Status413PayloadTooLarge, Detail: null } problem) return;
        problem.Title = Imports.TooLargeTitle;
        problem.Detail = Imports.TooLargeDetail;
    }

    public static (int Status, string Title) Of(RefusalKind kind) => kind switch
    {
        RefusalKind.Forbidden => (StatusCodes.Status403Forbidden, "Action non autorisée"),
        RefusalKind.NotFound => (StatusCodes.Status404NotFound, "Introuvable"),
        RefusalKind.Conflict => (StatusCodes.Status409Conflict, "Action refusée"),
        _ => (StatusCodes.Status400BadRequest, "Requête invalide"),
    };
}

/// <summary>Turns a grain's refusal or a malformed request into a problem response.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails details;
        switch (exception)
        {
            case RefusedException refused:
                var (status, title) = Problems.Of(refused.Kind);
                details = new ProblemDetails { Status = status, Title = title, Detail = refused.Message };
                if (refused.Subjects.Length > 0) details.Extensions["subjects"] = refused.Subjects;
                break;
            // A body that does not read as the endpoint's JSON (RouteHandlerOptions.ThrowOnBadRequest is on in every
            // environment, so that it comes here instead of an empty English 400).
            case BadHttpRequestException { InnerException: JsonException json }:
                details = new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Requête invalide",
                    Detail = JsonBodies.UnreadableMessage(json),
                };
                break;
            // Kestrel's MaxRequestBodySize, set to the same limit (HostSetup).
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                details = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = Imports.TooLargeTitle,
                    Detail = Imports.TooLargeDetail,
                };
                break;
            case BadHttpRequestException:
                details = new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Requête invalide",
                    Detail = "Le corps de la requête est illisible : attendu un JSON conforme à la route (voir /scalar/v1).",
                };
                break;
            // A silo that just died or does not answer: the request may or may not have been applied, and
            // the same request succeeds once the cluster has moved the grain (a few seconds). Entries are
            // idempotent (the same result again changes nothing), so the user is told to retry.
            // Orleans also cancels a message whose placement outlived it ("Message expired before placement could
            // complete") while a dead silo's grains move: the same case, unless the client itself went away.
            case SiloUnavailableException or OrleansMessageRejectionException or TimeoutException:
            case OperationCanceledException when !context.RequestAborted.IsCancellationRequested:
                details = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service momentanément indisponible",
                    Detail = "Un serveur du cluster vient de s'arrêter ou ne répond pas : la demande n'a peut-être pas abouti. Réessayez dans quelques secondes (renvoyer la même saisie est sans risque).",
                };
                context.Response.Headers.RetryAfter = "5";
                break;
            case var _ when StorageFailure.Of(exception) is { } failure:
                details = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service momentanément indisponible",
                    Detail = StorageUnavailableException.NotStoredMessage,
                };
                context.Response.Headers.RetryAfter = StorageFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.RequestServices.GetRequiredService<ILogger<ProblemExceptionHandler>>()
                    .LogWarning("Storage failure answered 503 on {Method} {Path}: {Cause}", context.Request.Method, context.Request.Path, failure);
                break;
            default:
                return false;
        }
        context.Response.StatusCode = details.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }
}

/// <summary>
/// Recognises a failure of the grain storage anywhere in an exception's chain: a grain's own
/// <see cref="StorageUnavailableException"/> (nothing stored, retry), a driver's exception from a
/// read at activation, or an ETag conflict. All mean "try again shortly"; none is the user's fault.
/// </summary>
public static class StorageFailure
{
    /// <summary>Seconds a client waits before sending the same request again.</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>The cause to log, or null when <paramref name="exception"/> is not a storage failure.</summary>
    public static string? Of(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StorageUnavailableException storage:
                    return storage.Cause;
                case System.Data.Common.DbException or Orleans.Storage.InconsistentStateException:
                    return $"{e.GetType().FullName}: {e.Message}";
                case AggregateException aggregate when aggregate.InnerExceptions.Select(Of).FirstOrDefault(c => c is not null) is { } inner:
                    return inner;
            }
        }
        return null;
    }
}
