using System.Text.Json;
using BtsCcst.Scheduling;
using BtsCcst.Scheduling.Repair;
using Google.OrTools.Sat;

// One planning request per process: a native crash of the solver ends this process only.
var stdout = Console.Out;
void Send(PlannerMessage message)
{
    lock (stdout) stdout.WriteLine(JsonSerializer.Serialize(message, PlanningProtocol.Json));
    stdout.Flush();
}

try
{
    // The server may start this process ahead of its job (a spare): warm up meanwhile, so the job starts at once.
    WarmUp.Run();
    var request = await JsonSerializer.DeserializeAsync<SolverRequest>(Console.OpenStandardInput(), PlanningProtocol.Json)
                  ?? throw new InvalidDataException("empty solver request");
    if (request.Plan is { } plan)
    {
        var options = new PlannerOptions(TimeSpan.FromSeconds(plan.TimeLimitSeconds), plan.Workers, plan.Weights, plan.Seed);
        var result = OralPlanner.Plan(plan.Instance, options, new SynchronousProgress(p => Send(new PlannerMessage(PlannerMessage.ProgressType, Progress: p))));
        Send(new PlannerMessage(PlannerMessage.ResultType, Result: result));
    }
    else if (request.Repair is { } repair)
    {
        var options = new PlannerOptions(TimeSpan.FromSeconds(repair.TimeLimitSeconds), repair.Workers, Seed: repair.Seed);
        Send(new PlannerMessage(PlannerMessage.RepairType, Repaired: DayRepairer.Repair(repair.Instance, repair.Current, repair.Request, options, repair.UnplacedBefore)));
    }
    else throw new InvalidDataException("the solver request holds neither a plan nor a repair");
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

/// <summary>Loads OR-Tools' native library and compiles the solver's and the protocol's paths on throwaway inputs.</summary>
static class WarmUp
{
    public static void Run()
    {
        var model = new CpModel();
        model.Maximize(model.NewBoolVar("x"));
        new CpSolver { StringParameters = "num_workers:1" }.Solve(model);
        var sample = new SolverRequest(Repair: new RepairJob(PlanningInstance.Of([], [], []), [],
            new RepairRequest("C", new DateOnly(2024, 5, 27), new TimeOnly(8, 0), [new CandidateLate("0", new TimeOnly(9, 0))]), 1, 1, null, []));
        JsonSerializer.Deserialize<SolverRequest>(JsonSerializer.Serialize(sample, PlanningProtocol.Json), PlanningProtocol.Json);
        JsonSerializer.Serialize(new PlannerMessage(PlannerMessage.RepairType,
            Repaired: new RepairResult([], [], 0, 0, 0, [], true)), PlanningProtocol.Json);
    }
}
