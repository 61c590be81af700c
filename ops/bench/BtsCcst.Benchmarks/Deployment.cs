using System.Diagnostics;
using System.Globalization;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Auth;
using Npgsql;

namespace BtsCcst.Benchmarks;

public enum ClusterMode
{
    /// <summary>The default: one server, in-process membership, grain state in a SQLite file of its data folder.</summary>
    Embedded,
    /// <summary>BtsCcst:Cluster=PostgreSql: each server is a silo; membership, state and reminders in one PostgreSQL database.</summary>
    PostgreSql,
}

/// <summary>One configuration the benchmark measures: the storage/cluster mode and the number of silos (server processes).</summary>
public sealed record Configuration(ClusterMode Mode, int Silos)
{
    public string Label => Mode == ClusterMode.Embedded
        ? $"embedded SQLite, {Silos} silo{(Silos > 1 ? "s" : "")}"
        : $"PostgreSQL, {Silos} silo{(Silos > 1 ? "s" : "")}";

    /// <summary>Order of the rows in the cluster table.</summary>
    public int Rank => (Mode == ClusterMode.Embedded ? 0 : 100) + Silos;
}

/// <summary>
/// The servers of one configuration, started as child processes: one embedded server (tokens from
/// the dev route), or N PostgreSQL-mode silos on a fresh database (created here, dropped on dispose)
/// sharing one token key file (tokens signed here with the server's <see cref="TokenService"/>).
/// </summary>
public sealed class Deployment : IAsyncDisposable
{
    private readonly List<ServerProcess> _servers = [];
    private BenchDatabase? _database;
    private TokenService? _tokens;

    private Deployment(Configuration configuration) => Configuration = configuration;

    public Configuration Configuration { get; }

    public IReadOnlyList<ServerProcess> Servers => _servers;

    public BenchDatabase? Database => _database;

    /// <summary>One API client per silo, in silo order.</summary>
    public IReadOnlyList<Api> Apis { get; private set; } = [];

    /// <summary>CPU time used so far by every silo together.</summary>
    public TimeSpan CpuTime => _servers.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.CpuTime);

    public static async Task<Deployment> StartAsync(Configuration configuration, string serverDll, string workFolder, string postgres,
        int poolSize, IReadOnlyDictionary<string, string> serverEnv, string sessionId, Action<string> say)
    {
        var deployment = new Deployment(configuration);
        try
        {
            if (configuration.Mode == ClusterMode.Embedded)
            {
                deployment._servers.Add(await ServerProcess.StartAsync(serverDll, Path.Combine(workFolder, "data"), serverEnv, TimeSpan.FromMinutes(2)));
            }
            else
            {
                deployment._database = await BenchDatabase.CreateAsync(postgres);
                say($"database {deployment._database.Name} created");
                // Each silo's Npgsql pool: by default up to 100 connections, which is also PostgreSQL's default
                // max_connections; activating a few hundred grains at once (an import) then exhausts the server.
                var siloConnectionString = poolSize > 0
                    ? new NpgsqlConnectionStringBuilder(deployment._database.ConnectionString) { MaxPoolSize = poolSize }.ConnectionString
                    : deployment._database.ConnectionString;
                var keyFile = Path.Combine(workFolder, "jwt-signing.key");
                deployment._tokens = new TokenService(keyFile); // creates the key before the silos read it
                var started = await Task.WhenAll(Enumerable.Range(1, configuration.Silos).Select(i =>
                {
                    var environment = new Dictionary<string, string>
                    {
                        ["BtsCcst__Cluster"] = "PostgreSql",
                        ["BtsCcst__PostgreSql__ConnectionString"] = siloConnectionString,
                        ["BtsCcst__AdvertisedAddress"] = "127.0.0.1",
                        ["BtsCcst__TokenIssuerKeyFile"] = keyFile,
                    };
                    foreach (var (key, value) in serverEnv) environment[key] = value;
                    return ServerProcess.StartAsync(serverDll, Path.Combine(workFolder, $"silo{i}"), environment, TimeSpan.FromMinutes(2));
                }));
                deployment._servers.AddRange(started);
                var clock = Stopwatch.StartNew();
                while (await deployment._database.ActiveSilosAsync() < configuration.Silos)
                {
                    if (clock.Elapsed > TimeSpan.FromSeconds(90))
                        throw new TimeoutException($"{configuration.Silos} silos not active in the membership table after 90 s; see {string.Join(", ", started.Select(s => s.LogPath))}.");
                    await Task.Delay(200);
                }
            }
            deployment.Apis = deployment._servers.Select(s => new Api(s.BaseAddress, sessionId)).ToArray();
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>A bearer token for the actor: the dev route (embedded), or signed with the silos' shared key (PostgreSQL).</summary>
    public async Task<string> TokenAsync(string role, string name, string? scope = null)
    {
        if (_tokens is not null) return _tokens.Issue(new Actor(role, name, scope));
        return await Apis[0].TokenAsync(role, name, scope);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var api in Apis) api.Dispose();
        await Task.WhenAll(_servers.Select(s => s.DisposeAsync().AsTask()));
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>
/// A fresh database for one configuration's run, created with the given server connection (a user
/// with CREATEDB, as BTSCCST_TEST_POSTGRES for the tests) and dropped afterwards; plus the few
/// PostgreSQL statistics the report shows.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;

    private BenchDatabase(string server, string name, string connectionString)
    {
        _server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=btsccst;Password=btsccst;Database=btsccst_test";

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string server)
    {
        var name = $"btsccst_bench_{DateTime.UtcNow:yyyyMMddHHmmss}_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..6]}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new BenchDatabase(server, name, builder.ConnectionString);
    }

    public async Task<int> ActiveSilosAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM OrleansMembershipTable WHERE Status = 3", connection);
            return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0; // the first silo has not created the schema yet
        }
    }

    /// <summary>Commits in this database and WAL flushes of the whole PostgreSQL server so far (pg_stat_database, pg_stat_wal).</summary>
    public async Task<DatabaseCounters> CountersAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        // Statistics are cached per transaction by default; read fresh values.
        await using var command = new NpgsqlCommand("""
            SET stats_fetch_consistency = 'none';
            SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
                   (SELECT wal_sync FROM pg_stat_wal), (SELECT wal_records FROM pg_stat_wal)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new DatabaseCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), Stopwatch.GetTimestamp());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Cumulative PostgreSQL counters at one instant.</summary>
public sealed record DatabaseCounters(long Commits, long WalSyncs, long WalRecords, long Timestamp)
{
    /// <summary>Rates between two readings: commits/s in the database, WAL flushes/s of the server.</summary>
    public static DatabaseRates Between(DatabaseCounters from, DatabaseCounters to)
    {
        var seconds = (double)(to.Timestamp - from.Timestamp) / Stopwatch.Frequency;
        return new DatabaseRates((to.Commits - from.Commits) / seconds, (to.WalSyncs - from.WalSyncs) / seconds);
    }
}

public sealed record DatabaseRates(double CommitsPerSecond, double WalSyncsPerSecond);
