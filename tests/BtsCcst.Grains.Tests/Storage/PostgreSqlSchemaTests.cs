using BtsCcst.Grains.Storage;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>The PostgreSQL schema scripts, applied by <see cref="PostgreSqlSchema"/> to a real server.</summary>
public sealed class PostgreSqlSchemaTests
{
    private static readonly string[] ExpectedTables =
        ["orleansmembershiptable", "orleansmembershipversiontable", "orleansquery", "orleansreminderstable", "orleansstorage"];

    /// <summary>Every key the three providers read (Orleans 10.4), in QueryKey order.</summary>
    private static readonly string[] ExpectedQueries =
    [
        "CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey", "DeleteReminderRowKey",
        "DeleteReminderRowsKey", "DeleteStorageKey", "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey",
        "MembershipReadAllKey", "MembershipReadRowKey", "ReadFromStorageKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "ReadReminderRowKey", "ReadReminderRowsKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "UpsertReminderRowKey",
        "WriteToStorageKey",
    ];

    [Fact]
    public async Task EnsureCreated_creates_the_tables_and_the_queries_on_an_empty_database()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("schema_empty");
        Assert.Empty(await Tables(database));

        PostgreSqlSchema.EnsureCreated(database.ConnectionString);

        Assert.Equal(ExpectedTables, await Tables(database));
        Assert.Equal(ExpectedQueries, await database.RowsAsync("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\""));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM OrleansStorage"));
    }

    [Fact]
    public async Task Applying_again_changes_nothing_and_keeps_the_data()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("schema_again");
        PostgreSqlSchema.EnsureCreated(database.ConnectionString);
        await database.ScalarAsync<long>("""
            WITH state AS (
                INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                    GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
                VALUES (1, 0, 0, 2, 'type', 'key', 'service', '\x0102', now(), 7) RETURNING 1),
            reminder AS (
                INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                VALUES ('service', 'grain/key', 'tick', now(), 60000, 42, 3) RETURNING 1)
            SELECT (SELECT COUNT(*) FROM state) + (SELECT COUNT(*) FROM reminder)
            """);
        var schema = await Schema(database);
        var queryRows = await QueryRowVersions(database);

        PostgreSqlSchema.EnsureCreated(database.ConnectionString);
        PostgreSqlSchema.EnsureCreated(database.ConnectionString);

        Assert.Equal(schema, await Schema(database));
        // Unchanged query texts are not even rewritten (same row versions).
        Assert.Equal(queryRows, await QueryRowVersions(database));
        Assert.Equal(7L, await database.ScalarAsync<long>("SELECT Version FROM OrleansStorage WHERE GrainIdExtensionString = 'key'"));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT Version FROM OrleansRemindersTable WHERE ReminderName = 'tick'"));
    }

    [Fact]
    public async Task Applying_again_restores_a_changed_query_text()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("schema_restore");
        PostgreSqlSchema.EnsureCreated(database.ConnectionString);
        await database.ScalarAsync<long>("WITH u AS (UPDATE OrleansQuery SET QueryText = 'outdated' WHERE QueryKey = 'UpdateMembershipKey' RETURNING 1) SELECT COUNT(*) FROM u");

        PostgreSqlSchema.EnsureCreated(database.ConnectionString);

        Assert.Contains("OrleansMembershipVersionTable",
            await database.ScalarAsync<string>("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'UpdateMembershipKey'"));
    }

    [Fact]
    public async Task Concurrent_appliers_on_an_empty_database_all_succeed()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("schema_concurrent");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PostgreSqlSchema.EnsureCreated(database.ConnectionString))));

        Assert.Equal(ExpectedTables, await Tables(database));
        Assert.Equal(ExpectedQueries, await database.RowsAsync("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\""));
    }

    [Fact]
    public void Every_script_is_embedded()
    {
        foreach (var name in PostgreSqlSchema.ScriptNames)
        {
            Assert.Contains("CREATE TABLE IF NOT EXISTS", PostgreSqlSchema.ReadScript(name));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void An_empty_connection_string_is_refused_naming_the_setting(string? connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgreSqlSchema.EnsureCreated(connectionString!));
        Assert.Contains("BtsCcst__PostgreSql__ConnectionString", error.Message);
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_before_any_connection()
    {
        var error = Assert.Throws<ArgumentException>(() => PostgreSqlSchema.EnsureCreated("Hots=db;Password=secret"));
        Assert.DoesNotContain("secret", error.Message);
    }

    private static Task<List<string>> Tables(PostgreSqlTestDatabase database) => database.RowsAsync(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name COLLATE \"C\"");

    private static async Task<List<string>> Schema(PostgreSqlTestDatabase database)
    {
        var columns = await database.RowsAsync("""
            SELECT table_name, column_name, data_type, is_nullable, COALESCE(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public'
            ORDER BY table_name COLLATE "C", ordinal_position
            """);
        var indexes = await database.RowsAsync("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname COLLATE \"C\"");
        var constraints = await database.RowsAsync(
            "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2");
        return [.. columns, .. indexes, .. constraints];
    }

    private static Task<List<string>> QueryRowVersions(PostgreSqlTestDatabase database) =>
        database.RowsAsync("SELECT QueryKey, xmin::text FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\"");
}
