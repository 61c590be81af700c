using BtsCcst.Cli.Commands;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Abstractions.Operations;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace BtsCcst.Cli;

/// <summary>
/// btsccst: the operator's tool. It joins the cluster as an Orleans client, which is trusted access
/// (no token, no HTTP role): every action it takes is recorded under "opérateur NAME", as an organiser.
/// </summary>
public static class Cli
{
    public const string Usage = """
        btsccst — outil d'administration de BtsCcst (client Orleans du cluster ; accès de confiance)

        Usage :
          btsccst cluster                                   silos et grains actifs par type
          btsccst import <session> <type> <fichier.csv>     types : candidates, juries, examiners, centres, conformity, marks
          btsccst plan <session> [--time-limit S]           lance une planification et suit sa progression (défaut 60 s)
          btsccst export results <session> [--out fichier]  results.csv de tous les jurys (sortie standard par défaut)
          btsccst access organiser --name N [--email E] [--url U] [--days J]
                                                            émet un lien d'accès personnel d'organisateur (usage unique ;
                                                            adresse du serveur : --url ou BtsCcst__PublicUrl ; défaut 7 j)
          btsccst token --role R --name N [--scope S] [--key-file F] [--hours H]
                                                            signe un jeton d'accès à l'API avec la clé des silos
                                                            (BtsCcst__TokenIssuerKeyFile ; sans cluster ; défaut 12 h)

        Options globales :
          --cluster Embedded|PostgreSql   (BtsCcst__Cluster ; défaut Embedded : cluster local)
          --gateway-port N                port de passerelle du mode Embedded (BtsCcst__GatewayPort ; défaut 30000)
          --connect-timeout S             secondes accordées pour joindre le cluster (défaut 20 ; 1 à 600)
          --operator NOM                  nom sous lequel les actions sont tracées (défaut : l'utilisateur du système)
        Mode PostgreSql : BtsCcst__PostgreSql__ConnectionString, BtsCcst__ClusterId et BtsCcst__ServiceId (défaut btsccst).

        Codes de sortie : 0 réussi, 1 refusé ou échoué, 2 cluster injoignable, 64 ligne de commande invalide.
        """;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliContext(output, error), cancellationToken);

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var (line, parseError) = CommandLine.Parse(args);
        if (line is null) return UsageError(context, parseError!);
        if (line.Help)
        {
            await context.Out.WriteLineAsync(Usage);
            return ExitCodes.Ok;
        }
        if (line.Positional.Count == 0) return UsageError(context, "Commande attendue.");
        if (line.Positional[0] == "token")
        {
            // Signs with the key file alone: no cluster to join.
            var (token, tokenError) = TokenCommand.Bind(line, context);
            return token is null ? UsageError(context, tokenError!) : await token();
        }

        var settings = CliSettings.FromEnvironment(context.Environment);
        if (line.Option("cluster") is { } cluster) settings = settings with { Cluster = cluster };
        if (!string.Equals(settings.Cluster, CliSettings.Embedded, StringComparison.OrdinalIgnoreCase) && !settings.IsPostgreSql)
            return UsageError(context, $"Mode de cluster « {settings.Cluster} » inconnu : attendu Embedded ou PostgreSql.");
        if (line.Option("gateway-port") is { } portText)
        {
            if (!int.TryParse(portText, out var port) || port is < 1 or > 65535)
                return UsageError(context, $"--gateway-port attend un port de 1 à 65535 (reçu « {portText} »).");
            settings = settings with { GatewayPort = port };
        }
        if (line.Option("connect-timeout") is { } timeoutText)
        {
            if (!double.TryParse(timeoutText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                || !double.IsFinite(seconds) || seconds is < 1 or > 600)
                return UsageError(context, $"--connect-timeout attend un nombre de secondes de 1 à 600 (reçu « {timeoutText} »).");
            settings = settings with { ConnectTimeout = TimeSpan.FromSeconds(seconds) };
        }
        if (context.ConnectTimeout is { } connectTimeout) settings = settings with { ConnectTimeout = connectTimeout };

        var operatorName = (line.Option("operator") ?? context.DefaultOperator ?? Environment.UserName).Trim();
        if (operatorName.Length is 0 or > 80) return UsageError(context, "--operator attend un nom de 1 à 80 caractères.");
        var actor = new Actor(Roles.Organiser, $"opérateur {operatorName}");

        var (command, bindError) = Bind(line, context, actor);
        if (command is null) return UsageError(context, bindError!);

        ClusterConnection connection;
        try
        {
            connection = await ClusterConnection.ConnectAsync(settings, cancellationToken);
        }
        catch (ClusterUnreachableException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return ExitCodes.Unreachable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Refused;
        }

        await using (connection)
        {
            try
            {
                return await command(connection.Client, cancellationToken);
            }
            catch (RefusedException e)
            {
                await context.Error.WriteLineAsync($"Refusé : {e.Message}");
                return ExitCodes.Refused;
            }
            catch (StorageUnavailableException e)
            {
                await context.Error.WriteLineAsync($"Échec : {e.Message} ({e.Cause})");
                return ExitCodes.Refused;
            }
            catch (Exception e) when (IsConnectionLoss(e))
            {
                await context.Error.WriteLineAsync(
                    $"La connexion au {settings.Describe()} a été perdue ({e.Message}) : vérifiez que le serveur tourne, puis relancez la commande.");
                return ExitCodes.Unreachable;
            }
        }
    }

    private static (Func<IClusterClient, CancellationToken, Task<int>>? Command, string? Error) Bind(CommandLine line, CliContext context, Actor actor)
    {
        var words = line.Positional;
        var allowed = new HashSet<string> { "cluster", "gateway-port", "connect-timeout", "operator" };
        (Func<IClusterClient, CancellationToken, Task<int>>?, string?) result;
        switch (words[0])
        {
            case "cluster":
                result = words.Count == 1 ? ((client, _) => ClusterCommand.RunAsync(client, context), null) : (null, "Usage : btsccst cluster");
                break;
            case "import":
                if (words.Count != 4) return (null, "Usage : btsccst import <session> <type> <fichier.csv>");
                if (SessionError(words[1]) is { } importSession) return (null, importSession);
                if (!SessionImports.Kinds.Contains(words[2])) return (null, SessionImports.UnsupportedKindMessage(words[2]));
                result = ((client, ct) => ImportCommand.RunAsync(client, context, words[1], words[2], words[3], actor, ct), null);
                break;
            case "plan":
                allowed.Add("time-limit");
                if (words.Count != 2) return (null, "Usage : btsccst plan <session> [--time-limit S]");
                if (SessionError(words[1]) is { } planSession) return (null, planSession);
                var limit = PlanningTimeLimits.DefaultSeconds;
                if (line.Option("time-limit") is { } limitText
                    && (!double.TryParse(limitText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out limit) || !PlanningTimeLimits.Allows(limit)))
                    return (null, $"--time-limit doit être compris entre {PlanningTimeLimits.MinSeconds} et {PlanningTimeLimits.MaxSeconds} secondes (reçu « {limitText} »).");
                result = ((client, ct) => PlanCommand.RunAsync(client, context, words[1], limit, actor, ct), null);
                break;
            case "export":
                allowed.Add("out");
                if (words.Count != 3) return (null, "Usage : btsccst export results <session> [--out fichier]");
                if (words[1] != "results") return (null, $"Export « {words[1]} » non pris en charge : attendu results.");
                if (SessionError(words[2]) is { } exportSession) return (null, exportSession);
                result = ((client, ct) => ExportCommand.RunAsync(client, context, words[2], line.Option("out")), null);
                break;
            case "access":
                result = AccessCommand.Bind(line, context, actor, allowed);
                if (result.Item1 is null) return result;
                break;
            default:
                return (null, $"Commande « {words[0]} » inconnue : attendu cluster, import, plan, export, access ou token.");
        }
        if (line.Options.Keys.FirstOrDefault(o => !allowed.Contains(o)) is { } misplaced)
            return (null, $"L'option --{misplaced} ne s'applique pas à la commande {words[0]}.");
        return result;
    }

    /// <summary>The same check as the HTTP routes' ids.</summary>
    private static string? SessionError(string session) =>
        FieldRules.IsId(session) ? null : FieldRules.InvalidIdMessage("session", session);

    private static int UsageError(CliContext context, string message)
    {
        context.Error.WriteLine(message);
        context.Error.WriteLine("Aide : btsccst --help");
        return ExitCodes.Usage;
    }

    private static bool IsConnectionLoss(Exception e) => e is SiloUnavailableException or ConnectionFailedException or ClientNotAvailableException
        or OrleansMessageRejectionException or TimeoutException or OrleansException { InnerException: ConnectionFailedException };
}
