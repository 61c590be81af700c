using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Realtime;
using BtsCcst.Grains.Storage;
using BtsCcst.Scheduling;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace BtsCcst.Grains.Planning;

[GenerateSerializer]
public sealed class PlanningRunState
{
    [Id(0)] public PlanningRunView? View { get; set; }
    [Id(1)] public List<ScheduleRow> Schedule { get; set; } = [];
    [Id(2)] public Actor? StartedBy { get; set; }
}

/// <summary>
/// One planning run. It gathers the session's candidates, examiners and centres, plans them in a
/// child process (<see cref="OutOfProcessPlanner"/>: a native crash of the solver ends that process
/// only), records the progress, and hands the plan to the session.
/// </summary>
public sealed class PlanningRunGrain(
    [PersistentState("planning-run", StorageNames.Grains)] IPersistentState<PlanningRunState> store,
    DeepCopier copier,
    OutOfProcessPlanner planner,
    TimeProvider clock,
    ILogger<PlanningRunGrain> logger,
    IMeterFactory meters) : Grain, IPlanningRunGrain
{
    private readonly PlanningRunMetrics _metrics = PlanningRunMetrics.For(meters);

    private const int Workers = 2;

    /// <summary>Progress is pushed to observers at most this often; the last report of a burst is never lost.</summary>
    private static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(250);

    private readonly ObserverRegistry<IPlanningObserver> _observers = new(logger);
    private PushThrottle? _pushes;

    private PushThrottle Pushes => _pushes ??= new(this, clock, PushInterval, PushView);

    /// <summary>Waits between attempts to make a finished plan the session's schedule (a storage failure may pass).</summary>
    private static readonly TimeSpan[] AdoptionRetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10)];

    private DurableState<PlanningRunState>? _stored;

    /// <summary>Write, then change (<see cref="DurableState{T}"/>): every change goes through here.</summary>
    private DurableState<PlanningRunState> Stored => _stored ??= new(store, this, copier);

    /// <summary>The running run's latest progress: shown and pushed, never stored (a restart fails the run anyway).</summary>
    private PlanningRunView? _progress;

    private PlanningRunView View => _progress ?? Stored.State.View
        ?? throw new RefusedException(RefusalKind.NotFound, $"Planification {RunId} inconnue.");

    private string SessionId => GrainKeys.Split(this.GetPrimaryKeyString()).SessionId;

    private string RunId => GrainKeys.Split(this.GetPrimaryKeyString()).Id;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A run that was going when the server stopped has lost its solver process.
        if (Stored.State.View is { State: PlanningRunStates.Running } view)
        {
            await Stored.Update(s => s.View = view with
            {
                State = PlanningRunStates.Failed,
                Reasons = [.. view.Reasons, "Le serveur s'est arrêté pendant la planification : relancez-la."],
                EndedAt = clock.GetUtcNow(),
            });
        }
    }

    public async Task<PlanningRunView> Start(double timeLimitSeconds, PlanningWeights? weights, Actor actor, SecondGroupScope? secondGroup, ReplanChoice? replan = null)
    {
        if (Stored.State.View is not null) throw new RefusedException(RefusalKind.Conflict, $"La planification {RunId} a déjà été lancée.");
        var timeLimit = TimeSpan.FromSeconds(Math.Clamp(timeLimitSeconds, PlanningTimeLimits.MinSeconds, PlanningTimeLimits.MaxSeconds));
        var started = new PlanningRunView
        {
            RunId = RunId, State = PlanningRunStates.Running, Phase = "préparation", ElapsedSeconds = 0, Placed = 0, Total = 0,
            Reasons = [], Unplaced = [], StartedAt = clock.GetUtcNow(),
            Group = secondGroup is null ? PlanningGroups.First : PlanningGroups.Second,
            SecondGroup = secondGroup,
            StartedBy = actor,
            Replan = replan,
        };
        await Stored.Update(s =>
        {
            s.View = started;
            s.StartedBy = actor;
        });
        _metrics.Started(started);
        this.DelayDeactivation(timeLimit + TimeSpan.FromMinutes(10));

        var self = this.AsReference<IPlanningRunGrain>();
        var grains = GrainFactory;
        // The solve runs off the grain's scheduler; it reports back through grain calls.
        _ = Task.Run(() => SolveAsync(grains, self, SessionId, timeLimit, weights, secondGroup, replan));
        return started;
    }

    private async Task SolveAsync(IGrainFactory grains, IPlanningRunGrain self, string sessionId, TimeSpan timeLimit, PlanningWeights? weights,
        SecondGroupScope? secondGroup, ReplanChoice? replan)
    {
        try
        {
            var (instance, unplaceable) = await PlanningInputs.GatherAsync(grains, sessionId, secondGroup);
            var basis = replan is null ? null : await grains.Session(sessionId).GetReplanBasis(secondGroup is null ? PlanningGroups.First : PlanningGroups.Second, replan);
            var progress = new Progress<PlanningProgress>(p =>
                _ = self.ReportProgress(p.Phase, p.Elapsed.TotalSeconds, p.Placed, p.Total, Finite(p.Objective), Finite(p.Bound)));
            var options = new PlannerOptions(timeLimit, Workers, PlanningMapping.ToWeights(weights));
            var result = basis is null
                ? await planner.PlanAsync(instance, options, progress, CancellationToken.None)
                : await ReplanAsync(instance, basis, options, progress);
            // The validator checks every plan before anyone sees it: a plan that breaks a rule becomes neither the draft
            // nor a proposal, so it can never be published.
            var violations = ScheduleValidator.Validate(instance, result.Exams, result.Unplaced);
            if (violations.Count > 0)
            {
                await self.Complete([], [], [], 0, 0, null, Refused(violations));
                return;
            }
            await self.Complete(
                result.Exams.Select(PlanningMapping.ToRow).ToArray(),
                [.. result.Unplaced.Select(u => new UnplacedRow(u.CandidateNumber, u.Unit.ToString(), u.Reason)), .. unplaceable],
                [.. result.Reasons],
                result.Objective, result.Bound, result.SessionBound, failure: null);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Planning run {Session}/{Run} failed", sessionId, RunId);
            await self.Complete([], [], [], 0, 0, null, e is PlannerProcessException or RefusedException ? e.Message : $"Erreur inattendue : {e.Message}");
        }
    }

    /// <summary>
    /// A re-plan (<see cref="Replanning"/>): the kept and unchanged centre-days as they are, the rest planned in the child
    /// process; the whole plan then goes through the validator, as every plan does.
    /// </summary>
    private async Task<PlanResult> ReplanAsync(PlanningInstance instance, ReplanBasisData basis, PlannerOptions options, IProgress<PlanningProgress> progress)
    {
        var split = Replanning.Split(instance, new ReplanBasis(
            [.. basis.Schedule.Select(PlanningMapping.ToExam)],
            basis.Kept.Select(k => new CentreDate(k.CentreId, k.Date)).ToHashSet(), basis.Whole));
        var residual = split.Residual.Candidates.Count == 0
            ? new PlanResult([], [], [], 0, 0, true)
            : await planner.PlanAsync(split.Residual, options, progress, CancellationToken.None);
        return Replanning.Merge(instance, split, residual);
    }

    /// <summary>Why a plan the validator faults is refused, with its first findings.</summary>
    private static string Refused(IReadOnlyList<Violation> violations) =>
        $"Le plan calculé enfreint {violations.Count} règle(s) au contrôle : il n'est ni adopté ni publiable. "
        + string.Join(" ; ", violations.Take(5).Select(v => v.Message))
        + (violations.Count > 5 ? " ; …" : "") + " Relancez la planification ; si cela se reproduit, signalez ces messages.";

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    public Task<PlanningRunView> GetView() => Task.FromResult(View);

    public Task<ScheduleRow[]> GetSchedule() => Task.FromResult(Stored.State.Schedule.ToArray());

    public async Task ReportProgress(string phase, double elapsedSeconds, int placed, int total, double? objective, double? bound)
    {
        if (View.State != PlanningRunStates.Running) return;
        // Reports are sent without waiting, so one may overtake another: keep the latest.
        if (elapsedSeconds < View.ElapsedSeconds) return;
        _progress = View with { Phase = phase, ElapsedSeconds = elapsedSeconds, Placed = placed, Total = total, Objective = objective, Bound = bound };
        Pushes.Schedule();
        await Task.CompletedTask;
    }

    public async Task Complete(ScheduleRow[] schedule, UnplacedRow[] unplaced, string[] reasons, double objective, double bound, double? sessionBound, string? failure)
    {
        var view = View;
        var state = failure is not null ? PlanningRunStates.Failed
            : unplaced.Length == 0 ? PlanningRunStates.Succeeded : PlanningRunStates.Partial;
        var ended = view with
        {
            State = state,
            Phase = "terminée",
            ElapsedSeconds = (clock.GetUtcNow() - view.StartedAt).TotalSeconds,
            Placed = schedule.Length,
            Total = schedule.Length + unplaced.Length,
            Objective = failure is null ? Finite(objective) : null,
            Bound = failure is null ? Finite(bound) : null,
            SessionBound = failure is null ? Finite(sessionBound) : null,
            Reasons = failure is not null ? [failure] : reasons,
            Unplaced = unplaced,
            EndedAt = clock.GetUtcNow(),
        };
        Pushes.Cancel();
        try
        {
            await Stored.Update(s =>
            {
                s.Schedule = [.. schedule];
                s.View = ended;
            });
            _progress = null;
            _metrics.Ended(ended);
            // api.md: a succeeded or partial run's plan becomes the session's schedule.
            if (state != PlanningRunStates.Failed) await AdoptAsync();
        }
        finally
        {
            // Pushed once the plan is the session's schedule, so a watcher that reads it then sees this plan.
            await Pushes.PushNow();
        }
    }

    /// <summary>
    /// Makes the stored plan the session's schedule, trying again after a failure (adoption is idempotent); a plan that
    /// could not be adopted says so in its reasons.
    /// </summary>
    private async Task AdoptAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await GrainFactory.Session(SessionId).OfferPlan(RunId);
                return;
            }
            catch (Exception e) when (e is not RefusedException && attempt < AdoptionRetryDelays.Length)
            {
                logger.LogWarning("Adoption of planning run {Session}/{Run} failed, retrying: {Error}", SessionId, RunId, e.Message);
                await Task.Delay(AdoptionRetryDelays[attempt]);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Planning run {Session}/{Run} could not become the session's schedule", SessionId, RunId);
                var view = View;
                await Stored.Update(s => s.View = view with
                {
                    Reasons = [.. view.Reasons, "Le plan calculé n'a pas pu devenir le planning de la session (panne de stockage) : relancez la planification."],
                });
                return;
            }
        }
    }

    public Task<bool> Subscribe(IPlanningObserver observer) => Task.FromResult(_observers.Subscribe(observer));

    public Task Unsubscribe(IPlanningObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>Sends the run's latest view to every subscribed silo (<see cref="Pushes"/> paces it).</summary>
    private Task PushView()
    {
        if ((_progress ?? Stored.State.View) is not { } view || _observers.Count == 0) return Task.CompletedTask;
        var sessionId = SessionId;
        return _observers.Notify(o => o.RunChanged(sessionId, view));
    }
}

/// <summary>
/// The planning runs' instruments, on the "BtsCcst" meter (README, Operations): runs started, runs
/// ended by state, and how long they took. One set per meter factory, that is per host.
/// </summary>
public sealed class PlanningRunMetrics
{
    public const string MeterName = "BtsCcst";
    public const string StartedName = "btsccst.planning.runs.started";
    public const string EndedName = "btsccst.planning.runs.ended";
    public const string DurationName = "btsccst.planning.run.duration";

    private static readonly ConditionalWeakTable<IMeterFactory, PlanningRunMetrics> PerFactory = [];

    private readonly Counter<long> _started;
    private readonly Counter<long> _ended;
    private readonly Histogram<double> _duration;

    private PlanningRunMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _started = meter.CreateCounter<long>(StartedName, "{run}", "Planning runs started.");
        _ended = meter.CreateCounter<long>(EndedName, "{run}", "Planning runs ended, by state (succeeded, partial, failed).");
        _duration = meter.CreateHistogram<double>(DurationName, "s", "Duration of the planning runs, from start to end.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600] });
    }

    public static PlanningRunMetrics For(IMeterFactory meters) => PerFactory.GetValue(meters, m => new PlanningRunMetrics(m));

    internal void Started(PlanningRunView view) => _started.Add(1, new KeyValuePair<string, object?>("group", view.Group));

    internal void Ended(PlanningRunView view)
    {
        KeyValuePair<string, object?>[] tags = [new("group", view.Group), new("state", view.State)];
        _ended.Add(1, tags);
        _duration.Record(view.ElapsedSeconds, tags);
    }
}
