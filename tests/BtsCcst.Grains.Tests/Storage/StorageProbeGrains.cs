using BtsCcst.Grains.Storage;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>State of the test-only grains: a value and every value written, in order.</summary>
[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)] public string Text { get; set; } = "";
    [Id(1)] public List<int> Writes { get; set; } = [];
    [Id(2)] public Dictionary<string, decimal> Marks { get; set; } = [];
}

/// <summary>What a probe grain reports about its persistent state.</summary>
[GenerateSerializer]
public sealed record ProbeSnapshot(
    [property: Id(0)] ProbeState State,
    [property: Id(1)] string? ETag,
    [property: Id(2)] bool RecordExists);

public interface IProbeOperations
{
    Task Set(string text);
    Task Append(int value);
    Task Clear();
    Task Reload();
    Task<ProbeSnapshot> Snapshot();
}

public interface IStorageProbeGrain : IGrainWithStringKey, IProbeOperations;

/// <summary>Keyed by integer plus optional key extension, so GrainIdExtensionString is exercised.</summary>
public interface IExtendedKeyProbeGrain : IGrainWithIntegerCompoundKey, IProbeOperations;

/// <summary>Stored with a provider configured with DeleteStateOnClear (DeleteStorageKey).</summary>
public interface IDeletingProbeGrain : IGrainWithStringKey, IProbeOperations;

public abstract class ProbeGrainBase(IPersistentState<ProbeState> state) : Grain, IProbeOperations
{
    public async Task Set(string text)
    {
        state.State.Text = text;
        await state.WriteStateAsync();
    }

    public async Task Append(int value)
    {
        state.State.Writes.Add(value);
        await state.WriteStateAsync();
    }

    public Task Clear() => state.ClearStateAsync();

    public Task Reload() => state.ReadStateAsync();

    public Task<ProbeSnapshot> Snapshot() => Task.FromResult(new ProbeSnapshot(state.State, state.Etag, state.RecordExists));
}

public sealed class StorageProbeGrain([PersistentState("state", StorageNames.Grains)] IPersistentState<ProbeState> state)
    : ProbeGrainBase(state), IStorageProbeGrain;

public sealed class ExtendedKeyProbeGrain([PersistentState("state", StorageNames.Grains)] IPersistentState<ProbeState> state)
    : ProbeGrainBase(state), IExtendedKeyProbeGrain;

public sealed class DeletingProbeGrain([PersistentState("state", SqliteStorageCluster.DeletingStorage)] IPersistentState<ProbeState> state)
    : ProbeGrainBase(state), IDeletingProbeGrain;
