using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace BtsCcst.Cli;

/// <summary>The cluster could not be joined (or was lost); the message is French and says what to check.</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An Orleans client joined to the cluster, with the server's clustering settings.</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClusterConnection> ConnectAsync(CliSettings settings, CancellationToken cancellationToken)
    {
        if (settings.IsPostgreSql && string.IsNullOrWhiteSpace(settings.PostgreSqlConnectionString))
            throw new ClusterUnreachableException(
                "Mode PostgreSql : la chaîne de connexion manque. Définissez BtsCcst__PostgreSql__ConnectionString (la même que celle du serveur).");

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // The tool reports failures itself, in French: the client's own logs would only add noise.
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            if (settings.IsPostgreSql)
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = settings.ClusterId;
                    o.ServiceId = settings.ServiceId;
                });
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = settings.PostgreSqlConnectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering(settings.GatewayPort);
            }
            client.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = settings.ConnectTimeout);
            // Retry briefly (a server that is just starting), then give up: the tool never hangs.
            client.Services.AddSingleton<IClientConnectionRetryFilter>(new RetryUntil(DateTimeOffset.UtcNow + settings.ConnectTimeout));
        });
        var host = builder.Build();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout + TimeSpan.FromSeconds(2));
        try
        {
            await host.StartAsync(timeout.Token);
            return new ClusterConnection(host);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(host);
            throw new ClusterUnreachableException(UnreachableMessage(settings, e), e);
        }
        catch
        {
            await DisposeQuietlyAsync(host);
            throw;
        }
    }

    public static string UnreachableMessage(CliSettings settings, Exception? cause = null)
    {
        var detail = cause is null ? "" : $" ({Innermost(cause).Message})";
        return settings.IsPostgreSql
            ? $"Impossible de joindre le {settings.Describe()}{detail} : vérifiez qu'un serveur tourne, et BtsCcst__PostgreSql__ConnectionString, BtsCcst__ClusterId et BtsCcst__ServiceId (les mêmes que ceux du serveur)."
            : $"Impossible de joindre le {settings.Describe()}{detail} : vérifiez que le serveur tourne et le port de passerelle {settings.GatewayPort} (--gateway-port ou BtsCcst__GatewayPort, comme BtsCcst:GatewayPort du serveur).";
    }

    private static Exception Innermost(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Innermost(a.InnerExceptions[0])
        : e.InnerException is { } inner && e is OperationCanceledException or TimeoutException or AggregateException ? Innermost(inner)
        : e;

    public async ValueTask DisposeAsync() => await DisposeQuietlyAsync(_host);

    private static async Task DisposeQuietlyAsync(IHost host)
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await host.StopAsync(stop.Token);
        }
        catch (Exception)
        {
            // Leaving a cluster that is gone: nothing to report.
        }
        if (host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
        else host.Dispose();
    }

    private sealed class RetryUntil(DateTimeOffset deadline) : IClientConnectionRetryFilter
    {
        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            if (DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500) >= deadline) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            return true;
        }
    }
}
