using System.Net;
using System.Net.Http.Headers;
using BtsCcst.Server.Operations;

namespace BtsCcst.Server.Tests.Operations;

/// <summary>The Orleans dashboard under /dashboard: organisers only, by header or by the cookie a browser gets.</summary>
[Collection(OperationsCollection.Name)]
public sealed class DashboardTests(OperationsHost host)
{
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/DashboardCounters")]
    public async Task Anonymous_callers_get_401_examiners_403_organisers_200(string path)
    {
        using (var anonymous = host.Anonymous())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        using (var examiner = await host.ClientAsync("examiner", "ECO1"))
            Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync(path)).StatusCode);
        using (var president = await host.ClientAsync("jury-president", "président J1", "J1"))
            Assert.Equal(HttpStatusCode.Forbidden, (await president.GetAsync(path)).StatusCode);
        using var organiser = await host.ClientAsync("organiser", "bureau-examens");
        var response = await organiser.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_browser_opens_it_with_the_token_in_the_address_and_then_passes_with_a_short_lived_cookie()
    {
        var token = await host.TokenAsync("organiser", "bureau-examens");
        using var http = host.Anonymous(followRedirects: false);

        var first = await http.GetAsync($"/dashboard?access_token={token}");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/dashboard/", first.Headers.Location!.OriginalString);
        var setCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(DashboardAccess.CookieName + "=", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];
        var cookieToken = cookie[(DashboardAccess.CookieName.Length + 1)..];
        Assert.NotEqual(token, cookieToken);

        // The page and its own requests pass with the cookie alone.
        foreach (var path in new[] { "/dashboard/", "/dashboard/index.min.js", "/dashboard/ClusterStats" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", cookie);
            var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }

        // The cookie's token opens the dashboard only: the API refuses it.
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/sessions/2024/juries");
        api.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cookieToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(api)).StatusCode);

        // A forged or stale cookie does not pass.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/dashboard/ClusterStats");
        forged.Headers.Add("Cookie", cookie[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task An_examiner_token_in_the_address_gets_403_and_no_cookie()
    {
        var token = await host.TokenAsync("examiner", "ECO1");
        using var http = host.Anonymous(followRedirects: false);
        var response = await http.GetAsync($"/dashboard/?access_token={token}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }
}
