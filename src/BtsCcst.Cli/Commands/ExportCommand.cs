using System.Text;
using BtsCcst.Grains.Abstractions.Operations;

namespace BtsCcst.Cli.Commands;

/// <summary>btsccst export results: results.csv of every jury, the same bytes as the HTTP export of an organiser.</summary>
public static class ExportCommand
{
    public static async Task<int> RunAsync(IClusterClient client, CliContext context, string session, string? outPath)
    {
        var boards = await ResultsCsv.AllJuriesAsync(client, session);
        var csv = ResultsCsv.Write(boards);
        if (outPath is null)
        {
            await context.Out.WriteAsync(csv);
            await context.Out.FlushAsync();
            return ExitCodes.Ok;
        }
        var target = Path.GetFullPath(outPath);
        await File.WriteAllTextAsync(target, csv, new UTF8Encoding(false));
        await context.Out.WriteLineAsync(
            $"results.csv de la session {session} écrit dans {target} : {boards.Sum(b => b.Candidates.Length)} candidat(s), {boards.Length} jury(s).");
        return ExitCodes.Ok;
    }
}
