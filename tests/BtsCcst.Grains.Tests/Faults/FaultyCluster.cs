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

    public static async Task<TestCluster> StartAsync(string connectionString, StorageFaults faults)
    {
        var id = Guid.NewGuid().ToString("N");
        Registry[id] = faults;
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = SqliteStorageCluster.ServiceId;
        builder.Properties[SqliteStorageCluster.ConnectionStringKey] = connectionString;
        builder.Properties[FaultsKey] = id;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
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
