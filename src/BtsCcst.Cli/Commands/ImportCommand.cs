using System.Text;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Abstractions.Operations;

namespace BtsCcst.Cli.Commands;

/// <summary>btsccst import: the same import as the HTTP route (<see cref="SessionImports"/>): whole, or refused listing every bad row.</summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(IClusterClient client, CliContext context, string session, string kind, string path, Actor actor, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            await context.Error.WriteLineAsync($"Fichier introuvable : {file.FullName}");
            return ExitCodes.Refused;
        }
        if (file.Length > SessionImports.MaxBytes)
        {
            await context.Error.WriteLineAsync($"Le fichier dépasse {SessionImports.MaxBytes / 1024 / 1024} Mo.");
            return ExitCodes.Refused;
        }
        // As the route reads its body: UTF-8, a BOM tolerated.
        string text;
        using (var reader = new StreamReader(file.FullName, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true))
            text = await reader.ReadToEndAsync(cancellationToken);

        using var csv = new StringReader(text);
        var outcome = await Progress.WhileAsync(context, $"Import de {kind}.csv dans la session {session}",
            SessionImports.RunAsync(client.Session(session), kind, csv, actor));
        if (outcome.Counts is not { } counts)
        {
            await context.Error.WriteLineAsync(SessionImports.RefusedMessage(kind, outcome.TotalErrors));
            foreach (var e in outcome.Errors)
                await context.Error.WriteLineAsync(string.IsNullOrEmpty(e.Column) ? $"  ligne {e.Line} : {e.Message}" : $"  ligne {e.Line}, colonne {e.Column} : {e.Message}");
            return ExitCodes.Refused;
        }
        await context.Out.WriteLineAsync(
            $"{kind}.csv importé dans la session {session} par {actor.Name} : {counts.Created} créé(s), {counts.Updated} mis à jour, {counts.Unchanged} inchangé(s).");
        foreach (var jury in outcome.Removed)
            await context.Out.WriteLineAsync($"  jury {jury} supprimé (toutes ses académies sont passées à d'autres jurys)");
        foreach (var move in outcome.Moved)
            await context.Out.WriteLineAsync($"  candidat {move.CandidateNumber} déplacé du jury {move.FromJury} au jury {move.ToJury}");
        return ExitCodes.Ok;
    }
}
