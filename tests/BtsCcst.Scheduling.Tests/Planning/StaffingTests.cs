using BtsCcst.Domain;
using BtsCcst.PlanningBenchmarks;
using BtsCcst.SampleGenerator;
using BtsCcst.Scheduling.Planning;
using Xunit.Abstractions;

namespace BtsCcst.Scheduling.Tests.Planning;

/// <summary>Who is called to which centre-day (<see cref="ExaminerAssignment"/>), before any model runs.</summary>
public sealed class StaffingTests(ITestOutputHelper output)
{
    /// <summary>
    /// EF1 language teachers are called against the EF1 minutes of all the centre-days of the same academies, so they sit
    /// at a few centre-days where the EF1 candidates gather: on the academy sample (16 centre-days, every one with EF1
    /// candidates when each language's teacher sat at each), fewer language teacher-days than centre-days, and every
    /// centre-day's EF1 candidates have a teacher of their language there.
    /// </summary>
    [Theory]
    [InlineData("standard")]
    [InlineData("written-days")]
    public void Language_teachers_sit_where_the_ef1_candidates_gather(string shape)
    {
        var (session, staff, assigned) = Staffed(Instances.Build(SampleSize.Academy, 42, SampleShape.Named[shape]).Instance);

        // Teachers at a centre-day with none of their language's EF1 candidates are not called in the end (nothing to examine).
        var teacherDays = session.CentreDays.Sum(d => staff[d].Count(e => e.Discipline == Discipline.Langue
            && assigned[d].Any(o => o.Unit == UnitCode.EF1 && e.Languages.Any(l => OralRules.Fold(l) == OralRules.Fold(o.Candidate.Ef1Language)))));
        var daysWithEf1 = session.CentreDays.Count(d => assigned[d].Any(o => o.Unit == UnitCode.EF1));
        output.WriteLine($"{teacherDays} language teacher-days with EF1 candidates to examine for {session.CentreDays.Count} centre-days, {daysWithEf1} with EF1 candidates");
        Assert.True(teacherDays < session.CentreDays.Count, $"{teacherDays} language teacher-days for {session.CentreDays.Count} centre-days");
        foreach (var day in session.CentreDays)
            foreach (var ef1 in assigned[day].Where(o => o.Unit == UnitCode.EF1))
                Assert.Contains(staff[day], e => e.Discipline == Discipline.Langue
                    && e.Languages.Any(l => OralRules.Fold(l) == OralRules.Fold(ef1.Candidate.Ef1Language))
                    && !Schools.Same(e.EstablishmentUai, ef1.Candidate.EstablishmentUai));
    }

    /// <summary>
    /// Who the planner calls to each centre-day and which orals it assigns there, before any model runs: the checks, the
    /// staffing, the candidate assignment, and the examiners called where the assigned orals need more.
    /// </summary>
    internal static (PlanningSession Session, Dictionary<CentreDay, List<PlanningExaminer>> Staff, Dictionary<CentreDay, List<Oral>> Assigned) Staffed(PlanningInstance instance)
    {
        var session = new PlanningSession(instance);
        var unplaced = new List<UnplacedOral>();
        var called = new Dictionary<DateOnly, HashSet<string>>();
        var checkedSession = PreChecks.Run(session, unplaced, []);
        var staff = ExaminerAssignment.Assign(session, checkedSession, called);
        var book = new LoadBook(session, staff, checkedSession.PinnedCommissions);
        var assigned = CandidateAssignment.Assign(session, checkedSession, book, unplaced);
        foreach (var day in session.CentreDays.Where(d => assigned[d].Count > 0))
            staff[day].AddRange(ExaminerAssignment.CallIdle(session, day, assigned[day], staff[day], called));
        return (session, staff, assigned);
    }
}
