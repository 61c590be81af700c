using System.Net;
using System.Net.Sockets;
using BtsCcst.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Placement;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>
/// A fresh database on the test PostgreSQL server, dropped on dispose. The server comes from the
/// environment variable BTSCCST_TEST_POSTGRES (an Npgsql connection string whose user may create
/// databases; .ci/run sets it), its database only serving to create and drop the others.
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

/// <summary>One in-process silo of the PostgreSQL cluster mode, configured as the server configures it.</summary>
public sealed class PostgreSqlSilo : IAsyncDisposable
{
    public const string ClusterId = "btsccst-tests";

    public const string ServiceId = "btsccst-tests";

    private readonly IHost host;

    private PostgreSqlSilo(IHost host, int siloPort)
    {
        this.host = host;
        SiloPort = siloPort;
    }

    public int SiloPort { get; }

    public IServiceProvider Services => host.Services;

    public IGrainFactory GrainFactory => host.Services.GetRequiredService<IGrainFactory>();

    public IClusterMembershipService Membership => host.Services.GetRequiredService<IClusterMembershipService>();

    public static async Task<PostgreSqlSilo> StartAsync(string connectionString)
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.UseBtsCcstPostgreSqlCluster(new PostgreSqlCluster(
                connectionString, ClusterId, ServiceId, IPAddress.Loopback, siloPort, gatewayPort));
            // The candidate and jury grains stamp every change with the injected clock.
            silo.Services.AddSingleton(TimeProvider.System);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new PostgreSqlSilo(host, siloPort);
    }

    public int ActiveSilos() => Membership.CurrentSnapshot.Members.Values.Count(member => member.Status == SiloStatus.Active);

    public async Task StopAsync()
    {
        await host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync();
        }
        finally
        {
            host.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Answers which silo runs it; placed at random so that a cluster spreads them.</summary>
public interface IWhereGrain : IGrainWithStringKey
{
    Task<string> Silo();
}

[RandomPlacement]
public sealed class WhereGrain : Grain, IWhereGrain
{
    public Task<string> Silo() => Task.FromResult(RuntimeIdentity);
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);

    Task<bool> Has(string name);

    Task Unregister(string name);
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public async Task Register(string name, TimeSpan dueTime, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<bool> Has(string name) => await this.GetReminder(name) is not null;

    public async Task Unregister(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
