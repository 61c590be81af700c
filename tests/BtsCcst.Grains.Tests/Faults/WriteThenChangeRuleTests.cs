using System.Text.RegularExpressions;

namespace BtsCcst.Grains.Tests.Faults;

/// <summary>"Write, then change" is the one way the grains write state: nothing but DurableState touches the store.</summary>
public sealed class WriteThenChangeRuleTests
{
    [Fact]
    public void No_grain_writes_or_assigns_its_persistent_state_except_through_DurableState()
    {
        var grains = Path.Combine(RepositoryRoot(), "src", "BtsCcst.Grains");
        var offences = Directory.EnumerateFiles(grains, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && Path.GetFileName(f) != "DurableState.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(grains, f), Line: i + 1, Text: line)))
            .Where(l => Regex.IsMatch(l.Text, @"\bstore\.(WriteStateAsync|ClearStateAsync|ReadStateAsync|State)\b"))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offences.Count == 0, "State touched outside DurableState:\n" + string.Join("\n", offences));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "BtsCcst.Grains.sln"))) return directory.FullName;
        throw new InvalidOperationException("BtsCcst.Grains.sln not found above the test's folder.");
    }
}
