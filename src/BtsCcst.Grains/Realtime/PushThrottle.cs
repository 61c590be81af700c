namespace BtsCcst.Grains.Realtime;

/// <summary>
/// Paces a grain's pushes to its observers: at most one per <paramref name="interval"/>. A change after a quiet interval
/// is pushed as soon as the grain's current turn ends; the changes that follow a push wait together for the next one.
/// The push runs in the grain's turn (a grain timer that does not interleave).
/// </summary>
public sealed class PushThrottle(IGrainBase grain, TimeProvider clock, TimeSpan interval, Func<Task> push)
{
    private IGrainTimer? _timer;
    private DateTimeOffset _lastPush = DateTimeOffset.MinValue;

    /// <summary>Asks for a push: at once if the last one is old enough, else when the interval has passed; a push already waiting takes this change too.</summary>
    public void Schedule()
    {
        if (_timer is not null) return;
        var wait = _lastPush + interval - clock.GetUtcNow();
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        _timer = grain.RegisterGrainTimer((CancellationToken _) => PushNow(), new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { Interleave = false });
    }

    /// <summary>Drops the push waiting, if any.</summary>
    public void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>Pushes now, in place of the push waiting, if any.</summary>
    public Task PushNow()
    {
        Cancel();
        _lastPush = clock.GetUtcNow();
        return push();
    }
}
