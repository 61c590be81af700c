namespace BtsCcst.Cli;

/// <summary>Where a command writes, and what it reads from its surroundings (tests pass their own).</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error)
{
    /// <summary>A terminal: progress is redrawn in place; otherwise a line is written at each step.</summary>
    public bool Interactive { get; init; }

    /// <summary>The environment variables to read (null: the process's own).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>The operator's name when --operator is not given (null: the OS user name).</summary>
    public string? DefaultOperator { get; init; }

    /// <summary>How long joining the cluster may take (null: the settings' default).</summary>
    public TimeSpan? ConnectTimeout { get; init; }
}
