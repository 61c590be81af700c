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
}
