namespace BtsCcst.Grains.Tests.Storage;

public sealed class SqliteRestartTests
{
    [Fact]
    public async Task State_survives_stopping_the_whole_cluster_and_starting_a_new_one_on_the_same_file()
    {
        using var database = new TempSqliteDatabase();

        var before = await SqliteStorageCluster.StartAsync(database.ConnectionString);
        try
        {
            var grain = before.GrainFactory.GetGrain<IStorageProbeGrain>("restart");
            await grain.Set("before restart");
            await grain.Append(1);
            await grain.Append(2);
        }
        finally
        {
            await before.StopAllSilosAsync();
            await before.DisposeAsync();
        }

        var after = await SqliteStorageCluster.StartAsync(database.ConnectionString);
        try
        {
            var grain = after.GrainFactory.GetGrain<IStorageProbeGrain>("restart");
            var snapshot = await grain.Snapshot();
            Assert.Equal("before restart", snapshot.State.Text);
            Assert.Equal([1, 2], snapshot.State.Writes);
            Assert.Equal("3", snapshot.ETag);
            Assert.True(snapshot.RecordExists);

            // The new activation carries on from the stored version.
            await grain.Append(3);
            Assert.Equal("4", (await grain.Snapshot()).ETag);
        }
        finally
        {
            await after.StopAllSilosAsync();
            await after.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_acknowledged_write_of_many_concurrent_grains_is_read_by_a_new_cluster_on_the_same_file()
    {
        using var database = new TempSqliteDatabase();
        const int grains = 300;
        const int writesPerGrain = 3;

        var before = await SqliteStorageCluster.StartAsync(database.ConnectionString);
        try
        {
            // Group commit: these writes share transactions; each call returns once its own committed.
            var probes = Enumerable.Range(0, grains).Select(i => before.GrainFactory.GetGrain<IStorageProbeGrain>($"many-{i:D3}")).ToArray();
            await Task.WhenAll(probes.Select(async (probe, i) =>
            {
                await probe.Set($"candidat {i}");
                for (var w = 0; w < writesPerGrain; w++)
                {
                    await probe.Append(w);
                }
            }));
        }
        finally
        {
            await before.StopAllSilosAsync();
            await before.DisposeAsync();
        }

        // Nothing of the first cluster keeps the file open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal((long)grains, database.Scalar<long>(
            $"SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString LIKE 'many-%' AND Version = {writesPerGrain + 1}"));

        var after = await SqliteStorageCluster.StartAsync(database.ConnectionString);
        try
        {
            for (var i = 0; i < grains; i++)
            {
                var snapshot = await after.GrainFactory.GetGrain<IStorageProbeGrain>($"many-{i:D3}").Snapshot();
                Assert.Equal($"candidat {i}", snapshot.State.Text);
                Assert.Equal(Enumerable.Range(0, writesPerGrain), snapshot.State.Writes);
                Assert.Equal($"{writesPerGrain + 1}", snapshot.ETag);
            }
        }
        finally
        {
            await after.StopAllSilosAsync();
            await after.DisposeAsync();
        }
    }
}
