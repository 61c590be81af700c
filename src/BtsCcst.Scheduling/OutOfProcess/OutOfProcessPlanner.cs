using System.Diagnostics;
using System.Text.Json;

namespace BtsCcst.Scheduling;

/// <summary>The planner process ended without a result (a native crash of the solver, a kill, memory).</summary>
public sealed class PlannerProcessException(string message) : Exception(message);

/// <summary>
/// Runs <see cref="OralPlanner"/> and <see cref="Repair.DayRepairer"/> in a child process (BtsCcst.Scheduling.Runner), one job
/// per process, so that a native crash of OR-Tools or an exhausted memory ends that process, not the server. With
/// <c>keepSpare</c>, one process is started ahead and waits, warmed up, for the next job: its start (the runtime, the JIT,
/// OR-Tools' native library: about 1 s) is then paid between jobs, not by the centre manager waiting for a repair.
/// </summary>
public sealed class OutOfProcessPlanner(string fileName, string[] arguments, bool keepSpare) : IDisposable
{
    private readonly Lock _gate = new();
    private Started? _spare;
    private bool _disposed;

    public OutOfProcessPlanner(string fileName, params string[] arguments) : this(fileName, arguments, keepSpare: false)
    {
    }

    /// <summary>The runner beside the calling assembly (it is copied there by a project reference), run by <c>dotnet</c>.</summary>
    public static OutOfProcessPlanner Beside(bool keepSpare = false) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "BtsCcst.Scheduling.Runner.dll")], keepSpare);

    /// <summary>The process waiting for the next job, if one is (for diagnosis and tests).</summary>
    public int? SpareProcessId
    {
        get { lock (_gate) return _spare is { Process.HasExited: false } spare ? spare.Process.Id : null; }
    }

    /// <summary>A started runner and the reading of its standard error, begun at once so that its pipe never fills.</summary>
    private sealed record Started(Process Process, Task<string> Stderr);

    /// <summary>Starts the spare process now, if this planner keeps one and none is waiting.</summary>
    public void Prestart()
    {
        if (!keepSpare) return;
        lock (_gate)
        {
            if (_disposed || _spare is { Process.HasExited: false }) return;
            _spare?.Process.Dispose();
            _spare = Spawn();
        }
    }

    private Started Spawn()
    {
        if (fileName == "dotnet" && arguments.FirstOrDefault() is { } runnerDll && !File.Exists(runnerDll))
            throw new PlannerProcessException($"Le planificateur est introuvable ({runnerDll}).");
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new PlannerProcessException("Le planificateur n'a pas pu démarrer.");
        return new Started(process, process.StandardError.ReadToEndAsync());
    }

    /// <summary>The spare if it is alive, else a new process.</summary>
    private Started Take()
    {
        Started? spare;
        lock (_gate)
        {
            spare = _spare;
            _spare = null;
        }
        if (spare is { Process.HasExited: false }) return spare;
        spare?.Process.Dispose();
        return Spawn();
    }

    public void Dispose()
    {
        Started? spare;
        lock (_gate)
        {
            _disposed = true;
            spare = _spare;
            _spare = null;
        }
        if (spare is null) return;
        try { spare.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        spare.Process.Dispose();
    }

    public async Task<PlanResult> PlanAsync(PlanningInstance instance, PlannerOptions options, IProgress<PlanningProgress>? progress, CancellationToken cancellationToken)
    {
        var request = new SolverRequest(Plan: new PlanningRequest(instance, options.TimeLimit.TotalSeconds, options.Workers, options.Seed, options.Weights));
        return (await RunAsync(request, progress, cancellationToken)).Result
               ?? throw new PlannerProcessException("Le planificateur a répondu sans plan.");
    }

    /// <summary>Repairs one centre-day (<see cref="Repair.DayRepairer"/>) in a child process.</summary>
    public async Task<Repair.RepairResult> RepairAsync(RepairJob job, CancellationToken cancellationToken) =>
        (await RunAsync(new SolverRequest(Repair: job), null, cancellationToken)).Repaired
        ?? throw new PlannerProcessException("Le planificateur a répondu sans réparation.");

    /// <summary>Runs one job in a child process and returns its result message (a plan or a repair).</summary>
    private async Task<PlannerMessage> RunAsync(SolverRequest request, IProgress<PlanningProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Take();
        try
        {
            return await RunAsync(started, request, progress, cancellationToken);
        }
        finally
        {
            started.Process.Dispose();
            // The next job's process starts once this one is over: its warm-up does not take this job's cores.
            Prestart();
        }
    }

    private static async Task<PlannerMessage> RunAsync(Started started, SolverRequest request, IProgress<PlanningProgress>? progress, CancellationToken cancellationToken)
    {
        var (process, stderr) = started;
        await using (cancellationToken.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
        {
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(request, PlanningProtocol.Json));
            process.StandardInput.Close();

            PlannerMessage? result = null;
            string? error = null;
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith('{')) continue;
                var message = JsonSerializer.Deserialize<PlannerMessage>(line, PlanningProtocol.Json);
                switch (message?.Type)
                {
                    case PlannerMessage.ProgressType when message.Progress is not null:
                        progress?.Report(message.Progress);
                        break;
                    case PlannerMessage.ResultType or PlannerMessage.RepairType:
                        result = message;
                        break;
                    case PlannerMessage.ErrorType:
                        error = message.Error;
                        break;
                }
            }
            await process.WaitForExitAsync(cancellationToken);
            if (result is not null) return result;
            var diagnostics = (await stderr).Trim();
            throw new PlannerProcessException(error is not null
                ? $"Le planificateur a échoué : {error}"
                : $"Le planificateur s'est arrêté sans résultat (code {process.ExitCode}).{(diagnostics.Length > 0 ? " " + Tail(diagnostics) : "")}");
        }
    }

    private static string Tail(string text) => text.Length <= 400 ? text : "…" + text[^400..];
}
