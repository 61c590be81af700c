using BtsCcst.Domain;
using BtsCcst.Scheduling.Repair;

namespace BtsCcst.Scheduling;

/// <summary>
/// What a repaired day must keep besides the hard rules (<see cref="ScheduleValidator"/>), checked on the schedules
/// alone, independently of the repair model: exams done or under way have not moved, nothing moved starts before the
/// repair's time, a late candidate sits nothing before their arrival, an absent examiner sits nothing during their
/// absence, a closed room holds nothing during its closure (exams already under way apart, and the EF3 of a U61 under way).
/// </summary>
public static class RepairValidator
{
    /// <summary>
    /// Whether an exam of the plan began (preparation included) before <paramref name="now"/> with its candidate there: it
    /// stays, whoever it belongs to. A late candidate was there from their arrival (an exam placed after it by an earlier
    /// repair has begun like any other); an excused candidate was not.
    /// </summary>
    public static bool BeganBefore(ScheduledExam exam, TimeOnly now, TimeOnly? arrival, bool excused)
    {
        var begins = exam.PrepStart ?? exam.ExamStart;
        return begins < now && !excused && (arrival is not { } a || begins >= a);
    }

    public static IReadOnlyList<Violation> Validate(RepairRequest request, IReadOnlyList<ScheduledExam> before, IReadOnlyList<ScheduledExam> after)
    {
        var violations = new List<Violation>();
        bool OnDay(ScheduledExam e) => string.Equals(e.CentreId, request.CentreId, StringComparison.OrdinalIgnoreCase) && e.Date == request.Date;
        static TimeOnly Begins(ScheduledExam e) => e.PrepStart ?? e.ExamStart;
        static string Key(ScheduledExam e) => RepairRequest.ExamKey(e.CandidateNumber, e.Unit);
        static bool Same(ScheduledExam a, ScheduledExam b) =>
            (a.CentreId, a.Date, a.CommissionId, a.PrepStart, a.ExamStart, a.ExamEnd) == (b.CentreId, b.Date, b.CommissionId, b.PrepStart, b.ExamStart, b.ExamEnd)
            && a.ExaminerIds.SequenceEqual(b.ExaminerIds);
        var late = request.Events.OfType<CandidateLate>().GroupBy(e => e.CandidateNumber).ToDictionary(g => g.Key, g => g.Max(e => e.ArrivesAt));
        var excused = request.Events.OfType<CandidateAbsentExcused>().Select(e => e.CandidateNumber).ToHashSet();
        var previous = before.GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
        var underway = before.Where(OnDay)
            .Where(e => request.Underway?.Contains(Key(e)) == true
                        || BeganBefore(e, request.Now, late.TryGetValue(e.CandidateNumber, out var arrival) ? arrival : null, excused.Contains(e.CandidateNumber)))
            .ToDictionary(Key);
        // An EF3 follows its U61 at once before the same commission (ScheduleValidator.Ef3AfterU61): once the U61 has
        // begun, its EF3 is part of the same sitting and stays with it, as the repairer keeps it.
        foreach (var ef3 in before.Where(e => OnDay(e) && e.Unit == UnitCode.EF3 && underway.ContainsKey(RepairRequest.ExamKey(e.CandidateNumber, UnitCode.U61))).ToList())
            underway.TryAdd(Key(ef3), ef3);
        var now = after.GroupBy(Key).ToDictionary(g => g.Key, g => g.First());

        foreach (var (key, exam) in underway)
            if (!now.TryGetValue(key, out var kept) || !Same(kept, exam))
                violations.Add(new Violation("RepairKeepsUnderway", $"L'épreuve {exam.Unit} du candidat {exam.CandidateNumber}, commencée ou passée, a été déplacée."));
        var moved = after.Where(e => !previous.TryGetValue(Key(e), out var old) || !Same(old, e)).ToList();
        foreach (var exam in moved.Where(e => OnDay(e) && Begins(e) < request.Now))
            violations.Add(new Violation("RepairNotBeforeNow", $"L'épreuve {exam.Unit} du candidat {exam.CandidateNumber} est replacée à {Begins(exam):HH\\:mm}, avant {request.Now:HH\\:mm}."));
        foreach (var exam in moved.Where(e => OnDay(e) && late.TryGetValue(e.CandidateNumber, out var arrival) && Begins(e) < arrival))
            violations.Add(new Violation("RepairAfterArrival",
                $"Le candidat {exam.CandidateNumber}, attendu à {late[exam.CandidateNumber]:HH\\:mm}, passe {exam.Unit} à {Begins(exam):HH\\:mm}."));
        var dayExams = after.Where(e => OnDay(e) && !underway.ContainsKey(Key(e))).ToList();
        foreach (var absence in request.Events.OfType<ExaminerAbsent>())
        {
            var (from, to) = (absence.From ?? TimeOnly.MinValue, absence.To ?? TimeOnly.MaxValue);
            foreach (var exam in dayExams.Where(e => e.ExaminerIds.Contains(absence.ExaminerId) && e.ExamStart < to && e.ExamEnd > from))
                violations.Add(new Violation("RepairExaminerAbsent",
                    $"L'examinateur {absence.ExaminerId}, absent, siège pour {exam.Unit} du candidat {exam.CandidateNumber} à {exam.ExamStart:HH\\:mm}."));
        }
        foreach (var closure in request.Events.OfType<RoomUnavailable>().Where(c => c.Room is not null))
            foreach (var exam in dayExams.Where(e => string.Equals(e.Room, closure.Room, StringComparison.OrdinalIgnoreCase) && e.ExamStart < closure.To && e.ExamEnd > closure.From))
                violations.Add(new Violation("RepairRoomClosed",
                    $"La salle {closure.Room}, indisponible de {closure.From:HH\\:mm} à {closure.To:HH\\:mm}, accueille {exam.Unit} du candidat {exam.CandidateNumber} à {exam.ExamStart:HH\\:mm}."));
        return violations;
    }
}
