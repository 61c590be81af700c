using System.Collections.Concurrent;
using BtsCcst.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>One single-silo cluster on one SQLite file, for the group-commit writer's tests.</summary>
public sealed class SqliteGroupCommitFixture : IAsyncLifetime
{
    public TempSqliteDatabase Database { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await SqliteStorageCluster.StartAsync(Database.ConnectionString);

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Database.Dispose();
    }
}

public sealed class SqliteGroupCommitTests(SqliteGroupCommitFixture fixture) : IClassFixture<SqliteGroupCommitFixture>
{
    private const string StateName = "state";

    private SqliteGroupCommitGrainStorage GroupCommit =>
        Assert.IsType<SqliteGroupCommitGrainStorage>(fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains));

    /// <summary>The plain Orleans ADO.NET provider on the same file, as it wrote every row before group commit.</summary>
    private IGrainStorage AdoNet =>
        fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.SqliteAdoNet);

    public static TheoryData<string> Keys => ["string", "integer", "integer+extension", "guid", "guid+extension"];

    /// <remarks>
    /// The provider's row key is the grain key and the state name, not the grain type: integer and
    /// guid keys must differ from one test to the next (<paramref name="test"/>: 0, 1, ...).
    /// </remarks>
    private static GrainId Id(string kind, int test)
    {
        var type = GrainType.Create("group-commit-key");
        var guid = new Guid($"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f{test:x}");
        return kind switch
        {
            "string" => GrainId.Create(type, $"Académie/Lyon-{test}"),
            "integer" => GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(-1234567890123 - test)),
            "integer+extension" => GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(42 + test, "jury-é")),
            "guid" => GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(guid)),
            "guid+extension" => GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(guid, "ext")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static GrainState<ProbeState> State(string text) => new(new ProbeState { Text = text });

    private async Task<GrainState<ProbeState>> Stored(GrainId id)
    {
        var state = new GrainState<ProbeState>();
        await AdoNet.ReadStateAsync(StateName, id, state);
        return state;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Rows_written_by_the_ADO_NET_provider_are_updated_in_place_by_the_group_commit_writer(string kind)
    {
        // Same row means same hashes and key columns: the writer's UPDATE matches on all of them.
        var id = Id(kind, 0);
        var state = State("écrit par le fournisseur ADO.NET");
        await AdoNet.WriteStateAsync(StateName, id, state);
        Assert.Equal("1", state.ETag);

        state.State!.Text = "écrit par le group commit";
        await GroupCommit.WriteStateAsync(StateName, id, state);
        Assert.Equal("2", state.ETag);

        var stored = await Stored(id);
        Assert.Equal("écrit par le group commit", stored.State!.Text);
        Assert.Equal("2", stored.ETag);
        Assert.True(stored.RecordExists);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Rows_written_by_the_group_commit_writer_are_read_and_updated_by_the_ADO_NET_provider(string kind)
    {
        var id = Id(kind, 1);
        var state = State("premier");
        await GroupCommit.WriteStateAsync(StateName, id, state);
        Assert.Equal("1", state.ETag);
        Assert.True(state.RecordExists);

        var read = await Stored(id);
        Assert.Equal("premier", read.State!.Text);
        Assert.Equal("1", read.ETag);

        // The provider's own compare-and-swap finds the row by its hashes.
        read.State.Text = "second";
        await AdoNet.WriteStateAsync(StateName, id, read);
        Assert.Equal("2", read.ETag);

        // And a write of the stale ETag by the group commit writer is refused.
        await Assert.ThrowsAsync<InconsistentStateException>(() => GroupCommit.WriteStateAsync(StateName, id, state));
        Assert.Equal("1", state.ETag);
        Assert.Equal("second", (await Stored(id)).State!.Text);
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_share_transactions_and_are_all_stored()
    {
        const int grains = 400;
        var storage = GroupCommit;
        var ids = Enumerable.Range(0, grains).Select(i => GrainId.Create("group-commit-many", $"g{i:D3}")).ToArray();
        var states = ids.Select((_, i) => State($"n°{i}")).ToArray();
        var transactionsBefore = storage.Transactions;
        var writesBefore = storage.Writes;

        // From thread-pool threads, as grains write: a write that finds the writer idle commits on
        // its own thread, and those that arrive meanwhile queue for the next transaction.
        await Task.WhenAll(ids.Select((id, i) => Task.Run(() => storage.WriteStateAsync(StateName, id, states[i]))));
        foreach (var state in states)
        {
            state.State!.Writes.Add(2);
        }

        await Task.WhenAll(ids.Select((id, i) => Task.Run(() => storage.WriteStateAsync(StateName, id, states[i]))));

        Assert.Equal(2 * grains, storage.Writes - writesBefore);
        // Without grouping there would be one transaction per write; how many share one depends on the thread pool's
        // timing (about four on an idle machine, two under a load of 4 on 2 cores), so ask for at least three writes
        // per two transactions on average: well clear of one per write.
        Assert.True(3 * (storage.Transactions - transactionsBefore) <= 2 * 2 * grains,
            $"{storage.Transactions - transactionsBefore} transactions for {2 * grains} writes: the writes were not grouped.");
        for (var i = 0; i < grains; i++)
        {
            Assert.Equal("2", states[i].ETag);
            var stored = await Stored(ids[i]);
            Assert.Equal($"n°{i}", stored.State!.Text);
            Assert.Equal([2], stored.State.Writes);
            Assert.Equal("2", stored.ETag);
        }
    }

    [Fact]
    public async Task A_stale_ETag_fails_only_its_own_write_in_a_shared_transaction()
    {
        var storage = GroupCommit;
        var stale = GrainId.Create("group-commit-conflict", "stale");
        var duplicate = GrainId.Create("group-commit-conflict", "inserted-twice");
        var others = Enumerable.Range(0, 4).Select(i => GrainId.Create("group-commit-conflict", $"other-{i}")).ToArray();

        var staleState = State("v1");
        await storage.WriteStateAsync(StateName, stale, staleState);
        var current = await Stored(stale);
        current.State!.Text = "v2, by another activation";
        await storage.WriteStateAsync(StateName, stale, current);
        Assert.Equal("2", current.ETag);

        staleState.State!.Text = "stale";
        var otherStates = others.Select(id => State("fine " + id)).ToArray();
        var firstInsert = State("first activation");
        var secondInsert = State("second activation");
        var (sizes, writes) = await InOneBatch(storage, null,
        [
            () => storage.WriteStateAsync(StateName, others[0], otherStates[0]),
            () => storage.WriteStateAsync(StateName, stale, staleState),
            () => storage.WriteStateAsync(StateName, others[1], otherStates[1]),
            () => storage.WriteStateAsync(StateName, duplicate, firstInsert),
            () => storage.WriteStateAsync(StateName, duplicate, secondInsert),
            () => storage.WriteStateAsync(StateName, others[2], otherStates[2]),
            () => storage.WriteStateAsync(StateName, others[3], otherStates[3]),
        ]);

        Assert.Equal([7], sizes);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[1]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[4]);
        await Task.WhenAll(writes[0], writes[2], writes[3], writes[5], writes[6]);

        Assert.Equal("1", staleState.ETag);
        Assert.Equal("v2, by another activation", (await Stored(stale)).State!.Text);
        Assert.Null(secondInsert.ETag);
        Assert.Equal("1", firstInsert.ETag);
        Assert.Equal("first activation", (await Stored(duplicate)).State!.Text);
        for (var i = 0; i < others.Length; i++)
        {
            Assert.Equal("1", otherStates[i].ETag);
            Assert.Equal("fine " + others[i], (await Stored(others[i])).State!.Text);
        }
    }

    [Fact]
    public async Task A_failed_transaction_fails_every_write_in_it_changes_nothing_and_a_retry_succeeds()
    {
        var storage = GroupCommit;
        var ids = Enumerable.Range(0, 5).Select(i => GrainId.Create("group-commit-failure", $"g{i}")).ToArray();
        var states = ids.Select(id => State("stored " + id)).ToArray();
        // Three grains already stored at version 1, two never written.
        for (var i = 0; i < 3; i++)
        {
            await storage.WriteStateAsync(StateName, ids[i], states[i]);
            states[i].State!.Text = "changed " + ids[i];
        }

        var injected = new IOException("disque débranché (injected)");
        var (sizes, writes) = await InOneBatch(storage, _ => throw injected,
            ids.Select((id, i) => (Func<Task>)(() => storage.WriteStateAsync(StateName, id, states[i]))).ToArray());

        Assert.Equal([5], sizes);
        foreach (var write in writes)
        {
            Assert.Same(injected, await Assert.ThrowsAsync<IOException>(() => write));
        }

        for (var i = 0; i < ids.Length; i++)
        {
            var stored = await Stored(ids[i]);
            if (i < 3)
            {
                Assert.Equal("1", states[i].ETag);
                Assert.Equal("stored " + ids[i], stored.State!.Text);
                Assert.Equal("1", stored.ETag);
            }
            else
            {
                Assert.Null(states[i].ETag);
                Assert.False(stored.RecordExists);
                Assert.Null(stored.ETag);
            }
        }

        // The same grain states, written again, go through.
        await Task.WhenAll(ids.Select((id, i) => storage.WriteStateAsync(StateName, id, states[i])));
        for (var i = 0; i < ids.Length; i++)
        {
            var expected = i < 3 ? "2" : "1";
            Assert.Equal(expected, states[i].ETag);
            var stored = await Stored(ids[i]);
            Assert.Equal(i < 3 ? "changed " + ids[i] : "stored " + ids[i], stored.State!.Text);
            Assert.Equal(expected, stored.ETag);
        }
    }

    [Fact]
    public async Task Clears_go_through_the_writer_between_batches()
    {
        var storage = GroupCommit;
        var id = GrainId.Create("group-commit-clear", "cleared");
        var state = State("to clear");
        await storage.WriteStateAsync(StateName, id, state);

        await storage.ClearStateAsync(StateName, id, state);
        Assert.Equal("2", state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State!.Text);

        state.State.Text = "after the clear";
        await storage.WriteStateAsync(StateName, id, state);
        var stored = await Stored(id);
        Assert.Equal("after the clear", stored.State!.Text);
        Assert.Equal("3", stored.ETag);
    }

    /// <summary>
    /// Holds the writer inside the commit of a first, unrelated write, queues <paramref name="writes"/>
    /// meanwhile (each call enqueues before it returns), then lets the writer go: they form the next
    /// batch. Returns the sizes of the batches after the first, and the writes' tasks.
    /// </summary>
    private static async Task<(int[] Sizes, Task[] Writes)> InOneBatch(SqliteGroupCommitGrainStorage storage, Action<int>? atCommit, Func<Task>[] writes)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var sizes = new ConcurrentQueue<int>();
        var calls = 0;
        storage.BeforeCommit = size =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                entered.SetResult();
                release.Wait(TimeSpan.FromSeconds(30));
                return;
            }

            sizes.Enqueue(size);
            atCommit?.Invoke(size);
        };
        try
        {
            // Another thread: a write that finds the writer idle commits on its caller's thread.
            var blocker = Task.Run(() => storage.WriteStateAsync(StateName, GrainId.Create("group-commit-blocker", Guid.NewGuid().ToString("N")), State("blocker")));
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var tasks = writes.Select(write => write()).ToArray();
            release.Set();
            await blocker;
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            return (sizes.ToArray(), tasks);
        }
        finally
        {
            storage.BeforeCommit = null;
        }
    }
}
