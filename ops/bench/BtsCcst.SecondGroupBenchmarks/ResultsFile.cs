/// <summary>Writes a benchmark's method and figures between its own markers in RESULTS.md, leaving the rest as it is.</summary>
static class ResultsFile
{
    public static void WriteBlock(string path, string title, string name, string method, string figures)
    {
        var methodBegin = $"<!-- {name}:method (written by the {name} benchmark) -->";
        var methodEnd = $"<!-- /{name}:method -->";
        var resultsBegin = $"<!-- {name}:results (written by the {name} benchmark at every run) -->";
        var resultsEnd = $"<!-- /{name}:results -->";
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        if (!text.Contains(methodBegin, StringComparison.Ordinal) || !text.Contains(resultsBegin, StringComparison.Ordinal))
            text = text.TrimEnd() + $"\n\n{title}\n\n{methodBegin}\n{methodEnd}\n\n{resultsBegin}\n{resultsEnd}\n";
        text = Replace(text, methodBegin, methodEnd, method.TrimEnd());
        text = Replace(text, resultsBegin, resultsEnd, figures.TrimEnd());
        File.WriteAllText(path, text);
    }

    private static string Replace(string text, string begin, string end, string body)
    {
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return text[..(from + begin.Length)] + "\n" + body + "\n" + text[to..];
    }
}
