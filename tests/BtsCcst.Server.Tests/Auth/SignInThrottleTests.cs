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
}
