namespace BtsCcst.Cli;

/// <summary>What btsccst returns to the shell.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Refused (a file with bad rows, a rule of a grain) or failed (a planning run that failed).</summary>
    public const int Refused = 1;

    /// <summary>The cluster could not be joined, or the connection was lost.</summary>
    public const int Unreachable = 2;

    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 64;
}
