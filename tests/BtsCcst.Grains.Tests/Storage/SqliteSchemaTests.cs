using BtsCcst.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace BtsCcst.Grains.Tests.Storage;

public sealed class SqliteSchemaTests
{
    private static readonly string[] ExpectedQueries = ["ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey"];

    [Fact]
    public void EnsureCreated_creates_the_folders_the_tables_and_the_queries_in_WAL_mode()
    {
        using var database = new TempSqliteDatabase();
        Assert.False(Directory.Exists(Path.GetDirectoryName(database.FilePath)));

        SqliteSchema.EnsureCreated(database.ConnectionString);

        Assert.True(File.Exists(database.FilePath));
        Assert.Equal("wal", database.Scalar<string>("PRAGMA journal_mode;"));
        Assert.Equal(ExpectedQueries, QueryKeys(database));
        Assert.Equal(0L, database.Scalar<long>("SELECT COUNT(*) FROM OrleansStorage"));
    }

    [Fact]
    public void Connections_to_the_file_sync_fully_by_default()
    {
        // The group-commit writer sets synchronous=FULL itself; the ADO.NET provider's connections
        // (reads, clears) rely on the bundled SQLite's default, FULL (2), checked here.
        using var database = new TempSqliteDatabase();
        SqliteSchema.EnsureCreated(database.ConnectionString);

        Assert.Equal(2L, database.Scalar<long>("PRAGMA synchronous;"));
    }

    [Fact]
    public void Applying_the_schema_again_keeps_the_state_and_refreshes_the_queries()
    {
        using var database = new TempSqliteDatabase();
        SqliteSchema.EnsureCreated(database.ConnectionString);
        Execute(database, """
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
            VALUES (1, 0, 0, 2, 'type', 'key', 'service', x'0102', CURRENT_TIMESTAMP, 7);
            UPDATE OrleansQuery SET QueryText = 'outdated' WHERE QueryKey = 'ReadFromStorageKey';
            """);

        SqliteSchema.EnsureCreated(database.ConnectionString);
        SqliteSchema.EnsureCreated(database.ConnectionString);

        Assert.Equal(7L, database.Scalar<long>("SELECT Version FROM OrleansStorage WHERE GrainIdExtensionString = 'key'"));
        Assert.Equal(ExpectedQueries, QueryKeys(database));
        Assert.Contains("FROM OrleansStorage", database.Scalar<string>("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'"));
    }

    [Fact]
    public async Task Concurrent_start_ups_on_a_new_file_all_succeed()
    {
        using var database = new TempSqliteDatabase();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SqliteSchema.EnsureCreated(database.ConnectionString))));

        Assert.Equal(ExpectedQueries, QueryKeys(database));
        Assert.Equal("wal", database.Scalar<string>("PRAGMA journal_mode;"));
    }

    [Fact]
    public void The_scripts_are_embedded_and_idempotent_on_their_own()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        foreach (var name in SqliteSchema.ScriptNames)
        {
            var script = SqliteSchema.ReadScript(name);
            for (var run = 0; run < 2; run++)
            {
                using var command = connection.CreateCommand();
                command.CommandText = script;
                command.ExecuteNonQuery();
            }
        }

        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM OrleansQuery";
        Assert.Equal(4L, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public void In_memory_databases_need_no_folder()
    {
        Assert.Null(SqliteSchema.DatabaseFilePath(new SqliteConnectionStringBuilder("Data Source=:memory:")));
        Assert.Null(SqliteSchema.DatabaseFilePath(new SqliteConnectionStringBuilder("Data Source=shared;Mode=Memory")));
        Assert.Null(SqliteSchema.DatabaseFilePath(new SqliteConnectionStringBuilder("Data Source=file:shared?mode=memory&cache=shared")));
    }

    [Theory]
    [InlineData("Data Source=/srv/btsccst/data.db", "/srv/btsccst/data.db")]
    [InlineData("Data Source=file:/srv/btsccst/data.db?cache=private", "/srv/btsccst/data.db")]
    [InlineData("Data Source=file:///srv/btsccst/data.db", "/srv/btsccst/data.db")]
    public void File_databases_resolve_to_their_full_path(string connectionString, string expected)
    {
        Assert.Equal(expected, SqliteSchema.DatabaseFilePath(new SqliteConnectionStringBuilder(connectionString)));
    }

    [Fact]
    public void Relative_paths_resolve_against_the_current_directory()
    {
        Assert.Equal(
            Path.Combine(Directory.GetCurrentDirectory(), "data", "btsccst.db"),
            SqliteSchema.DatabaseFilePath(new SqliteConnectionStringBuilder("Data Source=data/btsccst.db")));
    }

    private static string[] QueryKeys(TempSqliteDatabase database)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey";
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return [.. keys];
    }

    private static void Execute(TempSqliteDatabase database, string sql)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
