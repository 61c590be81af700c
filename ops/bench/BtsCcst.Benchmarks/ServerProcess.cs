using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace BtsCcst.Benchmarks;

/// <summary>
/// The real server (the built BtsCcst.Server.dll) as a child process on free loopback ports, with
/// a fresh data folder. Its output goes to server.log in that folder.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly LogSink _log;

    private ServerProcess(Process process, LogSink log, Uri baseAddress, string dataDirectory, string logPath)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        LogPath = logPath;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    /// <summary>CPU time the server has used so far (user + system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(string serverDll, string dataDirectory, IReadOnlyDictionary<string, string> extraEnvironment, TimeSpan startTimeout)
    {
        Directory.CreateDirectory(dataDirectory);
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            // The output folder holds appsettings.json (log levels): start there, as an operator would.
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(serverDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["BtsCcst__DataDirectory"] = dataDirectory;
        info.Environment["BtsCcst__SiloPort"] = FreePort().ToString();
        info.Environment["BtsCcst__GatewayPort"] = FreePort().ToString();
        foreach (var (key, value) in extraEnvironment) info.Environment[key] = value;

        var logPath = Path.Combine(dataDirectory, "server.log");
        var log = new LogSink(logPath);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => log.Write(e.Data);
        process.ErrorDataReceived += (_, e) => log.Write(e.Data is null ? null : "[stderr] " + e.Data);
        if (!process.Start()) throw new InvalidOperationException("dotnet did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, baseAddress, dataDirectory, logPath);

        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} before it was ready; see {logPath}.");
            try
            {
                using var response = await http.GetAsync("health/live");
                if (response.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (deadline.Elapsed > startTimeout)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"The server did not answer /health/live within {startTimeout.TotalSeconds} s; see {logPath}.");
            }
            await Task.Delay(200);
        }
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    /// <summary>Stops the server gracefully (SIGTERM), killing it after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SysKill(_process.Id, 15);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try { await _process.WaitForExitAsync(wait.Token); }
                catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _log.Dispose();
    }

    private sealed class LogSink(string path) : IDisposable
    {
        private readonly StreamWriter _writer = new(path, append: false) { AutoFlush = true };
        private bool _closed;

        public void Write(string? line)
        {
            if (line is null) return;
            lock (_writer) if (!_closed) _writer.WriteLine(line);
        }

        public void Dispose()
        {
            lock (_writer)
            {
                _closed = true;
                _writer.Dispose();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
