using System.Globalization;
using BtsCcst.SampleGenerator;

const string Usage = "usage: BtsCcst.SampleGenerator [--candidates N | --size small|academy|national [--shape standard|written-days|hard|one-centre]] [--seed S] [--out DIR]   (defaults: --candidates 600, 42, data/sample)";

int? candidates = null;
SampleSize? size = null;
SampleShape? shape = null;
var seed = 42;
var output = Path.Combine("data", "sample");

for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    try
    {
        switch (args[i])
        {
            case "--candidates": candidates = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture); break;
            case "--size":
                var name = Value();
                size = Enum.TryParse<SampleSize>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !name.All(char.IsDigit)
                    ? parsed
                    : throw new ArgumentException($"unknown size {name} (small, academy or national).");
                break;
            case "--shape":
                var shapeName = Value();
                shape = SampleShape.Named.TryGetValue(shapeName, out var named)
                    ? named
                    : throw new ArgumentException($"unknown shape {shapeName} ({string.Join(", ", SampleShape.Named.Keys)}).");
                break;
            case "--seed": seed = int.Parse(Value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); break;
            case "--out": output = Value(); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown argument {args[i]}.");
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
if (candidates is not null && size is not null)
{
    Console.Error.WriteLine("--candidates and --size exclude each other.");
    Console.Error.WriteLine(Usage);
    return 2;
}
if (shape is not null && size is null)
{
    Console.Error.WriteLine("--shape goes with --size.");
    Console.Error.WriteLine(Usage);
    return 2;
}
if (candidates < 1)
{
    Console.Error.WriteLine("--candidates must be at least 1.");
    return 2;
}

var session = size is { } s ? SampleSession.Generate(s, seed, shape ?? SampleShape.Standard) : SampleSession.Generate(candidates ?? 600, seed);
foreach (var path in session.WriteTo(output))
    Console.WriteLine($"wrote {path}");
Console.WriteLine(session.Summary());
return 0;
