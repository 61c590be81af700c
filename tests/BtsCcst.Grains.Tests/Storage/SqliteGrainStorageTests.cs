using BtsCcst.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>One two-silo cluster on one SQLite file, shared by the tests of <see cref="SqliteGrainStorageTests"/>.</summary>
public sealed class SqliteClusterFixture : IAsyncLifetime
{
    public TempSqliteDatabase Database { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await SqliteStorageCluster.StartAsync(Database.ConnectionString, silos: 2);

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Database.Dispose();
    }
}

public sealed class SqliteGrainStorageTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    private TempSqliteDatabase Database => fixture.Database;

    private IGrainStorage Storage(string name = StorageNames.Grains) =>
        Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(name);

    [Fact]
    public async Task State_is_read_back_from_the_file_by_a_new_activation()
    {
        var grain = Cluster.GrainFactory.GetGrain<IStorageProbeGrain>("read-back");
        await grain.Set("Académie de Lyon");
        await grain.Append(7);

        await Cluster.DeactivateAsync(grain);
        var snapshot = await grain.Snapshot();

        Assert.Equal("Académie de Lyon", snapshot.State.Text);
        Assert.Equal([7], snapshot.State.Writes);
        Assert.Equal("2", snapshot.ETag);
        Assert.True(snapshot.RecordExists);

        // Written by the Orleans binary serializer, not by the silo's default (JSON) one.
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = 'read-back'";
        var payload = (byte[])command.ExecuteScalar()!;
        Assert.NotEmpty(payload);
        Assert.NotEqual((byte)'{', payload[0]);
    }

    [Fact]
    public async Task Unknown_grain_reads_as_default_state_without_a_record()
    {
        var snapshot = await Cluster.GrainFactory.GetGrain<IStorageProbeGrain>("never-written").Snapshot();

        Assert.Equal("", snapshot.State.Text);
        Assert.Empty(snapshot.State.Writes);
        Assert.Null(snapshot.ETag);
        Assert.False(snapshot.RecordExists);
    }

    [Fact]
    public async Task Stale_etag_raises_InconsistentStateException_and_does_not_overwrite()
    {
        var storage = Storage();
        const string grainType = "storage-probe-direct";
        var grainId = GrainId.Create(grainType, "etag-conflict");

        var first = new GrainState<ProbeState>(new ProbeState { Text = "first" });
        await storage.WriteStateAsync(grainType, grainId, first);
        Assert.Equal("1", first.ETag);

        // A second activation that never read the state: its insert must not replace the row.
        var unread = new GrainState<ProbeState>(new ProbeState { Text = "second activation" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grainType, grainId, unread));

        var stale = new GrainState<ProbeState>();
        await storage.ReadStateAsync(grainType, grainId, stale);
        Assert.Equal("1", stale.ETag);

        first.State!.Text = "first, again";
        await storage.WriteStateAsync(grainType, grainId, first);
        Assert.Equal("2", first.ETag);

        stale.State!.Text = "stale";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grainType, grainId, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(grainType, grainId, stale));

        var current = new GrainState<ProbeState>();
        await storage.ReadStateAsync(grainType, grainId, current);
        Assert.Equal("first, again", current.State!.Text);
        Assert.Equal("2", current.ETag);
        Assert.True(current.RecordExists);
    }

    [Fact]
    public async Task Key_extensions_are_stored_apart_from_the_plain_key()
    {
        var storage = Storage();
        const string grainType = "storage-probe-extension";
        var type = GrainType.Create(grainType);
        GrainId[] ids =
        [
            GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(42)),
            GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(42, "a")),
            GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(42, "b")),
        ];

        foreach (var id in ids)
        {
            await storage.WriteStateAsync(grainType, id, new GrainState<ProbeState>(new ProbeState { Text = id.ToString() }));
        }

        foreach (var id in ids)
        {
            var state = new GrainState<ProbeState>();
            await storage.ReadStateAsync(grainType, id, state);
            Assert.Equal(id.ToString(), state.State!.Text);
            Assert.Equal("1", state.ETag);
        }

        Assert.Equal(1L, Database.Scalar<long>(
            "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'storage-probe-extension' AND GrainIdExtensionString IS NULL"));
        Assert.Equal(3L, Database.Scalar<long>(
            "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'storage-probe-extension'"));
    }

    [Fact]
    public async Task ClearStateAsync_empties_the_state_and_the_grain_can_write_again()
    {
        var grain = Cluster.GrainFactory.GetGrain<IStorageProbeGrain>("cleared");
        await grain.Set("to be cleared");
        await grain.Append(1);

        await grain.Clear();
        var cleared = await grain.Snapshot();
        Assert.Equal("", cleared.State.Text);
        Assert.False(cleared.RecordExists);
        Assert.Equal("3", cleared.ETag);

        // The row stays, without payload, so its version keeps guarding against stale writers.
        Assert.Equal(1L, Database.Scalar<long>(
            "SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString = 'cleared' AND PayloadBinary IS NULL AND Version = 3"));

        await Cluster.DeactivateAsync(grain);
        var reloaded = await grain.Snapshot();
        Assert.Equal("", reloaded.State.Text);
        Assert.Empty(reloaded.State.Writes);
        Assert.False(reloaded.RecordExists);
        Assert.Equal("3", reloaded.ETag);

        await grain.Set("written after clear");
        await Cluster.DeactivateAsync(grain);
        var rewritten = await grain.Snapshot();
        Assert.Equal("written after clear", rewritten.State.Text);
        Assert.Equal("4", rewritten.ETag);
        Assert.True(rewritten.RecordExists);
    }

    [Fact]
    public async Task DeleteStateOnClear_removes_the_row()
    {
        var grain = Cluster.GrainFactory.GetGrain<IDeletingProbeGrain>("deleted");
        await grain.Set("to be deleted");

        await grain.Clear();
        var cleared = await grain.Snapshot();
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.ETag);
        Assert.Equal(0L, Database.Scalar<long>("SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString = 'deleted'"));

        await grain.Set("written after delete");
        await Cluster.DeactivateAsync(grain);
        var rewritten = await grain.Snapshot();
        Assert.Equal("written after delete", rewritten.State.Text);
        Assert.Equal("1", rewritten.ETag);

        // This provider keeps the silo's default serializer (Newtonsoft JSON).
        Assert.Equal((long)'{', Database.Scalar<long>(
            "SELECT unicode(CAST(PayloadBinary AS TEXT)) FROM OrleansStorage WHERE GrainIdExtensionString = 'deleted'"));
    }

    [Fact]
    public async Task Many_grains_writing_concurrently_all_succeed()
    {
        const int grains = 200;
        const int writesPerGrain = 5;
        var probes = Enumerable.Range(0, grains)
            .Select(i => Cluster.GrainFactory.GetGrain<IStorageProbeGrain>($"concurrent-{i:D3}"))
            .ToArray();

        // Every call is in flight at once; a grain runs its own calls one after the other.
        await Task.WhenAll(probes.SelectMany(probe => Enumerable.Range(0, writesPerGrain).Select(probe.Append)));

        Assert.Equal((long)grains, Database.Scalar<long>(
            $"SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString LIKE 'concurrent-%' AND Version = {writesPerGrain}"));
        foreach (var probe in probes.Take(20))
        {
            await Cluster.DeactivateAsync(probe);
        }

        foreach (var probe in probes)
        {
            var snapshot = await probe.Snapshot();
            Assert.Equal(Enumerable.Range(0, writesPerGrain), snapshot.State.Writes.Order());
            Assert.Equal($"{writesPerGrain}", snapshot.ETag);
        }
    }
}
