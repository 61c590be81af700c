using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace BtsCcst.Cluster.Tests;

/// <summary>An OS process started by a test, its output kept (the last lines) for failure messages; killed with SIGKILL.</summary>
public sealed class ChildProcess : IDisposable
{
    private const int KeptLines = 400;

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Process _process;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // The test host's own settings must not leak into the servers.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("BtsCcst__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }

    public string Output() => $"--- {Name} (pid {_process.Id}{(_process.HasExited ? $", exited {_process.ExitCode}" : "")}) ---\n{string.Join("\n", _lines)}";

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        while (_lines.Count > KeptLines) _lines.TryDequeue(out _);
    }

    private static readonly HashSet<int> Handed = [];

    /// <summary>
    /// A free loopback port never handed out before by this process: the system may give a port again once its probe
    /// closed, and two silos of one cluster were seen with the same port (one's gateway, the other's HTTP).
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Handed)
                if (Handed.Add(port)) return port;
        }
    }

    public static string Metadata(string key) =>
        typeof(ChildProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
