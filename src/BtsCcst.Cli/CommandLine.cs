namespace BtsCcst.Cli;

/// <summary>The words of a command line: positional arguments and --options (with "--name value" or "--name=value").</summary>
public sealed class CommandLine
{
    public static readonly IReadOnlySet<string> ValueOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "cluster", "gateway-port", "connect-timeout", "operator", "time-limit", "out", "role", "name", "scope", "key-file", "hours", "email", "url", "days",
    };

    public List<string> Positional { get; } = [];

    public Dictionary<string, string> Options { get; } = new(StringComparer.Ordinal);

    public bool Help { get; private set; }

    /// <summary>Parses, or returns a French usage error.</summary>
    public static (CommandLine? Line, string? Error) Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" || (arg == "help" && line.Positional.Count == 0))
            {
                line.Help = true;
                continue;
            }
            if (arg == "--")
            {
                line.Positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                line.Positional.Add(arg);
                continue;
            }
            var name = arg[2..];
            string? value = null;
            if (name.IndexOf('=') is var eq and > 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            if (!ValueOptions.Contains(name)) return (null, $"Option inconnue : --{name}.");
            if (value is null)
            {
                if (i + 1 >= args.Count) return (null, $"L'option --{name} attend une valeur.");
                value = args[++i];
            }
            line.Options[name] = value;
        }
        return (line, null);
    }

    public string? Option(string name) => Options.GetValueOrDefault(name);
}
