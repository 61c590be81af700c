namespace BtsCcst.Cli.Tests;

/// <summary>Command-line mistakes are reported before joining any cluster.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("import", "2024", "notes", "x.csv")]
    [InlineData("import", "2024", "candidates")]
    [InlineData("import", "bad session!", "candidates", "x.csv")]
    [InlineData("plan", "2024", "--time-limit", "0")]
    [InlineData("export", "schedule", "2024")]
    [InlineData("cluster", "--out", "x")]
    [InlineData("frobnicate")]
    [InlineData("--cluster", "Consul", "cluster")]
    public async Task A_wrong_command_line_exits_64_with_a_french_message(params string[] args)
    {
        var error = new StringWriter();
        var code = await Cli.RunAsync(args, new CliContext(new StringWriter(), error) { Environment = new Dictionary<string, string?>() });
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("btsccst --help", error.ToString());
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await Cli.RunAsync(["--help"], output, new StringWriter()));
        foreach (var command in new[] { "btsccst cluster", "btsccst import", "btsccst plan", "btsccst export results" })
            Assert.Contains(command, output.ToString());
    }

    [Fact]
    public async Task PostgreSql_without_a_connection_string_is_reported_as_unreachable()
    {
        var error = new StringWriter();
        var code = await Cli.RunAsync(["cluster", "--cluster", "PostgreSql"],
            new CliContext(new StringWriter(), error) { Environment = new Dictionary<string, string?>() });
        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains("BtsCcst__PostgreSql__ConnectionString", error.ToString());
    }
}
