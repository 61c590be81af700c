using Microsoft.Data.Sqlite;

namespace BtsCcst.Grains.Storage;

/// <summary>
/// Creates or upgrades the Orleans tables of the embedded SQLite database. The scripts are the
/// project's own (ops/sql/sqlite, embedded in this assembly): the Orleans packages ship none.
/// </summary>
public static class SqliteSchema
{
    /// <summary>Script names, in the order they are applied.</summary>
    internal static readonly IReadOnlyList<string> ScriptNames = ["orleans-main.sql", "orleans-persistence.sql"];

    private const string ResourcePrefix = "BtsCcst.Grains.Storage.Sql.";

    /// <summary>
    /// Makes the database at <paramref name="connectionString"/> ready for the Orleans ADO.NET
    /// grain storage: creates the folder of the database file when missing, switches the file to
    /// WAL journal mode (readers no longer block the writer), creates the tables and upserts the
    /// queries Orleans reads. Idempotent, and safe to call at every start-up, also from several
    /// silos at once: the persistence script runs in one immediate (write-locked) transaction.
    /// </summary>
    /// <remarks>
    /// Lock waits are governed by the connection string's <c>Default Timeout</c> (seconds,
    /// 30 when absent): Microsoft.Data.Sqlite retries a busy database until it elapses.
    /// </remarks>
    /// <exception cref="InvalidOperationException">A database file that refuses WAL mode.</exception>
    public static void EnsureCreated(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var path = DatabaseFilePath(builder);
        if (path is not null)
        {
            var folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        using var connection = new SqliteConnection(connectionString);
        connection.Open();

        // orleans-main.sql starts with PRAGMA journal_mode, which SQLite refuses inside a
        // transaction: this script runs statement by statement, each one idempotent.
        Execute(connection, null, ReadScript(ScriptNames[0]));
        if (path is not null)
        {
            var mode = Convert.ToString(ExecuteScalar(connection, "PRAGMA journal_mode;"), System.Globalization.CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The SQLite database '{path}' is in journal mode '{mode}' and would not switch to WAL (is it on a network file system?).");
            }
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var script in ScriptNames.Skip(1))
        {
            Execute(connection, transaction, ReadScript(script));
        }

        transaction.Commit();
    }

    /// <summary>The text of one embedded script, e.g. <c>orleans-persistence.sql</c>.</summary>
    internal static string ReadScript(string name)
    {
        using var stream = typeof(SqliteSchema).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The SQL script '{name}' is not embedded in {typeof(SqliteSchema).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The full path of the database file, or null for an in-memory database. Resolved the way
    /// Microsoft.Data.Sqlite opens it: |DataDirectory| and relative paths against the
    /// DataDirectory app-domain value when set, else relative to the current directory.
    /// </summary>
    internal static string? DatabaseFilePath(SqliteConnectionStringBuilder builder)
    {
        var dataSource = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory
            || string.IsNullOrWhiteSpace(dataSource)
            || string.Equals(dataSource, ":memory:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            // URI filename (file:data/x.db?mode=rwc, file:///abs/x.db): the path is before '?',
            // after an optional "//authority".
            var parts = dataSource["file:".Length..].Split('?', 2);
            if (parts.Length == 2 && parts[1].Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var uriPath = parts[0];
            if (uriPath.StartsWith("//", StringComparison.Ordinal))
            {
                var slash = uriPath.IndexOf('/', 2);
                uriPath = slash < 0 ? "" : uriPath[slash..];
            }

            uriPath = Uri.UnescapeDataString(uriPath);
            return uriPath.Length == 0 || string.Equals(uriPath, ":memory:", StringComparison.OrdinalIgnoreCase)
                ? null
                : Path.GetFullPath(uriPath);
        }

        const string dataDirectoryMacro = "|DataDirectory|";
        if (AppDomain.CurrentDomain.GetData("DataDirectory") is string { Length: > 0 } dataDirectory)
        {
            if (dataSource.StartsWith(dataDirectoryMacro, StringComparison.OrdinalIgnoreCase))
            {
                dataSource = Path.Combine(dataDirectory, dataSource[dataDirectoryMacro.Length..]);
            }
            else if (!Path.IsPathRooted(dataSource))
            {
                dataSource = Path.Combine(dataDirectory, dataSource);
            }
        }

        return Path.GetFullPath(dataSource);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? ExecuteScalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
