using System.Net;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Deliberation;
using Microsoft.AspNetCore.SignalR.Client;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// A board page's behaviour in .NET: it watches one jury, keeps the rows of the snapshot patched by
/// every "boardChanged" newer than it, reconnects by itself and, after each reconnection, watches
/// again and takes the fresh snapshot (as wwwroot/js does).
/// </summary>
public sealed class BoardClient : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly string _session;
    private readonly string _jury;
    private Dictionary<string, CandidateSummary> _rows = [];
    private long _version = long.MinValue;
    private int _reconnecting;
    private int _rewatched;

    private BoardClient(Uri address, string token, string session, string jury, string? stickyCookie)
    {
        _session = session;
        _jury = jury;
        Connection = new HubConnectionBuilder()
            .WithUrl(new Uri(address, BoardHub.Path.TrimStart('/')), options =>
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                // Through HAProxy: start on the silo this cookie names (it is the proxy's stickiness cookie).
                if (stickyCookie is not null) options.Cookies.Add(address, new Cookie("BTSCCST_SILO", stickyCookie));
            })
            .WithAutomaticReconnect(new EveryHalfSecond())
            .Build();
        Connection.On<BoardUpdate>(BoardHub.UpdateMethod, Apply);
        Connection.Reconnecting += _ =>
        {
            Interlocked.Increment(ref _reconnecting);
            return Task.CompletedTask;
        };
        Connection.Reconnected += async _ =>
        {
            await WatchAsync(TimeSpan.FromSeconds(30));
            Interlocked.Increment(ref _rewatched);
        };
    }

    public HubConnection Connection { get; }

    public int Reconnections => Volatile.Read(ref _reconnecting);

    public int Rewatches => Volatile.Read(ref _rewatched);

    public string? LastWatchError { get; private set; }

    public static async Task<BoardClient> ConnectAsync(Uri address, string token, string session, string jury, string? stickyCookie = null)
    {
        var client = new BoardClient(address, token, session, jury, stickyCookie);
        try
        {
            await client.Connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
            await client.WatchAsync(TimeSpan.FromSeconds(15));
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>The rows as the page shows them: candidate number → what a row displays.</summary>
    public Dictionary<string, string> Rows()
    {
        lock (_gate) return _rows.ToDictionary(r => r.Key, r => Describe(r.Value));
    }

    public static string Describe(CandidateSummary row) =>
        $"{row.Decision} {row.Average} [{string.Join(" ", row.Results.Select(c => $"{c.Unit}={c.Result}{(c.UnderReserve ? "*" : "")}"))}]";

    public static Dictionary<string, string> RowsOf(BoardSnapshot snapshot) =>
        snapshot.Candidates.ToDictionary(r => r.CandidateNumber, Describe);

    /// <summary>Watch until it answers (the grains may be moving to another silo), each try bounded.</summary>
    private async Task WatchAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                var snapshot = await Connection.InvokeAsync<BoardSnapshot>("Watch", _session, _jury).WaitAsync(TimeSpan.FromSeconds(10));
                lock (_gate)
                {
                    _rows = snapshot.Candidates.ToDictionary(r => r.CandidateNumber);
                    _version = snapshot.Version;
                }
                LastWatchError = null;
                return;
            }
            catch (Exception e) when (DateTime.UtcNow < deadline && Connection.State == HubConnectionState.Connected)
            {
                LastWatchError = e.Message;
                await Task.Delay(300);
            }
        }
    }

    private void Apply(BoardUpdate update)
    {
        lock (_gate)
        {
            if (update.Version <= _version) return;
            _version = update.Version;
            foreach (var row in update.Changed) _rows[row.CandidateNumber] = row;
            foreach (var number in update.Removed) _rows.Remove(number);
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    /// <summary>Reconnects every half second for two minutes.</summary>
    private sealed class EveryHalfSecond : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.ElapsedTime < TimeSpan.FromMinutes(2) ? TimeSpan.FromMilliseconds(500) : null;
    }
}
