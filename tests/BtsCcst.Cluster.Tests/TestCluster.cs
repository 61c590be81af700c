using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Tests.Storage;
using BtsCcst.Server.Auth;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// A PostgreSQL-mode cluster of separate server processes (the built BtsCcst.Server.dll, as an
/// operator starts it), on its own fresh database, with loopback ports of their own, a data folder
/// each and one shared token key file; optionally HAProxy in front with ops/proxy/haproxy.cfg.
/// Everything it started is killed and deleted on dispose.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    /// <summary>Fast failure detection (the settings of BtsCcst:Membership): a killed silo is declared dead within a few seconds.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastMembership = new Dictionary<string, string>
    {
        ["BtsCcst__Membership__ProbeTimeoutSeconds"] = "1",
        ["BtsCcst__Membership__NumMissedProbesLimit"] = "2",
        ["BtsCcst__Membership__DeathVoteExpirationSeconds"] = "20",
        ["BtsCcst__Membership__TableRefreshSeconds"] = "2",
    };

    private readonly string _root = Path.Combine(Path.GetTempPath(), "btsccst-cluster-tests", Guid.NewGuid().ToString("N"));
    private readonly List<string> _notes = [];
    private ChildProcess? _proxy;

    private TestCluster(PostgreSqlTestDatabase database, int silos)
    {
        Database = database;
        Directory.CreateDirectory(_root);
        KeyFile = Path.Combine(_root, "jwt-signing.key");
        Tokens = new TokenService(KeyFile);
        Silos = Enumerable.Range(1, silos).Select(i => new Silo(i, Path.Combine(_root, $"silo{i}"))).ToList();
    }

    public PostgreSqlTestDatabase Database { get; }

    public string KeyFile { get; }

    /// <summary>Tokens signed with the cluster's shared key, as an external issuer would sign them.</summary>
    public TokenService Tokens { get; }

    public IReadOnlyList<Silo> Silos { get; }

    public int ProxyPort { get; private set; }

    public Uri ProxyAddress => new($"http://127.0.0.1:{ProxyPort}/");

    public static string ServerDll => Path.Combine(ChildProcess.Metadata("ServerDirectory"), "BtsCcst.Server.dll");

    /// <summary>Creates the database and starts every silo (at the same time, as an operator would), then waits until all are active.</summary>
    public static async Task<TestCluster> StartAsync(string purpose, int silos = 2)
    {
        if (!File.Exists(ServerDll))
            throw new InvalidOperationException($"{ServerDll} is missing: build src/BtsCcst.Server (the test project's reference builds it).");
        var database = await PostgreSqlTestDatabase.CreateAsync($"cluster_{purpose}");
        var cluster = new TestCluster(database, silos);
        try
        {
            await cluster.StartAllAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartAllAsync()
    {
        foreach (var silo in Silos) StartProcess(silo);
        await Task.WhenAll(Silos.Select(WaitLiveAsync));
        await WaitForActiveSilosAsync(Silos.Count, TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL of one silo's process.</summary>
    public void Kill(Silo silo)
    {
        silo.Process?.Kill();
        _notes.Add($"{DateTime.UtcNow:HH:mm:ss.fff} killed silo{silo.Index}");
    }

    public void KillAll()
    {
        foreach (var silo in Silos) Kill(silo);
    }

    /// <summary>Starts HAProxy (Debian's package) with ops/proxy/haproxy.cfg in front of the first two silos, and waits until it serves.</summary>
    public async Task StartProxyAsync()
    {
        var haproxy = new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed (apt-get install haproxy; .ci/run installs it).");
        ProxyPort = ChildProcess.FreePort();
        var config = Path.Combine(ChildProcess.Metadata("RepositoryRoot"), "ops", "proxy", "haproxy.cfg");
        _proxy = ChildProcess.Start("haproxy", haproxy, ["-db", "-f", config], _root, new Dictionary<string, string>
        {
            ["PROXY_BIND"] = $"127.0.0.1:{ProxyPort}",
            ["SILO1"] = $"127.0.0.1:{Silos[0].HttpPort}",
            ["SILO2"] = $"127.0.0.1:{Silos[1].HttpPort}",
        });
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(5) };
        // Both servers up in HAProxy's health checks (rise 2, inter 1s): each cookie answers.
        await Until(async () =>
        {
            foreach (var cookie in new[] { "silo1", "silo2" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ProxyAddress, "health/live"));
                request.Headers.Add("Cookie", $"BTSCCST_SILO={cookie}");
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK) return false;
            }
            return true;
        }, TimeSpan.FromSeconds(20), "HAProxy serving both silos", () => _proxy.HasExited);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
    }

    /// <summary>An API client for <paramref name="actor"/> on <paramref name="address"/>; no cookies (through the proxy, each request goes round-robin).</summary>
    public HttpClient Client(Uri address, Actor actor)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(20),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Issue(actor));
        return http;
    }

    public static Actor Organiser => new(Roles.Organiser, "bureau-examens", null);

    public static Actor President(string jury) => new(Roles.JuryPresident, $"président {jury}", jury);

    /// <summary>Polls PostgreSQL's membership table until <paramref name="count"/> silos are active.</summary>
    public Task WaitForActiveSilosAsync(int count, TimeSpan within) =>
        Until(async () => await Database.CountSilosAsync(3) == count, within, $"{count} active silos", null);

    public async Task<string> DiagnosticsAsync()
    {
        var parts = new List<string> { $"membership: {await Database.DescribeMembershipAsync()}", string.Join("\n", _notes) };
        parts.AddRange(Silos.Where(s => s.Process is not null).Select(s => s.Process!.Output()));
        if (_proxy is not null) parts.Add(_proxy.Output());
        return string.Join("\n", parts);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos) silo.Process?.Dispose();
        _proxy?.Dispose();
        try
        {
            await Database.DisposeAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private void StartProcess(Silo silo)
    {
        if (silo.Process is { HasExited: false }) throw new InvalidOperationException($"silo{silo.Index} is running.");
        silo.Process?.Dispose();
        Directory.CreateDirectory(silo.DataDirectory);
        var environment = new Dictionary<string, string>(FastMembership)
        {
            ["BtsCcst__Cluster"] = "PostgreSql",
            ["BtsCcst__PostgreSql__ConnectionString"] = Database.ConnectionString,
            ["BtsCcst__AdvertisedAddress"] = "127.0.0.1",
            ["BtsCcst__SiloPort"] = silo.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BtsCcst__GatewayPort"] = silo.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BtsCcst__TokenIssuerKeyFile"] = KeyFile,
            ["BtsCcst__DataDirectory"] = silo.DataDirectory,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // As deployed behind HAProxy (docker-compose.yml): callers' addresses from its X-Forwarded-For.
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            // Two cores shared by several servers: the workstation collector keeps each one small.
            ["DOTNET_gcServer"] = "0",
        };
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        silo.Process = ChildProcess.Start($"silo{silo.Index}", dotnet, [ServerDll, "--urls", silo.Address.ToString().TrimEnd('/')], silo.DataDirectory, environment);
        _notes.Add($"{DateTime.UtcNow:HH:mm:ss.fff} started silo{silo.Index} (pid {silo.Process.Id}, http {silo.HttpPort}, silo {silo.SiloPort}, gateway {silo.GatewayPort})");
    }

    private async Task WaitLiveAsync(Silo silo)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Until(async () => (await http.GetAsync(new Uri(silo.Address, "health/live"))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(90), $"silo{silo.Index} /health/live", () => silo.Process!.HasExited);
    }

    private async Task Until(Func<Task<bool>> condition, TimeSpan within, string what, Func<bool>? gaveUp)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < within)
        {
            if (gaveUp?.Invoke() == true) break;
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Npgsql.NpgsqlException)
            {
                last = e;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Waited {clock.Elapsed.TotalSeconds:0.0} s for {what} ({last?.Message}).\n{await DiagnosticsAsync()}");
    }

    /// <summary>One server process: its ports and data folder stay the same across restarts.</summary>
    public sealed class Silo(int index, string dataDirectory)
    {
        public int Index { get; } = index;

        public string DataDirectory { get; } = dataDirectory;

        public int HttpPort { get; } = ChildProcess.FreePort();

        public int SiloPort { get; } = ChildProcess.FreePort();

        public int GatewayPort { get; } = ChildProcess.FreePort();

        public Uri Address => new($"http://127.0.0.1:{HttpPort}/");

        public ChildProcess? Process { get; set; }
    }
}
