using BtsCcst.Grains.Abstractions;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace BtsCcst.Cli.Tests;

/// <summary>btsccst access organiser: an organiser's personal link issued through the cluster, which signs in once.</summary>
[Collection(ServerCollection.Name)]
public sealed class AccessCommandTests(ServerFixture server)
{
    [Fact]
    public async Task The_tool_prints_an_organiser_link_that_signs_in_once()
    {
        var url = server.BaseAddress.ToString().TrimEnd('/');
        var run = await server.RunAsync("access", "organiser", "--name", "Mme Chef de division", "--url", url, "--operator", "alice");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var link = Regex.Match(run.Out, @"\S+/connexion#code=([A-Za-z0-9_-]{43})");
        Assert.True(link.Success, run.Out);
        Assert.StartsWith(url, link.Value);

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        var signIn = await http.PostAsJsonAsync("/api/access/sign-in", new { code = link.Groups[1].Value });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/sessions/cli-access/juries")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync("/api/access/sign-in", new { code = link.Groups[1].Value })).StatusCode);

        // Who issued it is in the audit trail under the operator's name.
        var audit = await server.Grains.Accesses().GetAudit(null);
        Assert.Contains(audit, e => e.Kind == "issued" && e.By == "opérateur alice (organiser)");
    }

    [Fact]
    public async Task Without_the_server_address_or_a_name_or_with_a_bad_validity_the_command_is_refused_in_French()
    {
        var noUrl = await server.RunAsync("access", "organiser", "--name", "Mme Chef");
        Assert.Equal(ExitCodes.Usage, noUrl.ExitCode);
        Assert.Contains("--url", noUrl.Error);
        var noName = await server.RunAsync("access", "organiser", "--url", "http://localhost");
        Assert.Equal(ExitCodes.Usage, noName.ExitCode);
        Assert.Contains("--name", noName.Error);
        var badDays = await server.RunAsync("access", "organiser", "--name", "Mme Chef", "--url", "http://localhost", "--days", "0");
        Assert.Equal(ExitCodes.Usage, badDays.ExitCode);
        Assert.Contains("de 1 à 60 (reçu « 0 »)", badDays.Error);
        var badUrl = await server.RunAsync("access", "organiser", "--name", "Mme Chef", "--url", "ftp://serveur");
        Assert.Equal(ExitCodes.Usage, badUrl.ExitCode);
        Assert.Contains("--url https://serveur", badUrl.Error);
    }
}
