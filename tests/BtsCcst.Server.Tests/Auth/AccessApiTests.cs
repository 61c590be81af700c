using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Server.Auth;

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
        var audit = await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/accesses/audit");
        Assert.Contains(audit!, e => e.GetProperty("kind").GetString() == "signed-out" && e.GetProperty("by").GetString()!.Contains("Mme Bureau"));
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
    [Fact]
    public async Task Bad_requests_on_the_access_routes_get_a_French_problem_and_issue_nothing()
    {
        const string session = "mauvaises-demandes";
        using var organiser = await server.OrganiserAsync();
        await ImportOk(organiser, session, "juries", AccessHost.JuriesCsv);
        int Listed(JsonElement[] accesses) => accesses.Count(a => a.GetProperty("role").GetString() != "organiser");

        async Task Refused(HttpResponseMessage response, HttpStatusCode status, string words)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(words, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
        Task<HttpResponseMessage> Issue(object body) => organiser.PostAsJsonAsync($"/api/sessions/{session}/accesses", body);

        await Refused(await Issue(new { role = "president" }), HttpStatusCode.BadRequest, "Rôle « president » inconnu");
        await Refused(await Issue(new { role = "jury-president", validityDays = 0 }), HttpStatusCode.BadRequest, "de 1 à 60 jours (reçu 0)");
        await Refused(await Issue(new { role = "jury-president", validityDays = 61 }), HttpStatusCode.BadRequest, "de 1 à 60 jours (reçu 61)");
        await Refused(await Issue(new { role = "jury-president", validityDays = "sept" }), HttpStatusCode.BadRequest, "validityDays");
        await Refused(await Issue(new { validityDays = 3 }), HttpStatusCode.BadRequest, "Indiquez « personId »");
        await Refused(await Issue(new { personId = "examiner:PERSONNE" }), HttpStatusCode.BadRequest, "Personne « examiner:PERSONNE » inconnue");
        await Refused(await Issue(new { role = "centre-manager" }), HttpStatusCode.BadRequest, "Personne n'a le rôle centre-manager");
        await Refused(await Issue(new { role = "organiser", name = "" }), HttpStatusCode.BadRequest, "Un organisateur se nomme");
        await Refused(await Issue(new { role = "organiser", name = "Mme Bureau", email = "pas-une-adresse" }), HttpStatusCode.BadRequest, "« pas-une-adresse » invalide");
        Assert.Equal(0, Listed((await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/accesses"))!));

        await Refused(await organiser.PostAsync($"/api/sessions/{session}/accesses/{new string('a', 32)}/revoke", null), HttpStatusCode.NotFound, "inconnu");
        await Refused(await organiser.PostAsync($"/api/sessions/{session}/accesses/pas-un-acces/revoke", null), HttpStatusCode.BadRequest, "« pas-un-acces » invalide");
        await Refused(await organiser.GetAsync($"/api/sessions/{session}/accesses/mailings/{new string('b', 32)}"), HttpStatusCode.NotFound, "inconnu");
        foreach (var path in new[] { "people", "accesses", "accesses/audit", $"accesses/mailings/{new string('b', 32)}" })
            await Refused(await organiser.GetAsync($"/api/sessions/pas%20un%20id/{path}"), HttpStatusCode.BadRequest, "session");
        await Refused(await organiser.PostAsync($"/api/sessions/pas%20un%20id/accesses/{new string('a', 32)}/revoke", null), HttpStatusCode.BadRequest, "session");
        using var anonymous = server.Anonymous();
        await Refused(await anonymous.PostAsJsonAsync("/api/access/sign-in", new { code = "" }), HttpStatusCode.Forbidden, "n'est pas valide");
    }

    [Fact]
    public async Task Links_hold_7_days_by_default_centre_managers_and_examiners_get_theirs_and_an_examiner_stays_out_of_the_organiser_routes()
    {
        const string session = "roles";
        using var organiser = await server.OrganiserAsync();
        await ImportOk(organiser, session, "juries", AccessHost.JuriesCsv);
        await ImportOk(organiser, session, "centres", AccessHost.CentresWithManager);
        await ImportOk(organiser, session, "examiners", SampleFiles.OneDayExaminers);

        var manager = (await AccessHost.IssueAsync(organiser, session, new { role = "centre-manager" })).Single();
        Assert.Equal(TimeSpan.FromDays(AccessEndpoints.DefaultValidityDays),
            manager.GetProperty("expiresAt").GetDateTimeOffset() - manager.GetProperty("issuedAt").GetDateTimeOffset());
        Assert.Equal(7, AccessEndpoints.DefaultValidityDays);
        using (var browser = server.CookieClient())
        {
            var signIn = await AccessHost.SignInAsync(browser, manager.GetProperty("link").GetString()!);
            var me = await signIn.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("centre-manager", "CAEN-1"), (me.GetProperty("role").GetString(), me.GetProperty("scope").GetString()));
            Assert.Equal($"/centre/CAEN-1?session={session}", me.GetProperty("home").GetString());
        }

        var examiners = await AccessHost.IssueAsync(organiser, session, new { role = "examiner", validityDays = 2 });
        Assert.Equal(8, examiners.Length);
        var eco1 = examiners.Single(a => a.GetProperty("personId").GetString() == "examiner:ECO1");
        Assert.Equal("anne.martin@ac-normandie.fr", eco1.GetProperty("email").GetString());
        Assert.Equal(TimeSpan.FromDays(2), eco1.GetProperty("expiresAt").GetDateTimeOffset() - eco1.GetProperty("issuedAt").GetDateTimeOffset());
        using var examiner = server.CookieClient();
        var examinerIn = await (await AccessHost.SignInAsync(examiner, eco1.GetProperty("link").GetString()!)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("examiner", "ECO1"), (examinerIn.GetProperty("role").GetString(), examinerIn.GetProperty("name").GetString()));
        Assert.Equal($"/?session={session}", examinerIn.GetProperty("home").GetString()); // no plan adopted: no commission yet

        // Signed in, with the antiforgery token: still no organiser route, no board.
        var antiforgery = (await examiner.GetFromJsonAsync<JsonElement>("/api/access/me")).GetProperty("antiforgery").GetString();
        foreach (var path in new[] { "people", "accesses", "accesses/audit", "juries", "juries/JURY-N/board" })
            Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync($"/api/sessions/{session}/{path}")).StatusCode);
        foreach (var path in new[] { "accesses", $"accesses/{manager.GetProperty("accessId").GetString()}/revoke" })
        {
            using var write = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/{path}") { Content = JsonContent.Create(new { role = "examiner" }) };
            write.Headers.Add("X-CSRF-TOKEN", antiforgery);
            Assert.Equal(HttpStatusCode.Forbidden, (await examiner.SendAsync(write)).StatusCode);
        }
        Assert.Equal(9, (await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{session}/accesses"))!.Count(a => a.GetProperty("role").GetString() != "organiser"));
    }

    [Fact]
    public async Task A_code_is_never_written_to_disk_only_its_SHA_256()
    {
        const string session = "hachage";
        using var organiser = await server.OrganiserAsync();
        await ImportOk(organiser, session, "juries", AccessHost.JuriesCsv);
        var link = (await AccessHost.IssueAsync(organiser, session, new { personId = "jury-president:JURY-P" }))[0].GetProperty("link").GetString()!;
        var code = AccessHost.CodeOf(link);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)));

        var stored = string.Concat(Directory.GetFiles(server.DataDirectory, "*", SearchOption.AllDirectories).Select(ReadShared));
        Assert.Contains(hash, stored);
        Assert.DoesNotContain(code, stored);
    }

    /// <summary>A file the running server holds open (the SQLite database and its WAL), as Latin-1 text to search.</summary>
    private static string ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file, System.Text.Encoding.Latin1);
        return reader.ReadToEnd();
    }
}
