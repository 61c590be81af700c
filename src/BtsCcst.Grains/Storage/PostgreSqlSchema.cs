using Npgsql;

namespace BtsCcst.Grains.Storage;

/// <summary>
/// Creates or upgrades the Orleans tables of the cluster mode's PostgreSQL database: membership,
/// grain state and reminders. The scripts are the project's own (ops/sql/postgresql, embedded in
/// this assembly): the Orleans packages ship none.
/// </summary>
public static class PostgreSqlSchema
{
    /// <summary>Script names, in the order they are applied.</summary>
    internal static readonly IReadOnlyList<string> ScriptNames =
        ["orleans-main.sql", "orleans-clustering.sql", "orleans-persistence.sql", "orleans-reminders.sql"];

    /// <summary>
    /// The key of the transaction-level advisory lock held while the scripts run. Advisory locks
    /// are per database, so silos of other databases on the same server never wait for it.
    /// </summary>
    internal const long AdvisoryLockKey = 0x4274_7343_6373_7401; // "BtsCcst" + 01

    private const string ResourcePrefix = "BtsCcst.Grains.Storage.PostgreSql.";

    /// <summary>
    /// Makes the database at <paramref name="connectionString"/> ready for the Orleans ADO.NET
    /// providers: creates the missing tables and indexes and upserts the queries Orleans reads.
    /// Idempotent, and safe to call at every start-up, also from several silos at once: all the
    /// scripts run in one transaction that first takes an advisory lock, so concurrent callers
    /// apply them one after the other and each finds the work done.
    /// </summary>
    /// <remarks>The database must exist; the user needs the right to create tables in it.</remarks>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <exception cref="ArgumentException">The connection string is empty or not an Npgsql one.</exception>
    /// <exception cref="NpgsqlException">The server could not be reached or refused a script.</exception>
    public static void EnsureCreated(string connectionString)
    {
        using var connection = new NpgsqlConnection(ValidateConnectionString(connectionString));
        connection.Open();
        using var transaction = connection.BeginTransaction();

        using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.Parameters.AddWithValue("key", AdvisoryLockKey);
            // Waiting for another silo's scripts is normal; only the default 30 s would be short.
            command.CommandTimeout = 300;
            command.ExecuteNonQuery();
        }

        foreach (var name in ScriptNames)
        {
            using var command = new NpgsqlCommand(ReadScript(name), connection, transaction);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The text of one embedded script, e.g. <c>orleans-clustering.sql</c>.</summary>
    internal static string ReadScript(string name)
    {
        using var stream = typeof(PostgreSqlSchema).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The SQL script '{name}' is not embedded in {typeof(PostgreSqlSchema).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Checks the connection string before any network call, for a message an operator can act on.</summary>
    /// <returns>The connection string, unchanged.</returns>
    public static string ValidateConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException(
                "The PostgreSQL connection string is empty: set BtsCcst:PostgreSql:ConnectionString (environment variable BtsCcst__PostgreSql__ConnectionString), e.g. \"Host=db;Database=btsccst;Username=btsccst;Password=...\".",
                nameof(connectionString));
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The PostgreSQL connection string is not valid for Npgsql: {e.Message}", nameof(connectionString), e);
        }

        return connectionString;
    }
}
