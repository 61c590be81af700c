using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BtsCcst.Server.Tests;

/// <summary>
/// Boots the real host (silo, SQLite storage, API, hubs, pages) on Kestrel on a free loopback
/// port, with its own data folder, once per test collection.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "btsccst-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Start();
        return Task.CompletedTask;
    }

    private void Start()
    {
        var port = FreePort();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("BtsCcst:DataDirectory", DataDirectory);
            web.UseSetting("BtsCcst:SiloPort", FreePort().ToString());
            web.UseSetting("BtsCcst:GatewayPort", FreePort().ToString());
            web.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        _factory.StartServer();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Stops the whole process's host and starts a new one on the same data folder.</summary>
    public async Task RestartAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        Start();
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    public async Task<string> TokenAsync(string role, string? name = null, string? scope = null)
    {
        using var http = Anonymous();
        var response = await http.PostAsJsonAsync("/api/dev/tokens", new { role, name, scope });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenBody>())!.Token;
    }

    public async Task<HttpClient> ClientAsync(string role, string? name = null, string? scope = null)
    {
        var http = Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role, name, scope));
        return http;
    }

    public Task<HttpClient> OrganiserAsync() => ClientAsync("organiser", "bureau-examens");

    public Task<HttpClient> PresidentAsync(string jury) => ClientAsync("jury-president", $"président {jury}", jury);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record TokenBody(string Token);
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
