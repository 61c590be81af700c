using BtsCcst.Grains.Abstractions;
using Microsoft.AspNetCore.Authorization;

namespace BtsCcst.Server.Auth;

public static class Policies
{
    public const string Organiser = "organiser";
    public const string JuryPresident = "jury-president";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Organiser, p => p.RequireClaim(TokenService.RoleClaim, Roles.Organiser));
        options.AddPolicy(JuryPresident, p => p.RequireClaim(TokenService.RoleClaim, Roles.JuryPresident));
    }

    /// <summary>A board is for its jury's president and for the organiser.</summary>
    public static bool MayWatchJury(Actor actor, string juryId) =>
        actor.Role == Roles.Organiser || (actor.Role == Roles.JuryPresident && actor.Scope == juryId);

    /// <summary>A centre manager acts for the one centre of their token's scope.</summary>
    public static bool ManagesCentre(Actor actor, string centreId) => actor.Role == Roles.CentreManager && actor.Scope == centreId;
}
