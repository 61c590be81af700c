using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>
/// A refused hub call is an ordinary answer: anyone with a token can repeat it, so it takes one
/// Information line of the log, without stack trace; nothing at warning level or above.
/// </summary>
public sealed class HubInvocationLoggingTests
{
    [Fact]
    public async Task A_refused_watch_is_one_information_line_without_stack_trace()
    {
        var capture = new LogCapture();
        await using var host = new CapturingHost(capture);
        host.Start();
        await using var watcher = await BoardWatcher.ConnectAsync(host.BaseAddress, await host.TokenAsync("jury-president", "président NORMANDIE", "NORMANDIE"));
        var before = capture.Entries.Count;

        var refused = await Assert.ThrowsAsync<HubException>(() => watcher.WatchAsync("logs", "RENNES"));
        Assert.Contains("RENNES", refused.Message);
        // The log line is written before the answer leaves; give the logger a moment all the same.
        await Task.Delay(200);

        var entries = capture.Entries.Skip(before).ToList();
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Warning);
        var line = Assert.Single(entries, e => e.Message.Contains("Watch"));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Null(line.Exception);
        Assert.DoesNotContain('\n', line.Message);
        Assert.Contains("RENNES", line.Message);
        Assert.Contains("président NORMANDIE", line.Message);
    }

    private sealed class CapturingHost(LogCapture capture) : TestHost(new Dictionary<string, string>
    {
        // The server's own categories at Information, as appsettings.json has them (the test hosts default to Warning).
        ["Logging:LogLevel:BtsCcst"] = "Information",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder web) => web.ConfigureLogging(logging => logging.AddProvider(capture));
    }
}
