using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace BtsCcst.Grains.Storage;

/// <summary>Names of the grain storage providers and of the ADO.NET invariant they use.</summary>
public static class StorageNames
{
    /// <summary>The grain storage provider every BtsCcst grain persists its state with.</summary>
    public const string Grains = "btsccst";

    /// <summary>The ADO.NET provider on the SQLite file, behind <see cref="Grains"/>'s one-writer queue.</summary>
    public const string SqliteAdoNet = "btsccst-sqlite";

    /// <summary>
    /// The ADO.NET invariant for SQLite. Orleans 10 keeps the historical name but loads
    /// Microsoft.Data.Sqlite (<c>Microsoft.Data.Sqlite.SqliteFactory</c>) for it.
    /// </summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>The ADO.NET provider on PostgreSQL (cluster mode), behind <see cref="Grains"/>'s one-writer queue.</summary>
    public const string PostgreSqlAdoNet = "btsccst-postgresql";

    /// <summary>The ADO.NET invariant for PostgreSQL: Orleans loads <c>Npgsql.NpgsqlFactory</c> for it.</summary>
    public const string PostgreSqlInvariant = "Npgsql";
}

/// <summary>Registers the BtsCcst grain storage on a silo.</summary>
public static class SqliteStorageSiloBuilderExtensions
{
    /// <summary>
    /// Prepares the SQLite database (<see cref="SqliteSchema.EnsureCreated"/>, right away) and
    /// registers the grain storage <see cref="StorageNames.Grains"/> on it: the ADO.NET provider behind a one-writer queue.
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
        return silo.AddBtsCcstAdoNetGrainStorage(StorageNames.SqliteAdoNet, StorageNames.SqliteInvariant, connectionString, oneWriter: true);
    }

    /// <summary>
    /// Registers <see cref="StorageNames.Grains"/>: the ADO.NET provider <paramref name="providerName"/>, writing
    /// with the Orleans binary serializer, behind a one-writer queue when the database admits a single writer
    /// (<paramref name="oneWriter"/>: SQLite).
    /// </summary>
    internal static ISiloBuilder AddBtsCcstAdoNetGrainStorage(this ISiloBuilder silo, string providerName, string invariant, string connectionString, bool oneWriter)
    {
        silo.AddAdoNetGrainStorage(providerName, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains, (services, _) =>
        {
            var provider = services.GetRequiredKeyedService<IGrainStorage>(providerName);
            return oneWriter ? new OneWriterGrainStorage(provider) : provider;
        });
        return silo;
    }
}
