using System.Diagnostics;
using System.Reflection;

namespace BtsCcst.Cli.Tests;

/// <summary>The built btsccst program itself, as an operator runs it.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExecutableTests(ServerFixture server)
{
    [Fact]
    public async Task The_built_program_lists_the_cluster()
    {
        var run = await RunProgramAsync("cluster", "--gateway-port", server.GatewayPort.ToString());
        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Silos (1) :", run.Out);
    }

    [Fact]
    public async Task The_built_program_exits_2_when_the_cluster_is_unreachable()
    {
        var port = ServerFixture.FreePort();
        var run = await RunProgramAsync("cluster", "--gateway-port", port.ToString(), "--connect-timeout", "2");
        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains($"le port de passerelle {port}", run.Error);
    }

    private static async Task<CliRun> RunProgramAsync(params string[] args)
    {
        var start = new ProcessStartInfo(ProgramPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The test process's own settings must not leak into the program's.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("BtsCcst", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await output, await error);
    }

    /// <summary>The btsccst apphost in the tool's own output folder (built by the project reference).</summary>
    private static string ProgramPath()
    {
        var directory = typeof(ExecutableTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BtsccstDirectory").Value!;
        var path = Path.Combine(directory, OperatingSystem.IsWindows() ? "btsccst.exe" : "btsccst");
        Assert.True(File.Exists(path), $"{path} not found: build src/BtsCcst.Cli");
        return path;
    }
}
