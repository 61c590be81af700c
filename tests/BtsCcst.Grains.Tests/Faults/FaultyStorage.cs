using BtsCcst.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace BtsCcst.Grains.Tests.Faults;

/// <summary>
/// What the faulty storage does to the next writes, shared by a test and its silos (one process).
/// Faults apply to writes of the named states (e.g. "candidate"), or to every write when none is named.
/// </summary>
public sealed class StorageFaults
{
    private readonly object gate = new();
    private int writesBeforeFailure = -1;
    private int failuresLeft;
    private string[] states = [];

    /// <summary>Delay added before every write (slow storage).</summary>
    public TimeSpan WriteDelay { get; set; }

    /// <summary>Writes that reached the storage (failed ones included).</summary>
    public int Writes { get; private set; }

    /// <summary>Writes failed so far.</summary>
    public int Failures { get; private set; }

    /// <summary>Lets <paramref name="succeedFirst"/> writes through, then fails the next <paramref name="fail"/> ones.</summary>
    public void FailWrites(int fail, int succeedFirst = 0, params string[] ofStates)
    {
        lock (gate)
        {
            writesBeforeFailure = succeedFirst;
            failuresLeft = fail;
            states = ofStates;
        }
    }

    public void Heal()
    {
        lock (gate)
        {
            failuresLeft = 0;
            writesBeforeFailure = -1;
            WriteDelay = TimeSpan.Zero;
        }
    }

    internal bool ShouldFail(string stateName)
    {
        lock (gate)
        {
            if (states.Length > 0 && !states.Contains(stateName)) return false;
            Writes++;
            if (failuresLeft == 0 || writesBeforeFailure < 0) return false;
            if (writesBeforeFailure > 0)
            {
                writesBeforeFailure--;
                return false;
            }
            failuresLeft--;
            Failures++;
            return true;
        }
    }
}

/// <summary>The silos' grain storage behind <see cref="StorageFaults"/>: the real storage, unless a fault says otherwise.</summary>
internal sealed class FaultyGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (faults.WriteDelay > TimeSpan.Zero) await Task.Delay(faults.WriteDelay);
        if (faults.ShouldFail(stateName))
            throw new IOException($"Injected storage failure writing {stateName} of {grainId}.");
        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}

public static class FaultyStorageRegistration
{
    /// <summary>Puts <see cref="StorageNames.Grains"/>, as registered so far, behind <paramref name="faults"/>.</summary>
    public static void AddStorageFaults(this IServiceCollection services, StorageFaults faults)
    {
        var original = services.Last(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, StorageNames.Grains));
        services.Remove(original);
        services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains, (provider, key) => new FaultyGrainStorage(Create(original, provider, key), faults));
    }

    private static IGrainStorage Create(ServiceDescriptor original, IServiceProvider provider, object? key) =>
        original.KeyedImplementationInstance as IGrainStorage
        ?? (IGrainStorage?)original.KeyedImplementationFactory?.Invoke(provider, key)
        ?? (IGrainStorage)ActivatorUtilities.CreateInstance(provider, original.KeyedImplementationType!);
}
