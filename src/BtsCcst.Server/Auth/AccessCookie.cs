using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using BtsCcst.Grains.Abstractions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection.Repositories;
using System.Xml.Linq;

namespace BtsCcst.Server.Auth;

/// <summary>
/// The sign-in cookie of a personal access. Its value is a token signed like the bearer tokens (so every silo that
/// shares the signing key reads it), carrying the access id; the JWT handler takes it from the cookie when a request
/// carries no bearer token, and every use is checked against the access grain (<see cref="AccessCheck"/>).
/// </summary>
public static class AccessCookie
{
    public const string Name = "btsccst-acces";

    /// <summary>Set on the request by the JWT handler when the token came from the cookie (antiforgery applies then).</summary>
    public const string FromCookieItem = "btsccst-from-cookie";

    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static CookieOptions Options(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        // Secure behind HTTPS (a proxy in front must forward the scheme); plain HTTP on a local embedded server.
        Secure = request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    /// <summary>Where the JWT handler finds the token: the Authorization header, a hub's query (browsers cannot set headers there), or the cookie.</summary>
    public static Task OnMessageReceived(MessageReceivedContext context)
    {
        var request = context.HttpContext.Request;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > "Bearer ".Length)
            return Task.CompletedTask;
        if (request.Path.StartsWithSegments("/hubs") && request.Query["access_token"] is { Count: > 0 } token && !string.IsNullOrEmpty(token))
            context.Token = token;
        else if (request.Cookies.TryGetValue(Name, out var cookie) && cookie.Length > 0)
        {
            context.Token = cookie;
            context.HttpContext.Items[FromCookieItem] = true;
        }
        return Task.CompletedTask;
    }

    /// <summary>A token of a personal access holds only while the access does: revoked or signed out, it fails.</summary>
    public static async Task OnTokenValidated(TokenValidatedContext context)
    {
        if (context.Principal?.FindFirst(TokenService.AccessClaim)?.Value is not { } accessId) return;
        var check = context.HttpContext.RequestServices.GetRequiredService<AccessCheck>();
        if (!await check.IsActiveAsync(accessId)) context.Fail("Accès révoqué ou terminé.");
    }

    /// <summary>Antiforgery on writes authenticated by the cookie (a bearer token is never sent by a browser on its own).</summary>
    public static async Task CheckAntiforgery(HttpContext http, Func<Task> next)
    {
        if (http.Items.ContainsKey(FromCookieItem) && http.User.Identity?.IsAuthenticated == true
            && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method)
            && http.Request.Path.StartsWithSegments("/api")
            // Opening a new link while signed in replaces the cookie; the sign-in takes no identity from it.
            && !http.Request.Path.StartsWithSegments("/api/access/sign-in"))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                await Api.Problems.Forbidden("Requête refusée : jeton anti-falsification (en-tête X-CSRF-TOKEN) absent ou invalide. Rechargez la page.").ExecuteAsync(http);
                return;
            }
        }
        await next();
    }
}

/// <summary>
/// Whether personal accesses still hold, asked of the access grain and kept <see cref="Freshness"/> on this silo: a
/// revocation or sign-out on any silo is seen everywhere within that time (and open hub connections are ended by
/// <see cref="AccessHubWatch"/>).
/// </summary>
public sealed class AccessCheck(IGrainFactory grains, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (bool Active, DateTimeOffset At)> _known = new();

    public async Task<bool> IsActiveAsync(string accessId)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(accessId, out var known) && now - known.At < Freshness) return known.Active;
        var active = await grains.Accesses().IsActive(accessId);
        _known[accessId] = (active, now);
        return active;
    }

    /// <summary>Forgets what this silo knew (after a sign-out or revocation here: effective at once on this silo).</summary>
    public void Forget(string accessId) => _known.TryRemove(accessId, out _);
}

/// <summary>
/// Repeated sign-in failures from one address are throttled: <see cref="FailuresAllowed"/> per <see cref="Window"/>
/// (ASP.NET Core's rate limiting primitives, System.Threading.RateLimiting); a successful sign-in costs nothing, so a
/// school behind one address signs everyone in.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public const int FailuresAllowed = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = FailuresAllowed, Window = Window, QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Whether the address may try again now (failures left in its window).</summary>
    public bool MayTry(string address)
    {
        using var lease = _failures.AttemptAcquire(address, 0);
        return lease.IsAcquired;
    }

    public void RecordFailure(string address)
    {
        using var _ = _failures.AttemptAcquire(address, 1);
    }

    public void Dispose() => _failures.Dispose();
}

/// <summary>
/// The ASP.NET Core data protection keys (antiforgery tokens) kept in grain storage, so that every silo of a cluster
/// reads the tokens another issued.
/// </summary>
public sealed class GrainXmlRepository(IGrainFactory grains) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        grains.GetGrain<IDataProtectionKeysGrain>(AccessGrainKeys.Key).GetAll().GetAwaiter().GetResult()
            .Select(x => XElement.Parse(x)).ToArray();

    public void StoreElement(XElement element, string friendlyName) =>
        grains.GetGrain<IDataProtectionKeysGrain>(AccessGrainKeys.Key).Store(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
}

/// <summary>
/// Loads (or creates) the data protection key ring once the server listens, so that the first antiforgery token a page
/// asks for does not wait for the grain storage on a request thread.
/// </summary>
public sealed class DataProtectionWarmUp(Microsoft.AspNetCore.DataProtection.IDataProtectionProvider provider, IHostApplicationLifetime lifetime,
    ILogger<DataProtectionWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var _ = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        try
        {
            await Task.Run(() => provider.CreateProtector("btsccst-warm-up").Protect([1]), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The first antiforgery token loads it then.
            logger.LogWarning("Data protection key ring not loaded at start: {Message}", e.Message);
        }
    }
}
