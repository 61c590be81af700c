using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BtsCcst.Server.Tests.Auth;

public sealed class AccessHostFixture : AccessHost, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        Start();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>People, personal access links, the sign-in cookie, antiforgery, revocation and the audit trail, over HTTP.</summary>
public sealed class AccessApiTests(AccessHostFixture server) : IClassFixture<AccessHostFixture>
{
    private static async Task ImportOk(HttpClient organiser, string session, string kind, string csv)
    {
        var response = await organiser.ImportAsync(session, kind, csv);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_session_lists_its_people_from_the_files_and_the_links_come_as_a_CSV_for_a_mail_merge()
    {
        const string session = "people";
        using var organiser = await server.OrganiserAsync();
        await ImportOk(organiser, session, "juries", AccessHost.JuriesCsv);
        await ImportOk(organiser, session, "centres", AccessHost.CentresWithManager);
        await ImportOk(organiser, session, "examiners", SampleFiles.OneDayExaminers);

        var people = await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/people");
        string[] Of(string role) => [.. people!.Where(p => p.GetProperty("role").GetString() == role).Select(p => p.GetProperty("personId").GetString()!)];
        Assert.Equal(["jury-president:JURY-N", "jury-president:JURY-P"], Of("jury-president"));
        Assert.Equal(["jury-member:JURY-N:1", "jury-member:JURY-N:2"], Of("jury-member"));
        Assert.Equal(["centre-manager:CAEN-1"], Of("centre-manager"));
        Assert.Equal(8, Of("examiner").Length);
        var manager = people!.Single(p => p.GetProperty("personId").GetString() == "centre-manager:CAEN-1");
        Assert.Equal("lefevre@ac-normandie.fr", manager.GetProperty("email").GetString());
        Assert.Equal("CAEN-1", manager.GetProperty("scope").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/accesses") { Content = JsonContent.Create(new { role = "jury-president" }) };
        request.Headers.Accept.ParseAdd("text/csv");
        var csv = await (await organiser.SendAsync(request)).Content.ReadAsStringAsync();
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("name,email,role,scope,link", lines[0]);
        Assert.StartsWith($"Mme Présidente,presidente@ac-normandie.fr,jury-president,JURY-N,{server.BaseAddress}connexion#code=", lines[1]);
        Assert.StartsWith("M. Autre,,jury-president,JURY-P,", lines[2]);

        // A member has no role of the API: no access; an unknown person, a French refusal.
        var member = await organiser.PostAsJsonAsync($"/api/sessions/{session}/accesses", new { personId = "jury-member:JURY-N:1" });
        Assert.Equal(HttpStatusCode.BadRequest, member.StatusCode);
        Assert.Contains("n'a pas de rôle", await member.Content.ReadAsStringAsync());
        var unknown = await organiser.PostAsJsonAsync($"/api/sessions/{session}/accesses", new { personId = "examiner:NOBODY" });
        Assert.Contains("inconnue", await unknown.Content.ReadAsStringAsync());
        // The other roles never see the people nor issue links.
        using var president = await server.PresidentAsync("JURY-N");
        Assert.Equal(HttpStatusCode.Forbidden, (await president.GetAsync($"/api/sessions/{session}/people")).StatusCode);
    }

    [Fact]
    public async Task A_cookie_write_without_the_antiforgery_token_is_refused_and_with_it_goes_through()
    {
        const string session = "antiforgery";
        using var organiser = await server.OrganiserAsync();
        var link = (await AccessHost.IssueAsync(organiser, session, new { role = "organiser", name = "Mme Bureau" }))[0].GetProperty("link").GetString()!;
        using var browser = server.CookieClient();
        Assert.Equal(HttpStatusCode.OK, (await AccessHost.SignInAsync(browser, link)).StatusCode);

        var forged = await browser.PostAsJsonAsync($"/api/sessions/{session}/accesses", new { role = "organiser", name = "Intrus" });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("anti-falsification", await forged.Content.ReadAsStringAsync());

        var me = await browser.GetFromJsonAsync<JsonElement>("/api/access/me");
        Assert.Equal("organiser", me.GetProperty("me").GetProperty("role").GetString());
        Assert.Equal("cookie", me.GetProperty("me").GetProperty("via").GetString());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/accesses") { Content = JsonContent.Create(new { role = "organiser", name = "Mme Adjointe" }) };
        request.Headers.Add("X-CSRF-TOKEN", me.GetProperty("antiforgery").GetString());
        var genuine = await browser.SendAsync(request);
        Assert.True(genuine.IsSuccessStatusCode, await genuine.Content.ReadAsStringAsync());
        // Signed in, the person opens a new link: the sign-in needs no antiforgery token (it takes nothing from the cookie).
        var next = (await AccessHost.IssueAsync(organiser, session, new { role = "organiser", name = "Mme Bureau" }))[0].GetProperty("link").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await AccessHost.SignInAsync(browser, next)).StatusCode);
        // A bearer token needs none: a browser never sends one by itself.
        Assert.True((await organiser.PostAsJsonAsync($"/api/sessions/{session}/accesses", new { role = "organiser", name = "Script" })).IsSuccessStatusCode);

        // Signing out is a write too; once done, the cookie's access is refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync("/api/access/sign-out", null)).StatusCode);
        var token = (await browser.GetFromJsonAsync<JsonElement>("/api/access/me")).GetProperty("antiforgery").GetString();
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/api/access/sign-out");
        signOut.Headers.Add("X-CSRF-TOKEN", token);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(signOut)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/access/me")).StatusCode);
    }

    [Fact]
    public async Task A_link_opens_once_sets_a_strict_HttpOnly_cookie_and_its_revocation_is_refused_within_5_s_all_in_the_audit()
    {
        const string session = "revocation";
        using var organiser = await server.OrganiserAsync();
        await ImportOk(organiser, session, "juries", AccessHost.JuriesCsv);
        var issued = (await AccessHost.IssueAsync(organiser, session, new { personId = "jury-president:JURY-N", validityDays = 3 }))[0];
        var link = issued.GetProperty("link").GetString()!;
        var accessId = issued.GetProperty("accessId").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", AccessHost.CodeOf(link));

        using var browser = server.CookieClient();
        var signIn = await AccessHost.SignInAsync(browser, link);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("btsccst-acces=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/jury/JURY-N?session=revocation", (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("home").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/sessions/{session}/juries/JURY-N/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"/api/sessions/{session}/juries/JURY-P/board")).StatusCode);

        using (var again = server.CookieClient())
        {
            var second = await AccessHost.SignInAsync(again, link);
            Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
            Assert.Contains("déjà servi", await second.Content.ReadAsStringAsync());
        }

        var listed = (await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/accesses"))!.Single(a => a.GetProperty("accessId").GetString() == accessId);
        Assert.Equal("active", listed.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);

        Assert.True((await organiser.PostAsync($"/api/sessions/{session}/accesses/{accessId}/revoke", null)).IsSuccessStatusCode);
        var refusedWithin = System.Diagnostics.Stopwatch.StartNew();
        while ((await browser.GetAsync("/api/access/me")).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(refusedWithin.Elapsed < TimeSpan.FromSeconds(5), "the revoked access still works after 5 s");
            await Task.Delay(200);
        }

        var kinds = (await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/accesses/audit"))!
            .Where(e => e.GetProperty("accessId").GetString() == accessId).Select(e => e.GetProperty("kind").GetString()!).ToArray();
        Assert.Equal(["issued", "signed-in", "sign-in-failed", "revoked"], kinds);
    }
}
