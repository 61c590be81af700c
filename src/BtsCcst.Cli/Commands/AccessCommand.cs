using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Cli.Commands;

/// <summary>
/// btsccst access organiser --name NAME --url URL: issues a personal organiser link (single-use, 7 days by default) and
/// prints it: the organiser's first access in cluster mode, or a new one when the first is lost. The link's address is
/// --url, else BtsCcst__PublicUrl (the silos' own setting).
/// </summary>
public static class AccessCommand
{
    public const string Usage = "Usage : btsccst access organiser --name NOM [--email ADRESSE] [--url https://serveur] [--days J]";

    public static (Func<IClusterClient, CancellationToken, Task<int>>? Command, string? Error) Bind(CommandLine line, CliContext context, Actor actor,
        HashSet<string> allowed)
    {
        foreach (var option in new[] { "name", "email", "url", "days" }) allowed.Add(option);
        if (line.Positional.Count != 2 || line.Positional[1] != "organiser") return (null, Usage);
        var name = line.Option("name")?.Trim() ?? "";
        if (name.Length is 0 or > 80) return (null, "--name attend le nom de l'organisateur (1 à 80 caractères).");
        var email = line.Option("email")?.Trim() ?? "";
        if (email.Length > 0 && !ExaminersCsv.IsEmail(email)) return (null, $"--email : adresse électronique « {email} » invalide.");
        var url = (line.Option("url") ?? EnvironmentOf(context, "BtsCcst__PublicUrl"))?.Trim().TrimEnd('/');
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return (null, "Adresse du serveur attendue : --url https://serveur (ou BtsCcst__PublicUrl), où l'organisateur ouvrira son lien.");
        var days = 7;
        if (line.Option("days") is { } daysText && (!int.TryParse(daysText, out days) || days is < 1 or > 60))
            return (null, $"--days attend un nombre de jours de 1 à 60 (reçu « {daysText} »).");
        var person = new Person($"{Roles.Organiser}:{FieldRules.Fold(name).Replace(' ', '-')}", Roles.Organiser, name, null, name, email, null);
        return (async (client, _) =>
        {
            var issued = await client.Accesses().Issue(person, TimeSpan.FromDays(days), actor);
            await context.Out.WriteLineAsync($"Accès organisateur pour {name} (lien à usage unique, valable jusqu'au {issued.Access.ExpiresAt.UtcDateTime:dd/MM/yyyy HH:mm} UTC) :");
            await context.Out.WriteLineAsync($"{url}/connexion#code={issued.Code}");
            return ExitCodes.Ok;
        }, null);
    }

    private static string? EnvironmentOf(CliContext context, string name) =>
        context.Environment is { } environment ? environment.GetValueOrDefault(name) : System.Environment.GetEnvironmentVariable(name);
}
