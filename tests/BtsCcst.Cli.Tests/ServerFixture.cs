using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Cli.Tests;

/// <summary>
/// The real server (embedded default: localhost cluster, SQLite) on free loopback ports, as the
/// server's own TestHost starts it, with its gateway port known so the tool can join it.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplicationFactory<global::Program>? _factory;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "btsccst-tests", "cli-" + Guid.NewGuid().ToString("N"));

    public int GatewayPort { get; } = FreePort();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The silo's own grain factory, to read what the tool did without going through it.</summary>
    public IGrainFactory Grains => _factory!.Services.GetRequiredService<IGrainFactory>();

    public Task InitializeAsync()
    {
        var factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("BtsCcst:DataDirectory", DataDirectory);
            web.UseSetting("BtsCcst:SiloPort", FreePort().ToString());
            web.UseSetting("BtsCcst:GatewayPort", GatewayPort.ToString());
            web.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        _factory = factory;
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Runs the tool's command code in process against this server's gateway.</summary>
    public async Task<CliRun> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error) { Environment = new Dictionary<string, string?>(), DefaultOperator = "test" };
        var code = await Cli.RunAsync([.. args, "--gateway-port", GatewayPort.ToString()], context);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Writes a CSV file for an import.</summary>
    public string WriteFile(string name, string content)
    {
        var folder = Path.Combine(DataDirectory, "files");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N")[..8] + "-" + name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public async Task<HttpClient> OrganiserAsync()
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        var response = await http.PostAsJsonAsync("/api/dev/tokens", new { role = "organiser", name = "bureau-examens" });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!.Token;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record TokenBody(string Token);
}

public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- out ---\n{Out}\n--- err ---\n{Error}";
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
