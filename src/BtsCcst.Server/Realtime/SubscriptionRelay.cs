using System.Collections.Concurrent;

namespace BtsCcst.Server.Realtime;

/// <summary>A relay whose grain subscriptions a background service renews.</summary>
public interface IRenewedRelay
{
    Task RenewAsync();
}

/// <summary>
/// The per-silo half of a live page (the GPSTracker shape), shared by the jury boards and the exam days:
/// the grains this silo's SignalR clients watch, each subscribed with this silo's one observer when a
/// client first watches it and renewed before it expires. When a grain answers that the subscription is
/// new (it expired, or the grain was activated anew, e.g. on another silo after a silo died), the relay
/// may have missed pushes: it sends its clients of that grain everything.
/// </summary>
public abstract class SubscriptionRelay<TKey>(ILogger logger) : IRenewedRelay where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, byte> _watched = new();

    /// <summary>Subscribes this silo's observer to the grain; true when the grain did not hold it.</summary>
    protected abstract Task<bool> SubscribeAsync(TKey key);

    /// <summary>Sends this silo's clients of the grain its whole state.</summary>
    protected abstract Task RefreshAsync(TKey key);

    /// <summary>Stops renewing the subscription to a grain that will push nothing more (e.g. an ended run).</summary>
    protected void Forget(TKey key) => _watched.TryRemove(key, out _);

    /// <summary>A client of this silo watches the grain: subscribe now (its snapshot is read by the hub).</summary>
    protected async Task WatchKeyAsync(TKey key)
    {
        _watched.TryAdd(key, 0);
        await SubscribeAsync(key);
    }

    public async Task RenewAsync()
    {
        foreach (var key in _watched.Keys)
        {
            try
            {
                if (await SubscribeAsync(key)) await RefreshAsync(key);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "{Relay}: renewing the subscription to {Key} failed", GetType().Name, key);
            }
        }
    }
}

/// <summary>Keeps a relay's subscriptions alive (the grains expire observers after 3 minutes).</summary>
public abstract class SubscriptionRenewal(IRenewedRelay relay) : BackgroundService
{
    /// <summary>Also how soon the pages of this silo follow a grain that moved after a silo died.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await relay.RenewAsync();
    }
}
