using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Storage;
using Orleans.Serialization;

namespace BtsCcst.Grains.Access;

[GenerateSerializer]
public sealed class DataProtectionKeysState
{
    [Id(0)] public Dictionary<string, string> Keys { get; set; } = [];
}

/// <summary>The data protection key ring of the deployment (antiforgery tokens), in grain storage.</summary>
public sealed class DataProtectionKeysGrain(
    [PersistentState("dataprotection", StorageNames.Grains)] IPersistentState<DataProtectionKeysState> store,
    DeepCopier copier) : Grain, IDataProtectionKeysGrain
{
    private DurableState<DataProtectionKeysState>? _stored;

    private DurableState<DataProtectionKeysState> Stored => _stored ??= new(store, this, copier);

    public Task<string[]> GetAll() => Task.FromResult(Stored.State.Keys.Values.ToArray());

    public Task Store(string name, string xml) => Stored.Update(s => s.Keys[name] = xml);
}
