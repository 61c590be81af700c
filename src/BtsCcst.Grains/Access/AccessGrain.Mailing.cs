using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Access;

/// <summary>Mailings of access links: the job's progress and failures, and the claim that keeps a message from going twice.</summary>
public sealed partial class AccessGrain
{
    public async Task<MailJob> StartMailing(string sessionId, string[] accessIds, Actor by)
    {
        var unknown = accessIds.Where(id => !State.Accesses.ContainsKey(id)).ToArray();
        if (unknown.Length > 0) throw new RefusedException(RefusalKind.NotFound, $"Accès inconnu(s) : {string.Join(", ", unknown)}.");
        var job = new MailJob(Guid.NewGuid().ToString("N"), sessionId, accessIds, 0, 0, [], clock.GetUtcNow(), accessIds.Length == 0 ? clock.GetUtcNow() : null, by);
        await Stored.Update(s =>
        {
            s.MailJobs[job.JobId] = job;
            foreach (var old in s.MailJobs.Values.Where(j => j.Done).OrderBy(j => j.StartedAt).Take(Math.Max(0, s.MailJobs.Count - MailJobsKept)).ToArray())
                s.MailJobs.Remove(old.JobId);
        });
        return job;
    }

    public async Task<bool> ClaimMail(string jobId, string accessId)
    {
        var job = FindJob(jobId);
        var access = Find(accessId);
        var claimedElsewhere = State.MailClaims.TryGetValue(accessId, out var claimant) && claimant != jobId && State.MailJobs.ContainsKey(claimant)
                               && !State.MailJobs[claimant].Done;
        if (access.MailedAt is not null || claimedElsewhere || access.Status != AccessStatus.Issued)
        {
            await Stored.Update(s => s.MailJobs[jobId] = Finish(job with { Skipped = job.Skipped + 1 }));
            return false;
        }
        await Stored.Update(s => s.MailClaims[accessId] = jobId);
        return true;
    }

    public async Task ReportMail(string jobId, string accessId, string? failure)
    {
        var job = FindJob(jobId);
        var access = Find(accessId);
        var now = clock.GetUtcNow();
        await Stored.Update(s =>
        {
            s.MailClaims.Remove(accessId);
            if (failure is null)
            {
                s.Accesses[accessId] = access with { MailedAt = now };
                s.MailJobs[jobId] = Finish(job with { Sent = job.Sent + 1 });
                Audit(s, AccessEventKinds.Mailed, access, job.By.ToString(), null, access.Person.Email);
            }
            else
            {
                s.MailJobs[jobId] = Finish(job with { Failures = [.. job.Failures, new MailFailure(accessId, access.Person.DisplayName, access.Person.Email, failure)] });
                Audit(s, AccessEventKinds.MailFailed, access, job.By.ToString(), null, failure);
            }
        });
    }

    public Task<MailJob?> GetMailing(string jobId) => Task.FromResult(State.MailJobs.GetValueOrDefault(jobId));

    private MailJob Finish(MailJob job) =>
        job.Sent + job.Skipped + job.Failures.Length >= job.Total && job.FinishedAt is null ? job with { FinishedAt = clock.GetUtcNow() } : job;

    private MailJob FindJob(string jobId) => State.MailJobs.TryGetValue(jobId, out var job)
        ? job
        : throw new RefusedException(RefusalKind.NotFound, $"Envoi {jobId} inconnu.");
}
