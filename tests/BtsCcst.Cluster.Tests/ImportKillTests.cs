using System.Diagnostics;
using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace BtsCcst.Cluster.Tests;

/// <summary>
/// Issue 11's cluster check: candidates.csv and marks.csv imported through HAProxy, batch after batch, while
/// a silo is killed (SIGKILL). A refused or broken import is sent again, the same file, until it is
/// acknowledged (what the 503 tells a user to do). Every acknowledged registration and mark must then be on
/// the surviving silo and on the board. Five times, each on a fresh cluster.
/// </summary>
public sealed class ImportKillTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    private const string Session = "cl-import-kill";
    private const int Batches = 8;
    private const int PerBatch = 25;

    public static TheoryData<int> Repetitions => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Repetitions))]
    public Task Imports_through_the_proxy_while_a_silo_is_killed_lose_no_acknowledged_registration_or_mark(int repetition) =>
        OnClusterAsync($"import-kill-{repetition}", async cluster =>
        {
            await cluster.StartProxyAsync();
            using var organiser = cluster.Client(cluster.ProxyAddress, TestCluster.Organiser);
            var acknowledged = new Dictionary<string, string>();
            var failures = new List<string>();
            var importing = Task.Run(async () =>
            {
                for (var batch = 1; batch <= Batches; batch++)
                {
                    var (csv, numbers) = SessionData.Candidates("NORMANDIE", $"K{batch}N", PerBatch);
                    await ImportUntilAcknowledgedAsync(organiser, "candidates", csv, failures);
                    var mark = (8 + batch).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await ImportUntilAcknowledgedAsync(organiser, "marks", SessionData.Marks(numbers, mark), failures);
                    lock (acknowledged) foreach (var number in numbers) acknowledged[number] = mark;
                }
            });

            // The kill lands in the middle of the batches.
            await EventuallyAsync(() => Task.FromResult(AcknowledgedCount(acknowledged) >= 2 * PerBatch || importing.IsCompleted), TimeSpan.FromSeconds(60));
            Assert.False(importing.IsCompleted, "The imports ended before the kill: make the batches larger.");
            cluster.Kill(cluster.Silos[repetition % 2]);
            var surviving = cluster.Silos[(repetition + 1) % 2];
            var sinceKill = Stopwatch.StartNew();
            await importing;
            Output.WriteLine($"repetition {repetition}: imports done {sinceKill.Elapsed.TotalSeconds:0.0} s after the kill; {failures.Count} refused or broken imports sent again:\n  {string.Join("\n  ", failures)}");

            using var reader = cluster.Client(surviving.Address, TestCluster.Organiser);
            var lost = new List<string>();
            foreach (var (number, mark) in acknowledged)
            {
                var results = await reader.ResultsAsync(Session, number);
                lost.AddRange(SessionData.MandatoryUnits.Where(u => results.GetValueOrDefault(u) != mark)
                    .Select(u => $"{number}/{u}: {results.GetValueOrDefault(u) ?? "(none)"} instead of {mark}"));
            }
            Assert.True(lost.Count == 0, $"Acknowledged marks lost: {string.Join("; ", lost.Take(40))}");
            var rows = (await reader.BoardAsync(Session, "NORMANDIE")).Candidates.ToDictionary(r => r.CandidateNumber);
            Assert.Equal(acknowledged.Keys.Order(), rows.Keys.Order());
            var stale = acknowledged.Where(a => SessionData.MandatoryUnits.Any(u => rows[a.Key].Results.FirstOrDefault(c => c.Unit == u)?.Result != a.Value))
                .Select(a => a.Key).ToList();
            Assert.True(stale.Count == 0, $"Board rows without their acknowledged marks: {string.Join(", ", stale)}");
        });

    private static int AcknowledgedCount(Dictionary<string, string> acknowledged)
    {
        lock (acknowledged) return acknowledged.Count;
    }

    /// <summary>Sends the same file until a 200; a 503 (or a broken connection) is retried after its Retry-After.</summary>
    private static async Task ImportUntilAcknowledgedAsync(HttpClient http, string kind, string csv, List<string> failures)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            string failure;
            try
            {
                using var response = await http.PostAsync($"api/sessions/{Session}/imports/{kind}", new StringContent(csv, Encoding.UTF8, "text/csv"));
                if (response.StatusCode == HttpStatusCode.OK) return;
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"import {kind}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(response.Headers.RetryAfter);
                failure = $"503 {body[..Math.Min(body.Length, 160)]}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = $"{e.GetType().Name} {e.Message}";
            }
            lock (failures) failures.Add($"{started.Elapsed.TotalSeconds:0.0}s {kind}: {failure}");
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"import {kind} still refused after 60 s: {failure}");
            await Task.Delay(500);
        }
    }
}
