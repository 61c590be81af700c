using BtsCcst.Grains.Tests.Storage;
using Orleans.TestingHost;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>The deliberation grains run on the real SQLite storage, in the clusters of the storage tests.</summary>
public static class DeliberationCluster
{
    public static Task<TestCluster> StartAsync(string connectionString) => SqliteStorageCluster.StartAsync(connectionString);

    /// <summary>Stops every silo, then the client: nothing of the cluster stays in memory.</summary>
    public static async Task StopAsync(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }
}

/// <summary>One cluster on one SQLite file, shared by the deliberation scenarios (each uses its own session).</summary>
public sealed class DeliberationClusterFixture : IAsyncLifetime
{
    public TempSqliteDatabase Database { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await DeliberationCluster.StartAsync(Database.ConnectionString);

    public async Task DisposeAsync()
    {
        await DeliberationCluster.StopAsync(Cluster);
        Database.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DeliberationClusterCollection : ICollectionFixture<DeliberationClusterFixture>
{
    public const string Name = "Deliberation cluster";
}
