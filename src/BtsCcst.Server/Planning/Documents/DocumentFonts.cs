using PdfSharp.Fonts;

namespace BtsCcst.Server.Planning.Documents;

/// <summary>The fonts of the PDF documents could not be loaded: the message says which files and how to fix it.</summary>
public sealed class FontsUnavailableException(string message) : Exception(message);

/// <summary>
/// PDFsharp 6 (Core build) finds no system font by itself: this resolver answers every family with
/// DejaVu Sans (regular and bold) read from a folder, by default the one of Debian's
/// <c>fonts-dejavu-core</c>. DejaVu covers French (é, œ, «, –) and is free to embed.
/// </summary>
public sealed class DejaVuFontResolver : IFontResolver
{
    public const string DefaultDirectory = "/usr/share/fonts/truetype/dejavu";
    public const string RegularFile = "DejaVuSans.ttf";
    public const string BoldFile = "DejaVuSans-Bold.ttf";

    /// <summary>The family the documents ask for (any other name gets the same faces).</summary>
    public const string Family = "DejaVu Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private readonly byte[] _regular;
    private readonly byte[] _bold;

    private DejaVuFontResolver(string directory, byte[] regular, byte[] bold)
    {
        Directory = directory;
        _regular = regular;
        _bold = bold;
    }

    /// <summary>The folder the fonts were read from.</summary>
    public string Directory { get; }

    /// <summary>Reads both faces now, or throws <see cref="FontsUnavailableException"/> naming every missing file.</summary>
    public static DejaVuFontResolver Load(string directory)
    {
        var full = Path.GetFullPath(directory);
        var paths = new[] { Path.Combine(full, RegularFile), Path.Combine(full, BoldFile) };
        var missing = paths.Where(p => !File.Exists(p)).ToArray();
        if (missing.Length > 0)
            throw new FontsUnavailableException(
                $"Polices introuvables pour les PDF : {string.Join(", ", missing)}. Installez le paquet Debian fonts-dejavu-core "
                + $"(apt-get install fonts-dejavu-core) ou indiquez le dossier de DejaVuSans.ttf et DejaVuSans-Bold.ttf dans {DocumentFonts.DirectorySetting} "
                + "(variable d'environnement BtsCcst__FontDirectory).");
        try
        {
            return new DejaVuFontResolver(full, File.ReadAllBytes(paths[0]), File.ReadAllBytes(paths[1]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FontsUnavailableException($"Polices illisibles dans {full} : {e.Message}");
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName switch
    {
        RegularFace => _regular,
        BoldFace => _bold,
        _ => null,
    };
}

/// <summary>
/// PDFsharp's font resolver is one per process and may not change once a font was used: it is
/// installed once, from the first folder asked for (the server's setting), and kept.
/// </summary>
public static class DocumentFonts
{
    /// <summary>Configuration key of the fonts folder (default <see cref="DejaVuFontResolver.DefaultDirectory"/>).</summary>
    public const string DirectorySetting = "BtsCcst:FontDirectory";

    private static readonly Lock Gate = new();
    private static DejaVuFontResolver? _installed;

    /// <summary>Installs the resolver unless already done; throws <see cref="FontsUnavailableException"/> when the fonts are missing.</summary>
    public static DejaVuFontResolver EnsureInstalled(string? directory = null)
    {
        lock (Gate)
        {
            if (_installed is not null) return _installed;
            var resolver = DejaVuFontResolver.Load(string.IsNullOrWhiteSpace(directory) ? DejaVuFontResolver.DefaultDirectory : directory);
            GlobalFontSettings.FontResolver = resolver;
            _installed = resolver;
            return resolver;
        }
    }
}
