using System.Net;
using System.Text.Json;

namespace BtsCcst.Server.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class ReferenceTests(ServerFixture server)
{
    [Fact]
    public async Task The_openapi_document_lists_the_contract_routes_and_the_reference_is_browsable_without_a_token()
    {
        using var anonymous = server.Anonymous();
        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/dev/tokens", paths);
        Assert.Contains("/api/sessions/{session}/imports/{kind}", paths);
        Assert.Contains("/api/sessions/{session}/exports/results.csv", paths);
        Assert.Contains("/api/sessions/{session}/candidates/{number}/results/{unit}", paths);
        Assert.Contains("/api/sessions/{session}/juries/{jury}/board", paths);
        Assert.Contains("/api/sessions/{session}/juries/{jury}/close", paths);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/scalar/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Contains("Tableau de délibération", await anonymous.GetStringAsync("/"));
        var page = await anonymous.GetStringAsync("/jury/NORMANDIE");
        Assert.Contains("Délibération du jury", page);
        Assert.Contains("/lib/signalr.min.js", page);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/lib/signalr.min.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/lib/chart.umd.min.js")).StatusCode);
    }
}
