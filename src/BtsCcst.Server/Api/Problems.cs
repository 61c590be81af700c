using BtsCcst.Grains.Abstractions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BtsCcst.Server.Api;

/// <summary>Every error leaves as application/problem+json, in French.</summary>
public static class Problems
{
    public static IResult Invalid(string detail, object? errors = null) => Problem(StatusCodes.Status400BadRequest, "Requête invalide", detail, errors);

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "Action non autorisée", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Introuvable", detail);

    public static IResult Problem(int status, string title, string detail, object? errors = null, IReadOnlyList<string>? subjects = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (errors is not null) extensions["errors"] = errors;
        if (subjects is { Count: > 0 }) extensions["subjects"] = subjects;
        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
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
            case BadHttpRequestException bad:
                details = new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Requête invalide",
                    Detail = $"Le corps de la requête est illisible : attendu un JSON conforme ({bad.Message}).",
                };
                break;
            default:
                return false;
        }
        context.Response.StatusCode = details.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }
}
