using System.Security.Cryptography;
using System.Text;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Storage;
using Orleans.Serialization;

namespace BtsCcst.Grains.Access;

[GenerateSerializer]
public sealed class AccessState
{
    [Id(0)] public Dictionary<string, AccessView> Accesses { get; set; } = [];
    /// <summary>SHA-256 (hex) of each unopened code → its access; a code leaves once used, replaced or revoked.</summary>
    [Id(1)] public Dictionary<string, string> OpenCodes { get; set; } = [];
    [Id(2)] public List<AccessEvent> Audit { get; set; } = [];
    [Id(3)] public long LastEvent { get; set; }
    [Id(4)] public bool FirstOrganiserIssued { get; set; }
    [Id(5)] public Dictionary<string, MailJob> MailJobs { get; set; } = [];
    /// <summary>The job that claimed each access being mailed (none once mailed or failed).</summary>
    [Id(6)] public Dictionary<string, string> MailClaims { get; set; } = [];
    /// <summary>SHA-256 of each code already opened → its access, so that a second opening is told so.</summary>
    [Id(7)] public Dictionary<string, string> UsedCodes { get; set; } = [];
}

/// <summary>
/// The personal accesses (README, "How people get in"). Codes are 256-bit random values, kept only as their SHA-256: the grain hands a
/// code out once, at issue. Every issue, sign-in, failure, revocation and sign-out is in the audit trail.
/// </summary>
public sealed partial class AccessGrain(
    [PersistentState("access", StorageNames.Grains)] IPersistentState<AccessState> store,
    DeepCopier copier,
    TimeProvider clock) : Grain, IAccessGrain
{
    /// <summary>How long a signed-in access holds after its sign-in (the person opens a new link after that).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(14);

    /// <summary>Last use is stored at most this often per access (it is read by the organiser, not used for checks).</summary>
    private static readonly TimeSpan LastUseStoredEvery = TimeSpan.FromMinutes(5);

    private const int AuditLength = 5000;
    private const int MailJobsKept = 50;

    private DurableState<AccessState>? _stored;
    private readonly Dictionary<string, DateTimeOffset> _lastUse = [];

    private DurableState<AccessState> Stored => _stored ??= new(store, this, copier);

    private AccessState State => Stored.State;

    public async Task<IssuedAccess> Issue(Person person, TimeSpan validity, Actor by) => (await IssueMany([person], validity, by))[0];

    public async Task<IssuedAccess[]> IssueMany(Person[] people, TimeSpan validity, Actor by)
    {
        if (people.FirstOrDefault(p => !p.MayHaveAccess) is { } without)
            throw new RefusedException(RefusalKind.Invalid, $"Le rôle « {without.Role} » ne donne pas d'accès : seuls {string.Join(", ", Roles.All)} en ont un.");
        var now = clock.GetUtcNow();
        var issued = people.Select(person => new IssuedAccess(
            new AccessView(Guid.NewGuid().ToString("N"), person, AccessStatus.Issued, now, by, now + validity, null, null, null, null), NewCode())).ToArray();
        await Stored.Update(s =>
        {
            foreach (var (access, code) in issued.Select(i => (i.Access, i.Code)))
            {
                var person = access.Person;
                // An unopened earlier link of the same person stops working: one live link per person.
                foreach (var old in s.Accesses.Values.Where(a => a.Person.PersonId == person.PersonId && a.Person.SessionId == person.SessionId && a.Status == AccessStatus.Issued).ToArray())
                {
                    s.Accesses[old.AccessId] = old with { Status = AccessStatus.Replaced, EndedAt = now };
                    RemoveCode(s, old.AccessId);
                }
                s.Accesses[access.AccessId] = access;
                s.OpenCodes[Hash(code)] = access.AccessId;
                if (person.Role == Roles.Organiser) s.FirstOrganiserIssued = true;
                Audit(s, AccessEventKinds.Issued, access, by.ToString(), null, $"valable jusqu'au {access.ExpiresAt:yyyy-MM-dd HH:mm} UTC");
            }
        });
        return issued;
    }

    public async Task<IssuedAccess?> IssueFirstOrganiser(TimeSpan validity)
    {
        if (State.FirstOrganiserIssued) return null;
        var person = new Person("organiser:premier-acces", Roles.Organiser, "organisateur", null, "Organisateur", "", null);
        return await Issue(person, validity, new Actor(Roles.Organiser, "premier démarrage du serveur"));
    }

    public async Task<AccessView> SignIn(string code, string address)
    {
        var now = clock.GetUtcNow();
        var access = State.OpenCodes.TryGetValue(Hash(code), out var id) ? State.Accesses[id] : UsedOrUnknown(code);
        string? refusal = access switch
        {
            null => "Ce lien d'accès n'est pas valide : vérifiez qu'il est complet, ou demandez-en un nouveau à l'organisateur.",
            { Status: AccessStatus.Issued } when access.ExpiresAt <= now =>
                $"Ce lien d'accès a expiré le {access.ExpiresAt:dd/MM/yyyy à HH:mm} (UTC) : demandez-en un nouveau à l'organisateur.",
            { Status: AccessStatus.Issued } => null,
            { Status: AccessStatus.Revoked } => "Ce lien d'accès a été révoqué par l'organisateur : demandez-en un nouveau.",
            { Status: AccessStatus.Replaced } => "Ce lien d'accès a été remplacé par un lien plus récent : utilisez le dernier reçu.",
            _ => "Ce lien d'accès a déjà servi : un lien ne s'ouvre qu'une fois. Demandez-en un nouveau à l'organisateur.",
        };
        if (refusal is not null)
        {
            await Stored.Update(s => Audit(s, AccessEventKinds.Failed, access, null, address, refusal));
            throw new RefusedException(RefusalKind.Forbidden, refusal);
        }
        var signedIn = access! with { Status = AccessStatus.Active, SignedInAt = now, LastUsedAt = now };
        await Stored.Update(s =>
        {
            s.Accesses[signedIn.AccessId] = signedIn;
            RemoveCode(s, signedIn.AccessId);
            s.UsedCodes[Hash(code)] = signedIn.AccessId;
            Audit(s, AccessEventKinds.SignedIn, signedIn, signedIn.Person.Actor.ToString(), address, null);
        });
        return signedIn;
    }

    /// <summary>A code already used (kept, hashed, so that a second opening says so), or null when unknown.</summary>
    private AccessView? UsedOrUnknown(string code) =>
        State.UsedCodes.TryGetValue(Hash(code), out var id) && State.Accesses.TryGetValue(id, out var access) ? access : null;

    public async Task<bool> IsActive(string accessId)
    {
        if (!State.Accesses.TryGetValue(accessId, out var access) || access.Status != AccessStatus.Active) return false;
        var now = clock.GetUtcNow();
        if (access.SignedInAt + SessionLifetime <= now) return false;
        _lastUse[accessId] = now;
        if (access.LastUsedAt is not { } stored || now - stored >= LastUseStoredEvery)
            await Stored.Update(s => s.Accesses[accessId] = s.Accesses[accessId] with { LastUsedAt = now });
        return true;
    }

    public async Task<AccessView> Revoke(string accessId, Actor by)
    {
        var access = Find(accessId);
        if (access.Status is not (AccessStatus.Issued or AccessStatus.Active)) return WithLastUse(access);
        var revoked = access with { Status = AccessStatus.Revoked, EndedAt = clock.GetUtcNow() };
        await Stored.Update(s =>
        {
            s.Accesses[accessId] = revoked;
            RemoveCode(s, accessId);
            Audit(s, AccessEventKinds.Revoked, revoked, by.ToString(), null, null);
        });
        return WithLastUse(revoked);
    }

    public async Task SignOut(string accessId)
    {
        var access = Find(accessId);
        if (access.Status != AccessStatus.Active) return;
        await Stored.Update(s =>
        {
            s.Accesses[accessId] = access with { Status = AccessStatus.SignedOut, EndedAt = clock.GetUtcNow() };
            Audit(s, AccessEventKinds.SignedOut, access, access.Person.Actor.ToString(), null, null);
        });
    }

    public Task<AccessView[]> List(string? sessionId) => Task.FromResult(State.Accesses.Values
        .Where(a => sessionId is null || a.Person.SessionId == sessionId || a.Person.SessionId is null)
        .OrderByDescending(a => a.IssuedAt).Select(WithLastUse).ToArray());

    public Task<AccessView?> Get(string accessId) =>
        Task.FromResult(State.Accesses.TryGetValue(accessId, out var access) ? WithLastUse(access) : null);

    public Task<AccessEvent[]> GetAudit(string? sessionId) => Task.FromResult(State.Audit
        .Where(e => sessionId is null || e.SessionId == sessionId || e.SessionId is null).ToArray());

    private AccessView Find(string accessId) => State.Accesses.TryGetValue(accessId, out var access)
        ? access
        : throw new RefusedException(RefusalKind.NotFound, $"Accès {accessId} inconnu.");

    /// <summary>The view with its latest use, and "expired" for an unopened link past its time.</summary>
    private AccessView WithLastUse(AccessView access)
    {
        if (_lastUse.TryGetValue(access.AccessId, out var used) && (access.LastUsedAt is null || used > access.LastUsedAt))
            access = access with { LastUsedAt = used };
        return access.Status == AccessStatus.Issued && access.ExpiresAt <= clock.GetUtcNow() ? access with { Status = AccessStatus.Expired } : access;
    }

    private static void RemoveCode(AccessState s, string accessId)
    {
        foreach (var hash in s.OpenCodes.Where(c => c.Value == accessId).Select(c => c.Key).ToArray()) s.OpenCodes.Remove(hash);
    }

    private void Audit(AccessState s, string kind, AccessView? access, string? by, string? address, string? detail)
    {
        s.LastEvent++;
        s.Audit.Add(new AccessEvent(s.LastEvent, clock.GetUtcNow(), kind, access?.AccessId, access?.Person.PersonId, access?.Person.SessionId, by, address, detail));
        if (s.Audit.Count > AuditLength) s.Audit.RemoveRange(0, s.Audit.Count - AuditLength);
    }

    /// <summary>256 random bits, URL-safe base64 (43 characters).</summary>
    private static string NewCode() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
