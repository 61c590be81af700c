namespace BtsCcst.Server.Operations;

/// <summary>The operations settings, in section "BtsCcst" beside <see cref="Hosting.BtsCcstOptions"/> (README, Operations).</summary>
public sealed class OperationsSettings
{
    /// <summary>Console logs as one JSON object a line (BtsCcst:JsonLogs). Off: the readable default.</summary>
    public bool JsonLogs { get; set; }

    /// <summary>
    /// Serve /metrics to anyone who reaches the server (BtsCcst:PublicMetrics), for a Prometheus
    /// scraper on a private network. Off: /metrics needs an organiser token.
    /// </summary>
    public bool PublicMetrics { get; set; }

    /// <summary>Map the Orleans dashboard under /dashboard, for organisers (BtsCcst:Dashboard; default on).</summary>
    public bool Dashboard { get; set; } = true;
}
