using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace BtsCcst.Grains.Realtime;

/// <summary>
/// The grain half of a live page: the silos' observers (one relay per silo) a grain pushes its changes to.
/// A relay subscribes when a client of its silo first watches the grain and subscribes again to renew
/// (every few seconds, see the server's <c>SubscriptionRenewal</c>); an observer not renewed within
/// <see cref="Expiry"/> is dropped, so a silo that died stops being called.
/// </summary>
public sealed class ObserverRegistry<TObserver>(ILogger logger) where TObserver : IGrainObserver
{
    /// <summary>How long a subscription lasts without renewal.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(3);

    private readonly ObserverManager<TObserver> _observers = new(Expiry, logger);

    public int Count => _observers.Count;

    /// <summary>
    /// Subscribes or renews <paramref name="observer"/>; true when it was not held (new, expired, or held by an
    /// earlier activation): the relay may have missed pushes and then sends its clients the whole state.
    /// </summary>
    public bool Subscribe(TObserver observer)
    {
        var isNew = !_observers.Contains(observer);
        _observers.Subscribe(observer, observer);
        return isNew;
    }

    public void Unsubscribe(TObserver observer) => _observers.Unsubscribe(observer);

    /// <summary>Sends <paramref name="notification"/> to every live observer; one that fails is dropped.</summary>
    public Task Notify(Func<TObserver, Task> notification) => _observers.Notify(notification);
}
