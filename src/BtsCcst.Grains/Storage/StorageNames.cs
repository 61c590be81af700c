using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace BtsCcst.Grains.Storage;

/// <summary>Names of the grain storage providers and of the ADO.NET invariant they use.</summary>
public static class StorageNames
{
    /// <summary>The grain storage provider every BtsCcst grain persists its state with.</summary>
    public const string Grains = "btsccst";

    /// <summary>The ADO.NET provider on the SQLite file: <see cref="Grains"/> reads and clears through it, and writes beside it (group commit).</summary>
    public const string SqliteAdoNet = "btsccst-sqlite";

    /// <summary>
    /// The ADO.NET invariant for SQLite. Orleans 10 keeps the historical name but loads
    /// Microsoft.Data.Sqlite (<c>Microsoft.Data.Sqlite.SqliteFactory</c>) for it.
    /// </summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>The ADO.NET provider on PostgreSQL (cluster mode): <see cref="Grains"/> is this provider.</summary>
    public const string PostgreSqlAdoNet = "btsccst-postgresql";

    /// <summary>The ADO.NET invariant for PostgreSQL: Orleans loads <c>Npgsql.NpgsqlFactory</c> for it.</summary>
    public const string PostgreSqlInvariant = "Npgsql";
}

/// <summary>Registers the BtsCcst grain storage on a silo.</summary>
public static class SqliteStorageSiloBuilderExtensions
{
    /// <summary>
    /// Prepares the SQLite database (<see cref="SqliteSchema.EnsureCreated"/>, right away) and
    /// registers the grain storage <see cref="StorageNames.Grains"/> on it: writes go through one
    /// group-commit writer (<see cref="SqliteGroupCommitGrainStorage"/>: all queued writes in one
    /// transaction, <c>synchronous=FULL</c>); reads and clears through the ADO.NET provider
    /// <see cref="StorageNames.SqliteAdoNet"/> on the same file and rows.
    /// </summary>
    /// <remarks>
    /// State is written with the Orleans binary serializer (the state types are
    /// <c>[GenerateSerializer]</c> with <c>[Id]</c> members, so stored state stays readable when
    /// members are added) rather than the silo-wide default, Newtonsoft JSON. The storage key
    /// includes the cluster's ServiceId: keep it stable across restarts or state is not found.
    /// </remarks>
    /// <param name="silo">The silo builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g.
    /// <c>Data Source=data/btsccst.db</c>.</param>
    public static ISiloBuilder AddBtsCcstSqliteStorage(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        SqliteSchema.EnsureCreated(connectionString);
        silo.AddBtsCcstAdoNetProvider(StorageNames.SqliteAdoNet, StorageNames.SqliteInvariant, connectionString);
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains, (services, _) =>
        {
            var options = services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(StorageNames.SqliteAdoNet);
            return new SqliteGroupCommitGrainStorage(
                connectionString,
                services.GetRequiredKeyedService<IGrainStorage>(StorageNames.SqliteAdoNet),
                options.GrainStorageSerializer,
                services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                services.GetRequiredService<ILogger<SqliteGroupCommitGrainStorage>>());
        });
        return silo;
    }

    /// <summary>
    /// Registers <see cref="StorageNames.Grains"/> as the ADO.NET provider <paramref name="providerName"/> itself,
    /// writing with the Orleans binary serializer (PostgreSQL: it takes concurrent writers).
    /// </summary>
    internal static ISiloBuilder AddBtsCcstAdoNetGrainStorage(this ISiloBuilder silo, string providerName, string invariant, string connectionString)
    {
        silo.AddBtsCcstAdoNetProvider(providerName, invariant, connectionString);
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains, (services, _) =>
            services.GetRequiredKeyedService<IGrainStorage>(providerName));
        return silo;
    }

    private static void AddBtsCcstAdoNetProvider(this ISiloBuilder silo, string providerName, string invariant, string connectionString) =>
        silo.AddAdoNetGrainStorage(providerName, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
}
