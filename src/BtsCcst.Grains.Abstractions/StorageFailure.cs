namespace BtsCcst.Grains.Abstractions;

/// <summary>
/// A grain could not store a change (the database refused, timed out or is out of connections).
/// Nothing of the change was kept: the grain is as it was before the request, and sending the same
/// request again does the work. Serialisable across silos, unlike the drivers' own exceptions; the
/// API answers it with a French 503 and Retry-After.
/// </summary>
[GenerateSerializer]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException(string message, string cause) : base(message) => Cause = cause;

    /// <summary>The storage error as the driver gave it (type and message), for the logs and the operator.</summary>
    [Id(0)] public string Cause { get; private set; }

    /// <summary>The French message of a change that was not stored.</summary>
    public static string NotStoredMessage =>
        "La base de données n'a pas pu enregistrer la modification : rien n'a été enregistré. Réessayez dans quelques secondes (renvoyer la même demande est sans risque).";
}
