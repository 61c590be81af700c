namespace BtsCcst.Grains.Abstractions;

/// <summary>
/// Someone who takes part in a session, in one role: a jury's president or member (juries.csv), an examiner
/// (examiners.csv), a centre's manager (centres.csv, optional columns), or an organiser.
/// </summary>
/// <param name="PersonId">Stable within the session: "{role}:{scope or examiner_id}" (jury members add their rank).</param>
/// <param name="Name">The name the person acts under (an examiner's examiner_id, as in tokens).</param>
/// <param name="Scope">The jury of a president or member, the centre of a manager; null otherwise.</param>
/// <param name="DisplayName">How messages and lists name the person.</param>
/// <param name="Email">Where their access link is sent; empty when the files give none.</param>
[GenerateSerializer, Immutable]
public sealed record Person(
    [property: Id(0)] string PersonId,
    [property: Id(1)] string Role,
    [property: Id(2)] string Name,
    [property: Id(3)] string? Scope,
    [property: Id(4)] string DisplayName,
    [property: Id(5)] string Email,
    [property: Id(6)] string? SessionId)
{
    /// <summary>A jury member: listed among the people, but the API gives members no role of their own.</summary>
    public const string JuryMemberRole = "jury-member";

    public Actor Actor => new(Role, Name, Scope);

    /// <summary>Whether an access can be issued to this person (a role of api.md).</summary>
    public bool MayHaveAccess => Roles.All.Contains(Role);
}

/// <summary>Where an access stands.</summary>
public static class AccessStatus
{
    /// <summary>Issued, its link not opened yet.</summary>
    public const string Issued = "issued";
    /// <summary>Its link was opened: the person is signed in.</summary>
    public const string Active = "active";
    public const string Expired = "expired";
    public const string Revoked = "revoked";
    public const string SignedOut = "signed-out";
    /// <summary>A newer link for the same person took the place of this unopened one.</summary>
    public const string Replaced = "replaced";
}

/// <summary>One personal access: who, in which role and scope, issued when and by whom, used when.</summary>
[GenerateSerializer, Immutable]
public sealed record AccessView(
    [property: Id(0)] string AccessId,
    [property: Id(1)] Person Person,
    [property: Id(2)] string Status,
    [property: Id(3)] DateTimeOffset IssuedAt,
    [property: Id(4)] Actor IssuedBy,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] DateTimeOffset? SignedInAt,
    [property: Id(7)] DateTimeOffset? LastUsedAt,
    [property: Id(8)] DateTimeOffset? EndedAt,
    [property: Id(9)] DateTimeOffset? MailedAt);

/// <summary>An access just issued, with its code: the only time the code exists outside the person's link.</summary>
[GenerateSerializer, Immutable]
public sealed record IssuedAccess([property: Id(0)] AccessView Access, [property: Id(1)] string Code);

/// <summary>One line of the access audit trail: issue, sign-in, failure, revocation, sign-out, e-mail.</summary>
[GenerateSerializer, Immutable]
public sealed record AccessEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Kind,
    [property: Id(3)] string? AccessId,
    [property: Id(4)] string? PersonId,
    [property: Id(5)] string? SessionId,
    [property: Id(6)] string? By,
    [property: Id(7)] string? Address,
    [property: Id(8)] string? Detail);

/// <summary>The kinds of <see cref="AccessEvent"/>.</summary>
public static class AccessEventKinds
{
    public const string Issued = "issued";
    public const string SignedIn = "signed-in";
    public const string Failed = "sign-in-failed";
    public const string Revoked = "revoked";
    public const string SignedOut = "signed-out";
    public const string Mailed = "mailed";
    public const string MailFailed = "mail-failed";
}

/// <summary>
/// Every personal access of the deployment, in one grain (a few hundred people per session): the codes (hashed), who
/// holds which access, and the audit trail. Silos ask it whether a signed-in access still holds (and cache the answer
/// a short while), so a revocation reaches every silo within seconds.
/// </summary>
public interface IAccessGrain : IGrainWithStringKey
{
    /// <summary>Issues an access (a new single-use code) for the person; an unopened earlier link of theirs is replaced.</summary>
    Task<IssuedAccess> Issue(Person person, TimeSpan validity, Actor by);

    /// <summary>Issues accesses for several people in one write (a whole role).</summary>
    Task<IssuedAccess[]> IssueMany(Person[] people, TimeSpan validity, Actor by);

    /// <summary>
    /// Issues the first organiser access, once in the deployment's life; null when one was issued before (the embedded
    /// default's first start prints it).
    /// </summary>
    Task<IssuedAccess?> IssueFirstOrganiser(TimeSpan validity);

    /// <summary>Opens a link: the access when the code is valid (then used), else a French refusal; failures are audited.</summary>
    Task<AccessView> SignIn(string code, string address);

    /// <summary>Whether a signed-in access still holds (not revoked, signed out or past its session); records its use.</summary>
    Task<bool> IsActive(string accessId);

    Task<AccessView> Revoke(string accessId, Actor by);

    Task SignOut(string accessId);

    /// <summary>The accesses of a session (null: all), newest first.</summary>
    Task<AccessView[]> List(string? sessionId);

    Task<AccessView?> Get(string accessId);

    /// <summary>The latest audit events of a session (null: all), oldest first.</summary>
    Task<AccessEvent[]> GetAudit(string? sessionId);

    /// <summary>Starts a mailing of the given accesses (a background job on the silo that asked); returns it.</summary>
    Task<MailJob> StartMailing(string sessionId, string[] accessIds, Actor by);

    /// <summary>
    /// Whether the access is still to be mailed, claimed for this job: false when it was mailed already, is being
    /// mailed by another job, or no longer waits for its link to be opened (nothing is sent twice).
    /// </summary>
    Task<bool> ClaimMail(string jobId, string accessId);

    /// <summary>Records one message of a job: sent (failure null) or failed with the reason.</summary>
    Task ReportMail(string jobId, string accessId, string? failure);

    Task<MailJob?> GetMailing(string jobId);
}

/// <summary>A mailing of access links: its progress and the failures, each with the reason.</summary>
[GenerateSerializer, Immutable]
public sealed record MailJob(
    [property: Id(0)] string JobId,
    [property: Id(1)] string SessionId,
    [property: Id(2)] string[] AccessIds,
    [property: Id(3)] int Sent,
    [property: Id(4)] int Skipped,
    [property: Id(5)] MailFailure[] Failures,
    [property: Id(6)] DateTimeOffset StartedAt,
    [property: Id(7)] DateTimeOffset? FinishedAt,
    [property: Id(8)] Actor By)
{
    public int Total => AccessIds.Length;

    public bool Done => FinishedAt is not null;
}

[GenerateSerializer, Immutable]
public sealed record MailFailure([property: Id(0)] string AccessId, [property: Id(1)] string Name, [property: Id(2)] string Email, [property: Id(3)] string Reason);

public static class AccessGrainKeys
{
    /// <summary>The one access grain's key.</summary>
    public const string Key = "all";

    public static IAccessGrain Accesses(this IGrainFactory grains) => grains.GetGrain<IAccessGrain>(Key);
}

/// <summary>ASP.NET Core data protection keys (XML), shared by the silos of a cluster through grain storage.</summary>
public interface IDataProtectionKeysGrain : IGrainWithStringKey
{
    Task<string[]> GetAll();

    Task Store(string name, string xml);
}
