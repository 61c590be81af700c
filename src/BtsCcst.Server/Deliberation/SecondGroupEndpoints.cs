using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Api;
using BtsCcst.Server.Auth;

namespace BtsCcst.Server.Deliberation;

public sealed record ControleChoicesRequest([property: Required] string[]? Units);

/// <summary>The second group (deliberation.md "Second group"): opening it, and each candidate's choice of contrôle units.</summary>
public static class SecondGroupEndpoints
{
    public static void MapSecondGroupApi(this RouteGroupBuilder session)
    {
        session.MapPost("/juries/{jury}/second-group/open", Open).RequireAuthorization(Policies.JuryPresident).WithTags("Jurys")
            .WithSummary("Opens the second group once the first is closed (FIRST_CLOSED → SECOND_OPEN): contrôle marks may then be entered.");
        session.MapPut("/candidates/{number}/controle-choices", Choose).WithTags("Second groupe")
            .WithSummary("Records the two general units a SECOND_GROUPE candidate chooses for contrôle: { \"units\": [\"C_E1\", \"C_E3\"] } (E1, E2, E3 accepted); organiser or the jury's president.");
    }

    private static async Task<IResult> Open(string session, string jury, ClaimsPrincipal user, IGrainFactory grains) =>
        Results.Ok(new { phase = await grains.Jury(session, jury).OpenSecondGroup(TokenService.ActorOf(user)) });

    private static async Task<IResult> Choose(string session, string number, ControleChoicesRequest? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = TokenService.ActorOf(user);
        if (actor.Role is not (Roles.Organiser or Roles.JuryPresident))
            return Problems.Forbidden("Seuls l'organisateur et le président du jury enregistrent les épreuves de contrôle choisies.");
        if (body?.Units is not { } units || units.Any(u => u is null))
            return Problems.Invalid("Corps JSON attendu : { \"units\": [\"C_E1\", \"C_E3\"] }.");
        var candidate = grains.Candidate(session, number);
        if (!await candidate.IsRegistered()) return Problems.NotFound($"Le candidat {number} n'est pas inscrit à la session {session}.");
        return Results.Ok(await candidate.ChooseControles(units, actor));
    }
}
