using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Xunit.Abstractions;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// A personal access across silos: signed in through one silo, its cookie works on the other, an antiforgery token of
/// one silo is accepted by the other (the data protection keys are in grain storage), and a revocation or a sign-out
/// through one silo is refused by both within 5 s. Through HAProxy, sign-in failures count per caller, not per proxy.
/// </summary>
public sealed class AccessAcrossSilosTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    private const string Session = "cl-access";

    [Fact]
    public Task A_cookie_works_on_both_silos_its_revocation_or_sign_out_is_refused_by_both_within_5_s_and_the_proxy_throttles_per_caller() =>
        OnClusterAsync("access", async cluster =>
    {
        var (silo1, silo2) = (cluster.Silos[0], cluster.Silos[1]);
        using var organiser = cluster.Client(silo1.Address, TestCluster.Organiser);
        var issued = await IssueAsync(organiser, "Mme Grappe");

        // One browser: cookies of 127.0.0.1 go to both silos (a cookie is not bound to a port), as behind one address.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync(new Uri(silo2.Address, "/api/access/sign-in"), new { code = CodeOf(issued) })).StatusCode);
        var me = await browser.GetFromJsonAsync<JsonElement>(new Uri(silo1.Address, "/api/access/me"));
        Assert.Equal("cookie", me.GetProperty("me").GetProperty("via").GetString());

        using var write = new HttpRequestMessage(HttpMethod.Post, new Uri(silo2.Address, $"/api/sessions/{Session}/accesses"))
        {
            Content = JsonContent.Create(new { role = "organiser", name = "Mme Adjointe" }),
        };
        write.Headers.Add("X-CSRF-TOKEN", me.GetProperty("antiforgery").GetString());
        var written = await browser.SendAsync(write);
        Assert.True(written.IsSuccessStatusCode, await written.Content.ReadAsStringAsync());

        Assert.True((await organiser.PostAsync($"/api/sessions/{Session}/accesses/{issued.GetProperty("accessId").GetString()}/revoke", null)).IsSuccessStatusCode);
        await RefusedByBothWithin5sAsync(cluster, "revoked", silo => browser.GetAsync(new Uri(silo.Address, "/api/access/me")));

        // Signed out through silo 2, the cookie's token (kept aside: the answer deletes the cookie) is refused by both.
        var jar = new CookieContainer();
        using var signedOut = new HttpClient(new HttpClientHandler { CookieContainer = jar });
        Assert.Equal(HttpStatusCode.OK, (await signedOut.PostAsJsonAsync(new Uri(silo1.Address, "/api/access/sign-in"), new { code = CodeOf(await IssueAsync(organiser, "M. Sortant")) })).StatusCode);
        var cookie = jar.GetCookies(silo1.Address)["btsccst-acces"]!.Value;
        var token = (await signedOut.GetFromJsonAsync<JsonElement>(new Uri(silo2.Address, "/api/access/me"))).GetProperty("antiforgery").GetString();
        using var signOut = new HttpRequestMessage(HttpMethod.Post, new Uri(silo2.Address, "/api/access/sign-out"));
        signOut.Headers.Add("X-CSRF-TOKEN", token);
        Assert.Equal(HttpStatusCode.NoContent, (await signedOut.SendAsync(signOut)).StatusCode);
        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false });
        await RefusedByBothWithin5sAsync(cluster, "signed out", silo =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.Address, "/api/access/me"));
            request.Headers.Add("Cookie", $"btsccst-acces={cookie}");
            return replay.SendAsync(request);
        });

        await ThrottledPerCallerThroughTheProxyAsync(cluster, organiser);
    });

    /// <summary>
    /// Two callers behind HAProxy (two loopback addresses), kept on the same silo: the one whose links fail is
    /// throttled, the other still signs in, and the audit names each caller's address, not the proxy's.
    /// </summary>
    private async Task ThrottledPerCallerThroughTheProxyAsync(TestCluster cluster, HttpClient organiser)
    {
        await cluster.StartProxyAsync();
        var jar = new CookieContainer();
        using var guesser = ClientFrom("127.0.0.2", jar);
        using var school = ClientFrom("127.0.0.3", jar);
        var signIn = new Uri(cluster.ProxyAddress, "/api/access/sign-in");
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.Forbidden, (await guesser.PostAsJsonAsync(signIn, new { code = $"faux-{i}" })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.PostAsJsonAsync(signIn, new { code = "faux" })).StatusCode);
        // Same jar, so the same HAProxy silo cookie: the school reaches the silo that throttles the guesser.
        Assert.Equal(HttpStatusCode.OK, (await school.PostAsJsonAsync(signIn, new { code = CodeOf(await IssueAsync(organiser, "Mme Lycée")) })).StatusCode);

        var audit = await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{Session}/accesses/audit");
        Assert.Equal(10, audit!.Count(e => e.GetProperty("kind").GetString() == "sign-in-failed" && e.GetProperty("address").GetString() == "127.0.0.2"));
        Assert.Contains(audit!, e => e.GetProperty("kind").GetString() == "signed-in" && e.GetProperty("address").GetString() == "127.0.0.3");
    }

    private async Task RefusedByBothWithin5sAsync(TestCluster cluster, string what, Func<TestCluster.Silo, Task<HttpResponseMessage>> me)
    {
        var clock = Stopwatch.StartNew();
        foreach (var silo in cluster.Silos.Take(2))
            Assert.True(await EventuallyAsync(async () => (await me(silo)).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5) - clock.Elapsed),
                $"silo {silo.Index} still accepts the {what} access after {clock.ElapsedMilliseconds} ms");
        Output.WriteLine($"{what} access refused by both silos after {clock.ElapsedMilliseconds} ms");
    }

    private static async Task<JsonElement> IssueAsync(HttpClient organiser, string name)
    {
        var issue = await organiser.PostAsJsonAsync($"/api/sessions/{Session}/accesses", new { role = "organiser", name });
        Assert.True(issue.IsSuccessStatusCode, await issue.Content.ReadAsStringAsync());
        return (await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accesses")[0];
    }

    private static string CodeOf(JsonElement issued)
    {
        var link = issued.GetProperty("link").GetString()!;
        return link[(link.IndexOf("#code=", StringComparison.Ordinal) + "#code=".Length)..];
    }

    /// <summary>A client whose connections leave from the given loopback address (a caller of its own for the proxy).</summary>
    private static HttpClient ClientFrom(string address, CookieContainer jar) => new(new SocketsHttpHandler
    {
        CookieContainer = jar,
        ConnectCallback = async (context, cancel) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });
}
