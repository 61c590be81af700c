using System.Net.Sockets;
using Npgsql;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// A fresh database on the test PostgreSQL server, dropped on dispose. The server comes from
/// BTSCCST_TEST_POSTGRES (an Npgsql connection string whose user may create databases; .ci/run
/// sets it), as for the in-process PostgreSQL tests.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "BTSCCST_TEST_POSTGRES";

    private const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=btsccst;Password=btsccst;Database=btsccst_test";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : DefaultServer;

    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var name = $"btsccst_cluster_{purpose}_{Guid.NewGuid():N}";
        await using (var server = await OpenServerAsync())
        await using (var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server))
        {
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = false };
        return new TestDatabase(name, builder.ConnectionString);
    }

    /// <summary>Silos of the cluster per membership status (3 = active, 6 = dead), newest generation of each address first.</summary>
    public async Task<int> CountSilosAsync(int status)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM OrleansMembershipTable WHERE Status = @status", connection);
        command.Parameters.AddWithValue("status", status);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Membership rows, for failure messages.</summary>
    public async Task<string> DescribeMembershipAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT Address, Port, Generation, Status FROM OrleansMembershipTable ORDER BY Port, Generation", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync()) rows.Add($"{reader.GetString(0)}:{reader.GetInt32(1)}@{reader.GetInt32(2)} status {reader.GetInt32(3)}");
            return string.Join("; ", rows);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return $"(membership unreadable: {e.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await using var server = await OpenServerAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", server);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenServerAsync()
    {
        var connection = new NpgsqlConnection(ServerConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or SocketException)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"The test PostgreSQL server is unreachable; set {EnvironmentVariable} to an Npgsql connection string of a user with CREATEDB (.ci/run starts one).", e);
        }

        return connection;
    }
}
