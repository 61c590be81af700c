using System.Diagnostics;
using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Planning;
using BtsCcst.Grains.Storage;
using BtsCcst.Scheduling;
using BtsCcst.Scheduling.Repair;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace BtsCcst.Grains.ExamDays;

[GenerateSerializer]
public sealed class DayRepairState
{
    [Id(0)] public RepairProposal? Proposal { get; set; }
}

/// <summary>
/// One repair of a centre's exam day. It gathers the session's planning inputs and current schedule, repairs the day
/// in the solver process (<see cref="DayRepairer"/>, hinted with the current plan, minimising the other candidates moved,
/// then the examiners whose day changes, then the delay), checks the whole repaired schedule with the independent
/// validators, and keeps the proposal as a diff until the centre's manager accepts it (the centre applies it) or rejects it.
/// </summary>
public sealed class DayRepairGrain(
    [PersistentState("day-repair", StorageNames.Grains)] IPersistentState<DayRepairState> store,
    DeepCopier copier,
    OutOfProcessPlanner solver,
    TimeProvider clock,
    ILogger<DayRepairGrain> logger) : Grain, IDayRepairGrain
{
    private const int Workers = 2;

    private DurableState<DayRepairState>? _stored;

    /// <summary>Write, then change (<see cref="DurableState{T}"/>): every change goes through here.</summary>
    private DurableState<DayRepairState> Stored => _stored ??= new(store, this, copier);

    private string SessionId => GrainKeys.Split(this.GetPrimaryKeyString()).SessionId;

    private string RepairId => GrainKeys.Split(this.GetPrimaryKeyString()).Id;

    private RepairProposal Proposal => Stored.State.Proposal
        ?? throw new RefusedException(RefusalKind.NotFound, $"Réparation {RepairId} inconnue.");

    private static bool Manages(Actor actor, string centreId) => actor.Role == Roles.CentreManager && actor.Scope == centreId;

    public async Task<RepairProposal> Propose(RepairBasis basis, double timeLimitSeconds, Actor actor)
    {
        if (Stored.State.Proposal is not null) throw new RefusedException(RefusalKind.Conflict, $"La réparation {RepairId} est déjà calculée.");
        if (!Manages(actor, basis.CentreId))
            throw new RefusedException(RefusalKind.Forbidden, $"Seul le responsable du centre {basis.CentreId} fait réparer sa journée.");
        var watch = Stopwatch.StartNew();
        var (instance, current, unplacedBefore) = await GatherAsync(basis.Group);
        var request = new RepairRequest(basis.CentreId, basis.Date, basis.Now, [.. basis.Events.Select(ToRepairEvent)], Underway: basis.Underway.ToHashSet());
        var proposal = new RepairProposal
        {
            RepairId = RepairId, CentreId = basis.CentreId, Date = basis.Date, State = RepairStates.Failed, RequestedBy = actor,
            RequestedAt = clock.GetUtcNow(), Basis = basis, Changes = [], CandidatesMoved = 0, ExaminersChanged = 0, TotalDelayMinutes = 0,
            Unplaced = [], Violations = [], Optimal = false, Seconds = 0, CandidatesConcerned = [], ExaminersConcerned = [],
        };
        try
        {
            // Only the part of the session the repair reads goes to the solver process; the rest is merged back as it was.
            var scope = RepairScope.Of(instance, current, request, unplacedBefore);
            var result = scope.Merge(current, unplacedBefore, await solver.RepairAsync(
                new RepairJob(scope.Instance, scope.Current, request, timeLimitSeconds, Workers, Seed: 1, scope.UnplacedBefore), CancellationToken.None));
            proposal = result.Solved
                ? Propose(proposal, instance, request, current, result)
                : proposal with
                {
                    Failure = $"aucun planning réparé de la journée trouvé en {timeLimitSeconds.ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"))} s ; "
                              + "le planning reste inchangé. Demandez une nouvelle réparation avec un temps de calcul plus long.",
                };
        }
        catch (PlannerProcessException e)
        {
            logger.LogWarning("Repair {RepairId} of {Centre} on {Date} failed: {Error}", RepairId, basis.CentreId, basis.Date, e.Message);
            proposal = proposal with { Failure = e.Message };
        }
        var timed = proposal with { Seconds = Math.Round(watch.Elapsed.TotalSeconds, 2) };
        await Stored.Update(s => s.Proposal = timed);
        await GrainFactory.OralCentre(SessionId, basis.CentreId).RepairProposed(timed);
        return timed;
    }

    /// <summary>The planner's view of the group's orals, the current schedule (repairs accepted so far included) and what was unplaced.</summary>
    private async Task<(PlanningInstance Instance, List<ScheduledExam> Current, List<UnplacedOral> Unplaced)> GatherAsync(int group)
    {
        var session = GrainFactory.Session(SessionId);
        var runId = await session.GetScheduleRunId(group)
                    ?? throw new RefusedException(RefusalKind.Conflict, "Aucun planning adopté : il n'y a rien à réparer.");
        var run = await GrainFactory.PlanningRun(SessionId, runId).GetView();
        var inputs = await PlanningInputs.GatherAsync(GrainFactory, SessionId, group == PlanningGroups.Second ? run.SecondGroup : null);
        var current = (await CurrentSchedule.OfSessionAsync(GrainFactory, SessionId, group)).Select(PlanningMapping.ToExam).ToList();
        var unplaced = run.Unplaced.Concat(inputs.Unplaceable)
            .Select(u => new UnplacedOral(u.CandidateNumber, Enum.Parse<UnitCode>(u.Unit), u.Reason));
        return (inputs.Instance, current, RepairScope.WithEveryOralAccounted(inputs.Instance, current, unplaced));
    }

    private static RepairEvent ToRepairEvent(RepairEventData e) => e.Kind switch
    {
        DayEventKinds.CandidateLate => new CandidateLate(e.CandidateNumber!, e.ArrivesAt ?? TimeOnly.MinValue),
        DayEventKinds.CandidateExcused => new CandidateAbsentExcused(e.CandidateNumber!),
        DayEventKinds.ExaminerAbsent => new ExaminerAbsent(e.ExaminerId!, e.From, e.To),
        DayEventKinds.RoomUnavailable => new RoomUnavailable(e.From!.Value, e.To!.Value, Room: e.Room),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.Kind, "not an event a repair absorbs"),
    };

    /// <summary>The proposal: every exam whose row differs (time, commission, room, date, or taken out), the figures, the checks.</summary>
    private static RepairProposal Propose(RepairProposal proposal, PlanningInstance instance, RepairRequest request,
        List<ScheduledExam> current, RepairResult result)
    {
        var before = current.ToDictionary(e => (e.CandidateNumber, e.Unit));
        var after = result.Exams.ToDictionary(e => (e.CandidateNumber, e.Unit));
        var changes = before.Keys.Union(after.Keys)
            .Select(k => (Old: before.GetValueOrDefault(k), New: after.GetValueOrDefault(k)))
            .Where(c => c.Old is null || c.New is null || !SameRow(c.Old, c.New))
            .OrderBy(c => (c.Old ?? c.New)!.CandidateNumber, StringComparer.Ordinal).ThenBy(c => (c.Old ?? c.New)!.Unit)
            .Select(c => new RepairChange(c.Old is null ? null : PlanningMapping.ToRow(c.Old), c.New is null ? null : PlanningMapping.ToRow(c.New)))
            .ToArray();
        var violations = ScheduleValidator.Validate(instance, result.Exams, result.Unplaced).Concat(RepairValidator.Validate(request, current, result.Exams))
            .Select(v => $"{v.Rule} : {v.Message}").ToArray();
        var leftOut = result.Unplaced.Where(u => before.ContainsKey((u.CandidateNumber, u.Unit))).ToArray();
        return proposal with
        {
            State = violations.Length == 0 ? RepairStates.Proposed : RepairStates.Failed,
            Failure = violations.Length == 0 ? null : $"le planning réparé enfreint {violations.Length} règle(s) ; il n'est pas proposé.",
            Changes = changes,
            CandidatesMoved = result.CandidatesMoved,
            ExaminersChanged = result.ExaminersChanged,
            TotalDelayMinutes = result.TotalDelayMinutes,
            Unplaced = [.. leftOut.Select(u => new UnplacedRow(u.CandidateNumber, u.Unit.ToString(), u.Reason))],
            Violations = violations,
            Optimal = result.Optimal,
            CandidatesConcerned = [.. changes.Select(c => (c.Old ?? c.New)!.CandidateNumber).Distinct().Order(StringComparer.Ordinal)],
            ExaminersConcerned = [.. changes.SelectMany(c => (c.Old?.ExaminerIds ?? []).Concat(c.New?.ExaminerIds ?? [])).Distinct().Order(StringComparer.Ordinal)],
        };
    }

    private static bool SameRow(ScheduledExam a, ScheduledExam b) =>
        (a.CentreId, a.Date, a.Room, a.CommissionId, a.PrepStart, a.ExamStart, a.ExamEnd) == (b.CentreId, b.Date, b.Room, b.CommissionId, b.PrepStart, b.ExamStart, b.ExamEnd)
        && a.ExaminerIds.SequenceEqual(b.ExaminerIds);

    public Task<RepairProposal> Get(Actor actor)
    {
        var proposal = Proposal;
        if (actor.Role != Roles.Organiser && !Manages(actor, proposal.CentreId))
            throw new RefusedException(RefusalKind.Forbidden, $"Les réparations du centre {proposal.CentreId} sont réservées à son responsable et à l'organisateur.");
        return Task.FromResult(proposal);
    }

    public async Task<RepairProposal> Accept(Actor actor)
    {
        var proposal = Decidable(actor, RepairStates.Accepted);
        if (proposal.State == RepairStates.Accepted) return proposal;
        await GrainFactory.OralCentre(SessionId, proposal.CentreId).ApplyRepair(proposal, actor);
        return await DecideAsync(RepairStates.Accepted, actor);
    }

    public async Task<RepairProposal> Reject(Actor actor)
    {
        var proposal = Decidable(actor, RepairStates.Rejected);
        if (proposal.State == RepairStates.Rejected) return proposal;
        await GrainFactory.OralCentre(SessionId, proposal.CentreId).RepairRejected(proposal, actor);
        return await DecideAsync(RepairStates.Rejected, actor);
    }

    /// <summary>The proposal, if this manager may take <paramref name="decision"/> on it (taken already: idempotent).</summary>
    private RepairProposal Decidable(Actor actor, string decision)
    {
        var proposal = Proposal;
        if (!Manages(actor, proposal.CentreId))
            throw new RefusedException(RefusalKind.Forbidden, $"Seul le responsable du centre {proposal.CentreId} accepte ou refuse une réparation de sa journée.");
        if (proposal.State == decision || proposal.State == RepairStates.Proposed) return proposal;
        throw new RefusedException(RefusalKind.Conflict, proposal.State switch
        {
            RepairStates.Failed => $"La réparation {RepairId} a échoué ({proposal.Failure}) : il n'y a rien à accepter.",
            RepairStates.Accepted => $"La réparation {RepairId} est déjà acceptée.",
            _ => $"La réparation {RepairId} est déjà refusée.",
        });
    }

    private async Task<RepairProposal> DecideAsync(string state, Actor actor)
    {
        var decided = Proposal with { State = state, DecidedBy = actor, DecidedAt = clock.GetUtcNow() };
        await Stored.Update(s => s.Proposal = decided);
        return decided;
    }
}
