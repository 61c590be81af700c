using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.ExamDays;

/// <summary>
/// The exam day as it happens: who may read it, and the events the centre manager and the commissions record
/// (presence, absence, lateness, preparation, exam; an examiner's absence, a room unavailable), each moving the
/// statuses of the exams it concerns.
/// </summary>
public sealed partial class OralCentreGrain
{
    private const int MaxReasonLength = 1000;
    private const int MaxLateMinutes = 480;

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
        var (number, exams) = ExamsConcerned(date, rows, request, actor);
        var (minutes, expectedAt) = kind == DayEventKinds.CandidateLate ? Lateness(rows, number, request) : (null, null);
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
        var description = CandidateEventDescription(kind, number, units, minutes, reason);
        return new Recorded(
            NewEvent(date, kind, description, candidate: number, units: units, minutes: minutes, reason: reason) with { ExpectedAt = expectedAt },
            eligible.Select(r => (r, to ?? StatusOf(log, r), minutes)).ToArray());
    }

    /// <summary>The candidate a candidate event names and their exams of the day it may concern: of the unit named, if any, and of the examiner's commission when an examiner records it.</summary>
    private (string Number, ScheduleRow[] Exams) ExamsConcerned(DateOnly date, ScheduleRow[] rows, DayEventRequest request, Actor actor)
    {
        if (string.IsNullOrWhiteSpace(request.CandidateNumber))
            throw new RefusedException(RefusalKind.Invalid, $"L'événement {request.Kind} exige « candidateNumber ».");
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
        return (number, exams);
    }

    /// <summary>A late candidate's minutes, and when they are now expected: late against the convocation they had, their first preparation or exam of the day.</summary>
    private static (int? Minutes, TimeOnly? ExpectedAt) Lateness(ScheduleRow[] rows, string number, DayEventRequest request)
    {
        if (request.Minutes is not (>= 1 and <= MaxLateMinutes))
            throw new RefusedException(RefusalKind.Invalid, $"Le retard se donne en minutes (« minutes ») : un entier de 1 à {MaxLateMinutes}.");
        var minutes = request.Minutes.Value;
        var convoked = rows.Where(r => r.CandidateNumber == number).Min(r => r.PrepStart ?? r.ExamStart);
        var arrival = convoked.AddMinutes(minutes, out var wrappedDays);
        return (minutes, wrappedDays == 0 ? arrival : new TimeOnly(23, 59));
    }

    private static string CandidateEventDescription(string kind, string number, string[] units, int? minutes, string? reason)
    {
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
        return description;
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
}
