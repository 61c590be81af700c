using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Cli.Commands;

/// <summary>
/// btsccst token: signs a bearer token with the cluster's key file (BtsCcst__TokenIssuerKeyFile),
/// as the server's TokenService does (HS256, issuer and audience "btsccst", claims role, name,
/// scope), for the PostgreSQL cluster mode where the dev-token route does not exist. It needs no
/// cluster: whoever can read the key file can sign any token, so keep that file private.
/// </summary>
public static class TokenCommand
{
    public const string Issuer = "btsccst";
    public const string Audience = "btsccst";
    public const double DefaultHours = 12;

    /// <summary>Checks the options; returns the command to run, or a French usage error.</summary>
    public static (Func<Task<int>>? Command, string? Error) Bind(CommandLine line, CliContext context)
    {
        const string usage = "Usage : btsccst token --role ROLE --name NOM [--scope JURY|CENTRE] [--key-file FICHIER] [--hours H]";
        if (line.Positional.Count != 1) return (null, usage);
        var allowed = new HashSet<string> { "role", "name", "scope", "key-file", "hours" };
        if (line.Options.Keys.FirstOrDefault(o => !allowed.Contains(o)) is { } misplaced)
            return (null, $"L'option --{misplaced} ne s'applique pas à la commande token.");

        var role = line.Option("role");
        if (role is null || !Roles.All.Contains(role))
            return (null, $"--role attend l'un de {string.Join(", ", Roles.All)} (reçu « {role} »).");
        var name = (line.Option("name") ?? role).Trim();
        if (role == Roles.Examiner && !FieldRules.IsId(name))
            return (null, $"Un examinateur agit sous son examiner_id : --name doit être un identifiant ({FieldRules.IdRule}).");
        if (name.Length is 0 or > 100) return (null, "--name attend un nom de 1 à 100 caractères.");
        string? scope = null;
        if (role is Roles.JuryPresident or Roles.CentreManager)
        {
            scope = line.Option("scope");
            if (!FieldRules.IsId(scope))
                return (null, $"Le rôle {role} exige --scope : l'identifiant de son {(role == Roles.JuryPresident ? "jury" : "centre")}.");
        }
        else if (line.Option("scope") is not null)
        {
            return (null, $"Le rôle {role} ne prend pas de --scope.");
        }

        var hours = DefaultHours;
        if (line.Option("hours") is { } hoursText
            && (!double.TryParse(hoursText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out hours) || hours is < 0.1 or > 168))
            return (null, $"--hours doit être compris entre 0.1 et 168 heures (reçu « {hoursText} »).");

        var keyFile = line.Option("key-file") ?? EnvironmentKeyFile(context);
        if (string.IsNullOrWhiteSpace(keyFile))
            return (null, "Fichier de clé attendu : --key-file FICHIER, ou la variable BtsCcst__TokenIssuerKeyFile (le même fichier que les silos).");

        var actor = new Actor(role, name, scope);
        return (() => RunAsync(context, actor, keyFile, TimeSpan.FromHours(hours)), null);
    }

    public static async Task<int> RunAsync(CliContext context, Actor actor, string keyFile, TimeSpan lifetime)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String((await File.ReadAllTextAsync(keyFile)).Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            await context.Error.WriteLineAsync(
                $"Clé illisible dans {Path.GetFullPath(keyFile)} ({e.Message}) : donnez le fichier BtsCcst__TokenIssuerKeyFile des silos (le premier silo le crée à son démarrage).");
            return ExitCodes.Refused;
        }
        await context.Out.WriteLineAsync(Sign(actor, key, DateTimeOffset.UtcNow, lifetime));
        return ExitCodes.Ok;
    }

    /// <summary>A JWT signed with HMAC-SHA256, with the claims the server reads.</summary>
    public static string Sign(Actor actor, byte[] key, DateTimeOffset now, TimeSpan lifetime)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" });
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["role"] = actor.Role,
            ["name"] = actor.Name,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
        };
        if (!string.IsNullOrEmpty(actor.Scope)) claims["scope"] = actor.Scope;
        var unsigned = $"{Base64Url(header)}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(unsigned));
        return $"{unsigned}.{Base64Url(signature)}";
    }

    private static string? EnvironmentKeyFile(CliContext context) => context.Environment is { } environment
        ? environment.GetValueOrDefault("BtsCcst__TokenIssuerKeyFile")
        : Environment.GetEnvironmentVariable("BtsCcst__TokenIssuerKeyFile");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
