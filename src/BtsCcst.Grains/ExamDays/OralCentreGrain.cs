using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Realtime;
using BtsCcst.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace BtsCcst.Grains.ExamDays;

[GenerateSerializer]
public sealed class OralCentreState
{
    [Id(0)] public CentreDefinition? Definition { get; set; }
    [Id(1)] public List<ScheduleRow> Plan { get; set; } = [];
    /// <summary>The exam days that have events, by date (yyyy-MM-dd).</summary>
    [Id(2)] public Dictionary<string, ExamDayLog> Days { get; set; } = [];
    /// <summary>Changes with every change of the plan (adoption, accepted repair): a repair applies to the plan it was computed on.</summary>
    [Id(3)] public long PlanVersion { get; set; }
}

/// <summary>One exam day of a centre: its audit trail, each exam's progress, its closing.</summary>
[GenerateSerializer]
public sealed class ExamDayLog
{
    [Id(0)] public List<DayEvent> Events { get; set; } = [];
    /// <summary>Each exam's progress, by "{candidate}/{unit}"; an exam not listed is CONVOKED.</summary>
    [Id(1)] public Dictionary<string, ExamProgress> Exams { get; set; } = [];
    [Id(2)] public bool Closed { get; set; }
    [Id(3)] public Actor? ClosedBy { get; set; }
    [Id(4)] public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>The exams left CONVOKED at closing ("non renseignés").</summary>
    [Id(5)] public List<ClosedExam> NotRecorded { get; set; } = [];
    /// <summary>ABS/ABSJ the candidates accepted, by "{candidate}/{unit}".</summary>
    [Id(6)] public Dictionary<string, string> Entered { get; set; } = [];
    /// <summary>Exams an accepted repair took out of the plan without placing them again: still the day's for its closing.</summary>
    [Id(7)] public List<ScheduleRow> Withdrawn { get; set; } = [];
    /// <summary>Each repair of the day and its state (RepairStates).</summary>
    [Id(8)] public Dictionary<string, string> Repairs { get; set; } = [];
    /// <summary>The latest proposal awaiting the manager's decision.</summary>
    [Id(9)] public string? PendingRepairId { get; set; }
    /// <summary>Examiners an accepted repair took off the day: they still see it (empty of them), so their screen learns it.</summary>
    [Id(10)] public List<string> FormerExaminers { get; set; } = [];
}

[GenerateSerializer]
public sealed class ExamProgress
{
    [Id(0)] public string Status { get; set; } = ExamStatuses.Convoked;
    [Id(1)] public int? LateMinutes { get; set; }
}

/// <summary>
/// An oral centre: rooms, preparation seats, days and hours, its day schedules in the current plan,
/// and its exam days: the events the centre manager and the commissions record, each exam's status
/// (<c>OralCentreGrain.Events.cs</c>), the closing of a day, which enters ABS/ABSJ for the absent
/// candidates (<c>OralCentreGrain.Closing.cs</c>), and the repairs of a day (<c>OralCentreGrain.Repairs.cs</c>).
/// </summary>
public sealed partial class OralCentreGrain(
    [PersistentState("centre", StorageNames.Grains)] IPersistentState<OralCentreState> store,
    DeepCopier copier,
    TimeProvider clock,
    ILogger<OralCentreGrain> logger) : Grain, IOralCentreGrain
{
    private DurableState<OralCentreState>? _stored;

    /// <summary>Write, then change (<see cref="DurableState{T}"/>): every change goes through here.</summary>
    private DurableState<OralCentreState> Stored => _stored ??= new(store, this, copier);

    private OralCentreState State => Stored.State;

    private readonly ObserverRegistry<IExamDayObserver> _observers = new(logger);
    private long _version;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Above any version of an earlier activation, so a relay can tell a newer change.
        _version = clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        return Task.CompletedTask;
    }

    public Task<bool> Subscribe(IExamDayObserver observer) => Task.FromResult(_observers.Subscribe(observer));

    public Task Unsubscribe(IExamDayObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>Tells every subscribed silo that a day (or, without a date, every day) changed; one-way, after the write.</summary>
    private Task NotifyChanged(DateOnly? date)
    {
        var change = new ExamDayChange(SessionId, CentreId, date, ++_version);
        return _observers.Notify(o => o.DayChanged(change));
    }

    private string SessionId => GrainKeys.Split(this.GetPrimaryKeyString()).SessionId;

    private string CentreId => GrainKeys.Split(this.GetPrimaryKeyString()).Id;

    public async Task Define(CentreDefinition definition)
    {
        await Stored.Update(s => s.Definition = definition);
        await NotifyChanged(null);
    }

    public async Task SetPlan(ScheduleRow[] rows, int group)
    {
        await Stored.Update(s =>
        {
            s.Plan = [.. s.Plan.Where(r => PlanningGroups.Of(r.Unit) != group).Concat(rows)
                .OrderBy(r => r.Date).ThenBy(r => r.Room, StringComparer.Ordinal).ThenBy(r => r.ExamStart)];
            s.PlanVersion++;
        });
        await NotifyChanged(null);
    }

    public Task<DateOnly[]> GetBegunDays(int group) => Task.FromResult(State.Plan
        .Where(r => PlanningGroups.Of(r.Unit) == group).Select(r => r.Date).Distinct()
        .Where(d => LogOf(d) is { } log && (log.Closed || log.Events.Count > 0 || log.Exams.Count > 0 || log.Repairs.Count > 0))
        .Order().ToArray());

    public Task<ScheduleRow[]> GetPlan(int group) => Task.FromResult(State.Plan.Where(r => PlanningGroups.Of(r.Unit) == group).ToArray());

    public Task<CentreDefinition?> GetDefinition() => Task.FromResult(State.Definition);

    // ---- The day's log, shared by the events, the closing and the repairs ----

    private static string DayKey(DateOnly date) => date.ToString("yyyy-MM-dd");

    private static string ExamKey(ScheduleRow row) => $"{row.CandidateNumber}/{row.Unit}";

    private static string French(DateOnly date) => date.ToString("dd/MM/yyyy");

    private ExamDayLog? LogOf(DateOnly date) => State.Days.GetValueOrDefault(DayKey(date));

    /// <summary>The day's log in <paramref name="draft"/>, added if the day has none yet.</summary>
    private static ExamDayLog EnsureLog(OralCentreState draft, DateOnly date)
    {
        if (!draft.Days.TryGetValue(DayKey(date), out var log)) draft.Days[DayKey(date)] = log = new ExamDayLog();
        return log;
    }

    private string StatusOf(ExamDayLog? log, ScheduleRow row) => log?.Exams.GetValueOrDefault(ExamKey(row))?.Status ?? ExamStatuses.Convoked;

    /// <summary>The centre's definition and the plan's exams on that date; refuses a date the centre does not hold.</summary>
    private (CentreDefinition Definition, ScheduleRow[] Rows) DayOf(DateOnly date)
    {
        var definition = State.Definition
            ?? throw new RefusedException(RefusalKind.NotFound, $"Le centre {CentreId} n'existe pas dans la session {SessionId} (centres.csv).");
        var rows = State.Plan.Where(r => r.Date == date).ToArray();
        if (rows.Length == 0 && !definition.Dates.Contains(date))
            throw new RefusedException(RefusalKind.NotFound, $"Le centre {CentreId} n'accueille pas d'épreuves le {French(date)}.");
        return (definition, rows);
    }

    private bool ManagesThisCentre(Actor actor) => actor.Role == Roles.CentreManager && actor.Scope == CentreId;

    private static DateOnly LocalToday(CentreDefinition centre, DateTimeOffset now) => LocalNow(centre, now).Date;

    /// <summary>The centre's wall-clock date and time (its own time zone: overseas centres differ from Paris).</summary>
    private static (DateOnly Date, TimeOnly Time) LocalNow(CentreDefinition centre, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(centre.TimeZone)).DateTime;
        return (DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }
}
