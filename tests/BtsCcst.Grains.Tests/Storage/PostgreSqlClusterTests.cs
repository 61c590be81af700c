using System.Data;
using BtsCcst.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>
/// The PostgreSQL cluster mode end to end: real silos (in-process hosts on their own ports),
/// configured by <see cref="PostgreSqlClusterSiloBuilderExtensions.UseBtsCcstPostgreSqlCluster"/>
/// against a real server, each test on a fresh database.
/// </summary>
public sealed class PostgreSqlClusterTests
{
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_silos_form_one_cluster_through_the_membership_table_and_a_grain_answers_from_either()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("cluster_two");
        await using var first = await PostgreSqlSilo.StartAsync(database.ConnectionString);
        await using var second = await PostgreSqlSilo.StartAsync(database.ConnectionString);

        await Eventually(() => first.ActiveSilos() == 2 && second.ActiveSilos() == 2, "both silos see two active silos");
        Assert.Equal(2L, await database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = 3",
            ("cluster", PostgreSqlSilo.ClusterId)));
        Assert.Equal(
            new[] { first.SiloPort, second.SiloPort }.Order(),
            (await database.RowsAsync("SELECT Port FROM OrleansMembershipTable WHERE Status = 3 ORDER BY Port")).Select(int.Parse).Order());

        // One activation per grain in the whole cluster, whichever silo is asked.
        var answers = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var key = $"where-{i}";
            var fromFirst = await first.GrainFactory.GetGrain<IWhereGrain>(key).Silo();
            var fromSecond = await second.GrainFactory.GetGrain<IWhereGrain>(key).Silo();
            Assert.Equal(fromFirst, fromSecond);
            answers.Add(fromFirst);
        }

        // Placed at random, forty grains land on both silos.
        Assert.Equal(2, answers.Count);
    }

    [Fact]
    public async Task Grain_state_written_through_the_AdoNet_storage_survives_a_silo_restart()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("cluster_restart");

        await using (var before = await PostgreSqlSilo.StartAsync(database.ConnectionString))
        {
            var grain = before.GrainFactory.GetGrain<IStorageProbeGrain>("restart");
            await grain.Set("Académie de Caen");
            await grain.Append(1);
            await grain.Append(2);
        }

        Assert.Equal(3L, await database.ScalarAsync<long>(
            "SELECT Version FROM OrleansStorage WHERE GrainIdExtensionString = 'restart' AND ServiceId = @service AND PayloadBinary IS NOT NULL",
            ("service", PostgreSqlSilo.ServiceId)));

        await using var after = await PostgreSqlSilo.StartAsync(database.ConnectionString);
        var reloaded = after.GrainFactory.GetGrain<IStorageProbeGrain>("restart");
        var snapshot = await reloaded.Snapshot();
        Assert.Equal("Académie de Caen", snapshot.State.Text);
        Assert.Equal([1, 2], snapshot.State.Writes);
        Assert.Equal("3", snapshot.ETag);
        Assert.True(snapshot.RecordExists);

        // The new activation carries on from the stored version.
        await reloaded.Append(3);
        Assert.Equal("4", (await reloaded.Snapshot()).ETag);
    }

    [Fact]
    public async Task Stale_etags_conflict_and_clear_keeps_the_row_with_a_new_version()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("cluster_etag");
        await using var silo = await PostgreSqlSilo.StartAsync(database.ConnectionString);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
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
        first.State!.Text = "first, again";
        await storage.WriteStateAsync(grainType, grainId, first);
        Assert.Equal("2", first.ETag);

        stale.State!.Text = "stale";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grainType, grainId, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(grainType, grainId, stale));

        await storage.ClearStateAsync(grainType, grainId, first);
        Assert.Equal("3", first.ETag);
        var cleared = new GrainState<ProbeState>();
        await storage.ReadStateAsync(grainType, grainId, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Equal("3", cleared.ETag);
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString = 'etag-conflict' AND PayloadBinary IS NULL AND Version = 3"));
    }

    [Fact]
    public async Task A_reminder_registered_through_the_reminder_service_is_stored_in_the_reminders_table()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("cluster_reminder");
        await using var silo = await PostgreSqlSilo.StartAsync(database.ConnectionString);
        var grain = silo.GrainFactory.GetGrain<IReminderProbeGrain>("reminded");

        await grain.Register("session-close", TimeSpan.FromHours(1), TimeSpan.FromHours(2));

        Assert.Equal(
            ["reminderprobe/reminded | session-close | 7200000 | 0"],
            await database.RowsAsync($"SELECT GrainId, ReminderName, Period, Version FROM OrleansRemindersTable WHERE ServiceId = '{PostgreSqlSilo.ServiceId}'"));
        Assert.True(await grain.Has("session-close"));

        await grain.Register("session-close", TimeSpan.FromHours(1), TimeSpan.FromHours(3));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT Version FROM OrleansRemindersTable WHERE ReminderName = 'session-close'"));

        await grain.Unregister("session-close");
        Assert.False(await grain.Has("session-close"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM OrleansRemindersTable"));
    }

    [Fact]
    public async Task The_membership_table_answers_every_operation_of_the_clustering_provider()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("cluster_membership");
        await using var silo = await PostgreSqlSilo.StartAsync(database.ConnectionString);
        var table = silo.Services.GetRequiredService<IMembershipTable>();

        var initial = await table.ReadAllAsync();
        var (self, _) = Assert.Single(initial.Members);
        Assert.Equal(SiloStatus.Active, self.Status);
        Assert.Equal(silo.SiloPort, self.SiloAddress.Endpoint.Port);

        // A heartbeat moves IAmAliveTime forward, never back.
        var later = DateTime.UtcNow.AddMinutes(1);
        self.IAmAliveTime = later;
        await table.UpdateIAmAliveAsync(self);
        self.IAmAliveTime = later.AddMinutes(-10);
        await table.UpdateIAmAliveAsync(self);
        var (heartbeat, _) = (await table.ReadRowAsync(self.SiloAddress)).Members.Single();
        Assert.Equal(later, heartbeat.IAmAliveTime, TimeSpan.FromMilliseconds(1));

        // A silo that died long ago: inserted once against the current version, then refused.
        var longAgo = DateTime.UtcNow.AddDays(-2);
        var dead = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(System.Net.IPAddress.Loopback, 1, 1),
            SiloName = "dead",
            HostName = "elsewhere",
            Status = SiloStatus.Dead,
            ProxyPort = 2,
            StartTime = longAgo,
            IAmAliveTime = longAgo,
        };
        var version = (await table.ReadAllAsync()).Version;
        Assert.True(await table.InsertRowAsync(dead, version.Next()));
        Assert.False(await table.InsertRowAsync(dead, version.Next()));
        var afterInsert = await table.ReadAllAsync();
        Assert.Equal(version.Version + 1, afterInsert.Version.Version);
        var (stored, etag) = afterInsert.Members.Single(member => member.Item1.SiloName == "dead");
        Assert.Equal(SiloStatus.Dead, stored.Status);
        Assert.Null(stored.SuspectTimes);

        // An update against a stale version is refused, against the current one accepted.
        stored.SuspectTimes = [Tuple.Create(self.SiloAddress, longAgo)];
        Assert.False(await table.UpdateRowAsync(stored, etag, version.Next()));
        Assert.True(await table.UpdateRowAsync(stored, etag, afterInsert.Version.Next()));
        var (updated, _) = (await table.ReadRowAsync(dead.SiloAddress)).Members.Single();
        Assert.Equal(self.SiloAddress, Assert.Single(updated.SuspectTimes ?? []).Item1);

        // Only the active silos are gateways (the query clients run, with the provider's parameter types).
        await using (var connection = await database.OpenAsync())
        await using (var gateways = new NpgsqlCommand(
            await database.ScalarAsync<string>("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'GatewaysQueryKey'"), connection))
        {
            gateways.Parameters.Add(new NpgsqlParameter("DeploymentId", DbType.String) { Value = PostgreSqlSilo.ClusterId });
            gateways.Parameters.Add(new NpgsqlParameter("Status", DbType.Int32) { Value = (int)SiloStatus.Active });
            await using var reader = await gateways.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("127.0.0.1", self.ProxyPort, self.SiloAddress.Generation),
                (reader.GetString(reader.GetOrdinal("Address")), reader.GetInt32(reader.GetOrdinal("ProxyPort")), reader.GetInt32(reader.GetOrdinal("Generation"))));
            Assert.False(await reader.ReadAsync());
        }

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddDays(-1));
        Assert.DoesNotContain((await table.ReadAllAsync()).Members, member => member.Item1.SiloName == "dead");
        Assert.Single((await table.ReadAllAsync()).Members);
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + ConvergenceTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {ConvergenceTimeout.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(200);
        }
    }
}
