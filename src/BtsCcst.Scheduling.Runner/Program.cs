using System.Text.Json;
using BtsCcst.Scheduling;

// One planning request per process: a native crash of the solver ends this process only.
var stdout = Console.Out;
void Send(PlannerMessage message)
{
    lock (stdout) stdout.WriteLine(JsonSerializer.Serialize(message, PlanningProtocol.Json));
    stdout.Flush();
}

try
{
    var request = await JsonSerializer.DeserializeAsync<PlanningRequest>(Console.OpenStandardInput(), PlanningProtocol.Json)
                  ?? throw new InvalidDataException("empty planning request");
    var options = new PlannerOptions(TimeSpan.FromSeconds(request.TimeLimitSeconds), request.Workers, request.Weights, request.Seed);
    var result = OralPlanner.Plan(request.Instance, options, new SynchronousProgress(p => Send(new PlannerMessage(PlannerMessage.ProgressType, Progress: p))));
    Send(new PlannerMessage(PlannerMessage.ResultType, Result: result));
    return 0;
}
catch (Exception e)
{
    Send(new PlannerMessage(PlannerMessage.ErrorType, Error: e.Message));
    Console.Error.WriteLine(e);
    return 1;
}

/// <summary>Reports on the solver's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
sealed class SynchronousProgress(Action<PlanningProgress> report) : IProgress<PlanningProgress>
{
    public void Report(PlanningProgress value) => report(value);
}
