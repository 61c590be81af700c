using System.Globalization;
using Orleans.Runtime;

namespace BtsCcst.Cli.Commands;

/// <summary>btsccst cluster: the silos of the membership and the active grains per type.</summary>
public static class ClusterCommand
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static async Task<int> RunAsync(IClusterClient client, CliContext context)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        var silos = await management.GetDetailedHosts(onlyActive: false);
        var statistics = await management.GetSimpleGrainStatistics();

        var output = context.Out;
        await output.WriteLineAsync($"Silos ({silos.Length}) :");
        foreach (var silo in silos.OrderBy(s => s.Status != SiloStatus.Active).ThenBy(s => s.SiloAddress.ToString()))
        {
            await output.WriteLineAsync(string.Create(French,
                $"  {silo.SiloAddress,-36} {StatusLabel(silo.Status),-22} {silo.SiloName} sur {silo.HostName}, démarré le {silo.StartTime.ToLocalTime():dd/MM/yyyy HH:mm:ss}"));
        }

        var perType = statistics.GroupBy(s => ShortTypeName(s.GrainType))
            .Select(g => (Type: g.Key, Count: g.Sum(s => s.ActivationCount)))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Type, StringComparer.Ordinal)
            .ToList();
        await output.WriteLineAsync($"Grains actifs par type ({perType.Sum(t => t.Count)} activation(s), {perType.Count} type(s)) :");
        foreach (var (type, count) in perType)
            await output.WriteLineAsync($"  {count,8}  {type}");
        return ExitCodes.Ok;
    }

    /// <summary>"BtsCcst.Grains.Deliberation.JuryGrain,BtsCcst.Grains" → "BtsCcst.Grains.Deliberation.JuryGrain".</summary>
    private static string ShortTypeName(string grainType) =>
        grainType.IndexOf(',') is var comma and > 0 ? grainType[..comma] : grainType;

    private static string StatusLabel(SiloStatus status) => status switch
    {
        SiloStatus.Active => "actif (Active)",
        SiloStatus.Joining or SiloStatus.Created => $"en démarrage ({status})",
        SiloStatus.ShuttingDown or SiloStatus.Stopping => $"en arrêt ({status})",
        SiloStatus.Dead => "arrêté (Dead)",
        _ => status.ToString(),
    };
}
