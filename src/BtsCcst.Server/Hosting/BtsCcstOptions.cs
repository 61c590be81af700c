namespace BtsCcst.Server.Hosting;

/// <summary>Settings of section "BtsCcst" (appsettings.json or environment variables BtsCcst__*).</summary>
public sealed class BtsCcstOptions
{
    public const string Section = "BtsCcst";

    /// <summary>Folder for the SQLite database and the token signing key (embedded default).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The session pages open when the address names none.</summary>
    public string DefaultSession { get; set; } = "2024";

    /// <summary>"Embedded" (localhost clustering, SQLite storage) is the only mode of this version.</summary>
    public string Cluster { get; set; } = "Embedded";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Set to use an external token issuer; empty on the embedded default, which issues dev tokens.</summary>
    public string? TokenIssuerKeyFile { get; set; }

    public bool IsEmbeddedDefault => string.Equals(Cluster, "Embedded", StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(TokenIssuerKeyFile);

    /// <summary>A relative folder is taken from the directory the server is started in.</summary>
    public string FullDataDirectory() => Path.GetFullPath(DataDirectory, Environment.CurrentDirectory);

    public string SqliteConnectionString() =>
        $"Data Source={Path.Combine(FullDataDirectory(), "btsccst.db")}";
}
