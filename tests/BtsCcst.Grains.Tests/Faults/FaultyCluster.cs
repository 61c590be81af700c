using System.Collections.Concurrent;
using BtsCcst.Grains.Storage;
using BtsCcst.Grains.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace BtsCcst.Grains.Tests.Faults;

/// <summary>An in-process cluster on a real SQLite file whose grain storage obeys a <see cref="StorageFaults"/>.</summary>
public static class FaultyCluster
{
    private const string FaultsKey = "BtsCcst:Tests:Faults";

    private static readonly ConcurrentDictionary<string, StorageFaults> Registry = new();

    public static Task<TestCluster> StartAsync(string connectionString, StorageFaults faults)
    {
        var id = Guid.NewGuid().ToString("N");
        Registry[id] = faults;
        return SqliteStorageCluster.StartAsync<SiloConfigurator>(connectionString, properties: new Dictionary<string, string> { [FaultsKey] = id });
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            new SqliteStorageCluster.SiloConfigurator().Configure(siloBuilder);
            siloBuilder.Services.AddStorageFaults(Registry[siloBuilder.Configuration[FaultsKey]!]);
        }
    }
}
