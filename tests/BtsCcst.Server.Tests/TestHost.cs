using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Server.Tests;

/// <summary>
/// The real host (silo, SQLite storage, API, hubs, pages) on Kestrel on a loopback port, with its
/// own data folder. It stops and starts again on the same port and data folder, as an operator
/// restarting the server would: a page left open keeps its address and its token (the signing
/// key is in the data folder), so it can reconnect by itself.
/// </summary>
public class TestHost : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private WebApplicationFactory<Program>? _factory;

    public TestHost() : this(new Dictionary<string, string>())
    {
    }

    /// <param name="settings">Settings on top of the test defaults (configuration keys, e.g. "BtsCcst:Dashboard").</param>
    protected TestHost(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "btsccst-tests", "rt-" + Guid.NewGuid().ToString("N"));

    /// <summary>The HTTP port: chosen by the system at the first start, kept by every restart.</summary>
    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public bool IsRunning => _factory is not null;

    public void Start()
    {
        if (_factory is not null) throw new InvalidOperationException("The server is already running.");
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("BtsCcst:DataDirectory", DataDirectory);
            web.UseSetting("BtsCcst:SiloPort", FreePort().ToString());
            web.UseSetting("BtsCcst:GatewayPort", FreePort().ToString());
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in _settings) web.UseSetting(key, value);
            ConfigureWebHost(web);
        });
        var port = Port;
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        try
        {
            factory.StartServer();
        }
        catch
        {
            factory.Dispose();
            throw;
        }
        _factory = factory;
        if (Port == 0)
        {
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Port = new Uri(address).Port;
        }
    }

    /// <summary>Changes the host beyond settings (e.g. adds a logger provider); called at every start.</summary>
    protected virtual void ConfigureWebHost(IWebHostBuilder web)
    {
    }

    /// <summary>Stops the whole host (silo included), as a process exit would, leaving the data folder.</summary>
    public async Task StopAsync()
    {
        if (_factory is null) return;
        var factory = _factory;
        _factory = null;
        await factory.DisposeAsync();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        Start();
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await StopAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>The running host's services (its meter factory scopes the instruments the operations tests read).</summary>
    public IServiceProvider Services => (_factory ?? throw new InvalidOperationException("The server is not running.")).Services;

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    /// <summary>A client without cookies that may leave redirects unfollowed (to see where the server sends a browser).</summary>
    public HttpClient Anonymous(bool followRedirects) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = false }) { BaseAddress = BaseAddress };

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
