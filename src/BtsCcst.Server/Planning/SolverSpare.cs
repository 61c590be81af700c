using BtsCcst.Scheduling;

namespace BtsCcst.Server.Planning;

/// <summary>Starts the solver's spare process with the server, so that even the first repair finds it warm.</summary>
public sealed class SolverSpare(OutOfProcessPlanner planner, ILogger<SolverSpare> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            planner.Prestart();
        }
        catch (PlannerProcessException e)
        {
            // Not fatal: each job starts its own process, and names the problem to whoever asked for it.
            logger.LogWarning("The solver's spare process did not start: {Reason}", e.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
