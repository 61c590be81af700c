using System.Security.Claims;
using System.Text;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Api;
using BtsCcst.Server.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace BtsCcst.Server.Auth;

public sealed record SignInRequest(string? Code);

public sealed record IssueAccessRequest(string? PersonId, string? Role, string? Name, string? Email, int? ValidityDays, bool Send = false);

/// <summary>An access as the organiser sees it, with its link when just issued.</summary>
public sealed record AccessLink(string AccessId, string PersonId, string Name, string Email, string Role, string? Scope, string Status,
    DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string? Link);

/// <summary>Personal accesses: sign-in by link, the cookie, and the organiser's routes to issue, list and revoke.</summary>
public static class AccessEndpoints
{
    public const int DefaultValidityDays = 7;
    public const int MaxValidityDays = 60;

    public static void AddBtsCcstAccess(this IServiceCollection services)
    {
        services.AddSingleton<AccessCheck>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AccessHubWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessHubWatch>());
        services.AddSingleton<AccessMailer>();
        services.AddSingleton<FirstOrganiserAccess>();
        services.AddHostedService(sp => sp.GetRequiredService<FirstOrganiserAccess>());
        services.AddAntiforgery(options =>
        {
            options.HeaderName = AccessCookie.AntiforgeryHeader;
            options.Cookie.Name = "btsccst-af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // The silos of a cluster share the key ring that protects antiforgery tokens through grain storage.
        services.AddDataProtection().SetApplicationName("btsccst");
        services.AddHostedService<DataProtectionWarmUp>();
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(sp =>
            new ConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
                o.XmlRepository = new GrainXmlRepository(sp.GetRequiredService<IGrainFactory>())));
    }

    public static void MapBtsCcstAccess(this WebApplication app)
    {
        var access = app.MapGroup("/api/access").WithTags("Accès").ValidateJsonBodies();
        access.MapPost("/sign-in", SignIn).AllowAnonymous()
            .WithSummary("Opens a personal access link (its code, single-use): sets the sign-in cookie. Failures are throttled per address.");
        access.MapGet("/me", Me).RequireAuthorization()
            .WithSummary("Who is signed in (cookie or bearer token), and the antiforgery token cookie-authenticated writes send in X-CSRF-TOKEN.");
        access.MapPost("/sign-out", SignOut).RequireAuthorization().WithSummary("Ends the cookie's access on every silo within seconds.");

        var session = app.MapGroup("/api/sessions/{session}").RequireAuthorization(Policies.Organiser).WithTags("Accès")
            .AddEndpointFilter(Endpoints.ValidateRouteIds).ValidateJsonBodies();
        session.MapGet("/people", People).WithSummary("Who takes part, in which role and scope, from juries.csv, examiners.csv and centres.csv.");
        session.MapGet("/accesses", List).WithSummary("The personal accesses: who, role, scope, issued, last used, status.");
        session.MapPost("/accesses", Issue)
            .WithSummary("Issues personal access links for one person (personId) or everyone of a role; JSON, or CSV (name,email,role,scope,link) with Accept: text/csv; send: true mails them.");
        session.MapPost("/accesses/{accessId}/revoke", Revoke).WithSummary("Revokes an access: refused on every silo within 5 s, open pages included.");
        session.MapGet("/accesses/audit", Audit).WithSummary("The audit trail: issues, sign-ins, failures, revocations, sign-outs, e-mails.");
        session.MapGet("/accesses/mailings/{jobId}", Mailing).WithSummary("A mailing's progress and its failures.");
    }

    private static async Task<IResult> SignIn(SignInRequest? body, HttpContext http, IGrainFactory grains, SignInThrottle throttle, TokenService tokens,
        TimeProvider clock)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "inconnue";
        if (!throttle.MayTry(address))
            return Problems.Problem(StatusCodes.Status429TooManyRequests, "Trop de tentatives",
                $"Trop de liens refusés depuis votre adresse : réessayez dans {SignInThrottle.Window.TotalMinutes:0} minutes.");
        var code = body?.Code?.Trim() ?? "";
        AccessView access;
        try
        {
            if (code.Length is 0 or > 200) throw new RefusedException(RefusalKind.Forbidden, "Ce lien d'accès n'est pas valide : vérifiez qu'il est complet.");
            access = await grains.Accesses().SignIn(code, address);
        }
        catch (RefusedException refused)
        {
            throttle.RecordFailure(address);
            return Problems.Forbidden(refused.Message);
        }
        var expires = access.SignedInAt!.Value + BtsCcst.Grains.Access.AccessGrain.SessionLifetime;
        var token = tokens.Issue(access.Person.Actor, access.AccessId, access.Person.SessionId, expires.UtcDateTime);
        http.Response.Cookies.Append(AccessCookie.Name, token, AccessCookie.Options(http.Request, expires));
        var actor = access.Person.Actor;
        var home = await ExaminerHomeAsync(grains, actor, access.Person.SessionId, clock) ?? Home(actor, access.Person.SessionId);
        return Results.Ok(Describe(actor, access.Person.SessionId, access.Person.DisplayName, "cookie", home));
    }

    private static object Describe(Actor actor, string? session, string displayName, string via, string? home = null) => new
    {
        role = actor.Role, name = actor.Name, scope = actor.Scope, session, displayName, via, home = home ?? Home(actor, session),
    };

    /// <summary>
    /// An examiner starts from their commission's page: of the adopted plan, their first day from today on (else their
    /// last day), the commission of their first exam that day. Null without a plan or without a slot for them.
    /// </summary>
    private static async Task<string?> ExaminerHomeAsync(IGrainFactory grains, Actor actor, string? session, TimeProvider clock)
    {
        if (actor.Role != Roles.Examiner || session is null) return null;
        ScheduleRow[] slots;
        try
        {
            slots = [.. (await BtsCcst.Server.Planning.PlanningEndpoints.AdoptedScheduleAsync(grains, session))
                .Where(r => r.ExaminerIds.Contains(actor.Name, StringComparer.Ordinal))
                .OrderBy(r => r.Date).ThenBy(r => r.ExamStart)];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The code is used already: a plan that cannot be read now must not cost the person their sign-in.
            return null;
        }
        if (slots.Length == 0) return null;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var day = slots.FirstOrDefault(r => r.Date >= today)?.Date ?? slots[^1].Date;
        var first = slots.First(r => r.Date == day);
        return $"/commission/{Uri.EscapeDataString(first.CommissionId)}?session={Uri.EscapeDataString(session)}"
               + $"&centre={Uri.EscapeDataString(first.CentreId)}&date={day:yyyy-MM-dd}";
    }

    /// <summary>The page a person starts from once signed in.</summary>
    public static string Home(Actor actor, string? session)
    {
        var query = session is null ? "" : $"?session={Uri.EscapeDataString(session)}";
        return actor.Role switch
        {
            Roles.JuryPresident when actor.Scope is not null => $"/jury/{Uri.EscapeDataString(actor.Scope)}{query}",
            Roles.CentreManager when actor.Scope is not null => $"/centre/{Uri.EscapeDataString(actor.Scope)}{query}",
            Roles.Organiser => $"/workspace{query}",
            _ => $"/{query}",
        };
    }

    private static IResult Me(HttpContext http, ClaimsPrincipal user, IAntiforgery antiforgery)
    {
        var actor = TokenService.ActorOf(user);
        var fromCookie = http.Items.ContainsKey(AccessCookie.FromCookieItem);
        var session = user.FindFirstValue(TokenService.SessionClaim);
        var described = Describe(actor, session, actor.Name, fromCookie ? "cookie" : "bearer");
        var requestToken = fromCookie ? antiforgery.GetAndStoreTokens(http).RequestToken : null;
        return Results.Ok(new { me = described, antiforgery = requestToken });
    }

    private static async Task<IResult> SignOut(HttpContext http, ClaimsPrincipal user, IGrainFactory grains, AccessCheck check)
    {
        if (user.FindFirstValue(TokenService.AccessClaim) is { } accessId)
        {
            await grains.Accesses().SignOut(accessId);
            check.Forget(accessId);
        }
        http.Response.Cookies.Delete(AccessCookie.Name, AccessCookie.Options(http.Request, null));
        return Results.NoContent();
    }

    private static async Task<IResult> People(string session, IGrainFactory grains)
    {
        return Results.Ok(await grains.Session(session).GetPeople());
    }

    private static async Task<IResult> List(string session, IGrainFactory grains)
    {
        return Results.Ok((await grains.Accesses().List(session)).Select(a => new
        {
            a.AccessId, a.Person.PersonId, name = a.Person.DisplayName, a.Person.Email, a.Person.Role, a.Person.Scope, a.Status,
            a.IssuedAt, issuedBy = a.IssuedBy.ToString(), a.ExpiresAt, a.SignedInAt, a.LastUsedAt, a.EndedAt, a.MailedAt,
        }));
    }

    private static async Task<IResult> Revoke(string session, string accessId, ClaimsPrincipal user, IGrainFactory grains, AccessCheck check)
    {
        if (accessId.Length != 32 || !accessId.All(Uri.IsHexDigit)) return Problems.Invalid($"Identifiant d'accès « {accessId} » invalide.");
        var revoked = await grains.Accesses().Revoke(accessId, TokenService.ActorOf(user));
        check.Forget(accessId);
        return Results.Ok(new { revoked.AccessId, revoked.Status, revoked.EndedAt });
    }

    private static async Task<IResult> Audit(string session, IGrainFactory grains) => Results.Ok(await grains.Accesses().GetAudit(session));

    private static async Task<IResult> Mailing(string session, string jobId, IGrainFactory grains) =>
        await grains.Accesses().GetMailing(jobId) is { } job && job.SessionId == session
            ? Results.Ok(new { job.JobId, job.Total, job.Sent, job.Skipped, job.Failures, job.Done, job.StartedAt, job.FinishedAt })
            : Problems.NotFound($"Envoi {jobId} inconnu dans la session {session}.");

    private static async Task<IResult> Issue(string session, IssueAccessRequest? body, HttpContext http, ClaimsPrincipal user,
        IGrainFactory grains, IOptions<BtsCcstOptions> options, AccessMailer mailer)
    {
        if (body is null) return Problems.Invalid("Corps JSON attendu : { \"personId\": \"examiner:EX01\" } ou { \"role\": \"examiner\" }, et facultativement \"validityDays\" (7 par défaut) et \"send\": true.");
        var days = body.ValidityDays ?? DefaultValidityDays;
        if (days is < 1 or > MaxValidityDays) return Problems.Invalid($"validityDays : de 1 à {MaxValidityDays} jours (reçu {days}).");
        if (body.Send && !options.Value.Smtp.IsConfigured)
            return Problems.Problem(StatusCodes.Status409Conflict, "Envoi impossible", "Aucun serveur SMTP n'est configuré (BtsCcst:Smtp:Host) : téléchargez la liste des liens (CSV) pour un publipostage.");
        var (people, error) = await Recipients(session, body, grains);
        if (error is not null) return Problems.Invalid(error);

        var by = TokenService.ActorOf(user);
        var validity = TimeSpan.FromDays(days);
        var issued = await grains.Accesses().IssueMany(people, validity, by);
        var baseUrl = LinkBase(options.Value, http.Request);
        var links = issued.Select(i => ToLink(i, baseUrl)).ToArray();

        MailJob? job = null;
        if (body.Send) job = await mailer.StartAsync(session, issued, baseUrl, by);
        if (WantsCsv(http.Request)) return Results.Text(Csv(links), "text/csv; charset=utf-8");
        return Results.Ok(new { accesses = links, mailing = job?.JobId });
    }

    /// <summary>The people the request names: one (personId), every one of a role, or a new organiser (role organiser and a name).</summary>
    private static async Task<(Person[] People, string? Error)> Recipients(string session, IssueAccessRequest body, IGrainFactory grains)
    {
        if (body.Role == Roles.Organiser && body.PersonId is null)
        {
            var name = body.Name?.Trim() ?? "";
            if (name.Length is 0 or > 80) return ([], "Un organisateur se nomme : « name » de 1 à 80 caractères.");
            var email = body.Email?.Trim() ?? "";
            if (email.Length > 0 && !ExaminersCsv.IsEmail(email)) return ([], $"Adresse électronique « {email} » invalide.");
            return ([new Person($"{Roles.Organiser}:{FieldRules.Fold(name).Replace(' ', '-')}", Roles.Organiser, name, null, name, email, session)], null);
        }
        var people = await grains.Session(session).GetPeople();
        if (body.PersonId is { } id)
            return people.FirstOrDefault(p => p.PersonId == id) is { } one
                ? one.MayHaveAccess ? ([one], null) : ([], $"{one.DisplayName} ({one.Role}) n'a pas de rôle qui donne accès aux pages.")
                : ([], $"Personne « {id} » inconnue dans la session {session} : voyez GET /api/sessions/{session}/people.");
        if (body.Role is { } role)
        {
            if (!Roles.All.Contains(role)) return ([], $"Rôle « {role} » inconnu : attendu l'un de {string.Join(", ", Roles.All)}.");
            var ofRole = people.Where(p => p.Role == role).ToArray();
            return ofRole.Length > 0 ? (ofRole, null) : ([], $"Personne n'a le rôle {role} dans la session {session} (voyez les fichiers importés).");
        }
        return ([], "Indiquez « personId » (une personne) ou « role » (toutes les personnes de ce rôle).");
    }

    public static string LinkBase(BtsCcstOptions options, HttpRequest? request) =>
        (options.PublicUrl is { Length: > 0 } url ? url : $"{request!.Scheme}://{request.Host}").TrimEnd('/');

    /// <summary>The code travels in the fragment: it never reaches a server's logs, and opening the page does not use it.</summary>
    public static string LinkOf(string baseUrl, string code) => $"{baseUrl}/connexion#code={code}";

    private static AccessLink ToLink(IssuedAccess issued, string baseUrl)
    {
        var a = issued.Access;
        return new AccessLink(a.AccessId, a.Person.PersonId, a.Person.DisplayName, a.Person.Email, a.Person.Role, a.Person.Scope, a.Status,
            a.IssuedAt, a.ExpiresAt, LinkOf(baseUrl, issued.Code));
    }

    private static bool WantsCsv(HttpRequest request) =>
        request.Query["format"] == "csv" || request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);

    public static string Csv(IEnumerable<AccessLink> links)
    {
        var csv = new StringBuilder("name,email,role,scope,link\n");
        foreach (var l in links) csv.Append(string.Join(",", new[] { l.Name, l.Email, l.Role, l.Scope ?? "", l.Link ?? "" }.Select(Field))).Append('\n');
        return csv.ToString();
    }

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
