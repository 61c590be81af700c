using System.Text.Json;
using System.Text.Json.Serialization;

namespace BtsCcst.Scheduling;

/// <summary>A planning of the whole instance.</summary>
public sealed record PlanningRequest(PlanningInstance Instance, double TimeLimitSeconds, int Workers, int? Seed, PlannerWeights? Weights = null);

/// <summary>A repair of one centre-day of <paramref name="Current"/> (<see cref="Repair.DayRepairer"/>).</summary>
public sealed record RepairJob(
    PlanningInstance Instance,
    IReadOnlyList<ScheduledExam> Current,
    Repair.RepairRequest Request,
    double TimeLimitSeconds,
    int Workers,
    int? Seed,
    IReadOnlyList<UnplacedOral> UnplacedBefore);

/// <summary>What the server sends the solver process on its standard input: one JSON document holding one job.</summary>
public sealed record SolverRequest(PlanningRequest? Plan = null, RepairJob? Repair = null);

/// <summary>
/// One line of the solver process's standard output: progress while it solves, then exactly one
/// result (a plan or a repair) or error. Anything else on stdout is ignored; stderr is kept for diagnosis.
/// </summary>
public sealed record PlannerMessage(string Type, PlanningProgress? Progress = null, PlanResult? Result = null, string? Error = null,
    Repair.RepairResult? Repaired = null)
{
    public const string ProgressType = "progress";
    public const string ResultType = "result";
    public const string RepairType = "repair";
    public const string ErrorType = "error";
}

public static class PlanningProtocol
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new ReadOnlySetConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

/// <summary>Reads <c>IReadOnlySet&lt;T&gt;</c> (which System.Text.Json cannot instantiate) as a <c>HashSet&lt;T&gt;</c>.</summary>
internal sealed class ReadOnlySetConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(IReadOnlySet<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<IReadOnlySet<T>>
    {
        public override IReadOnlySet<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<HashSet<T>>(ref reader, options) ?? [];

        public override void Write(Utf8JsonWriter writer, IReadOnlySet<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }
}
