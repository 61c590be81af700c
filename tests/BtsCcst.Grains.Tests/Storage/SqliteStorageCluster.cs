using BtsCcst.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>A real SQLite file in its own temporary folder, removed on dispose.</summary>
public sealed class TempSqliteDatabase : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "btsccst-storage-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The database file, in folders that do not exist yet.</summary>
    public string FilePath => Path.Combine(root, "data", "orleans", "btsccst.db");

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = FilePath }.ToString();

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public T Scalar<T>(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

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

/// <summary>Starts in-process test clusters whose grains persist to a given SQLite file.</summary>
public static class SqliteStorageCluster
{
    public const string ConnectionStringKey = "BtsCcst:Tests:SqliteConnectionString";

    /// <summary>A second provider on the same file, deleting rows on clear (DeleteStorageKey).</summary>
    public const string DeletingStorage = "btsccst-delete-on-clear";

    /// <summary>Fixed, so that a new cluster on the same file finds the state of the previous one.</summary>
    public const string ServiceId = "btsccst-storage-tests";

    public static Task<TestCluster> StartAsync(string connectionString, short silos = 1) =>
        StartAsync<SiloConfigurator>(connectionString, silos);

    /// <summary>The same cluster configured by <typeparamref name="TConfigurator"/>, which reads <paramref name="properties"/>.</summary>
    public static async Task<TestCluster> StartAsync<TConfigurator>(string connectionString, short silos = 1, IReadOnlyDictionary<string, string>? properties = null)
        where TConfigurator : ISiloConfigurator, new()
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = ServiceId;
        builder.Properties[ConnectionStringKey] = connectionString;
        foreach (var (key, value) in properties ?? new Dictionary<string, string>()) builder.Properties[key] = value;
        builder.AddSiloBuilderConfigurator<TConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
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
            siloBuilder.AddAdoNetGrainStorage(DeletingStorage, o =>
            {
                o.Invariant = StorageNames.SqliteInvariant;
                o.ConnectionString = connectionString;
                o.DeleteStateOnClear = true;
            });
        }
    }
}
