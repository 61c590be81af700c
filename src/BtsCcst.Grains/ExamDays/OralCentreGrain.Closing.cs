using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.ExamDays;

/// <summary>
/// The closing of an exam day by its centre manager: the day refuses events from then on, and each exam still
/// ABSENT or ABSENT_EXCUSED is entered on its candidate as ABS or ABSJ.
/// </summary>
public sealed partial class OralCentreGrain
{
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
