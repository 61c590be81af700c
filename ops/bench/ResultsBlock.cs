namespace BtsCcst.Bench;

/// <summary>
/// A block of ops/bench/RESULTS.md that one benchmark rewrites at every run, between <c>&lt;!-- name:begin --&gt;</c> and
/// <c>&lt;!-- name:end --&gt;</c> (appended the first time); the hand-written notes around it are kept. Compiled into each
/// benchmark project that writes such a block.
/// </summary>
public static class ResultsBlock
{
    public static string Begin(string name) => $"<!-- {name}:begin -->";

    public static string End(string name) => $"<!-- {name}:end -->";

    /// <summary>Replaces the block <paramref name="name"/> of the file with <paramref name="block"/>, which holds both markers.</summary>
    public static void Write(string path, string name, string block)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path) : "";
        var (begin, end) = (existing.IndexOf(Begin(name), StringComparison.Ordinal), existing.IndexOf(End(name), StringComparison.Ordinal));
        var updated = begin >= 0 && end > begin
            ? existing[..begin] + block.TrimEnd('\n') + existing[(end + End(name).Length)..]
            : existing.TrimEnd('\n') + "\n\n" + block;
        File.WriteAllText(path, updated);
    }
}
