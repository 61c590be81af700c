using System.Globalization;
using System.Threading.Channels;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Cli.Commands;

/// <summary>btsccst plan: starts a planning run of the session's first-group orals and follows it until it ends.</summary>
public static class PlanCommand
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>A run pushes its progress; this also asks for it, in case a push was missed.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Run subscriptions expire after 3 minutes unless renewed.</summary>
    private static readonly TimeSpan RenewInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait, once a run has ended, for its plan to become the session's schedule.</summary>
    private static readonly TimeSpan AdoptionWait = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IClusterClient client, CliContext context, string session, double timeLimitSeconds, Actor actor, CancellationToken cancellationToken)
    {
        var runId = await client.Session(session).StartPlanningRun(timeLimitSeconds, weights: null, actor);
        await context.Out.WriteLineAsync(string.Create(French,
            $"Planification {runId} lancée dans la session {session} par {actor.Name} (limite {timeLimitSeconds:0.#} s)."));

        var run = client.PlanningRun(session, runId);
        var watcher = new Watcher();
        var reference = client.CreateObjectReference<IPlanningObserver>(watcher);
        var bar = new Progress.PlanningBar(context);
        PlanningRunView view;
        try
        {
            await run.Subscribe(reference);
            var subscribedAt = DateTimeOffset.UtcNow;
            DateTimeOffset? endedAt = null;
            view = await run.GetView();
            while (true)
            {
                await bar.ShowAsync(view);
                if (view.State != PlanningRunStates.Running)
                {
                    endedAt ??= DateTimeOffset.UtcNow;
                    // A succeeded or partial run's plan becomes the session's schedule: report once it has.
                    if (view.State == PlanningRunStates.Failed
                        || await client.Session(session).GetScheduleRunId(view.Group) == runId
                        || DateTimeOffset.UtcNow - endedAt > AdoptionWait)
                        break;
                }
                view = await watcher.NextAsync(PollInterval, cancellationToken) ?? await run.GetView();
                if (DateTimeOffset.UtcNow - subscribedAt > RenewInterval)
                {
                    await run.Subscribe(reference);
                    subscribedAt = DateTimeOffset.UtcNow;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await bar.EndAsync();
            await context.Error.WriteLineAsync($"Suivi interrompu : la planification {runId} continue sur le serveur.");
            return ExitCodes.Refused;
        }
        finally
        {
            try { await run.Unsubscribe(reference); } catch (Exception) { /* the cluster may be gone: the subscription expires by itself */ }
            client.DeleteObjectReference<IPlanningObserver>(reference);
        }
        await bar.EndAsync();
        await WriteEndAsync(context, runId, view);
        return view.State == PlanningRunStates.Failed ? ExitCodes.Refused : ExitCodes.Ok;
    }

    private static async Task WriteEndAsync(CliContext context, string runId, PlanningRunView view)
    {
        var label = view.State switch
        {
            PlanningRunStates.Succeeded => "réussie",
            PlanningRunStates.Partial => "partielle",
            PlanningRunStates.Failed => "échouée",
            _ => "en cours",
        };
        var figures = view.State == PlanningRunStates.Failed ? ""
            : string.Create(French, $" : {view.Placed}/{view.Total} oraux placés")
              + (view.Objective is { } o ? string.Create(French, $", objectif {o:0.##}") : "")
              + (view.Bound is { } b ? string.Create(French, $", borne {b:0.##}") : "")
              + (view.Gap is { } g ? string.Create(French, $", écart {g * 100:0.0} %") : "");
        var writer = view.State == PlanningRunStates.Failed ? context.Error : context.Out;
        await writer.WriteLineAsync(string.Create(French, $"Planification {runId} {label} ({view.State}) en {view.ElapsedSeconds:0.0} s{figures}."));
        foreach (var reason in view.Reasons)
            await writer.WriteLineAsync($"  - {reason}");
        if (view.Unplaced.Length > 0)
        {
            await writer.WriteLineAsync($"Oraux non placés ({view.Unplaced.Length}) :");
            foreach (var u in view.Unplaced)
                await writer.WriteLineAsync($"  {u.CandidateNumber} {u.Unit} : {u.Reason}");
        }
        if (view.State is PlanningRunStates.Succeeded or PlanningRunStates.Partial)
            await writer.WriteLineAsync("Ce plan est désormais le planning de la session.");
    }

    /// <summary>The client-side observer the run pushes to.</summary>
    private sealed class Watcher : IPlanningObserver
    {
        private readonly Channel<PlanningRunView> _views = Channel.CreateUnbounded<PlanningRunView>();

        public Task RunChanged(string sessionId, PlanningRunView view)
        {
            _views.Writer.TryWrite(view);
            return Task.CompletedTask;
        }

        /// <summary>The latest pushed view, or null when none came within <paramref name="wait"/>.</summary>
        public async Task<PlanningRunView?> NextAsync(TimeSpan wait, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            try
            {
                var view = await _views.Reader.ReadAsync(timeout.Token);
                while (_views.Reader.TryRead(out var later)) view = later;
                return view;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }
}
