using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BtsCcst.Server.Tests.Api;

/// <summary>An identifier in an address is the whole segment, starting with a letter or a digit: nothing else reaches a grain.</summary>
[Collection(ServerCollection.Name)]
public sealed class RouteIdTests(ServerFixture server)
{
    [Theory]
    [InlineData("/api/sessions/2024%0A/juries", "session")] // "2024\n": ^…$ matched it and activated a session "2024\n"
    [InlineData("/api/sessions/-2-3/juries", "session")] // a spreadsheet evaluates "-2-3" in a CSV export
    [InlineData("/api/sessions/2024/candidates/C001%0A", "number")]
    [InlineData("/api/sessions/2024/centres/CAEN%0A/days/2024-05-27", "centre")]
    [InlineData("/api/sessions/2024/examiners/_EX01/calendar.ics", "examinerId")]
    [InlineData("/api/sessions/2024%0A/accesses/audit", "session")] // the access routes answered for "2024\n" (an empty trail)
    [InlineData("/api/sessions/-2-3/accesses", "session")]
    [InlineData("/api/sessions/2024%0A/accesses/mailings/job-1", "session")]
    [InlineData("/api/sessions/2024/planning-runs/run-1%0A", "runId")]
    [InlineData("/api/sessions/2024/centres/CAEN/days/2024-05-27/repairs/=1%2B1", "repairId")]
    public async Task A_malformed_identifier_is_a_400_naming_the_segment(string path, string segment)
    {
        using var organiser = await server.OrganiserAsync();
        var response = await organiser.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains($"invalide pour {segment}", detail);
        Assert.Contains("le premier une lettre ou un chiffre", detail);
    }
}
