using System.Diagnostics;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Tests;

namespace BtsCcst.Cli.Tests;

/// <summary>The tool's commands, run in process against the gateway of a real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class CommandTests(ServerFixture server)
{
    [Fact]
    public async Task Cluster_lists_the_one_silo_and_the_active_grains_per_type()
    {
        Assert.Equal(ExitCodes.Ok, (await server.RunAsync("import", "cli-cluster", "candidates",
            server.WriteFile("candidates.csv", SampleFiles.Candidates(SampleFiles.Candidate("CLU001"))))).ExitCode);

        var run = await server.RunAsync("cluster");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Silos (1) :", run.Out);
        Assert.Contains("actif (Active)", run.Out);
        Assert.Contains("Grains actifs par type", run.Out);
        Assert.Contains("SessionGrain", run.Out);
        Assert.Contains("CandidateGrain", run.Out);
    }

    [Fact]
    public async Task Candidates_and_marks_import_and_the_marks_history_names_the_operator()
    {
        var candidates = server.WriteFile("candidates.csv", SampleFiles.Candidates(SampleFiles.Candidate("OPE001"), SampleFiles.Candidate("OPE002")));
        var first = await server.RunAsync("import", "cli-imp", "candidates", candidates, "--operator", "alice");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.Contains("2 créé(s), 0 mis à jour, 0 inchangé(s)", first.Out);
        Assert.Contains("0 créé(s), 0 mis à jour, 2 inchangé(s)", (await server.RunAsync("import", "cli-imp", "candidates", candidates)).Out);

        var marks = await server.RunAsync("import", "cli-imp", "marks",
            server.WriteFile("marks.csv", "candidate_number,unit,result\nOPE001,E4,14.5\nOPE002,E4,9\n"), "--operator", "alice");
        Assert.True(marks.ExitCode == ExitCodes.Ok, marks.ToString());

        var view = await server.Grains.Candidate("cli-imp", "OPE001").GetView();
        var change = Assert.Single(view.History, h => h.Unit == "E4");
        Assert.Equal("opérateur alice", change.By.Name);
        Assert.Equal(Roles.Organiser, change.By.Role);
        // Imports of every kind are in the session's audit trail under the operator's name.
        var log = await server.Grains.Session("cli-imp").GetImportLog();
        Assert.Equal(["candidates", "candidates", "marks"], log.Select(r => r.Kind));
        Assert.Equal("opérateur alice", log[0].By.Name);
        Assert.Equal("opérateur alice", log[2].By.Name);
    }

    [Fact]
    public async Task A_bad_file_is_refused_with_its_row_errors_and_nothing_is_stored()
    {
        var bad = SampleFiles.Candidates(
            SampleFiles.Candidate("BAD001"),                                          // line 2: fine
            SampleFiles.Candidate("BAD002").Replace("2004-03-12", "2004-13-45"),      // line 3: bad date
            SampleFiles.Candidate("BAD001"));                                         // line 4: duplicate
        var run = await server.RunAsync("import", "cli-bad", "candidates", server.WriteFile("candidates.csv", bad));

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("Le fichier candidates.csv est refusé (2 erreur(s)) ; rien n'a été enregistré.", run.Error);
        Assert.Contains("ligne 3, colonne birth_date", run.Error);
        Assert.Contains("ligne 4, colonne candidate_number", run.Error);
        Assert.DoesNotContain("  ligne 2,", run.Error);
        Assert.False(await server.Grains.Session("cli-bad").HasCandidate("BAD001"));

        var marks = await server.RunAsync("import", "cli-bad", "marks", server.WriteFile("marks.csv", "candidate_number,unit,result\nNOBODY,E4,10\n"));
        Assert.Equal(ExitCodes.Refused, marks.ExitCode);
        Assert.Contains("ligne 2", marks.Error);
    }

    [Fact]
    public async Task Plan_follows_a_tiny_session_to_a_succeeded_run_that_becomes_the_schedule()
    {
        const string session = "cli-plan";
        await ImportOk(session, "candidates", SampleFiles.Candidates(
            SampleFiles.Candidate("CPL01", category: "PRIVE_HORS_CONTRAT"),
            SampleFiles.Candidate("CPL02", category: "PRIVE_HORS_CONTRAT", dispensed: "E22")));
        await ImportOk(session, "centres", SampleFiles.OneDayCentre);
        await ImportOk(session, "examiners", SampleFiles.OneDayExaminers);

        var run = await server.RunAsync("plan", session, "--time-limit", "10", "--operator", "bob");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("lancée dans la session cli-plan par opérateur bob", run.Out);
        Assert.Contains("[", run.Out);     // the progress bar, a line per step when not on a terminal
        Assert.Contains("réussie (succeeded)", run.Out);
        Assert.Contains("Ce plan est désormais le planning de la session.", run.Out);
        var runId = await server.Grains.Session(session).GetScheduleRunId();
        Assert.NotNull(runId);
        Assert.Equal(PlanningRunStates.Succeeded, (await server.Grains.PlanningRun(session, runId).GetView()).State);
    }

    [Fact]
    public async Task Plan_of_an_empty_session_is_refused_with_the_grains_message()
    {
        var run = await server.RunAsync("plan", "cli-plan-empty", "--time-limit", "5");
        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.NotEqual(ExitCodes.Unreachable, run.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(run.Error), run.ToString());
    }

    [Fact]
    public async Task Export_results_is_byte_for_byte_the_http_export()
    {
        const string session = "cli-exp";
        await ImportOk(session, "candidates", SampleFiles.Candidates(
            SampleFiles.Candidate("EXP01"), SampleFiles.Candidate("EXP02"), SampleFiles.Candidate("EXP03", academy: "BORDEAUX")));
        await ImportOk(session, "marks", SampleFiles.Marks(["EXP01", "EXP03"], "12.5") + "EXP02,E4,7\n");

        using var organiser = await server.OrganiserAsync();
        var http = await organiser.GetByteArrayAsync($"/api/sessions/{session}/exports/results.csv");

        var toStdout = await server.RunAsync("export", "results", session);
        Assert.True(toStdout.ExitCode == ExitCodes.Ok, toStdout.ToString());
        Assert.Equal(System.Text.Encoding.UTF8.GetString(http), toStdout.Out);

        var file = Path.Combine(server.DataDirectory, "results-" + Guid.NewGuid().ToString("N")[..6] + ".csv");
        var toFile = await server.RunAsync("export", "results", session, "--out", file);
        Assert.True(toFile.ExitCode == ExitCodes.Ok, toFile.ToString());
        Assert.Equal(http, await File.ReadAllBytesAsync(file));
        Assert.Contains("3 candidat(s), 2 jury(s)", toFile.Out);
    }

    [Fact]
    public async Task An_unreachable_gateway_gives_the_french_error_and_exit_code_2_within_the_connect_timeout()
    {
        var port = ServerFixture.FreePort();
        var error = new StringWriter();
        var clock = Stopwatch.StartNew();
        var code = await Cli.RunAsync(["cluster", "--gateway-port", port.ToString(), "--connect-timeout", "3"],
            new CliContext(new StringWriter(), error) { Environment = new Dictionary<string, string?>() });

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("Impossible de joindre le cluster", error.ToString());
        Assert.Contains($"vérifiez que le serveur tourne et le port de passerelle {port}", error.ToString());
    }

    [Fact]
    public async Task The_gateway_port_comes_from_the_servers_environment_key()
    {
        var run = new StringWriter();
        var code = await Cli.RunAsync(["cluster"], new CliContext(run, new StringWriter())
        {
            Environment = new Dictionary<string, string?> { ["BtsCcst__GatewayPort"] = server.GatewayPort.ToString() },
        });
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Silos (1) :", run.ToString());
    }

    private async Task ImportOk(string session, string kind, string csv)
    {
        var run = await server.RunAsync("import", session, kind, server.WriteFile(kind + ".csv", csv));
        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("601")]
    public async Task A_connect_timeout_out_of_range_is_a_usage_error(string seconds)
    {
        var error = new StringWriter();
        var code = await Cli.RunAsync(["cluster", "--connect-timeout", seconds],
            new CliContext(new StringWriter(), error) { Environment = new Dictionary<string, string?>() });
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--connect-timeout", error.ToString());
    }
}
