using System.Net;
using BtsCcst.Grains.Storage;

namespace BtsCcst.Server.Hosting;

/// <summary>Settings of section "BtsCcst" (appsettings.json or environment variables BtsCcst__*).</summary>
public sealed class BtsCcstOptions
{
    public const string Section = "BtsCcst";

    public const string EmbeddedCluster = "Embedded";

    public const string PostgreSqlCluster = "PostgreSql";

    /// <summary>Folder for the SQLite database (embedded default) and the token signing key.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The session pages open when the address names none.</summary>
    public string DefaultSession { get; set; } = "2024";

    /// <summary>
    /// "Embedded" (default: one silo, localhost clustering, SQLite storage) or "PostgreSql"
    /// (membership, grain state and reminders in PostgreSQL, so several silos form one cluster).
    /// </summary>
    public string Cluster { get; set; } = EmbeddedCluster;

    /// <summary>PostgreSQL cluster mode only.</summary>
    public PostgreSqlSettings PostgreSql { get; set; } = new();

    /// <summary>PostgreSQL cluster mode only: silos with the same ClusterId form one cluster.</summary>
    public string ClusterId { get; set; } = "btsccst";

    /// <summary>PostgreSQL cluster mode only: part of every stored key, keep it stable. (The embedded default keeps Orleans' own.)</summary>
    public string ServiceId { get; set; } = "btsccst";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>PostgreSQL cluster mode only: the IP address the other silos reach this one at, and listened on.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Set to use an external token issuer: the signing key file it shares with the server (the
    /// server creates it when missing). Empty on the embedded default, which issues dev tokens and
    /// keeps its key in the data folder.
    /// </summary>
    public string? TokenIssuerKeyFile { get; set; }

    /// <summary>
    /// The address people reach the server at (e.g. https://examens.example.fr), written in access links; unset, a link
    /// takes the address of the request that issued it.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Sending access links by e-mail; unset Host: links are only given as a list (CSV).</summary>
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>PostgreSQL cluster mode only: how fast a dead silo is detected (unset: Orleans' defaults).</summary>
    public MembershipSettings Membership { get; set; } = new();

    public bool IsEmbeddedDefault => string.Equals(Cluster, EmbeddedCluster, StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(TokenIssuerKeyFile);

    public bool IsPostgreSqlCluster => string.Equals(Cluster, PostgreSqlCluster, StringComparison.OrdinalIgnoreCase);

    /// <summary>A relative folder is taken from the directory the server is started in.</summary>
    public string FullDataDirectory() => Path.GetFullPath(DataDirectory, Environment.CurrentDirectory);

    public string SqliteDatabaseFile() => Path.Combine(FullDataDirectory(), "btsccst.db");

    public string SqliteConnectionString() => $"Data Source={SqliteDatabaseFile()}";

    /// <summary>The token signing key file: <see cref="TokenIssuerKeyFile"/> when set, else one in the data folder.</summary>
    public string SigningKeyFile() => string.IsNullOrEmpty(TokenIssuerKeyFile)
        ? Path.Combine(FullDataDirectory(), "jwt-signing.key")
        : Path.GetFullPath(TokenIssuerKeyFile, Environment.CurrentDirectory);

    /// <summary>Refuses settings the server cannot start with, naming the setting to fix.</summary>
    /// <exception cref="InvalidOperationException">An unknown cluster mode, or a PostgreSQL setting missing or malformed.</exception>
    public void Validate()
    {
        if (IsPostgreSqlCluster)
        {
            _ = ToPostgreSqlCluster();
        }
        else if (!string.Equals(Cluster, EmbeddedCluster, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Unknown cluster mode '{Cluster}' (setting {Section}:Cluster, environment variable {Section}__Cluster): use {EmbeddedCluster} or {PostgreSqlCluster}.");
        }
    }

    /// <summary>The PostgreSQL cluster mode's settings, checked.</summary>
    /// <exception cref="InvalidOperationException">A setting missing or malformed.</exception>
    public PostgreSqlCluster ToPostgreSqlCluster()
    {
        if (string.IsNullOrWhiteSpace(PostgreSql.ConnectionString))
        {
            throw new InvalidOperationException(
                $"Cluster mode {PostgreSqlCluster} needs a PostgreSQL connection string: set {Section}:PostgreSql:ConnectionString (environment variable {Section}__PostgreSql__ConnectionString), e.g. \"Host=db;Database=btsccst;Username=btsccst;Password=...\".");
        }

        try
        {
            PostgreSqlSchema.ValidateConnectionString(PostgreSql.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{e.Message} (setting {Section}:PostgreSql:ConnectionString).", e);
        }

        if (!IPAddress.TryParse(AdvertisedAddress, out var address))
        {
            throw new InvalidOperationException(
                $"{Section}:AdvertisedAddress must be an IP address (e.g. 127.0.0.1 or 10.0.0.12), not '{AdvertisedAddress}'.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            throw new InvalidOperationException($"{Section}:ClusterId and {Section}:ServiceId must not be empty.");
        }

        Membership.Validate();
        return new PostgreSqlCluster(PostgreSql.ConnectionString, ClusterId, ServiceId, address, SiloPort, GatewayPort);
    }
}

/// <summary>Settings of section "BtsCcst:PostgreSql".</summary>
public sealed class PostgreSqlSettings
{
    /// <summary>Npgsql connection string of the database shared by every silo (which must exist).</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>
/// Settings of section "BtsCcst:Membership": Orleans' failure detection in the PostgreSQL cluster
/// mode. Each unset value keeps Orleans' default (probes every 5 s, a silo suspected after 3 missed
/// probes, votes valid 2 minutes, the table read every minute: a killed silo is declared dead after
/// roughly 15 to 20 s). Shorter values detect a dead silo sooner but may declare dead a silo that
/// is only slow (a long garbage collection, an overloaded host).
/// </summary>
public sealed class MembershipSettings
{
    /// <summary>Period and initial timeout of the liveness probes between silos (Orleans' ProbeTimeout; default 5).</summary>
    public double? ProbeTimeoutSeconds { get; set; }

    /// <summary>Missed probes after which a silo is suspected and voted dead (Orleans' NumMissedProbesLimit; default 3).</summary>
    public int? NumMissedProbesLimit { get; set; }

    /// <summary>How long a death vote counts (Orleans' DeathVoteExpirationTimeout; default 120).</summary>
    public double? DeathVoteExpirationSeconds { get; set; }

    /// <summary>Period of reading the membership table (Orleans' TableRefreshTimeout; default 60).</summary>
    public double? TableRefreshSeconds { get; set; }

    /// <summary>Any value set.</summary>
    public bool IsSet => ProbeTimeoutSeconds is not null || NumMissedProbesLimit is not null
        || DeathVoteExpirationSeconds is not null || TableRefreshSeconds is not null;

    /// <exception cref="InvalidOperationException">A value out of range.</exception>
    public void Validate()
    {
        static void Check(bool ok, string name, string range)
        {
            if (!ok) throw new InvalidOperationException($"{BtsCcstOptions.Section}:Membership:{name} must be {range}.");
        }

        Check(ProbeTimeoutSeconds is null or >= 0.2 and <= 600, nameof(ProbeTimeoutSeconds), "between 0.2 and 600 seconds");
        Check(NumMissedProbesLimit is null or >= 1 and <= 100, nameof(NumMissedProbesLimit), "between 1 and 100");
        Check(DeathVoteExpirationSeconds is null or >= 1 and <= 3600, nameof(DeathVoteExpirationSeconds), "between 1 and 3600 seconds");
        Check(TableRefreshSeconds is null or >= 1 and <= 3600, nameof(TableRefreshSeconds), "between 1 and 3600 seconds");
    }

    /// <summary>Sets on <paramref name="options"/> the values given, leaving the others as they are.</summary>
    public void ApplyTo(Orleans.Configuration.ClusterMembershipOptions options)
    {
        if (ProbeTimeoutSeconds is { } probe) options.ProbeTimeout = TimeSpan.FromSeconds(probe);
        if (NumMissedProbesLimit is { } missed) options.NumMissedProbesLimit = missed;
        if (DeathVoteExpirationSeconds is { } votes) options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(votes);
        if (TableRefreshSeconds is { } refresh) options.TableRefreshTimeout = TimeSpan.FromSeconds(refresh);
    }
}

/// <summary>The SMTP server access links are sent through (section BtsCcst:Smtp).</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>"StartTls" (default), "SslOnConnect" or "None" (a local relay).</summary>
    public string Security { get; set; } = "StartTls";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. "Bureau des examens &lt;examens@ac-normandie.fr&gt;".</summary>
    public string From { get; set; } = "BtsCcst <ne-pas-repondre@localhost>";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
