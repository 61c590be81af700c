using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Scheduling;

namespace BtsCcst.Grains.Planning;

/// <summary>The planner's view of a session: every candidate's orals, the examiners and the centres.</summary>
public sealed record PlanningInputs(PlanningInstance Instance, IReadOnlyList<UnplacedRow> Unplaceable)
{
    public static async Task<PlanningInputs> GatherAsync(IGrainFactory grains, string sessionId)
    {
        var session = grains.Session(sessionId);
        var (examiners, centres) = await session.GetPlanningResources();
        var numbers = await session.GetCandidateNumbers();
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
