using BtsCcst.Grains.Abstractions;
using Orleans.Serialization;

namespace BtsCcst.Grains.Storage;

/// <summary>
/// The one way a grain changes its persisted state: <b>write, then change</b>. The grain changes a
/// copy (<see cref="Update"/> or <see cref="Draft"/> + <see cref="Commit"/>); the copy is written, and
/// only once the write succeeded does it become the grain's state, so the grain tells others only of
/// what is stored. A failed write leaves <see cref="State"/> as storage holds it (re-read: as it was, or
/// the change if the database committed it before failing to answer; if storage cannot even be read, as
/// it was, and the grain deactivates to reload) and throws <see cref="StorageUnavailableException"/>; a
/// retried request therefore finds the change still to do.
/// </summary>
public sealed class DurableState<T>(IPersistentState<T> store, IGrainBase grain, DeepCopier copier) where T : class
{
    /// <summary>The stored state while a write is in flight, so interleaved readers never see what may not be stored.</summary>
    private T? _beforeWrite;

    /// <summary>The grain's state as last stored (or read). Never change it in place: see <see cref="Update"/>.</summary>
    public T State => _beforeWrite ?? store.State;

    /// <summary>Whether storage holds a record of this grain (a state was written or read).</summary>
    public bool RecordExists => store.RecordExists;

    /// <summary>A deep copy of the state to change, then to <see cref="Commit"/> (or drop, to change nothing).</summary>
    public T Draft() => copier.Copy(State);

    /// <summary>Changes a copy of the state, writes it, and then makes it the state.</summary>
    public Task Update(Action<T> change)
    {
        var draft = Draft();
        change(draft);
        return Commit(draft);
    }

    /// <summary>Writes <paramref name="draft"/>; once stored, it is the state. On failure nothing changes and the grain reloads.</summary>
    public async Task Commit(T draft)
    {
        if (_beforeWrite is not null) throw new InvalidOperationException("A write of this grain's state is already in flight.");
        _beforeWrite = store.State;
        store.State = draft;
        try
        {
            await store.WriteStateAsync();
        }
        catch (Exception e)
        {
            store.State = _beforeWrite;
            _beforeWrite = null;
            await ReloadAfterFailedWrite();
            throw new StorageUnavailableException(StorageUnavailableException.NotStoredMessage, $"{e.GetType().FullName}: {e.Message}");
        }
        finally
        {
            _beforeWrite = null;
        }
    }

    /// <summary>
    /// The state and ETag as stored: a write can fail after the database committed it (a lost answer), and the grain must
    /// then hold that state, not the one before. Storage that cannot even be read leaves the state as before and
    /// deactivates the grain, so the next request reloads it (deactivating at once would block the grains this request
    /// still calls, and that call back, until the timeout).
    /// </summary>
    private async Task ReloadAfterFailedWrite()
    {
        try
        {
            await store.ReadStateAsync();
        }
        catch (Exception)
        {
            grain.DeactivateOnIdle();
        }
    }
}
