using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BtsCcst.Server.Tests.Operations;

/// <summary>/health/ready: the silo is active and the grain storage database answers; the status for anyone, the checks for an organiser.</summary>
[Collection(OperationsCollection.Name)]
public sealed class ReadinessTests
{
    private readonly OperationsHost _host;

    public ReadinessTests(OperationsHost host) => _host = host;

    [Fact]
    public async Task An_anonymous_caller_gets_the_status_only()
    {
        using var http = _host.Anonymous();
        var response = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        // Neither the database file's path nor the silo's address.
        Assert.Equal(["status"], body.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(_host.DataDirectory, body.ToString());
    }

    [Fact]
    public async Task An_examiner_gets_the_status_only()
    {
        using var http = await _host.ClientAsync("examiner", "EX01");
        var body = await http.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal(["status"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_embedded_default_is_ready_and_tells_an_organiser_what_it_checked()
    {
        using var http = await _host.OrganiserAsync();
        var response = await http.GetAsync("/health/ready");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("ready", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.True(checks["silo"].GetProperty("ok").GetBoolean());
        Assert.Contains("Active", checks["silo"].GetProperty("detail").GetString());
        Assert.True(checks["database"].GetProperty("ok").GetBoolean());
        Assert.Contains("SQLite", checks["database"].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unreachable_database_makes_it_not_ready_while_it_stays_live()
    {
        // The SQLite file taken away (as a lost volume would), then given back.
        var database = Path.Combine(_host.DataDirectory, "btsccst.db");
        var aside = database + ".aside";
        using var http = await _host.OrganiserAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        File.Move(database, aside);
        try
        {
            var response = await http.GetAsync("/health/ready");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, body.ToString());
            Assert.Equal("not ready", body.GetProperty("status").GetString());
            var database503 = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
            Assert.False(database503.GetProperty("ok").GetBoolean());
            Assert.Contains("unable to open database file", database503.GetProperty("detail").GetString());
            // The file was not recreated empty by the check.
            Assert.False(File.Exists(database));

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            File.Move(aside, database);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }
}
