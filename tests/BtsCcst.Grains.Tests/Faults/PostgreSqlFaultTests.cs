using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Tests.Deliberation;
using BtsCcst.Grains.Tests.Storage;
using Npgsql;

namespace BtsCcst.Grains.Tests.Faults;

/// <summary>
/// Issue 11 on the cluster mode's PostgreSQL, with the faults made in the database itself: a trigger that
/// refuses the grains' writes (as the independent check did), and a connection pool held exhausted. Two
/// silos, so refusals also cross from the silo that hosts a grain to the one that called it.
/// </summary>
public sealed class PostgreSqlFaultTests
{
    private const string SessionId = "pg-faults-2024";

    private static readonly string[] Numbers = [.. Enumerable.Range(1, 8).Select(i => $"PF{i:000}")];

    [Fact]
    public async Task Writes_refused_by_the_database_are_answered_as_not_stored_on_every_silo_and_the_same_entries_again_store_them()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("faults_trigger");
        await using var first = await PostgreSqlSilo.StartAsync(database.ConnectionString);
        await using var second = await PostgreSqlSilo.StartAsync(database.ConnectionString);
        var session = first.GrainFactory.Session(SessionId);
        Assert.Empty((await session.ImportCandidates(Given.CandidateRows([.. Numbers.Select(n => Given.Candidate(n))]))).Errors);

        await Execute(database, """
            CREATE FUNCTION refuse_writes() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected: writes refused'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_writes BEFORE INSERT OR UPDATE ON orleansstorage FOR EACH ROW EXECUTE FUNCTION refuse_writes();
            """);
        // Called through both silos: each grain lives on one of them, so half the refusals cross between silos.
        foreach (var (number, i) in Numbers.Select((n, i) => (n, i)))
        {
            var grains = i % 2 == 0 ? first.GrainFactory : second.GrainFactory;
            var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() =>
                grains.Candidate(SessionId, number).EnterResults([new ResultEntry("E4", "15")], Given.Bureau));
            Assert.Contains("injected: writes refused", refused.Cause);
            Assert.DoesNotContain(
                (await grains.Candidate(SessionId, number).GetSummary()).Results, r => r.Unit == "E4");
        }
        Assert.All((await first.GrainFactory.Jury(SessionId, "LYON").GetBoard()).Candidates, row => Assert.DoesNotContain(row.Results, r => r.Unit == "E4"));

        await Execute(database, "DROP TRIGGER refuse_writes ON orleansstorage;");
        foreach (var number in Numbers)
            Assert.Equal(1, (await second.GrainFactory.Candidate(SessionId, number).EnterResults([new ResultEntry("E4", "15")], Given.Bureau)).Created);
        Assert.All((await first.GrainFactory.Jury(SessionId, "LYON").GetBoard()).Candidates, row => Assert.Equal("15", row.Cell("E4").Result));

        // Stored: a silo started after both stopped reads every mark back.
        await first.StopAsync();
        await second.StopAsync();
        await using var third = await PostgreSqlSilo.StartAsync(database.ConnectionString);
        foreach (var number in Numbers)
            Assert.Equal("15", (await third.GrainFactory.Candidate(SessionId, number).GetSummary()).Cell("E4").Result);
    }

    [Fact]
    public async Task With_its_connection_pool_exhausted_a_silo_answers_not_stored_and_stores_the_same_entry_once_connections_are_back()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("faults_pool");
        // A small pool that gives up quickly, as a loaded silo's would.
        var pooled = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 3, Timeout = 2 }.ToString();
        await using var silo = await PostgreSqlSilo.StartAsync(pooled);
        var session = silo.GrainFactory.Session(SessionId);
        Assert.Empty((await session.ImportCandidates(Given.CandidateRows(Given.Candidate("PF001")))).Errors);
        var candidate = silo.GrainFactory.Candidate(SessionId, "PF001");

        // Every connection of the silo's pool (same connection string, same process) held elsewhere.
        var held = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var connection = new NpgsqlConnection(pooled);
                await connection.OpenAsync();
                held.Add(connection);
            }
            var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() =>
                candidate.EnterResults([new ResultEntry("E1", "9.5")], Given.Bureau));
            Assert.Contains("Npgsql", refused.Cause);
        }
        finally
        {
            foreach (var connection in held) await connection.DisposeAsync();
        }

        Assert.Equal(1, (await candidate.EnterResults([new ResultEntry("E1", "9.5")], Given.Bureau)).Created);
        Assert.Equal("9.5", (await silo.GrainFactory.Jury(SessionId, "LYON").GetBoard()).Row("PF001").Cell("E1").Result);
    }

    private static async Task Execute(PostgreSqlTestDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task On_PostgreSQL_a_marks_import_failing_on_its_fourth_write_completes_when_sent_again_and_slow_writes_all_land()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync("faults_nth");
        var faults = new StorageFaults();
        await using var silo = await PostgreSqlSilo.StartAsync(database.ConnectionString, s => s.Services.AddStorageFaults(faults));
        var session = silo.GrainFactory.Session(SessionId);
        Assert.Empty((await session.ImportCandidates(Given.CandidateRows([.. Numbers.Select(n => Given.Candidate(n))]))).Errors);
        var marks = "candidate_number,unit,result\n" + string.Concat(Numbers.Select(n => $"{n},E4,13\n"));

        faults.FailWrites(1, succeedFirst: 3, ofStates: "candidate");
        await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            BtsCcst.Grains.Abstractions.Operations.SessionImports.RunAsync(session, "marks", new StringReader(marks), Given.Bureau));
        var again = await BtsCcst.Grains.Abstractions.Operations.SessionImports.RunAsync(session, "marks", new StringReader(marks), Given.Bureau);
        Assert.Equal(Numbers.Length, again.Counts!.Created + again.Counts.Unchanged);

        faults.WriteDelay = TimeSpan.FromMilliseconds(150);
        await Task.WhenAll(Numbers.Select(n => silo.GrainFactory.Candidate(SessionId, n).EnterResults([new ResultEntry("E5", "14")], Given.Bureau)));
        faults.Heal();

        await silo.StopAsync();
        await using var reader = await PostgreSqlSilo.StartAsync(database.ConnectionString);
        foreach (var number in Numbers)
        {
            var summary = await reader.GrainFactory.Candidate(SessionId, number).GetSummary();
            Assert.Equal(("13", "14"), (summary.Cell("E4").Result, summary.Cell("E5").Result));
        }
        var board = await reader.GrainFactory.Jury(SessionId, "LYON").GetBoard();
        foreach (var row in board.Candidates)
            Assert.Equal(Given.Json(await reader.GrainFactory.Candidate(SessionId, row.CandidateNumber).GetSummary()), Given.Json(row));
    }
}
