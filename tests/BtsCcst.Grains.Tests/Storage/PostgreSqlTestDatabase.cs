using System.Net.Sockets;
using Npgsql;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>
/// A fresh database on the test PostgreSQL server, dropped on dispose. The server comes from the
/// environment variable BTSCCST_TEST_POSTGRES (an Npgsql connection string whose user may create
/// databases; .ci/run sets it), its database only serving to create and drop the others. Shared with the
/// multi-process cluster tests (BtsCcst.Cluster.Tests links this file).
/// </summary>
public sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "BTSCCST_TEST_POSTGRES";

    private const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=btsccst;Password=btsccst;Database=btsccst_test";

    private PostgreSqlTestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : DefaultServer;

    /// <param name="purpose">A short lower-case tag naming the test, to recognise a database left behind.</param>
    public static async Task<PostgreSqlTestDatabase> CreateAsync(string purpose)
    {
        // PostgreSQL keeps 63 bytes of a name: the random part stays whole.
        var tag = $"btsccst_test_{purpose}";
        var name = $"{tag[..Math.Min(tag.Length, 30)]}_{Guid.NewGuid():N}";
        await using (var server = await OpenServerAsync())
        await using (var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server))
        {
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        return new PostgreSqlTestDatabase(name, builder.ConnectionString);
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }

        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled connections of the silos would keep the database open.
        NpgsqlConnection.ClearAllPools();
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
