using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Tests.Deliberation;

namespace BtsCcst.Grains.Tests.ExamDays;

/// <summary>
/// The closing of a day of contrôle orals (second group) enters ABS like a first-group day, and a centre
/// manager enters nothing but what the closing of their own centre's day entitles them to.
/// </summary>
[Collection(DeliberationClusterCollection.Name)]
public sealed class ExamDayGrainTests(DeliberationClusterFixture fixture)
{
    private static readonly DateOnly Day = new(2024, 6, 24);
    private static readonly Actor Manager = new(Roles.CentreManager, "Mme Centre", "LYON-1");

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task A_contrôle_oral_missed_gets_ABS_at_the_closing_and_the_centre_manager_enters_nothing_else()
    {
        const string sessionId = "exam-day-controle";
        await Given.SessionWith(Grains, sessionId, [Given.Candidate("XD01")], Given.Sheet("XD01", Given.Case2));
        var president = Given.PresidentOf("LYON");
        var jury = Grains.Jury(sessionId, "LYON");
        await jury.Close(president);
        var candidate = Grains.Candidate(sessionId, "XD01");
        await candidate.ChooseControles(["C_E1", "C_E3"], president);
        await jury.OpenSecondGroup(president);

        // The second group's plan: the contrôle orals of XD01 in LYON-1.
        ScheduleRow[] rows =
        [
            new("LYON-1", Day, "S1", "LYON-1-2024-06-24-A", "C_E1", "XD01", null, new TimeOnly(9, 0), new TimeOnly(9, 20), ["LET1"]),
            new("LYON-1", Day, "S2", "LYON-1-2024-06-24-B", "C_E3", "XD01", null, new TimeOnly(10, 0), new TimeOnly(10, 20), ["ECO1"]),
        ];
        var centre = Grains.OralCentre(sessionId, "LYON-1");
        await centre.Define(new CentreDefinition("LYON-1", "Lycée du Parc", ["LYON"], "Europe/Paris", [], new TimeOnly(8, 0), new TimeOnly(18, 0),
            new TimeOnly(12, 0), new TimeOnly(13, 30), 2, 2, "1 boulevard Anatole France, 69006 Lyon"));
        await centre.SetPlan(rows, PlanningGroups.Second);
        await candidate.SetConvocations(rows, PlanningGroups.Second);

        // Before the closing, the centre manager enters nothing, not even an ABS.
        AssertRefused(RefusalKind.Forbidden, await Catch(() => candidate.EnterResults([new ResultEntry("C_E1", "ABS")], Manager)));

        await centre.RecordEvent(Day, new DayEventRequest(DayEventKinds.CandidateAbsent, "XD01", "C_E1"), Manager);
        await centre.RecordEvent(Day, new DayEventRequest(DayEventKinds.CandidatePresent, "XD01", "C_E3"), Manager);
        await centre.RecordEvent(Day, new DayEventRequest(DayEventKinds.ExamStarted, "XD01", "C_E3"), Given.Examiner("ECO1"));
        AssertRefused(RefusalKind.Forbidden,
            await Catch(() => centre.RecordEvent(Day, new DayEventRequest(DayEventKinds.ExamDone, "XD01", "C_E3"), Given.Examiner("LET1"))));
        AssertRefused(RefusalKind.Forbidden,
            await Catch(() => centre.RecordEvent(Day, new DayEventRequest(DayEventKinds.ExaminerAbsent, ExaminerId: "LET1"), Given.Examiner("ECO1"))));
        AssertRefused(RefusalKind.Invalid,
            await Catch(() => centre.RecordEvent(Day, new DayEventRequest(DayEventKinds.RoomUnavailable, Room: "S1", From: new TimeOnly(17, 0), To: new TimeOnly(19, 0)), Manager)));
        // The examiner's answer shows their own exams only; the centre manager sees the whole day.
        var ownExams = await centre.RecordEvent(Day, new DayEventRequest(DayEventKinds.ExamDone, "XD01", "C_E3"), Given.Examiner("ECO1"));
        Assert.Equal("C_E3", Assert.Single(ownExams.Exams).Row.Unit);
        var day = await centre.GetExamDay(Day, Manager);
        Assert.Equal(["ABSENT", "DONE"], day.Exams.OrderBy(e => e.Row.Unit).Select(e => e.Status));
        Assert.All(day.Exams, e => Assert.Equal(PlanningGroups.Second, e.Group));

        var closing = await centre.CloseDay(Day, Manager);
        var entered = Assert.Single(closing.Entered);
        Assert.Equal(("XD01", "C_E1", "ABS"), (entered.CandidateNumber, entered.Unit, entered.Result));
        Assert.Empty(closing.NotRecorded);
        var summary = await candidate.GetSummary();
        Assert.Equal("ABS", Assert.Single(summary.Controles, c => c.Unit == "C_E1").Result);

        // Closing again changes nothing; the manager enters neither another result nor a mark.
        Assert.Equal(closing.At, (await centre.CloseDay(Day, Manager)).At);
        Assert.Single((await candidate.GetView()).History, h => h.Unit == "C_E1");
        AssertRefused(RefusalKind.Forbidden, await Catch(() => candidate.EnterResults([new ResultEntry("C_E1", "ABSJ")], Manager)));
        AssertRefused(RefusalKind.Forbidden, await Catch(() => candidate.EnterResults([new ResultEntry("C_E3", "ABS")], Manager)));
        AssertRefused(RefusalKind.Forbidden, await Catch(() => candidate.EnterResults([new ResultEntry("C_E3", "12")], Manager)));
        AssertRefused(RefusalKind.Forbidden,
            await Catch(() => candidate.EnterResults([new ResultEntry("C_E1", "ABS")], Manager with { Scope = "GRENOBLE-1" })));
        AssertRefused(RefusalKind.Conflict, await Catch(() => centre.RecordEvent(Day, new DayEventRequest(DayEventKinds.CandidatePresent, "XD01"), Manager)));

        var trail = await centre.GetEvents(Day, Given.Bureau);
        Assert.Equal(
            [DayEventKinds.CandidateAbsent, DayEventKinds.CandidatePresent, DayEventKinds.ExamStarted, DayEventKinds.ExamDone, DayEventKinds.DayClosed],
            trail.Select(e => e.Kind));
        Assert.Equal([1, 2, 3, 4, 5], trail.Select(e => e.Sequence));
        Assert.Equal("ECO1", trail[2].By.Name);
    }

    [Fact]
    public async Task A_day_that_has_not_begun_cannot_be_closed()
    {
        const string sessionId = "exam-day-future";
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);
        var centre = Grains.OralCentre(sessionId, "LYON-1");
        await centre.Define(new CentreDefinition("LYON-1", "Lycée du Parc", ["LYON"], "Europe/Paris", [tomorrow], new TimeOnly(8, 0), new TimeOnly(18, 0),
            new TimeOnly(12, 0), new TimeOnly(13, 30), 2, 2, ""));
        await centre.SetPlan([new("LYON-1", tomorrow, "S1", "LYON-1-C1", "E22", "XF01", new TimeOnly(9, 0), new TimeOnly(9, 20), new TimeOnly(9, 40), ["ANG1"])],
            PlanningGroups.First);

        var refused = await Catch(() => centre.CloseDay(tomorrow, Manager));

        AssertRefused(RefusalKind.Conflict, refused);
        Assert.Contains("n'a pas encore commencé", refused!.Message);
        Assert.False((await centre.GetExamDay(tomorrow, Manager)).Closed);
    }

    private static async Task<RefusedException?> Catch(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (RefusedException refused)
        {
            return refused;
        }
    }

    private static void AssertRefused(RefusalKind kind, RefusedException? refusal)
    {
        Assert.NotNull(refusal);
        Assert.Equal(kind, refusal.Kind);
    }
}
