using System.Net;
using System.Net.Http.Json;
using BtsCcst.Server.Auth;

namespace BtsCcst.Server.Tests.Auth;

/// <summary>Repeated sign-in failures from one address are throttled; the audit trail keeps each failure.</summary>
public sealed class SignInThrottleTests
{
    [Fact]
    public async Task After_the_failures_allowed_an_address_is_refused_with_429_even_with_a_good_link()
    {
        await using var server = new AccessHost();
        server.Start();
        var link = await server.FirstOrganiserLinkAsync();
        using var http = server.CookieClient();
        for (var i = 0; i < SignInThrottle.FailuresAllowed; i++)
        {
            var wrong = await http.PostAsJsonAsync("/api/access/sign-in", new { code = $"faux-code-{i}" });
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            Assert.Contains("n'est pas valide", await wrong.Content.ReadAsStringAsync());
        }
        var throttled = await AccessHost.SignInAsync(http, link);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Trop de liens refusés", await throttled.Content.ReadAsStringAsync());

        using var organiser = await server.OrganiserAsync();
        var audit = await organiser.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/sessions/2024/accesses/audit");
        Assert.Equal(SignInThrottle.FailuresAllowed, audit!.Count(e => e.GetProperty("kind").GetString() == "sign-in-failed"));
    }
    [Fact]
    public async Task Behind_a_proxy_failures_are_counted_per_forwarded_address_and_the_cookie_is_Secure_over_HTTPS()
    {
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, as a silo behind HAProxy (option forwardfor): every caller comes
        // from the proxy's address, the caller's own is in X-Forwarded-For.
        await using var server = new AccessHost(new Dictionary<string, string> { ["FORWARDEDHEADERS_ENABLED"] = "true" });
        server.Start();
        var link = await server.FirstOrganiserLinkAsync();
        using var http = server.CookieClient();
        Task<HttpResponseMessage> SignInFrom(string address, string code, string scheme = "http")
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/access/sign-in") { Content = JsonContent.Create(new { code }) };
            request.Headers.Add("X-Forwarded-For", address);
            request.Headers.Add("X-Forwarded-Proto", scheme);
            return http.SendAsync(request);
        }
        for (var i = 0; i < SignInThrottle.FailuresAllowed; i++)
            Assert.Equal(HttpStatusCode.Forbidden, (await SignInFrom("203.0.113.7", $"faux-code-{i}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInFrom("203.0.113.7", "faux-code")).StatusCode);

        // Another school behind the same proxy is not throttled; over HTTPS its cookie is Secure.
        var signIn = await SignInFrom("198.51.100.20", AccessHost.CodeOf(link), "https");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("btsccst-acces=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        // The audit trail names the caller's address, not the proxy's.
        var events = await AuditAsync(server, signIn);
        Assert.All(events.Where(e => e.GetProperty("kind").GetString() == "sign-in-failed"), e => Assert.Equal("203.0.113.7", e.GetProperty("address").GetString()));
        Assert.Equal("198.51.100.20", events.Single(e => e.GetProperty("kind").GetString() == "signed-in").GetProperty("address").GetString());
    }

    /// <summary>The audit trail read with the organiser's cookie (a Secure cookie the client would not send over plain HTTP).</summary>
    private static async Task<System.Text.Json.JsonElement[]> AuditAsync(AccessHost server, HttpResponseMessage signIn)
    {
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("btsccst-acces=", StringComparison.Ordinal)).Split(';')[0];
        using var organiser = server.Anonymous();
        organiser.DefaultRequestHeaders.Add("Cookie", cookie);
        return (await organiser.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/sessions/2024/accesses/audit"))!;
    }
}
