using System.Net;
using System.Net.Sockets;
using BtsCcst.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Placement;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>One in-process silo of the PostgreSQL cluster mode, configured as the server configures it.</summary>
public sealed class PostgreSqlSilo : IAsyncDisposable
{
    public const string ClusterId = "btsccst-tests";

    public const string ServiceId = "btsccst-tests";

    private readonly IHost host;

    private PostgreSqlSilo(IHost host, int siloPort)
    {
        this.host = host;
        SiloPort = siloPort;
    }

    public int SiloPort { get; }

    public IServiceProvider Services => host.Services;

    public IGrainFactory GrainFactory => host.Services.GetRequiredService<IGrainFactory>();

    public IClusterMembershipService Membership => host.Services.GetRequiredService<IClusterMembershipService>();

    public static async Task<PostgreSqlSilo> StartAsync(string connectionString, Action<ISiloBuilder>? configure = null)
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.UseBtsCcstPostgreSqlCluster(new PostgreSqlCluster(
                connectionString, ClusterId, ServiceId, IPAddress.Loopback, siloPort, gatewayPort));
            // The candidate and jury grains stamp every change with the injected clock.
            silo.Services.AddSingleton(TimeProvider.System);
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new PostgreSqlSilo(host, siloPort);
    }

    public int ActiveSilos() => Membership.CurrentSnapshot.Members.Values.Count(member => member.Status == SiloStatus.Active);

    public async Task StopAsync()
    {
        await host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync();
        }
        finally
        {
            host.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Answers which silo runs it; placed at random so that a cluster spreads them.</summary>
public interface IWhereGrain : IGrainWithStringKey
{
    Task<string> Silo();
}

[RandomPlacement]
public sealed class WhereGrain : Grain, IWhereGrain
{
    public Task<string> Silo() => Task.FromResult(RuntimeIdentity);
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);

    Task<bool> Has(string name);

    Task Unregister(string name);
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public async Task Register(string name, TimeSpan dueTime, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<bool> Has(string name) => await this.GetReminder(name) is not null;

    public async Task Unregister(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
