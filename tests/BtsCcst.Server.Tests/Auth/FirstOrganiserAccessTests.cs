using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Server.Tests.Auth;

/// <summary>The embedded default's first start prints one organiser link; later starts on the same data folder print none.</summary>
public sealed class FirstOrganiserAccessTests
{
    [Fact]
    public async Task The_first_start_prints_an_organiser_link_that_signs_in_and_a_restart_prints_none()
    {
        await using var server = new AccessHost();
        server.Start();
        var link = await server.FirstOrganiserLinkAsync();
        Assert.StartsWith($"{server.BaseAddress}connexion#code=", link);
        using (var browser = server.CookieClient())
        {
            var signIn = await (await AccessHost.SignInAsync(browser, link)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("organiser", signIn.GetProperty("role").GetString());
            Assert.Equal("/workspace", signIn.GetProperty("home").GetString());
        }

        await server.RestartAsync();
        var first = server.Services.GetRequiredService<FirstOrganiserAccess>();
        await first.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(first.FirstLink);
        using var organiser = await server.OrganiserAsync();
        var issues = (await organiser.GetFromJsonAsync<JsonElement[]>("/api/sessions/2024/accesses/audit"))!
            .Where(e => e.GetProperty("kind").GetString() == "issued").ToArray();
        Assert.Equal("premier démarrage du serveur (organiser)", Assert.Single(issues).GetProperty("by").GetString());
    }
}
