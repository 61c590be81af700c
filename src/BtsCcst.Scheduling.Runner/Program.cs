using System.Text.Json;
using BtsCcst.Scheduling;
using BtsCcst.Scheduling.Repair;
using BtsCcst.Domain;

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

/// <summary>
/// Runs the whole path of a job once on a throwaway day (two candidates, one commission): OR-Tools' native library, the
/// JIT of the planner, the repair and the protocol. A first real job otherwise pays about 0.7 s for them.
/// </summary>
static class WarmUp
{
    public static void Run()
    {
        var day = new DateOnly(2024, 5, 27);
        string[] centres = ["C"];
        var instance = PlanningInstance.Of(
            [new PlanningCandidate("1", "A", "0000001A", 0, "", [UnitCode.E22, UnitCode.U62]), new PlanningCandidate("2", "A", "0000001A", 0, "", [UnitCode.E22])],
            [
                new PlanningExaminer("ANG", Discipline.Anglais, ["anglais"], "0000002B", centres.ToHashSet(), new HashSet<DateOnly> { day }, 480),
                new PlanningExaminer("ECO", Discipline.EcoGestion, [], "0000002B", centres.ToHashSet(), new HashSet<DateOnly> { day }, 480),
                new PlanningExaminer("STI", Discipline.Sti, [], "0000002B", centres.ToHashSet(), new HashSet<DateOnly> { day }, 480),
            ],
            [new PlanningCentre("C", "C", new HashSet<string> { "A" }, "Europe/Paris", [day], new TimeOnly(8, 0), new TimeOnly(18, 0),
                new TimeOnly(12, 0), new TimeOnly(13, 30), 2, 2, "")]);
        // Short: the planner's last step runs until its time is up.
        var options = new PlannerOptions(TimeSpan.FromSeconds(0.2), Workers: 1, Seed: 1);
        var plan = OralPlanner.Plan(instance, options);
        var job = new RepairJob(instance, plan.Exams, new RepairRequest("C", day, new TimeOnly(8, 0), [new CandidateLate("1", new TimeOnly(9, 0))]),
            1, 1, 1, plan.Unplaced);
        var read = JsonSerializer.Deserialize<SolverRequest>(JsonSerializer.Serialize(new SolverRequest(Repair: job), PlanningProtocol.Json), PlanningProtocol.Json)!.Repair!;
        var repaired = DayRepairer.Repair(read.Instance, read.Current, read.Request, options, read.UnplacedBefore);
        JsonSerializer.Serialize(new PlannerMessage(PlannerMessage.RepairType, Repaired: repaired), PlanningProtocol.Json);
    }
}
