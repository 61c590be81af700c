using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Server.Tests.Operations;

/// <summary>
/// The real host on Kestrel with its own data folder, as <see cref="TestHost"/>, with extra settings
/// and its service provider visible (its meter factory scopes the instruments the tests read).
/// </summary>
public class OperationsHost : IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> _factory;

    public OperationsHost() : this(new Dictionary<string, string>())
    {
    }

    protected OperationsHost(IReadOnlyDictionary<string, string> settings)
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("BtsCcst:DataDirectory", DataDirectory);
            web.UseSetting("BtsCcst:SiloPort", FreePort().ToString());
            web.UseSetting("BtsCcst:GatewayPort", FreePort().ToString());
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings) web.UseSetting(key, value);
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "btsccst-tests", "ops-" + Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public Task InitializeAsync()
    {
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(new Uri(address), "/");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    public HttpClient Anonymous(bool followRedirects = true) =>
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record TokenBody(string Token);
}

/// <summary>A host with /metrics open to anyone and no dashboard.</summary>
public sealed class PublicMetricsHost() : OperationsHost(new Dictionary<string, string>
{
    ["BtsCcst:PublicMetrics"] = "true",
    ["BtsCcst:Dashboard"] = "false",
});

/// <summary>One <see cref="OperationsHost"/> for the operations tests, which run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class OperationsCollection : ICollectionFixture<OperationsHost>
{
    public const string Name = "operations";
}
