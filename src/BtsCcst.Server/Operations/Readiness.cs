using System.Text.Json.Serialization;
using BtsCcst.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime;

namespace BtsCcst.Server.Operations;

/// <summary>One check of the readiness probe: its name, whether it passed, and what it found.</summary>
public sealed record ReadinessCheck(string Name, bool Ok, string Detail);

/// <summary>The body of /health/ready: "ready" (200) or "not ready" (503), with each check.</summary>
public sealed record ReadinessReport(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("checks")] IReadOnlyList<ReadinessCheck> Checks)
{
    [JsonIgnore]
    public bool IsReady => Checks.All(c => c.Ok);
}

/// <summary>
/// Readiness: the silo is active (it takes grain calls) and the grain storage database answers a
/// query (the SQLite file of the embedded default, opened read-write without creating it, or the
/// PostgreSQL database of the cluster mode with the configured connection string). Liveness
/// (/health/live) checks neither: a database outage must not get the process restarted.
/// </summary>
public sealed class Readiness(IOptions<BtsCcstOptions> options, IServiceProvider services)
{
    /// <summary>A check that does not answer within this time fails.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new[] { CheckSilo(), await CheckDatabaseAsync(cancellationToken) };
        return new ReadinessReport(checks.All(c => c.Ok) ? "ready" : "not ready", checks);
    }

    private ReadinessCheck CheckSilo()
    {
        var oracle = services.GetService<ISiloStatusOracle>();
        if (oracle is null) return new ReadinessCheck("silo", false, "No Orleans silo in this process.");
        var status = oracle.CurrentStatus;
        return new ReadinessCheck("silo", status == SiloStatus.Active, $"Silo {oracle.SiloAddress}: {status}.");
    }

    private async Task<ReadinessCheck> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return settings.IsPostgreSqlCluster
                ? await CheckPostgreSqlAsync(settings.PostgreSql.ConnectionString!, timeout.Token)
                : await CheckSqliteAsync(settings.SqliteConnectionString(), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ReadinessCheck("database", false, $"The database did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is SqliteException or NpgsqlException or InvalidOperationException or IOException or TimeoutException)
        {
            return new ReadinessCheck("database", false, $"The database did not answer: {e.Message}");
        }
    }

    private static async Task<ReadinessCheck> CheckSqliteAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Read-write without create: a missing or unreadable file fails instead of being recreated empty.
        // Unpooled, so a connection the grain storage keeps open cannot hide a file that is gone.
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = (int)Timeout.TotalSeconds,
        };
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM (SELECT 1 FROM OrleansStorage LIMIT 1)";
        await command.ExecuteScalarAsync(cancellationToken);
        return new ReadinessCheck("database", true, $"SQLite {builder.DataSource}: answers.");
    }

    private static async Task<ReadinessCheck> CheckPostgreSqlAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = (int)Timeout.TotalSeconds,
            CommandTimeout = (int)Timeout.TotalSeconds,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
        // The host and database only: the connection string may carry a password.
        return new ReadinessCheck("database", true, $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}: answers.");
    }
}
