using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace BtsCcst.Server.Auth;

/// <summary>
/// Sends access links by e-mail, in French, as a background job: the access grain keeps the job's progress and
/// failures, and each message is claimed before it is sent and recorded once sent, so nothing goes twice. The codes
/// exist only in this silo's memory while the job runs (they are stored hashed): a job cut short by a stop is
/// completed by issuing the links not sent again.
/// </summary>
public sealed class AccessMailer(IGrainFactory grains, IOptions<BtsCcstOptions> options, ILogger<AccessMailer> logger, IHostApplicationLifetime lifetime)
{
    public async Task<MailJob> StartAsync(string session, IReadOnlyList<IssuedAccess> issued, string baseUrl, Actor by)
    {
        var job = await grains.Accesses().StartMailing(session, [.. issued.Select(i => i.Access.AccessId)], by);
        _ = Task.Run(() => RunAsync(job, issued, baseUrl, lifetime.ApplicationStopping));
        return job;
    }

    private async Task RunAsync(MailJob job, IReadOnlyList<IssuedAccess> issued, string baseUrl, CancellationToken cancel)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient();
        foreach (var access in issued)
        {
            if (cancel.IsCancellationRequested) return;
            try
            {
                if (!await grains.Accesses().ClaimMail(job.JobId, access.Access.AccessId)) continue;
                var failure = access.Access.Person.Email.Length == 0 ? "Aucune adresse électronique dans les fichiers importés." : null;
                if (failure is null)
                {
                    try
                    {
                        await SendAsync(client, smtp, Message(smtp, access, baseUrl), cancel);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        failure = $"Envoi refusé ou impossible : {e.Message}";
                    }
                }
                await grains.Accesses().ReportMail(job.JobId, access.Access.AccessId, failure);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Mailing {Job}: access {Access} not recorded: {Message}", job.JobId, access.Access.AccessId, e.Message);
            }
        }
        if (client.IsConnected) await client.DisconnectAsync(true, CancellationToken.None);
    }

    private static async Task SendAsync(SmtpClient client, SmtpSettings smtp, MimeMessage message, CancellationToken cancel)
    {
        if (!client.IsConnected)
        {
            var security = smtp.Security.ToLowerInvariant() switch
            {
                "none" => SecureSocketOptions.None,
                "sslonconnect" => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancel);
            if (!string.IsNullOrEmpty(smtp.UserName)) await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancel);
        }
        await client.SendAsync(message, cancel);
    }

    /// <summary>The French message: who it is for, the role, the link and how long it is valid.</summary>
    public static MimeMessage Message(SmtpSettings smtp, IssuedAccess issued, string baseUrl)
    {
        var person = issued.Access.Person;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(new MailboxAddress(person.DisplayName, person.Email));
        message.Subject = $"BTS CCST — votre accès personnel ({RoleLabel(person)})";
        var link = AccessEndpoints.LinkOf(baseUrl, issued.Code);
        message.Body = new TextPart("plain")
        {
            Text = $"""
                Bonjour {person.DisplayName},

                Vous participez à la session {person.SessionId} du BTS Conseil et commercialisation de solutions techniques en tant que {RoleLabel(person)}.

                Votre lien d'accès personnel :
                {link}

                Ce lien ne s'ouvre qu'une fois et reste valable jusqu'au {issued.Access.ExpiresAt.UtcDateTime:dd/MM/yyyy à HH:mm} (UTC). Ne le transmettez à personne.
                S'il a expiré ou déjà servi, demandez-en un nouveau au bureau des examens.

                — Le bureau des examens
                """,
        };
        return message;
    }

    private static string RoleLabel(Person person) => person.Role switch
    {
        Roles.JuryPresident => $"président(e) du jury {person.Scope}",
        Roles.CentreManager => $"responsable du centre {person.Scope}",
        Roles.Examiner => "examinateur ou examinatrice",
        Roles.Organiser => "organisateur ou organisatrice",
        _ => person.Role,
    };
}

/// <summary>
/// The embedded default's first start prints a one-time organiser link (as Jupyter prints its token URL); later
/// starts print nothing (btsccst access organiser issues another).
/// </summary>
public sealed class FirstOrganiserAccess(IGrainFactory grains, IOptions<BtsCcstOptions> options, IHostApplicationLifetime lifetime,
    Microsoft.AspNetCore.Hosting.Server.IServer server, ILogger<FirstOrganiserAccess> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsEmbeddedDefault) return;
        var started = new TaskCompletionSource();
        using var _ = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        var issued = await grains.Accesses().IssueFirstOrganiser(TimeSpan.FromDays(AccessEndpoints.DefaultValidityDays));
        if (issued is null) return;
        var address = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
        var baseUrl = options.Value.PublicUrl is { Length: > 0 } url ? url.TrimEnd('/') : address.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost").TrimEnd('/');
        var link = AccessEndpoints.LinkOf(baseUrl, issued.Code);
        Console.WriteLine($"""

            Accès organisateur (lien à usage unique, valable {AccessEndpoints.DefaultValidityDays} jours) :
                {link}

            """);
        logger.LogWarning("First organiser access issued (the link is printed on the console once).");
        FirstLink = link;
    }

    /// <summary>The link printed, for the tests.</summary>
    public string? FirstLink { get; private set; }
}
