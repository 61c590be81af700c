using Microsoft.Extensions.Configuration;

namespace BtsCcst.Cli;

/// <summary>
/// How to join the cluster: the server's own keys (section "BtsCcst", environment BtsCcst__*), which
/// the global options --cluster and --gateway-port override.
/// </summary>
public sealed record CliSettings
{
    public const string Section = "BtsCcst";
    public const string Embedded = "Embedded";
    public const string PostgreSql = "PostgreSql";
    public const string DefaultId = "btsccst";

    /// <summary>"Embedded" (localhost clustering) or "PostgreSql" (ADO.NET clustering, invariant Npgsql).</summary>
    public string Cluster { get; init; } = Embedded;

    public int GatewayPort { get; init; } = 30000;

    public string? PostgreSqlConnectionString { get; init; }

    public string ClusterId { get; init; } = DefaultId;

    public string ServiceId { get; init; } = DefaultId;

    /// <summary>
    /// How long joining the cluster may take before it is reported unreachable (--connect-timeout). Generous: on a loaded
    /// machine, reading the membership table and opening the gateways of a healthy cluster took more than 3 s.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public bool IsPostgreSql => string.Equals(Cluster, PostgreSql, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the environment (BtsCcst__Cluster, BtsCcst__GatewayPort, BtsCcst__ClusterId, BtsCcst__ServiceId, BtsCcst__PostgreSql__ConnectionString).</summary>
    public static CliSettings FromEnvironment(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        if (environment is null)
            builder.AddEnvironmentVariables();
        else
            builder.AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":"), e.Value)));
        var section = builder.Build().GetSection(Section);
        var defaults = new CliSettings();
        return new CliSettings
        {
            Cluster = section["Cluster"] is { Length: > 0 } cluster ? cluster : defaults.Cluster,
            GatewayPort = int.TryParse(section["GatewayPort"], out var port) ? port : defaults.GatewayPort,
            PostgreSqlConnectionString = section["PostgreSql:ConnectionString"],
            ClusterId = section["ClusterId"] is { Length: > 0 } clusterId ? clusterId : defaults.ClusterId,
            ServiceId = section["ServiceId"] is { Length: > 0 } serviceId ? serviceId : defaults.ServiceId,
        };
    }

    /// <summary>Where the tool looks for the cluster, in French, for messages.</summary>
    public string Describe() => IsPostgreSql
        ? $"cluster « {ClusterId} » (PostgreSQL)"
        : $"cluster local (passerelle localhost:{GatewayPort})";
}
