using BtsCcst.Server.Auth;
using BtsCcst.Server.Operations;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Dashboard;

// In the hosting namespace, so HostSetup calls it without another using.
namespace BtsCcst.Server.Hosting;

/// <summary>
/// Operations (README, Operations): readiness, JSON console logs, OpenTelemetry metrics (Prometheus
/// scrape endpoint, OTLP export) and the Orleans dashboard for organisers.
/// </summary>
public static class OperationsSetup
{
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    /// <summary>The meters exported: this project's, Orleans' (grain calls, activations, messaging), ASP.NET Core's (requests, Kestrel, SignalR connections).</summary>
    public static readonly string[] Meters =
    [
        OperationsMetrics.MeterName,
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
    ];

    public static void AddBtsCcstOperations(this WebApplicationBuilder builder, BtsCcstOptions options)
    {
        var settings = builder.Configuration.GetSection(BtsCcstOptions.Section).Get<OperationsSettings>() ?? new OperationsSettings();
        builder.Services.AddSingleton(settings);

        // The standard Logging:Console:FormatterName=json does the same; this is the short form.
        if (settings.JsonLogs) builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });

        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton<OperationsMetrics>();

        var metrics = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("btsccst", serviceInstanceId: $"{options.AdvertisedAddress}:{options.SiloPort}"))
            .WithMetrics(meters =>
            {
                meters.AddMeter(Meters).AddPrometheusExporter();
                // OTLP when an endpoint is named (OTEL_EXPORTER_OTLP_ENDPOINT, and the other OTEL_* variables).
                if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) meters.AddOtlpExporter();
            });

        if (settings.Dashboard)
        {
            builder.UseOrleans(silo => silo.AddDashboard());
            builder.Services.AddDashboardAccess();
        }
    }

    public static void MapBtsCcstOperations(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<OperationsSettings>();

        app.MapGet(ReadyPath, async (Readiness readiness, HttpContext http, CancellationToken cancellationToken) =>
        {
            var report = await readiness.CheckAsync(cancellationToken);
            http.Response.Headers.CacheControl = "no-store";
            var status = report.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            // The checks name the database file or host and the silo's address: for an organiser only.
            var organiser = http.User.Identity?.IsAuthenticated == true && TokenService.ActorOf(http.User).Role == BtsCcst.Grains.Abstractions.Roles.Organiser;
            return organiser ? Results.Json(report, statusCode: status) : Results.Json(new { status = report.Status }, statusCode: status);
        }).AllowAnonymous().ExcludeFromDescription();

        var scrape = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (settings.PublicMetrics) scrape.AllowAnonymous();
        else scrape.RequireAuthorization(Policies.Organiser);

        if (settings.Dashboard)
        {
            app.MapOrleansDashboard(DashboardAccess.Path)
                .RequireAuthorization(DashboardAccess.Policy)
                .AddEndpointFilter(DashboardAccess.ExchangeQueryToken)
                .ExcludeFromDescription();
        }
    }
}
