using System.Security.Claims;
using System.Security.Cryptography;
using BtsCcst.Grains.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BtsCcst.Server.Auth;

/// <summary>
/// Signs and describes the bearer tokens. The signing key is generated on first start and kept in
/// the data folder (never in the repository).
/// </summary>
public sealed class TokenService
{
    public const string Issuer = "btsccst";
    public const string Audience = "btsccst";
    public const string RoleClaim = "role";
    public const string NameClaim = "name";
    public const string ScopeClaim = "scope";

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public TokenService(string keyFile)
    {
        Key = new SymmetricSecurityKey(LoadOrCreateKey(keyFile));
    }

    public SymmetricSecurityKey Key { get; }

    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = Key,
        NameClaimType = NameClaim,
        RoleClaimType = RoleClaim,
        ClockSkew = TimeSpan.FromMinutes(1),
    };

    public string Issue(Actor actor)
    {
        var claims = new Dictionary<string, object> { [RoleClaim] = actor.Role, [NameClaim] = actor.Name };
        if (!string.IsNullOrEmpty(actor.Scope)) claims[ScopeClaim] = actor.Scope;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            Expires = DateTime.UtcNow.Add(Lifetime),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }

    public static Actor ActorOf(ClaimsPrincipal user) => new(
        user.FindFirstValue(RoleClaim) ?? "",
        user.FindFirstValue(NameClaim) ?? "",
        user.FindFirstValue(ScopeClaim));

    private static byte[] LoadOrCreateKey(string keyFile)
    {
        if (File.Exists(keyFile)) return Convert.FromBase64String(File.ReadAllText(keyFile).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        var key = RandomNumberGenerator.GetBytes(64);
        var temp = keyFile + ".tmp";
        File.WriteAllText(temp, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temp, keyFile, overwrite: false);
        }
        catch (IOException) when (File.Exists(keyFile))
        {
            // Another process created it first: use theirs.
            File.Delete(temp);
            return Convert.FromBase64String(File.ReadAllText(keyFile).Trim());
        }
        return key;
    }
}
