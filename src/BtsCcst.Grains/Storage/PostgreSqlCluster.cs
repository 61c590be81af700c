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
        var connectionString = PostgreSqlSchema.ValidateConnectionString(cluster.ConnectionString);
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
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = StorageNames.PostgreSqlInvariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }
}
