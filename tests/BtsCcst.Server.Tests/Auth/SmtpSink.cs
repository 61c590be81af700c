using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BtsCcst.Server.Tests.Auth;

/// <summary>
/// A real SMTP server on a loopback port, for the e-mail tests: Python's aiosmtpd (Debian python3-aiosmtpd), with a
/// handler that saves each message it receives as a file. Started by the test, ended by it.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private const string Handler = """
        import asyncio, os, sys
        from aiosmtpd.controller import Controller
        folder = sys.argv[2]
        class Save:
            async def handle_DATA(self, server, session, envelope):
                name = os.path.join(folder, "%04d.eml" % len(os.listdir(folder)))
                with open(name + ".tmp", "wb") as f: f.write(envelope.original_content)
                os.rename(name + ".tmp", name)
                return "250 Message accepted"
        controller = Controller(Save(), hostname="127.0.0.1", port=int(sys.argv[1]))
        controller.start()
        print("ready", flush=True)
        sys.stdin.read()
        controller.stop()
        """;

    private readonly Process _process;

    /// <summary>The system's Python, where Debian installs python3-aiosmtpd (a python3 earlier on PATH, e.g. pyenv's, lacks it).</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public SmtpSink()
    {
        Folder = Directory.CreateTempSubdirectory("btsccst-smtp-").FullName;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        _process = Process.Start(new ProcessStartInfo(Python, ["-c", Handler, Port.ToString(), Folder])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("python3 did not start.");
        var ready = _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        if (ready != "ready")
            throw new InvalidOperationException($"aiosmtpd did not start (apt-get install -y python3-aiosmtpd): {_process.StandardError.ReadToEnd()}");
    }

    public int Port { get; }

    public string Folder { get; }

    public string[] Messages() => [.. Directory.GetFiles(Folder, "*.eml").Order().Select(File.ReadAllText)];

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        finally
        {
            _process.Dispose();
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }
}
