using System.Net.Http.Json;
using System.Text;

namespace BtsCcst.Server.Tests;

/// <summary>One host shared by a test collection: started before its first test, removed after its last.</summary>
public sealed class ServerFixture : TestHost, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        Start();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}

public static class HttpExtensions
{
    public static Task<HttpResponseMessage> ImportAsync(this HttpClient http, string session, string kind, string csv) =>
        http.PostAsync($"/api/sessions/{session}/imports/{kind}", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public static Task<HttpResponseMessage> PutResultAsync(this HttpClient http, string session, string candidate, string unit, string result, string? reason = null, bool underReserve = false) =>
        http.PutAsJsonAsync($"/api/sessions/{session}/candidates/{candidate}/results/{unit}", new { result, reason, underReserve });
}
