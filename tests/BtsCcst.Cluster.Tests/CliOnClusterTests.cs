using BtsCcst.Cli;
using CliTool = BtsCcst.Cli.Cli;
using Xunit.Abstractions;

namespace BtsCcst.Cluster.Tests;

/// <summary>The btsccst tool joins the two-silo cluster through PostgreSQL membership, as an operator runs it.</summary>
public sealed class CliOnClusterTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    private const string Session = "cl-cli";

    [Fact]
    public Task The_tool_sees_both_silos_imports_and_exports_through_the_cluster() => OnClusterAsync("cli", async cluster =>
    {
        var environment = new Dictionary<string, string?>
        {
            ["BtsCcst__Cluster"] = "PostgreSql",
            ["BtsCcst__PostgreSql__ConnectionString"] = cluster.Database.ConnectionString,
        };
        async Task<(int Code, string Out, string Error)> Run(params string[] args)
        {
            var (output, error) = (new StringWriter(), new StringWriter());
            var code = await CliTool.RunAsync(["--operator", "chloe", .. args], new CliContext(output, error) { Environment = environment });
            return (code, output.ToString(), error.ToString());
        }

        var status = await Run("cluster");
        Assert.True(status.Code == ExitCodes.Ok, status.Error);
        Assert.Contains("Silos (2) :", status.Out);

        var (csv, numbers) = SessionData.Candidates("NORMANDIE", "CLI", 2);
        var file = Path.Combine(Path.GetTempPath(), $"btsccst-cli-{Guid.NewGuid():N}.csv");
        var marks = file + ".marks.csv";
        try
        {
            await File.WriteAllTextAsync(file, csv);
            await File.WriteAllTextAsync(marks, SessionData.Marks(numbers, "11"));
            Assert.Equal(ExitCodes.Ok, (await Run("import", Session, "candidates", file)).Code);
            Assert.Equal(ExitCodes.Ok, (await Run("import", Session, "marks", marks)).Code);
        }
        finally
        {
            File.Delete(file);
            File.Delete(marks);
        }

        // What the tool wrote is what either silo's API reads, under the operator's name.
        using var organiser = cluster.Client(cluster.Silos[1].Address, TestCluster.Organiser);
        Assert.Equal("11", (await organiser.ResultsAsync(Session, numbers[0]))["E4"]);
        var export = await Run("export", "results", Session);
        Assert.Equal(ExitCodes.Ok, export.Code);
        Assert.Equal(await organiser.GetStringAsync($"/api/sessions/{Session}/exports/results.csv"), export.Out);
        var history = await organiser.GetStringAsync($"/api/sessions/{Session}/candidates/{numbers[1]}");
        Assert.Contains("opérateur chloe", history);
    });
}
