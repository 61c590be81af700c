using System.Threading.Channels;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Deliberation;
using Microsoft.AspNetCore.SignalR.Client;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>A .NET SignalR client of the board hub that queues every "boardChanged" it receives.</summary>
public sealed class BoardWatcher : IAsyncDisposable
{
    private readonly Channel<BoardUpdate> _updates = Channel.CreateUnbounded<BoardUpdate>();

    private BoardWatcher(HubConnection connection)
    {
        Connection = connection;
        Connection.On<BoardUpdate>(BoardHub.UpdateMethod, update => _updates.Writer.TryWrite(update));
    }

    public HubConnection Connection { get; }

    /// <summary>Builds the connection (token or none) without starting it.</summary>
    public static BoardWatcher Create(Uri baseAddress, string? token) =>
        new(new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, BoardHub.Path.TrimStart('/')), options =>
            {
                if (token is not null) options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build());

    /// <summary>Connects with the token.</summary>
    public static async Task<BoardWatcher> ConnectAsync(Uri baseAddress, string token)
    {
        var watcher = Create(baseAddress, token);
        try
        {
            await watcher.Connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
            return watcher;
        }
        catch
        {
            await watcher.DisposeAsync();
            throw;
        }
    }

    public Task<BoardSnapshot> WatchAsync(string sessionId, string juryId) =>
        Connection.InvokeAsync<BoardSnapshot>("Watch", sessionId, juryId).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>The first queued update that satisfies <paramref name="match"/>, skipping the others; fails after <paramref name="within"/>.</summary>
    public async Task<BoardUpdate> NextAsync(Func<BoardUpdate, bool> match, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var update = await _updates.Reader.ReadAsync(timeout.Token);
                if (match(update)) return update;
                seen.Add($"v{update.Version}: {string.Join(", ", update.Changed.Select(c => $"{c.CandidateNumber} {c.Average} {c.Decision}"))}");
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching boardChanged within {within.TotalSeconds} s; received: [{string.Join(" | ", seen)}]");
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
