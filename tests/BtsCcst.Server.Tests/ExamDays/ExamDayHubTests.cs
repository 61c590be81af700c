using System.Net.Http.Json;
using System.Threading.Channels;
using BtsCcst.Server.ExamDays;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BtsCcst.Server.Tests.ExamDays;

/// <summary>A .NET SignalR client of the exam-day hub that queues every "dayChanged" it receives.</summary>
public sealed class DayWatcher : IAsyncDisposable
{
    private readonly Channel<CentreDayResponse> _updates = Channel.CreateUnbounded<CentreDayResponse>();

    private DayWatcher(HubConnection connection)
    {
        Connection = connection;
        Connection.On<CentreDayResponse>(ExamDayHub.UpdateMethod, day => _updates.Writer.TryWrite(day));
    }

    public HubConnection Connection { get; }

    public static async Task<DayWatcher> ConnectAsync(Uri baseAddress, string token)
    {
        var watcher = new DayWatcher(new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, ExamDayHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build());
        await watcher.Connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return watcher;
    }

    public Task<CentreDayResponse> WatchAsync(string session, string centre, string date) =>
        Connection.InvokeAsync<CentreDayResponse>("Watch", session, centre, date).WaitAsync(TimeSpan.FromSeconds(10));

    public async Task<CentreDayResponse> NextAsync(Func<CentreDayResponse, bool> match, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var seen = 0;
        try
        {
            while (true)
            {
                var day = await _updates.Reader.ReadAsync(timeout.Token);
                if (match(day)) return day;
                seen++;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching dayChanged within {within.TotalSeconds} s ({seen} others received)");
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    public static ExamOfDayResponse[] Exams(CentreDayResponse day) =>
        [.. day.Rooms.SelectMany(r => r.Commissions).SelectMany(c => c.Exams)];
}

/// <summary>The live exam day over /hubs/exam-day: who may watch it, what each sees, and events pushed within 2 s.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExamDayHubTests(ServerFixture server)
{
    private const string Session = "exam-day-hub";
    private const string Date = "2024-05-27";
    private const string Day = $"/api/sessions/{Session}/centres/CAEN-1/days/{Date}";

    private static readonly TimeSpan Live = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_watched_day_receives_each_event_and_each_watcher_sees_what_the_GET_route_gives_them()
    {
        using var organiser = await server.OrganiserAsync();
        var rows = await ExamDayApiTests.PlanOneDayAsync(organiser, Session);
        var e4 = rows.First(r => r.Unit == "E4");
        var examinerId = e4.Examiners[0];

        await using var manager = await DayWatcher.ConnectAsync(server.BaseAddress, await server.TokenAsync("centre-manager", "Mme Lefèvre", "CAEN-1"));
        var day = await manager.WatchAsync(Session, "CAEN-1", Date);
        Assert.Equal(rows.Length, DayWatcher.Exams(day).Length);
        Assert.All(DayWatcher.Exams(day), e => Assert.Equal("CONVOKED", e.Status));

        // The examiner: their own commissions' exams only, as the GET route gives them.
        await using var examiner = await DayWatcher.ConnectAsync(server.BaseAddress, await server.TokenAsync("examiner", examinerId));
        var examinerDay = await examiner.WatchAsync(Session, "CAEN-1", Date);
        var own = DayWatcher.Exams(examinerDay);
        Assert.NotEmpty(own);
        Assert.All(own, e => Assert.Contains(examinerId, e.ExaminerIds));
        Assert.Equal(rows.Count(r => r.Examiners.Contains(examinerId)), own.Length);

        // An event posted through the API reaches both within 2 s.
        using var managerApi = await server.ClientAsync("centre-manager", "Mme Lefèvre", "CAEN-1");
        var posted = await managerApi.PostAsJsonAsync($"{Day}/events", new { kind = "candidate-present", candidateNumber = e4.Candidate, unit = "E4" });
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        bool Present(CentreDayResponse d) => DayWatcher.Exams(d).Any(e => e.CandidateNumber == e4.Candidate && e.Unit == "E4" && e.Status == "PRESENT");
        await manager.NextAsync(Present, Live);
        var pushed = await examiner.NextAsync(Present, Live);
        Assert.All(DayWatcher.Exams(pushed), e => Assert.Contains(examinerId, e.ExaminerIds));

        // The examiner's own event, then the closing: both pushed.
        using var examinerApi = await server.ClientAsync("examiner", examinerId);
        (await examinerApi.PostAsJsonAsync($"{Day}/events", new { kind = "exam-started", candidateNumber = e4.Candidate, unit = "E4" })).EnsureSuccessStatusCode();
        await manager.NextAsync(d => DayWatcher.Exams(d).Any(e => e.CandidateNumber == e4.Candidate && e.Unit == "E4" && e.Status == "IN_EXAM"), Live);
        (await managerApi.PostAsync($"{Day}/close", null)).EnsureSuccessStatusCode();
        await manager.NextAsync(d => d.Closed, Live);
        await examiner.NextAsync(d => d.Closed, Live);

        // Refusals, in French: a centre manager of another centre, an examiner who does not sit that day, a bad date.
        await using var otherManager = await DayWatcher.ConnectAsync(server.BaseAddress, await server.TokenAsync("centre-manager", "M. Rouen", "ROUEN-1"));
        var refused = await Assert.ThrowsAsync<HubException>(() => otherManager.WatchAsync(Session, "CAEN-1", Date));
        Assert.Contains("ROUEN-1", refused.Message);
        var outsider = rows.SelectMany(r => r.Examiners).Contains("ESP9") ? "ESP8" : "ESP9";
        await using var otherExaminer = await DayWatcher.ConnectAsync(server.BaseAddress, await server.TokenAsync("examiner", outsider));
        var notTheirs = await Assert.ThrowsAsync<HubException>(() => otherExaminer.WatchAsync(Session, "CAEN-1", Date));
        Assert.Contains("réservée", notTheirs.Message);
        var badDate = await Assert.ThrowsAsync<HubException>(() => manager.WatchAsync(Session, "CAEN-1", "27/05/2024"));
        Assert.Contains("AAAA-MM-JJ", badDate.Message);
    }
}
