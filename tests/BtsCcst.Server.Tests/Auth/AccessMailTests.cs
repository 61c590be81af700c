using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;

namespace BtsCcst.Server.Tests.Auth;

/// <summary>Access links sent by e-mail in French to a real SMTP server the test starts (aiosmtpd), as a background job.</summary>
public sealed class AccessMailTests
{
    private const string Session = "courriels";

    [Fact]
    public async Task The_links_are_mailed_in_French_failures_reported_nothing_sent_twice_and_the_mailed_link_signs_in()
    {
        using var smtp = new SmtpSink();
        await using var server = new AccessHost(new Dictionary<string, string>
        {
            ["BtsCcst:Smtp:Host"] = "127.0.0.1",
            ["BtsCcst:Smtp:Port"] = smtp.Port.ToString(),
            ["BtsCcst:Smtp:Security"] = "None",
            ["BtsCcst:Smtp:From"] = "Bureau des examens <examens@ac-normandie.fr>",
        });
        server.Start();
        using var organiser = await server.OrganiserAsync();
        Assert.True((await organiser.ImportAsync(Session, "juries", AccessHost.JuriesCsv)).IsSuccessStatusCode);

        // Two presidents: one with an address, one without (a failure of the report).
        var issued = await organiser.PostAsJsonAsync($"/api/sessions/{Session}/accesses", new { role = "jury-president", send = true });
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var job = await FinishedAsync(organiser, body.GetProperty("mailing").GetString()!);
        Assert.Equal(2, job.GetProperty("total").GetInt32());
        Assert.Equal(1, job.GetProperty("sent").GetInt32());
        var failure = job.GetProperty("failures").EnumerateArray().Single();
        Assert.Equal("M. Autre", failure.GetProperty("name").GetString());
        Assert.Contains("Aucune adresse", failure.GetProperty("reason").GetString());

        var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(smtp.Messages().Single())));
        Assert.Equal("presidente@ac-normandie.fr", message.To.Mailboxes.Single().Address);
        Assert.Contains("votre accès personnel", message.Subject);
        Assert.Contains("président(e) du jury JURY-N", message.TextBody);
        var link = Regex.Match(message.TextBody ?? "", @"http://\S+/connexion#code=[A-Za-z0-9_-]+").Value;
        Assert.Equal(body.GetProperty("accesses")[0].GetProperty("link").GetString(), link);

        // Mailed again (the same accesses): nothing goes twice.
        var accessIds = body.GetProperty("accesses").EnumerateArray().Select(a => a.GetProperty("accessId").GetString()!).ToArray();
        var grains = (Orleans.IGrainFactory)server.Services.GetService(typeof(Orleans.IGrainFactory))!;
        var mailer = (BtsCcst.Server.Auth.AccessMailer)server.Services.GetService(typeof(BtsCcst.Server.Auth.AccessMailer))!;
        var again = await mailer.StartAsync(Session, [new(await grains.GetGrain<BtsCcst.Grains.Abstractions.IAccessGrain>("all").Get(accessIds[0]) ?? throw new InvalidOperationException(), "code-inutile")],
            server.BaseAddress.ToString().TrimEnd('/'), new("organiser", "test"));
        var second = await FinishedAsync(organiser, again.JobId);
        Assert.Equal(1, second.GetProperty("skipped").GetInt32());
        Assert.Single(smtp.Messages());

        // The mailed link signs in.
        using var browser = server.CookieClient();
        var signIn = await AccessHost.SignInAsync(browser, link);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/sessions/{Session}/juries/JURY-N/board")).StatusCode);
    }

    [Fact]
    public async Task Without_SMTP_settings_sending_is_refused_in_French_and_the_CSV_is_the_way()
    {
        await using var server = new AccessHost();
        server.Start();
        using var organiser = await server.OrganiserAsync();
        Assert.True((await organiser.ImportAsync(Session, "juries", AccessHost.JuriesCsv)).IsSuccessStatusCode);
        var refused = await organiser.PostAsJsonAsync($"/api/sessions/{Session}/accesses", new { role = "jury-president", send = true });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Aucun serveur SMTP", await refused.Content.ReadAsStringAsync());
        // Nothing issued: the list holds only the first organiser access of the server's first start.
        var listed = await organiser.GetFromJsonAsync<JsonElement[]>($"/api/sessions/{Session}/accesses");
        Assert.Equal(["organiser"], listed!.Select(a => a.GetProperty("role").GetString()!));
    }

    private static async Task<JsonElement> FinishedAsync(HttpClient organiser, string jobId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var job = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/accesses/mailings/{jobId}");
            if (job.GetProperty("done").GetBoolean()) return job;
            Assert.True(DateTime.UtcNow < deadline, $"mailing still running: {job}");
            await Task.Delay(200);
        }
    }
}
