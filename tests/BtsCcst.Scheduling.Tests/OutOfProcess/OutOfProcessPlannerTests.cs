using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Tests.OutOfProcess;

/// <summary>The solver runs in a child process so that its native crash ends that process, not the server.</summary>
public sealed class OutOfProcessPlannerTests
{
    private static readonly PlanningInstance Empty = PlanningInstance.Of([], [], []);
    private static readonly PlannerOptions Options = new(TimeSpan.FromSeconds(1));

    [Fact]
    public async Task A_planner_process_killed_by_a_signal_is_reported_as_a_French_error_and_the_caller_lives_on()
    {
        // What a native crash of OR-Tools looks like from outside: the process dies on a signal, without a result.
        var crashing = new OutOfProcessPlanner("sh", "-c", "cat > /dev/null; kill -SEGV $$");
        var error = await Assert.ThrowsAsync<PlannerProcessException>(() => crashing.PlanAsync(Empty, Options, null, CancellationToken.None));
        Assert.Contains("s'est arrêté sans résultat", error.Message);
    }

    [Fact]
    public async Task A_planner_that_reports_an_error_is_reported_with_its_message()
    {
        var failing = new OutOfProcessPlanner("sh", "-c", "cat > /dev/null; echo '{\"type\":\"error\",\"error\":\"mémoire insuffisante\"}'; exit 1");
        var error = await Assert.ThrowsAsync<PlannerProcessException>(() => failing.PlanAsync(Empty, Options, null, CancellationToken.None));
        Assert.Contains("mémoire insuffisante", error.Message);
    }

    [Fact]
    public async Task A_spare_process_waits_for_the_next_job_and_a_dead_spare_is_replaced_by_a_new_process()
    {
        using var planner = OutOfProcessPlanner.Beside(keepSpare: true);
        planner.Prestart();
        var first = planner.SpareProcessId ?? throw new Xunit.Sdk.XunitException("no spare after Prestart");

        Assert.NotNull(await planner.PlanAsync(Empty, Options, null, CancellationToken.None));
        // The job took the spare; the next one waits already.
        var second = planner.SpareProcessId ?? throw new Xunit.Sdk.XunitException("no spare after a job");
        Assert.NotEqual(first, second);

        // The spare dies before any job (a crash, a kill): the job starts a process of its own.
        using (var spare = System.Diagnostics.Process.GetProcessById(second))
        {
            spare.Kill();
            await spare.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.NotNull(await planner.PlanAsync(Empty, Options, null, CancellationToken.None));

        // Disposing ends the waiting spare.
        var last = planner.SpareProcessId ?? throw new Xunit.Sdk.XunitException("no spare after the second job");
        using var waiting = System.Diagnostics.Process.GetProcessById(last);
        planner.Dispose();
        await waiting.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(planner.SpareProcessId);
    }

    [Fact]
    public async Task A_missing_runner_is_named()
    {
        var missing = new OutOfProcessPlanner("dotnet", "/nowhere/BtsCcst.Scheduling.Runner.dll");
        var error = await Assert.ThrowsAsync<PlannerProcessException>(() => missing.PlanAsync(Empty, Options, null, CancellationToken.None));
        Assert.Contains("/nowhere/", error.Message);
    }

    [Fact]
    public async Task Progress_and_result_lines_are_read_back()
    {
        var result = new PlanResult([], [new UnplacedOral("24001", UnitCode.E4, "raison")], ["raison"], 12, 10, false);
        var lines = string.Join("\n",
            System.Text.Json.JsonSerializer.Serialize(new PlannerMessage(PlannerMessage.ProgressType, Progress: new PlanningProgress("modèle", TimeSpan.FromSeconds(1), 20, 5, 0, 1)), PlanningProtocol.Json),
            "not json, ignored",
            System.Text.Json.JsonSerializer.Serialize(new PlannerMessage(PlannerMessage.ResultType, Result: result), PlanningProtocol.Json));
        var script = Path.Combine(Path.GetTempPath(), $"btsccst-fake-runner-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(script, lines + "\n");
        try
        {
            var reports = new List<PlanningProgress>();
            var fake = new OutOfProcessPlanner("sh", "-c", $"cat > /dev/null; cat '{script}'");
            var read = await fake.PlanAsync(Empty, Options, new SynchronousProgress(reports.Add), CancellationToken.None);
            Assert.Equal("modèle", Assert.Single(reports).Phase);
            Assert.Equal("raison", Assert.Single(read.Unplaced).Reason);
            Assert.Equal(12, read.Objective);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private sealed class SynchronousProgress(Action<PlanningProgress> report) : IProgress<PlanningProgress>
    {
        public void Report(PlanningProgress value) => report(value);
    }
}
