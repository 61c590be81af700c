using System.Net;
using System.Text;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// ops/proxy/haproxy.cfg (Debian's haproxy, as the fault tests start it) sends no traffic to a silo
/// that is live but not ready (its database unreachable): the silos here are two stub HTTP servers,
/// one ready, one answering /health/live but 503 on /health/ready.
/// </summary>
public sealed class ProxyHealthCheckTests
{
    [Fact]
    public async Task A_live_silo_that_is_not_ready_gets_no_request_through_the_proxy()
    {
        using var ready = StubSilo.Start("silo1", isReady: true);
        using var notReady = StubSilo.Start("silo2", isReady: false);
        var haproxy = new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed (apt-get install haproxy; .ci/run installs it).");
        var proxyPort = ChildProcess.FreePort();
        var config = Path.Combine(ChildProcess.Metadata("RepositoryRoot"), "ops", "proxy", "haproxy.cfg");
        using var proxy = ChildProcess.Start("haproxy", haproxy, ["-db", "-f", config], Path.GetTempPath(), new Dictionary<string, string>
        {
            ["PROXY_BIND"] = $"127.0.0.1:{proxyPort}",
            ["SILO1"] = $"127.0.0.1:{ready.Port}",
            ["SILO2"] = $"127.0.0.1:{notReady.Port}",
        });
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{proxyPort}/"), Timeout = TimeSpan.FromSeconds(5) };

        // Checks every second, down after 2 failures: the not-ready silo is out within about 3 s.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(ready.HealthChecks > 0 && notReady.HealthChecks >= 3))
        {
            Assert.False(proxy.HasExited, proxy.Output());
            Assert.True(DateTime.UtcNow < deadline, $"HAProxy did not check both silos:\n{proxy.Output()}");
            await Task.Delay(200);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));

        var servedBy = new List<string>();
        for (var i = 0; i < 10; i++) servedBy.Add(await http.GetStringAsync("api/sessions/2024/juries"));

        Assert.All(servedBy, silo => Assert.Equal("silo1", silo));
        Assert.Equal(0, notReady.ApiRequests);
    }

    /// <summary>A silo's health routes and an API route that answers with the silo's name.</summary>
    private sealed class StubSilo : IDisposable
    {
        private readonly HttpListener _listener;
        private readonly string _name;
        private readonly bool _isReady;
        private int _healthChecks;
        private int _apiRequests;

        private StubSilo(HttpListener listener, string name, bool isReady, int port)
        {
            _listener = listener;
            _name = name;
            _isReady = isReady;
            Port = port;
        }

        public int Port { get; }

        /// <summary>Requests to either health route.</summary>
        public int HealthChecks => Volatile.Read(ref _healthChecks);

        public int ApiRequests => Volatile.Read(ref _apiRequests);

        public static StubSilo Start(string name, bool isReady)
        {
            var port = ChildProcess.FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            var silo = new StubSilo(listener, name, isReady, port);
            _ = Task.Run(silo.ServeAsync);
            return silo;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                var path = context.Request.Url!.AbsolutePath;
                var (status, body) = path switch
                {
                    "/health/live" => (200, "Healthy"),
                    "/health/ready" => _isReady ? (200, """{"status":"ready"}""") : (503, """{"status":"not ready"}"""),
                    _ => (200, _name),
                };
                if (path.StartsWith("/health/", StringComparison.Ordinal)) Interlocked.Increment(ref _healthChecks);
                else Interlocked.Increment(ref _apiRequests);
                context.Response.StatusCode = status;
                var bytes = Encoding.UTF8.GetBytes(body);
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
