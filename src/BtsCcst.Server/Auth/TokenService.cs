using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
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
    /// <summary>The personal access a sign-in cookie's token belongs to (absent from script tokens).</summary>
    public const string AccessClaim = "access";
    public const string SessionClaim = "session";

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

    public string Issue(Actor actor) => Issue(actor, null, null, DateTime.UtcNow.Add(Lifetime));

    /// <summary>A token for a signed-in personal access: the cookie's value, checked against the access at every use.</summary>
    public string Issue(Actor actor, string? accessId, string? sessionId, DateTime expires)
    {
        var claims = new Dictionary<string, object> { [RoleClaim] = actor.Role, [NameClaim] = actor.Name };
        if (!string.IsNullOrEmpty(actor.Scope)) claims[ScopeClaim] = actor.Scope;
        if (accessId is not null) claims[AccessClaim] = accessId;
        if (sessionId is not null) claims[SessionClaim] = sessionId;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            Expires = expires,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }

    public static Actor ActorOf(ClaimsPrincipal user) => new(
        user.FindFirstValue(RoleClaim) ?? "",
        user.FindFirstValue(NameClaim) ?? "",
        user.FindFirstValue(ScopeClaim));

    /// <summary>How long a silo waits for the key file another silo is writing.</summary>
    private static readonly TimeSpan KeyWait = TimeSpan.FromSeconds(10);

    /// <summary>An HMAC-SHA256 key must have at least 256 bits; a shorter content is a file still being written.</summary>
    private const int MinimumKeyBytes = 32;

    private static byte[] LoadOrCreateKey(string keyFile)
    {
        var path = Path.GetFullPath(keyFile);
        if (File.Exists(path)) return ReadKey(path);
        BtsCcst.Server.Hosting.DataFiles.CreatePrivateFolder(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(64);
        // Created once, under its own name, 0600 from the start: of silos starting together one creates
        // it and the others read it.
        return BtsCcst.Server.Hosting.DataFiles.TryCreatePrivateFile(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"))
            ? key
            : ReadKey(path);
    }

    /// <summary>Reads the key, waiting while the silo that created the file has not written it whole yet.</summary>
    private static byte[] ReadKey(string path)
    {
        var deadline = DateTime.UtcNow + KeyWait;
        while (true)
        {
            try
            {
                var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
                if (key.Length >= MinimumKeyBytes) return key;
            }
            catch (FormatException)
            {
                // Part of the text only: read again.
            }
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException(
                    $"The token signing key file '{path}' does not hold a key (base64 of at least {MinimumKeyBytes} bytes) after {KeyWait.TotalSeconds:0} s: delete it to have a new one created, or give the silos' key file.");
            Thread.Sleep(50);
        }
    }
}
