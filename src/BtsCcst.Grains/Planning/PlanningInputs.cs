using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Scheduling;

namespace BtsCcst.Grains.Planning;

/// <summary>The planner's view of a session: every candidate's orals, the examiners and the centres.</summary>
public sealed record PlanningInputs(PlanningInstance Instance, IReadOnlyList<UnplacedRow> Unplaceable)
{
    /// <summary>
    /// The first-group orals, or with <paramref name="secondGroup"/> the contrôle orals still to take, in the organiser's
    /// centres open on the window's dates (the same hours, rooms and seats), without the first group's pins.
    /// </summary>
    public static async Task<PlanningInputs> GatherAsync(IGrainFactory grains, string sessionId, SecondGroupScope? secondGroup = null)
    {
        var session = grains.Session(sessionId);
        var (examiners, centres) = await session.GetPlanningResources();
        var numbers = await session.GetCandidateNumbers();
        if (secondGroup is not null)
        {
            var controles = await Task.WhenAll(numbers.Select(n => grains.Candidate(sessionId, n).GetControlePlanningData()));
            var dates = secondGroup.Dates.Order().ToArray();
            var window = centres.Where(c => secondGroup.CentreIds.Contains(c.CentreId)).Select(c => c with { Dates = dates });
            return new(PlanningMapping.ToInstance(controles, examiners, window), []);
        }
        var candidates = await Task.WhenAll(numbers.Select(n => grains.Candidate(sessionId, n).GetPlanningData()));
        var pins = await session.GetPins();
        var instance = PlanningMapping.ToInstance(candidates, examiners, centres) with
        {
            OralPins = pins.Orals.Select(p => new OralPin(p.CandidateNumber, Enum.Parse<UnitCode>(p.Unit), p.Date, p.CentreId)).ToArray(),
            CommissionPins = pins.Commissions.Select(p => new CommissionPin(p.CentreId, p.Date, p.ExaminerIds)).ToArray(),
        };
        return new(instance, candidates.SelectMany(c => c.Unplaceable).ToArray());
    }
}
