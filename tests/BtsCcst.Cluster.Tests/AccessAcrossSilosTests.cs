using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// A personal access across silos: signed in through one silo, its cookie works on the other, an antiforgery token of
/// one silo is accepted by the other (the data protection keys are in grain storage), and a revocation through one
/// silo is refused by both within 5 s.
/// </summary>
public sealed class AccessAcrossSilosTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    private const string Session = "cl-access";

    [Fact]
    public Task A_cookie_signed_in_on_one_silo_works_on_the_other_and_its_revocation_is_refused_by_both_within_5_s() => OnClusterAsync("access", async cluster =>
    {
        var (silo1, silo2) = (cluster.Silos[0], cluster.Silos[1]);
        using var organiser = cluster.Client(silo1.Address, TestCluster.Organiser);
        var issue = await organiser.PostAsJsonAsync($"/api/sessions/{Session}/accesses", new { role = "organiser", name = "Mme Grappe" });
        var issued = (await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accesses")[0];
        var link = issued.GetProperty("link").GetString()!;
        var code = link[(link.IndexOf("#code=", StringComparison.Ordinal) + 6)..];

        // One browser: cookies of 127.0.0.1 go to both silos (a cookie is not bound to a port), as behind one address.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync(new Uri(silo2.Address, "/api/access/sign-in"), new { code })).StatusCode);
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
        var clock = Stopwatch.StartNew();
        foreach (var silo in new[] { silo1, silo2 })
            Assert.True(await EventuallyAsync(async () => (await browser.GetAsync(new Uri(silo.Address, "/api/access/me"))).StatusCode == HttpStatusCode.Unauthorized,
                TimeSpan.FromSeconds(5) - clock.Elapsed), $"silo {silo.Index} still accepts the revoked access after {clock.ElapsedMilliseconds} ms");
        Output.WriteLine($"revoked access refused by both silos after {clock.ElapsedMilliseconds} ms");
    });
}
