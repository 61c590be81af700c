using System.Net;
using Orleans.Configuration;

namespace BtsCcst.Grains.Storage;

/// <summary>Where a silo of the PostgreSQL cluster mode finds the database and the other silos.</summary>
/// <param name="ConnectionString">Npgsql connection string of the database shared by every silo.</param>
/// <param name="ClusterId">Silos with the same ClusterId form one cluster (the membership table's DeploymentId).</param>
/// <param name="ServiceId">Part of every grain state and reminder key: keep it stable across restarts and deployments, or stored state is not found.</param>
/// <param name="AdvertisedAddress">The address other silos and clients reach this silo at; it also listens on it.</param>
/// <param name="SiloPort">Silo-to-silo port, distinct for each silo of one host.</param>
/// <param name="GatewayPort">Client gateway port, distinct for each silo of one host.</param>
public sealed record PostgreSqlCluster(
    string ConnectionString,
    string ClusterId,
    string ServiceId,
    IPAddress AdvertisedAddress,
    int SiloPort,
    int GatewayPort);

/// <summary>Configures a silo of the PostgreSQL cluster mode.</summary>
public static class PostgreSqlClusterSiloBuilderExtensions
{
    /// <summary>
    /// Connections a silo opens at most when its connection string does not say (Maximum Pool Size). Npgsql's own default,
    /// 100 per silo, is all of PostgreSQL's default max_connections (100, 3 of them reserved): two silos under load
    /// exhausted the server ("remaining connection slots are reserved"). Size it as
    /// (max_connections − superuser_reserved_connections − other clients) / silos; 40 keeps two silos under 97.
    /// </summary>
    public const int DefaultMaxPoolSize = 40;

    /// <summary>The connection string with <see cref="DefaultMaxPoolSize"/> unless it sets a pool size of its own.</summary>
    public static string WithPoolLimit(string connectionString)
    {
        var keys = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant());
        if (keys.Any(k => k is "maximumpoolsize" or "maxpoolsize")) return connectionString;
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultMaxPoolSize }.ToString();
    }

    /// <summary>
    /// Makes the silo a member of <paramref name="cluster"/>: prepares the database
    /// (<see cref="PostgreSqlSchema.EnsureCreated"/>, right away), and registers membership,
    /// the grain storage <see cref="StorageNames.Grains"/> (the ADO.NET provider itself, writing
    /// concurrently: no group commit, which is the embedded default's) and reminders, all through the Orleans ADO.NET providers on
    /// PostgreSQL (invariant <see cref="StorageNames.PostgreSqlInvariant"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An empty or malformed connection string, or an identifier missing.</exception>
    public static ISiloBuilder UseBtsCcstPostgreSqlCluster(this ISiloBuilder silo, PostgreSqlCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(cluster);
        var connectionString = WithPoolLimit(PostgreSqlSchema.ValidateConnectionString(cluster.ConnectionString));
        if (string.IsNullOrWhiteSpace(cluster.ClusterId) || string.IsNullOrWhiteSpace(cluster.ServiceId))
        {
            throw new ArgumentException("The PostgreSQL cluster mode needs a non-empty ClusterId and ServiceId.", nameof(cluster));
        }

        PostgreSqlSchema.EnsureCreated(connectionString);

        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        silo.ConfigureEndpoints(cluster.AdvertisedAddress, cluster.SiloPort, cluster.GatewayPort);
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = StorageNames.PostgreSqlInvariant;
            options.ConnectionString = connectionString;
        });
        // PostgreSQL takes concurrent writers (one row per grain): no queue, which capped a silo near 200 writes/s.
        silo.AddBtsCcstAdoNetGrainStorage(StorageNames.PostgreSqlAdoNet, StorageNames.PostgreSqlInvariant, connectionString);
        // PostgreSQL's errors (a read failing at activation, say) cross silos as themselves, not as CodecNotFoundException.
        silo.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = StorageNames.PostgreSqlInvariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }
}
