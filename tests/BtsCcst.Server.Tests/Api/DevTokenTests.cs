using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BtsCcst.Server.Tests.Api;

/// <summary>
/// The development token route trusts loopback callers only, so it refuses whatever may make a remote
/// caller look local: forwarding headers (a proxy on the same host), or forwarded-header processing.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DevTokenTests(ServerFixture server)
{
    [Theory]
    [InlineData("X-Forwarded-For", "127.0.0.1")]
    [InlineData("X-Forwarded-Host", "localhost")]
    [InlineData("X-Forwarded-Proto", "http")]
    [InlineData("Forwarded", "for=127.0.0.1")]
    public async Task A_request_carrying_a_forwarding_header_is_refused(string header, string value)
    {
        using var anonymous = server.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/dev/tokens")
        {
            Content = JsonContent.Create(new { role = "organiser", name = "bureau" }),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(header, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_direct_local_call_still_gets_its_token()
    {
        using var anonymous = server.Anonymous();
        var response = await anonymous.PostAsJsonAsync("/api/dev/tokens", new { role = "organiser", name = "bureau" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_forwarded_header_processing_on_the_route_refuses_every_caller()
    {
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true: ASP.NET Core takes the caller's address from X-Forwarded-For.
        await using var host = new ForwardedHeadersHost();
        host.Start();
        using var anonymous = host.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/dev/tokens")
        {
            Content = JsonContent.Create(new { role = "organiser", name = "bureau" }),
        };
        request.Headers.Add("X-Forwarded-For", "127.0.0.1");

        var forwarded = await anonymous.SendAsync(request);
        var direct = await anonymous.PostAsJsonAsync("/api/dev/tokens", new { role = "organiser", name = "bureau" });

        Assert.Equal(HttpStatusCode.Forbidden, forwarded.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        Assert.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED", (await direct.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    private sealed class ForwardedHeadersHost() : TestHost(new Dictionary<string, string> { ["FORWARDEDHEADERS_ENABLED"] = "true" });
}
