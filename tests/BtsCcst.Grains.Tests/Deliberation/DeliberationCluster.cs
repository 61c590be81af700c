using BtsCcst.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>A real SQLite file in its own temporary folder, removed on dispose.</summary>
public sealed class DeliberationDatabase : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "btsccst-deliberation-tests", Guid.NewGuid().ToString("N"));

    public string FilePath => Path.Combine(root, "btsccst.db");

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = FilePath }.ToString();

    public void Dispose()
    {
        // Pooled connections keep the file open.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>
/// One-silo test clusters running the deliberation grains on the real SQLite grain storage
/// (configured as in Storage/SqliteStorageCluster: connection string through the host configuration).
/// </summary>
public static class DeliberationCluster
{
    public const string ConnectionStringKey = "BtsCcst:Tests:Deliberation:SqliteConnectionString";

    /// <summary>Fixed, so that a new cluster on the same file finds the state of the previous one.</summary>
    public const string ServiceId = "btsccst-deliberation-tests";

    public static async Task<TestCluster> StartAsync(string connectionString)
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = ServiceId;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Stops every silo, then the client: nothing of the cluster stays in memory.</summary>
    public static async Task StopAsync(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]
                ?? throw new InvalidOperationException($"{ConnectionStringKey} is not set.");
            siloBuilder.AddBtsCcstSqliteStorage(connectionString);
            // The candidate and jury grains stamp every change with the injected clock.
            siloBuilder.Services.AddSingleton(TimeProvider.System);
        }
    }
}

/// <summary>One cluster on one SQLite file, shared by the deliberation scenarios (each uses its own session).</summary>
public sealed class DeliberationClusterFixture : IAsyncLifetime
{
    public DeliberationDatabase Database { get; } = new();

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
