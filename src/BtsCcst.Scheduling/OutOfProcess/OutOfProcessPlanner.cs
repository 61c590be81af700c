using System.Diagnostics;
using System.Text.Json;

namespace BtsCcst.Scheduling;

/// <summary>The planner process ended without a result (a native crash of the solver, a kill, memory).</summary>
public sealed class PlannerProcessException(string message) : Exception(message);

/// <summary>
/// Runs <see cref="OralPlanner"/> in a child process (BtsCcst.Scheduling.Runner), so that a native
/// crash of OR-Tools or an exhausted memory ends that process, not the server.
/// </summary>
public sealed class OutOfProcessPlanner(string fileName, params string[] arguments)
{
    /// <summary>The runner beside the calling assembly (it is copied there by a project reference), run by <c>dotnet</c>.</summary>
    public static OutOfProcessPlanner Beside() => new("dotnet", Path.Combine(AppContext.BaseDirectory, "BtsCcst.Scheduling.Runner.dll"));

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
        if (fileName == "dotnet" && arguments.FirstOrDefault() is { } runnerDll && !File.Exists(runnerDll))
            throw new PlannerProcessException($"Le planificateur est introuvable ({runnerDll}).");
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new PlannerProcessException("Le planificateur n'a pas pu démarrer.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
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
