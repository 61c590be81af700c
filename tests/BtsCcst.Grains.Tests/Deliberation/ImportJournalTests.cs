using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Abstractions.Operations;
using BtsCcst.Grains.Tests.Storage;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>
/// Issue 16 (7, 8): an import is in the audit trail before its first write, so a stop of the server during its writes
/// shows as interrupted; a large file is written in batches (short grain calls, progress), still refused whole.
/// </summary>
public sealed class ImportJournalTests
{
    private const string SessionId = "import-journal";

    private static readonly string[] Numbers = [.. Enumerable.Range(1, 2 * SessionImports.BatchSize + 40).Select(i => $"IJ{i:0000}")];

    [Fact]
    public async Task An_import_begun_before_a_stop_of_the_server_is_interrupted_in_the_trail_after_the_restart()
    {
        using var database = new TempSqliteDatabase();
        var cluster = await DeliberationCluster.StartAsync(database.ConnectionString);
        try
        {
            var sequence = await cluster.GrainFactory.Session(SessionId).BeginImport("marks", Given.Bureau);
            var running = Assert.Single(await cluster.GrainFactory.Session(SessionId).GetImportLog());
            Assert.True(running.Unfinished);
            Assert.Equal(sequence, running.Sequence);
        }
        finally
        {
            await DeliberationCluster.StopAsync(cluster);
        }

        cluster = await DeliberationCluster.StartAsync(database.ConnectionString);
        try
        {
            var record = Assert.Single(await cluster.GrainFactory.Session(SessionId).GetImportLog());
            Assert.False(record.Unfinished);
            Assert.Contains("Importez de nouveau le même fichier", record.Failure);
            Assert.Equal(("marks", Given.Bureau), (record.Kind, record.By));
        }
        finally
        {
            await DeliberationCluster.StopAsync(cluster);
        }
    }

    [Fact]
    public async Task A_large_file_is_written_in_batches_with_its_progress_and_a_bad_row_in_its_last_batch_still_refuses_it_whole()
    {
        using var database = new TempSqliteDatabase();
        var cluster = await DeliberationCluster.StartAsync(database.ConnectionString);
        try
        {
            var session = cluster.GrainFactory.Session(SessionId);
            var candidates = await SessionImports.RunAsync(session, "candidates", new StringReader(CandidatesCsv()), Given.Bureau);
            Assert.Equal(new ImportCounts(Numbers.Length, 0, 0), candidates.Counts);

            // The file parses; its last row names a candidate the session does not know: the check of the last batch refuses it.
            var bad = MarksCsv("12") + "IJ9999,E1,12\n";
            var refused = await SessionImports.RunAsync(session, "marks", new StringReader(bad), Given.Bureau);
            Assert.Null(refused.Counts);
            var error = Assert.Single(refused.Errors);
            Assert.Equal((Numbers.Length * 8 + 2, "candidate_number"), (error.Line, error.Column));
            Assert.All(await Task.WhenAll(Numbers.Take(3).Select(n => cluster.GrainFactory.Candidate(SessionId, n).GetSummary())),
                s => Assert.DoesNotContain(s.Results, r => r.Unit == "E4"));

            var marks = await SessionImports.RunAsync(session, "marks", new StringReader(MarksCsv("12")), Given.Bureau);
            Assert.Equal(new ImportCounts(Numbers.Length * 8, 0, 0), marks.Counts);
            var trail = await session.GetImportLog();
            Assert.Equal(["candidates", "marks", "marks"], trail.Select(r => r.Kind));
            Assert.All(trail, r => Assert.False(r.Unfinished));
            Assert.Equal((Numbers.Length * 8, Numbers.Length * 8), (trail[^1].RowsDone, trail[^1].RowsTotal));
            Assert.Equal(Numbers.Length, (await cluster.GrainFactory.Jury(SessionId, "LYON").GetBoard()).Candidates.Count(c => c.Decision == "ADMIS"));
        }
        finally
        {
            await DeliberationCluster.StopAsync(cluster);
        }
    }

    private static string CandidatesCsv() =>
        "candidate_number,last_name,first_name,birth_date,academy,establishment_uai,category,form,optional_units,ef1_language,dispensed_units,extra_time_percent,livret,kept_units\n"
        + string.Concat(Numbers.Select(n => $"{n},MARTIN,Léa,2004-03-12,LYON,0690026D,SCOLAIRE_PUBLIC,PONCTUEL,,,,0,non,\n"));

    private static string MarksCsv(string mark) =>
        "candidate_number,unit,result\n"
        + string.Concat(Numbers.SelectMany(n => new[] { "E1", "E21", "E22", "E3", "E4", "E5", "U61", "U62" }.Select(u => $"{n},{u},{mark}\n")));
}
