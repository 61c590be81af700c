namespace BtsCcst.Grains.Abstractions;

/// <summary>The roles of api.md, as written in tokens.</summary>
public static class Roles
{
    public const string Organiser = "organiser";
    public const string CentreManager = "centre-manager";
    public const string Examiner = "examiner";
    public const string JuryPresident = "jury-president";

    public static IReadOnlyList<string> All { get; } = [Organiser, CentreManager, Examiner, JuryPresident];
}

/// <summary>Who does something: recorded in every trace.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor([property: Id(0)] string Role, [property: Id(1)] string Name, [property: Id(2)] string? Scope = null)
{
    public override string ToString() => $"{Name} ({Role})";
}

public enum RefusalKind { Invalid, Forbidden, NotFound, Conflict }

/// <summary>
/// A command refused by a grain because of a rule; carries a French message for the user and,
/// where useful, the subjects concerned (e.g. the candidates that prevent a jury from closing).
/// </summary>
[GenerateSerializer]
public sealed class RefusedException : Exception
{
    public RefusedException(RefusalKind kind, string message, IReadOnlyList<string>? subjects = null) : base(message)
    {
        Kind = kind;
        Subjects = subjects?.ToArray() ?? [];
    }

    [Id(0)] public RefusalKind Kind { get; private set; }

    [Id(1)] public string[] Subjects { get; private set; }
}
