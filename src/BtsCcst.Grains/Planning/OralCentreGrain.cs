using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Realtime;
using BtsCcst.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace BtsCcst.Grains.Planning;

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
/// and its exam days: the events the centre manager and the commissions record, each exam's status,
/// and the closing of a day, which enters ABS/ABSJ for the absent candidates.
/// </summary>
public sealed partial class OralCentreGrain(
    [PersistentState("centre", StorageNames.Grains)] IPersistentState<OralCentreState> store,
    DeepCopier copier,
    TimeProvider clock,
    ILogger<OralCentreGrain> logger) : Grain, IOralCentreGrain
{
    private const int MaxReasonLength = 1000;
    private const int MaxLateMinutes = 480;

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

    // ---- Exam days ----

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

    private void EnsureMayRead(Actor actor, DateOnly date, ScheduleRow[] rows, bool trail)
    {
        if (actor.Role == Roles.Organiser || ManagesThisCentre(actor)) return;
        if (!trail && actor.Role == Roles.Examiner
                   && (rows.Any(r => r.ExaminerIds.Contains(actor.Name)) || LogOf(date)?.FormerExaminers.Contains(actor.Name) == true)) return;
        throw new RefusedException(RefusalKind.Forbidden, actor.Role == Roles.CentreManager
            ? $"Vous êtes responsable du centre {actor.Scope}, pas du centre {CentreId}."
            : trail
                ? $"Le journal du centre {CentreId} est réservé à son responsable et à l'organisateur."
                : $"La journée du centre {CentreId} est réservée à son responsable, à l'organisateur et aux examinateurs qui y siègent.");
    }

    public Task<CentreDay> GetExamDay(DateOnly date, Actor actor)
    {
        var (definition, rows) = DayOf(date);
        EnsureMayRead(actor, date, rows, trail: false);
        return Task.FromResult(ViewOf(definition, date, rows, actor));
    }

    private CentreDay ViewOf(CentreDefinition definition, DateOnly date, ScheduleRow[] rows, Actor actor)
    {
        var log = LogOf(date);
        // An examiner sees the exams of the commissions they sit on.
        var visible = actor.Role == Roles.Examiner ? rows.Where(r => r.ExaminerIds.Contains(actor.Name)) : rows;
        var withdrawn = (log?.Withdrawn ?? []).Where(r => actor.Role != Roles.Examiner || r.ExaminerIds.Contains(actor.Name));
        var exams = visible.Select(r => (Row: r, Withdrawn: false)).Concat(withdrawn.Select(r => (Row: r, Withdrawn: true)))
            .OrderBy(x => x.Row.Room, StringComparer.Ordinal).ThenBy(x => x.Row.ExamStart)
            .Select(x => new ExamOfDay(x.Row, StatusOf(log, x.Row), log?.Exams.GetValueOrDefault(ExamKey(x.Row))?.LateMinutes, PlanningGroups.Of(x.Row.Unit), x.Withdrawn))
            .ToArray();
        var unavailable = log?.Events.Where(e => e.Kind is DayEventKinds.ExaminerAbsent or DayEventKinds.RoomUnavailable).ToArray() ?? [];
        return new CentreDay(CentreId, definition.Name, date, log?.Closed ?? false, exams, unavailable, log?.PendingRepairId);
    }

    public Task<DayEvent[]> GetEvents(DateOnly date, Actor actor)
    {
        var (_, rows) = DayOf(date);
        EnsureMayRead(actor, date, rows, trail: true);
        return Task.FromResult(LogOf(date)?.Events.ToArray() ?? []);
    }

    public async Task<CentreDay> RecordEvent(DateOnly date, DayEventRequest request, Actor actor)
    {
        var (definition, rows) = DayOf(date);
        var kind = request.Kind;
        if (!DayEventKinds.Recordable.Contains(kind))
            throw new RefusedException(RefusalKind.Invalid, $"Événement « {kind} » inconnu : attendu l'un de {string.Join(", ", DayEventKinds.Recordable)}.");
        switch (actor.Role)
        {
            case Roles.CentreManager when actor.Scope == CentreId:
                break;
            case Roles.CentreManager:
                throw new RefusedException(RefusalKind.Forbidden, $"Vous êtes responsable du centre {actor.Scope} : vous n'enregistrez rien pour le centre {CentreId}.");
            case Roles.Examiner when DayEventKinds.ForExaminers.Contains(kind):
                break;
            case Roles.Examiner:
                throw new RefusedException(RefusalKind.Forbidden,
                    $"Un examinateur enregistre seulement la présence, le début de la préparation, le début et la fin de l'interrogation de ses candidats ; « {kind} » revient au responsable du centre {CentreId}.");
            default:
                throw new RefusedException(RefusalKind.Forbidden, $"Seuls le responsable du centre {CentreId} et les commissions enregistrent les événements de la journée.");
        }
        if (request.Reason is { Length: > MaxReasonLength })
            throw new RefusedException(RefusalKind.Invalid, $"Le motif dépasse {MaxReasonLength} caractères.");
        var log = LogOf(date);
        if (log is { Closed: true })
            throw new RefusedException(RefusalKind.Conflict, $"La journée du {French(date)} du centre {CentreId} est close : elle ne change plus.");

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        var recorded = kind switch
        {
            DayEventKinds.ExaminerAbsent => ExaminerAbsence(definition, date, rows, request, reason),
            DayEventKinds.RoomUnavailable => RoomUnavailability(definition, date, rows, request, reason),
            _ => CandidateEvent(date, rows, request, reason, actor),
        };

        await Stored.Update(s =>
        {
            var day = EnsureLog(s, date);
            foreach (var (row, status, late) in recorded.Changes)
            {
                if (!day.Exams.TryGetValue(ExamKey(row), out var progress)) day.Exams[ExamKey(row)] = progress = new ExamProgress();
                progress.Status = status;
                if (late is not null) progress.LateMinutes = late;
            }
            day.Events.Add(recorded.Event with { Sequence = day.Events.Count + 1, By = actor, At = clock.GetUtcNow() });
        });
        await NotifyChanged(date);
        return ViewOf(definition, date, rows, actor);
    }

    private sealed record Recorded(DayEvent Event, (ScheduleRow Row, string Status, int? Late)[] Changes);

    private static DayEvent NewEvent(DateOnly date, string kind, string description, string? candidate = null, string[]? units = null,
        int? minutes = null, string? examinerId = null, string? room = null, TimeOnly? from = null, TimeOnly? to = null, string? reason = null) =>
        new(0, date, kind, new Actor("", ""), default, description, candidate, units ?? [], minutes, examinerId, room, from, to, reason);

    /// <summary>From which statuses each candidate event moves an exam, and to which.</summary>
    private static (string[] From, string? To) Transition(string kind) => kind switch
    {
        DayEventKinds.CandidatePresent => ([ExamStatuses.Convoked, ExamStatuses.Absent, ExamStatuses.AbsentExcused], ExamStatuses.Present),
        DayEventKinds.CandidateAbsent => ([ExamStatuses.Convoked, ExamStatuses.AbsentExcused], ExamStatuses.Absent),
        DayEventKinds.CandidateExcused => ([ExamStatuses.Convoked, ExamStatuses.Absent], ExamStatuses.AbsentExcused),
        // Late: recorded for the repair; the status stays.
        DayEventKinds.CandidateLate => ([ExamStatuses.Convoked, ExamStatuses.Present], null),
        DayEventKinds.PreparationStarted => ([ExamStatuses.Present], ExamStatuses.InPreparation),
        DayEventKinds.ExamStarted => ([ExamStatuses.Present, ExamStatuses.InPreparation], ExamStatuses.InExam),
        DayEventKinds.ExamDone => ([ExamStatuses.InExam], ExamStatuses.Done),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private Recorded CandidateEvent(DateOnly date, ScheduleRow[] rows, DayEventRequest request, string? reason, Actor actor)
    {
        var kind = request.Kind;
        if (string.IsNullOrWhiteSpace(request.CandidateNumber))
            throw new RefusedException(RefusalKind.Invalid, $"L'événement {kind} exige « candidateNumber ».");
        var number = request.CandidateNumber.Trim();
        var exams = rows.Where(r => r.CandidateNumber == number).ToArray();
        if (exams.Length == 0)
            throw new RefusedException(RefusalKind.NotFound, $"Le candidat {number} n'a pas d'épreuve au centre {CentreId} le {French(date)}.");
        if (request.Unit is not null)
        {
            var unit = UnitCatalogue.TryParse(request.Unit, out var code) ? code.ToString() : request.Unit.Trim();
            exams = exams.Where(r => r.Unit == unit).ToArray();
            if (exams.Length == 0)
                throw new RefusedException(RefusalKind.NotFound, $"Le candidat {number} n'a pas d'épreuve {unit} au centre {CentreId} le {French(date)}.");
        }
        if (actor.Role == Roles.Examiner)
        {
            exams = exams.Where(r => r.ExaminerIds.Contains(actor.Name)).ToArray();
            if (exams.Length == 0)
                throw new RefusedException(RefusalKind.Forbidden,
                    $"L'examinateur {actor.Name} n'examine pas le candidat {number}{(request.Unit is null ? "" : $" en {request.Unit}")} : seule sa commission enregistre cet événement.");
        }
        int? minutes = null;
        TimeOnly? expectedAt = null;
        if (kind == DayEventKinds.CandidateLate)
        {
            if (request.Minutes is not (>= 1 and <= MaxLateMinutes))
                throw new RefusedException(RefusalKind.Invalid, $"Le retard se donne en minutes (« minutes ») : un entier de 1 à {MaxLateMinutes}.");
            minutes = request.Minutes;
            // Late against the convocation they had: their first preparation or exam of the day.
            var convoked = rows.Where(r => r.CandidateNumber == number).Min(r => r.PrepStart ?? r.ExamStart);
            var arrival = convoked.AddMinutes(minutes.Value, out var wrappedDays);
            expectedAt = wrappedDays == 0 ? arrival : new TimeOnly(23, 59);
        }
        if (kind == DayEventKinds.CandidateExcused && reason is null)
            throw new RefusedException(RefusalKind.Invalid, "Une absence excusée exige son motif (« reason ») : le justificatif présenté.");

        var log = LogOf(date);
        var (from, to) = Transition(kind);
        var eligible = exams.Where(r => from.Contains(StatusOf(log, r))).ToArray();
        if (kind == DayEventKinds.PreparationStarted) eligible = eligible.Where(r => r.PrepStart is not null).ToArray();
        if (eligible.Length == 0)
            throw new RefusedException(RefusalKind.Conflict, kind == DayEventKinds.PreparationStarted && exams.All(r => r.PrepStart is null)
                ? $"L'épreuve {string.Join(", ", exams.Select(r => r.Unit))} du candidat {number} n'a pas de temps de préparation."
                : $"Impossible d'enregistrer « {kind} » pour le candidat {number} : "
                  + string.Join(", ", exams.Select(r => $"{r.Unit} est « {ExamStatuses.French(StatusOf(log, r))} »")) + ".");
        // The exam itself is one at a time: with several possible, the commission names it.
        if (kind is (DayEventKinds.PreparationStarted or DayEventKinds.ExamStarted or DayEventKinds.ExamDone) && eligible.Length > 1)
            throw new RefusedException(RefusalKind.Invalid,
                $"Le candidat {number} a plusieurs épreuves possibles ({string.Join(", ", eligible.Select(r => r.Unit))}) : précisez « unit ».");

        var units = eligible.Select(r => r.Unit).ToArray();
        var list = string.Join(", ", units);
        var description = kind switch
        {
            DayEventKinds.CandidatePresent => $"Candidat {number} présent ({list}).",
            DayEventKinds.CandidateAbsent => $"Candidat {number} absent ({list}).",
            DayEventKinds.CandidateExcused => $"Candidat {number} absent excusé ({list}) : {reason}",
            DayEventKinds.CandidateLate => $"Candidat {number} en retard de {minutes} min ({list}).",
            DayEventKinds.PreparationStarted => $"Début de la préparation de {list} du candidat {number}.",
            DayEventKinds.ExamStarted => $"Début de l'interrogation {list} du candidat {number}.",
            _ => $"Fin de l'interrogation {list} du candidat {number}.",
        };
        if (reason is not null && kind != DayEventKinds.CandidateExcused) description += $" Motif : {reason}";
        return new Recorded(
            NewEvent(date, kind, description, candidate: number, units: units, minutes: minutes, reason: reason) with { ExpectedAt = expectedAt },
            eligible.Select(r => (r, to ?? StatusOf(log, r), minutes)).ToArray());
    }

    /// <summary>A time span within the centre's day: both bounds, or none (the whole day); one alone runs to the day's edge.</summary>
    private static (TimeOnly? From, TimeOnly? To, string Text) SpanOf(CentreDefinition definition, DayEventRequest request)
    {
        if (request.From is null && request.To is null) return (null, null, "toute la journée");
        var from = request.From ?? definition.DayStart;
        var to = request.To ?? definition.DayEnd;
        if (from < definition.DayStart || to > definition.DayEnd)
            throw new RefusedException(RefusalKind.Invalid,
                $"L'horaire {from:HH\\:mm}–{to:HH\\:mm} sort de la journée du centre ({definition.DayStart:HH\\:mm}–{definition.DayEnd:HH\\:mm}).");
        if (from >= to)
            throw new RefusedException(RefusalKind.Invalid, $"Le début ({from:HH\\:mm}) doit précéder la fin ({to:HH\\:mm}).");
        return (from, to, $"de {from:HH\\:mm} à {to:HH\\:mm}");
    }

    private Recorded ExaminerAbsence(CentreDefinition definition, DateOnly date, ScheduleRow[] rows, DayEventRequest request, string? reason)
    {
        if (string.IsNullOrWhiteSpace(request.ExaminerId))
            throw new RefusedException(RefusalKind.Invalid, "L'absence d'un examinateur exige « examinerId ».");
        var examiner = request.ExaminerId.Trim();
        if (!rows.Any(r => r.ExaminerIds.Contains(examiner)))
            throw new RefusedException(RefusalKind.NotFound, $"L'examinateur {examiner} ne siège pas au centre {CentreId} le {French(date)}.");
        var (from, to, text) = SpanOf(definition, request);
        var description = $"Examinateur {examiner} absent {text}." + (reason is null ? "" : $" Motif : {reason}");
        return new Recorded(NewEvent(date, DayEventKinds.ExaminerAbsent, description, examinerId: examiner, from: from, to: to, reason: reason), []);
    }

    private Recorded RoomUnavailability(CentreDefinition definition, DateOnly date, ScheduleRow[] rows, DayEventRequest request, string? reason)
    {
        if (string.IsNullOrWhiteSpace(request.Room))
            throw new RefusedException(RefusalKind.Invalid, "L'indisponibilité d'une salle exige « room ».");
        var room = request.Room.Trim();
        var rooms = rows.Select(r => r.Room).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (!rooms.Contains(room))
            throw new RefusedException(RefusalKind.NotFound, rooms.Length == 0
                ? $"Le centre {CentreId} n'a aucune salle d'interrogation occupée le {French(date)}."
                : $"La salle {room} n'est pas une salle d'interrogation du centre {CentreId} le {French(date)} (salles : {string.Join(", ", rooms)}).");
        var (from, to, text) = SpanOf(definition, request);
        var description = $"Salle {room} indisponible {text}." + (reason is null ? "" : $" Motif : {reason}");
        return new Recorded(NewEvent(date, DayEventKinds.RoomUnavailable, description, room: room, from: from, to: to, reason: reason), []);
    }

    private static DateOnly LocalToday(CentreDefinition centre, DateTimeOffset now) => LocalNow(centre, now).Date;

    /// <summary>The centre's wall-clock date and time (its own time zone: overseas centres differ from Paris).</summary>
    private static (DateOnly Date, TimeOnly Time) LocalNow(CentreDefinition centre, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(centre.TimeZone)).DateTime;
        return (DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }

    public async Task<DayClosing> CloseDay(DateOnly date, Actor actor)
    {
        var (_, planned) = DayOf(date);
        var rows = planned.Concat(LogOf(date)?.Withdrawn ?? []).ToArray();
        if (!ManagesThisCentre(actor))
            throw new RefusedException(RefusalKind.Forbidden, $"Seul le responsable du centre {CentreId} clôt sa journée.");
        if (LogOf(date) is not { Closed: true })
        {
            var now = clock.GetUtcNow();
            // Absences become ABS/ABSJ on the candidates: a day that has not begun has no absentees yet.
            if (State.Definition is { } centre && date > LocalToday(centre, now))
                throw new RefusedException(RefusalKind.Conflict,
                    $"La journée du {date:dd/MM/yyyy} n'a pas encore commencé au centre {CentreId} : elle se clôt à la fin des épreuves.");
            // Closed before any candidate is told, so that each can check the closing it is told of.
            await Stored.Update(s => MarkClosed(EnsureLog(s, date), rows, date, actor, now));
            await NotifyChanged(date);
        }
        var log = LogOf(date)!;

        var pending = rows
            .Where(r => !log.Entered.ContainsKey(ExamKey(r)))
            .Select(r => (Row: r, Result: AbsenceResult(StatusOf(log, r))))
            .Where(p => p.Result is not null)
            .ToArray();
        var reason = $"Absent à l'épreuve du {French(date)}";
        var outcomes = await Task.WhenAll(pending.Select(async p =>
        {
            try
            {
                await GrainFactory.Candidate(SessionId, p.Row.CandidateNumber).EnterResults([new ResultEntry(p.Row.Unit, p.Result!, reason)], actor);
                return (p.Row, p.Result, Problem: (string?)null);
            }
            catch (RefusedException refused)
            {
                return (p.Row, p.Result, Problem: refused.Message);
            }
        }));
        if (outcomes.Any(o => o.Problem is null))
        {
            await Stored.Update(s =>
            {
                foreach (var (row, result, _) in outcomes.Where(o => o.Problem is null)) EnsureLog(s, date).Entered[ExamKey(row)] = result!;
            });
            log = LogOf(date)!;
        }

        var entered = rows.Where(r => log.Entered.ContainsKey(ExamKey(r)))
            .Select(r => new ClosedExam(r.CandidateNumber, r.Unit, StatusOf(log, r), log.Entered[ExamKey(r)], null)).ToArray();
        var refusedExams = outcomes.Where(o => o.Problem is not null)
            .Select(o => new ClosedExam(o.Row.CandidateNumber, o.Row.Unit, StatusOf(log, o.Row), o.Result, o.Problem)).ToArray();
        return new DayClosing(date, log.ClosedBy!, log.ClosedAt!.Value, entered, [.. log.NotRecorded], refusedExams);
    }

    private void MarkClosed(ExamDayLog log, ScheduleRow[] rows, DateOnly date, Actor actor, DateTimeOffset now)
    {
        log.Closed = true;
        log.ClosedBy = actor;
        log.ClosedAt = now;
        log.NotRecorded = [.. rows.Where(r => StatusOf(log, r) == ExamStatuses.Convoked)
            .Select(r => new ClosedExam(r.CandidateNumber, r.Unit, ExamStatuses.Convoked, null, "non renseigné"))];
        var absent = rows.Count(r => StatusOf(log, r) == ExamStatuses.Absent);
        var excused = rows.Count(r => StatusOf(log, r) == ExamStatuses.AbsentExcused);
        log.Events.Add(new DayEvent(log.Events.Count + 1, date, DayEventKinds.DayClosed, actor, now,
            $"Journée close : {absent} ABS, {excused} ABSJ, {log.NotRecorded.Count} épreuve(s) non renseignée(s).",
            null, [], null, null, null, null, null, null));
    }

    public Task<string?> AbsenceResultOfClosedDay(DateOnly date, string candidateNumber, string unit)
    {
        var log = LogOf(date);
        if (log is not { Closed: true }) return Task.FromResult<string?>(null);
        var row = State.Plan.Concat(log.Withdrawn).FirstOrDefault(r => r.Date == date && r.CandidateNumber == candidateNumber && r.Unit == unit);
        return Task.FromResult(row is null ? null : AbsenceResult(StatusOf(log, row)));
    }

    /// <summary>The result a closed day enters for an exam in <paramref name="status"/>: ABS, ABSJ, or none.</summary>
    private static string? AbsenceResult(string status) => status switch
    {
        ExamStatuses.Absent => UnitResult.Absent.ToString(),
        ExamStatuses.AbsentExcused => UnitResult.AbsentExcused.ToString(),
        _ => null,
    };
}
