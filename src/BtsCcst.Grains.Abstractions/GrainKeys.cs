namespace BtsCcst.Grains.Abstractions;

/// <summary>Grain keys: every grain of a session is keyed "{session}/{id}" so sessions never collide.</summary>
public static class GrainKeys
{
    public static string Of(string sessionId, string id) => $"{sessionId}/{id}";

    public static (string SessionId, string Id) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (key, "") : (key[..slash], key[(slash + 1)..]);
    }

    public static ICandidateGrain Candidate(this IGrainFactory grains, string sessionId, string candidateNumber) =>
        grains.GetGrain<ICandidateGrain>(Of(sessionId, candidateNumber));

    public static IJuryGrain Jury(this IGrainFactory grains, string sessionId, string juryId) =>
        grains.GetGrain<IJuryGrain>(Of(sessionId, juryId));

    public static IPlanningRunGrain PlanningRun(this IGrainFactory grains, string sessionId, string runId) =>
        grains.GetGrain<IPlanningRunGrain>(Of(sessionId, runId));

    public static IOralCentreGrain OralCentre(this IGrainFactory grains, string sessionId, string centreId) =>
        grains.GetGrain<IOralCentreGrain>(Of(sessionId, centreId));

    public static ICommissionGrain Commission(this IGrainFactory grains, string sessionId, string commissionId) =>
        grains.GetGrain<ICommissionGrain>(Of(sessionId, commissionId));

    public static IDayRepairGrain DayRepair(this IGrainFactory grains, string sessionId, string repairId) =>
        grains.GetGrain<IDayRepairGrain>(Of(sessionId, repairId));

    public static ISessionGrain Session(this IGrainFactory grains, string sessionId) =>
        grains.GetGrain<ISessionGrain>(sessionId);
}
