using System.Security.Claims;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BtsCcst.Server.Operations;

/// <summary>
/// Who may open the Orleans dashboard (/dashboard): organisers only. A script sends its token as
/// usual (Authorization: Bearer). A browser cannot add that header to the dashboard's own requests,
/// so it opens /dashboard?access_token=TOKEN once: the server checks the token, answers with a
/// short-lived HttpOnly cookie (path /dashboard, SameSite=Lax) holding a dashboard-only token,
/// and redirects to /dashboard/ without the token in the address. That cookie's token has its own
/// audience: the API and the hubs refuse it, and it expires after <see cref="CookieLifetime"/>
/// (or with the organiser's token, if sooner). It is signed with the token key, so any silo of a
/// PostgreSQL cluster accepts it.
/// </summary>
public static class DashboardAccess
{
    public const string Path = "/dashboard";

    /// <summary>Authentication scheme reading the token from the cookie or from ?access_token=.</summary>
    public const string Scheme = "BtsCcstDashboard";

    public const string Policy = "dashboard";

    public const string CookieName = "btsccst_dashboard";

    public const string Audience = "btsccst-dashboard";

    public const string QueryKey = "access_token";

    public static readonly TimeSpan CookieLifetime = TimeSpan.FromMinutes(30);

    public static void AddDashboardAccess(this IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<TokenService>((jwt, tokens) =>
        {
            jwt.MapInboundClaims = false;
            var parameters = tokens.ValidationParameters;
            parameters.ValidAudience = null;
            parameters.ValidAudiences = [TokenService.Audience, Audience];
            jwt.TokenValidationParameters = parameters;
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    var request = context.HttpContext.Request;
                    if (!request.Path.StartsWithSegments(Path)) return Task.CompletedTask;
                    if (request.Query[QueryKey] is { Count: > 0 } query) context.Token = query;
                    else if (request.Cookies[CookieName] is { Length: > 0 } cookie) context.Token = cookie;
                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorization(options => options.AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme, Scheme)
            .RequireClaim(TokenService.RoleClaim, Roles.Organiser)));
    }

    /// <summary>
    /// Runs after authorisation on every dashboard route: a request that brought its token in the
    /// address gets the cookie and is sent on to the same page without the token.
    /// </summary>
    public static async ValueTask<object?> ExchangeQueryToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (!request.Query.ContainsKey(QueryKey)) return await next(context);

        var tokens = http.RequestServices.GetRequiredService<TokenService>();
        var expires = DateTimeOffset.UtcNow.Add(CookieLifetime);
        if (http.User.FindFirstValue(JwtRegisteredClaimNames.Exp) is { } exp && long.TryParse(exp, out var seconds))
        {
            var tokenExpiry = DateTimeOffset.FromUnixTimeSeconds(seconds);
            if (tokenExpiry < expires) expires = tokenExpiry;
        }

        http.Response.Cookies.Append(CookieName, Issue(tokens, http.User, expires), new CookieOptions
        {
            HttpOnly = true,
            // Lax, not Strict: a link to the dashboard from elsewhere still opens it; every dashboard route is a read-only GET.
            SameSite = SameSiteMode.Lax,
            Secure = request.IsHttps,
            Path = Path,
            Expires = expires,
            IsEssential = true,
        });

        var path = request.Path.Value is { } value && value != Path ? value : Path + "/";
        var query = QueryString.Create(request.Query
            .Where(q => q.Key != QueryKey)
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
        return Results.Redirect($"{request.PathBase}{path}{query}");
    }

    private static string Issue(TokenService tokens, ClaimsPrincipal user, DateTimeOffset expires)
    {
        var actor = TokenService.ActorOf(user);
        var claims = new Dictionary<string, object> { [TokenService.RoleClaim] = actor.Role, [TokenService.NameClaim] = actor.Name };
        if (!string.IsNullOrEmpty(actor.Scope)) claims[TokenService.ScopeClaim] = actor.Scope;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenService.Issuer,
            Audience = Audience,
            Claims = claims,
            NotBefore = DateTime.UtcNow.AddSeconds(-5),
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(tokens.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
