using System.Text;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Abstractions.Operations;

namespace BtsCcst.Server.Api;

/// <summary>The import route's side: reads the body; the import itself is <see cref="SessionImports"/>, which the btsccst tool shares.</summary>
public static class Imports
{
    /// <summary>Kinds of api.md.</summary>
    public static IReadOnlyList<string> Supported => SessionImports.Kinds;

    /// <summary>A file larger than this is refused before reading (a national session is a few MB).</summary>
    public const long MaxBytes = SessionImports.MaxBytes;

    /// <summary>The one refusal of a request body over <see cref="MaxBytes"/>, whoever notices it (Kestrel's limit or the reading below).</summary>
    public static IResult TooLarge() =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, TooLargeTitle, TooLargeDetail);

    public const string TooLargeTitle = "Fichier trop volumineux";

    public static string TooLargeDetail => $"La requête dépasse {MaxBytes / 1024 / 1024} Mo, la taille maximale d'un fichier envoyé.";

    public static Task<ImportOutcome> RunAsync(ISessionGrain session, string kind, TextReader file, Actor actor) =>
        SessionImports.RunAsync(session, kind, file, actor);

    /// <summary>Reads the whole body as UTF-8 text (a BOM is tolerated), or null when it exceeds <see cref="MaxBytes"/>.</summary>
    public static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        using var reader = new StreamReader(buffer, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
