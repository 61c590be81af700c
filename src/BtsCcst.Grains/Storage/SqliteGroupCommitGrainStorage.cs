using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace BtsCcst.Grains.Storage;

/// <summary>
/// The grain storage of the embedded SQLite mode: one writer at a time on one connection, and group
/// commit. Every write queued while a transaction commits goes into the next transaction, committed with
/// one fsync (<c>synchronous=FULL</c>), instead of one transaction and one fsync per write.
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> <see cref="WriteStateAsync"/> completes only after the transaction holding
/// its write committed, and SQLite's FULL synchronous mode in WAL journal mode syncs the log at every
/// commit: an acknowledged write survives a crash of the process and a power cut. If the transaction
/// fails (an I/O error, a full disk, a failure at commit), every write of it fails with that exception,
/// nothing of it is stored, and no grain's ETag changes: nothing is acknowledged in part.</para>
/// <para><b>Concurrency.</b> Each write is one compare-and-swap statement on the row's version (the
/// grain's ETag), as the ADO.NET provider's queries do: a stale ETag, or a first write of a grain that
/// already has a row, matches no row and changes nothing, so only that write fails
/// (<see cref="InconsistentStateException"/>) while the rest of its transaction commits. Writes run in
/// the order they were queued, so two writes of one grain in one batch see each other.</para>
/// <para><b>Who writes.</b> No thread of its own: a write that finds the writer idle commits at once on
/// the caller's thread (as the ADO.NET provider would, without a thread switch); writes that arrive
/// meanwhile queue, and the queue is then drained batch after batch by a thread-pool work item until it
/// is empty. A first version with a dedicated writer thread added two thread switches to every write and
/// measured no better than one transaction per write on single PUTs (ops/bench/RESULTS.md).</para>
/// <para><b>Format.</b> Same table, same rows, same serializer as Microsoft.Orleans.Persistence.AdoNet
/// (<see cref="AdoNetStorageKey"/>): reads go to that provider, and existing database files load
/// unchanged. Clears, and the rare state name the writer does not key itself, also go to that
/// provider, but as the writer, between two batches, so they never contend with it.</para>
/// </remarks>
internal sealed class SqliteGroupCommitGrainStorage : IGrainStorage, IDisposable, IAsyncDisposable
{
    /// <summary>At most this many writes per transaction, to bound one batch's latency and memory.</summary>
    internal const int MaxBatch = 1024;

    private const string UpdateSql = """
        UPDATE OrleansStorage
        SET PayloadBinary = @PayloadBinary, ModifiedOn = CURRENT_TIMESTAMP, Version = Version + 1
        WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
          AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
          AND GrainTypeString = @GrainTypeString AND ServiceId = @ServiceId
          AND GrainIdExtensionString IS @GrainIdExtensionString
          AND Version = @GrainStateVersion
        RETURNING Version;
        """;

    // The unique index UX_OrleansStorage_Grain makes a second first write of a grain do nothing.
    private const string InsertSql = """
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
             ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES (@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
                @ServiceId, @PayloadBinary, CURRENT_TIMESTAMP, 1)
        ON CONFLICT DO NOTHING
        RETURNING Version;
        """;

    private readonly string _connectionString;
    private readonly IGrainStorage _adoNet;
    private readonly IGrainStorageSerializer _serializer;
    private readonly string _serviceId;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _queue = new();
    private readonly Action<object?> _drain;
    private bool _writing;
    private bool _closed;

    private SqliteConnection? _connection;
    private SqliteCommand? _update;
    private SqliteCommand? _insert;
    private long _transactions;
    private long _writes;

    public SqliteGroupCommitGrainStorage(string connectionString, IGrainStorage adoNet, IGrainStorageSerializer serializer, string serviceId, ILogger<SqliteGroupCommitGrainStorage> logger)
    {
        _connectionString = connectionString;
        _adoNet = adoNet;
        _serializer = serializer;
        _serviceId = serviceId;
        _logger = logger;
        _drain = _ => Drain(inline: false);
    }

    /// <summary>Test hook: runs as the writer with the batch's size just before COMMIT; an exception fails the batch.</summary>
    internal Action<int>? BeforeCommit { get; set; }

    /// <summary>Transactions committed by the writer so far (batches of writes).</summary>
    internal long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Writes committed by the writer so far (successful or refused for their ETag).</summary>
    internal long Writes => Interlocked.Read(ref _writes);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _adoNet.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!AdoNetStorageKey.TryCreate(stateName, grainId, out var key))
        {
            await Exclusive(() => _adoNet.WriteStateAsync(stateName, grainId, grainState));
            return;
        }

        // Serialised here, on the caller's turn: the grain may change its state once this returns
        // a task, and a value that cannot be serialised fails this write only.
        var payload = _serializer.Serialize(grainState.State).ToArray();
        long? expected = string.IsNullOrWhiteSpace(grainState.ETag) ? null : long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var pending = new Pending(key, grainId, expected, payload, null);
        if (Enqueue(pending))
        {
            Drain(inline: true);
        }

        var version = await pending.Completion.Task;

        // Only now, after the commit: a failed transaction leaves the ETag as it was.
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Exclusive(() => _adoNet.ClearStateAsync(stateName, grainId, grainState));

    private async Task Exclusive(Func<Task> operation)
    {
        var pending = new Pending(null, default, null, null, operation);
        if (Enqueue(pending))
        {
            // Not on the caller's thread: the operation is waited for synchronously.
            ThreadPool.UnsafeQueueUserWorkItem(_drain, null, preferLocal: false);
        }

        await pending.Completion.Task;
    }

    /// <summary>Queues <paramref name="pending"/>; true when the caller is to start the writer (it was idle).</summary>
    private bool Enqueue(Pending pending)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _queue.Enqueue(pending);
            if (_writing)
            {
                return false;
            }

            _writing = true;
            return true;
        }
    }

    /// <summary>
    /// Runs batches while the queue holds some, as the one writer (the caller set <c>_writing</c>).
    /// Inline, on the thread of the write that found the writer idle: one batch (holding that write),
    /// then the rest is handed to the thread pool so that this caller's grain carries on.
    /// </summary>
    private void Drain(bool inline)
    {
        var batch = new List<Pending>();
        while (true)
        {
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    if (_closed)
                    {
                        CloseConnection();
                    }

                    return;
                }

                if (inline && batch.Count > 0)
                {
                    // Still the writer: the thread pool carries on from here.
                    break;
                }

                batch.Clear();
                if (_queue.Peek().Operation is not null)
                {
                    batch.Add(_queue.Dequeue());
                }
                else
                {
                    while (batch.Count < MaxBatch && _queue.TryPeek(out var next) && next.Operation is null)
                    {
                        batch.Add(_queue.Dequeue());
                    }
                }
            }

            if (batch[0].Operation is { } operation)
            {
                RunExclusive(batch[0], operation);
            }
            else
            {
                Commit(batch);
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(_drain, null, preferLocal: false);
    }

    private static void RunExclusive(Pending pending, Func<Task> operation)
    {
        try
        {
            // The ADO.NET provider on Microsoft.Data.Sqlite completes synchronously in practice;
            // waiting here keeps every other write out until it is done.
            operation().GetAwaiter().GetResult();
            pending.Completion.TrySetResult(0);
        }
        catch (Exception ex)
        {
            pending.Completion.TrySetException(ex);
        }
    }

    private void Commit(List<Pending> batch)
    {
        var versions = new long?[batch.Count];
        try
        {
            var connection = Connection();
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                _update!.Transaction = transaction;
                _insert!.Transaction = transaction;
                for (var i = 0; i < batch.Count; i++)
                {
                    versions[i] = Execute(batch[i]);
                }

                BeforeCommit?.Invoke(batch.Count);
                transaction.Commit();
            }
        }
        catch (Exception ex)
        {
            // Closing the connection rolls back whatever the failed transaction left open; the next
            // batch opens a new one.
            CloseConnection();
            _logger.LogError(ex, "The SQLite grain storage could not commit a transaction of {Writes} writes: all of them fail, none is stored.", batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }

            return;
        }

        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _writes, batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            if (versions[i] is { } version)
            {
                pending.Completion.TrySetResult(version);
            }
            else
            {
                pending.Completion.TrySetException(new InconsistentStateException(
                    $"Version conflict (WriteState): ServiceId={_serviceId} GrainType={pending.Key!.GrainTypeString} GrainId={pending.GrainId} ETag={pending.Expected?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}: "
                    + (pending.Expected is null ? "the grain already has a stored state." : "the stored version is no longer this ETag.")));
            }
        }
    }

    private long? Execute(Pending pending)
    {
        var key = pending.Key!;
        var command = pending.Expected is null ? _insert! : _update!;
        var p = command.Parameters;
        p["@GrainIdHash"].Value = key.GrainIdHash;
        p["@GrainIdN0"].Value = key.N0;
        p["@GrainIdN1"].Value = key.N1;
        p["@GrainTypeHash"].Value = key.GrainTypeHash;
        p["@GrainTypeString"].Value = key.GrainTypeString;
        p["@GrainIdExtensionString"].Value = (object?)key.Extension ?? DBNull.Value;
        p["@ServiceId"].Value = _serviceId;
        p["@PayloadBinary"].Value = pending.Payload!;
        if (pending.Expected is { } expected)
        {
            p["@GrainStateVersion"].Value = expected;
        }

        return command.ExecuteScalar() is { } version and not DBNull ? Convert.ToInt64(version, CultureInfo.InvariantCulture) : null;
    }

    private SqliteConnection Connection()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                // FULL: in WAL mode, every commit syncs the log before it returns (SQLite's default,
                // stated here so that no build or connection default can weaken it).
                pragma.CommandText = "PRAGMA synchronous = FULL;";
                pragma.ExecuteNonQuery();
            }

            _update = Prepare(connection, UpdateSql, withVersion: true);
            _insert = Prepare(connection, InsertSql, withVersion: false);
        }
        catch
        {
            _update?.Dispose();
            _update = null;
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, bool withVersion)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in (string[])["@GrainIdHash", "@GrainIdN0", "@GrainIdN1", "@GrainTypeHash", "@GrainTypeString", "@GrainIdExtensionString", "@ServiceId", "@PayloadBinary"])
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        if (withVersion)
        {
            command.Parameters.Add(new SqliteParameter("@GrainStateVersion", null));
        }

        return command;
    }

    private void CloseConnection()
    {
        _update?.Dispose();
        _insert?.Dispose();
        _connection?.Dispose();
        _update = null;
        _insert = null;
        _connection = null;
    }

    /// <summary>Refuses new writes; the queued ones still commit, and the last batch closes the connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            if (!_writing)
            {
                CloseConnection();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One queued write (Key, Payload, Expected version) or one exclusive operation.</summary>
    private sealed class Pending(AdoNetStorageKey? key, GrainId grainId, long? expected, byte[]? payload, Func<Task>? operation)
    {
        public AdoNetStorageKey? Key { get; } = key;
        public GrainId GrainId { get; } = grainId;
        public long? Expected { get; } = expected;
        public byte[]? Payload { get; } = payload;
        public Func<Task>? Operation { get; } = operation;
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
