using System.Net;
using BtsCcst.Grains.Abstractions;
using Microsoft.AspNetCore.SignalR;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>The board hub seen by a .NET SignalR client: snapshot, live pushes, and who may watch what.</summary>
[Collection(ServerCollection.Name)]
public sealed class HubTests(ServerFixture server) : IAsyncLifetime
{
    private const string Session = "rt-hub";
    private const string Jury = "NORMANDIE";
    private const string OtherJury = "RENNES";
    private static readonly TimeSpan PushDeadline = TimeSpan.FromSeconds(2);

    // One candidate per scenario, so the tests of this class never share a row.
    private const string Corrected = "RTH-A1";
    private const string Bystander = "RTH-A2";
    private const string Imported = "RTH-B1";
    private const string InRennes = "RTH-R1";

    public async Task InitializeAsync()
    {
        // Imports are idempotent: every test lays the same session down and finds it as it left it.
        using var organiser = await server.OrganiserAsync();
        (await organiser.ImportAsync(Session, "candidates", SampleFiles.Candidates(
            SampleFiles.Candidate(Corrected, lastName: "CORRIGE"),
            SampleFiles.Candidate(Bystander, lastName: "TEMOIN"),
            SampleFiles.Candidate(Imported, lastName: "IMPORTE"),
            SampleFiles.Candidate(InRennes, academy: "RENNES", lastName: "BRETON")))).EnsureSuccessStatusCode();
        (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks([Bystander, InRennes], "12"))).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<string> PresidentTokenAsync(string jury) => server.TokenAsync("jury-president", $"président {jury}", jury);

    [Fact]
    public async Task President_watches_the_board_and_receives_a_correction_within_two_seconds()
    {
        using var organiser = await server.OrganiserAsync();
        (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks([Corrected], "12"))).EnsureSuccessStatusCode();

        await using var watcher = await BoardWatcher.ConnectAsync(server.BaseAddress, await PresidentTokenAsync(Jury));
        var snapshot = await watcher.WatchAsync(Session, Jury);

        Assert.Equal(Session, snapshot.SessionId);
        Assert.Equal(Jury, snapshot.JuryId);
        Assert.Equal("FIRST_OPEN", snapshot.Phase);
        Assert.DoesNotContain(snapshot.Candidates, c => c.CandidateNumber == InRennes);
        var before = Assert.Single(snapshot.Candidates, c => c.CandidateNumber == Corrected);
        Assert.Equal("ADMIS", before.Decision);
        Assert.Equal(12m, before.Average);
        Assert.Equal(snapshot.Candidates.Length, snapshot.Aggregates.Candidates);
        var admisBefore = Count(snapshot.Aggregates, "ADMIS");
        var ajourneBefore = Count(snapshot.Aggregates, "AJOURNE");

        // E4 (coefficient 6) from 12 to 2: points 240, average 9.60, pro average 8.25 → AJOURNE.
        using var president = await server.PresidentAsync(Jury);
        (await president.PutResultAsync(Session, Corrected, "E4", "2", reason: "Erreur de report de la note d'E4")).EnsureSuccessStatusCode();

        var update = await watcher.NextAsync(u => u.Changed.Any(c => c.CandidateNumber == Corrected && c.Decision == "AJOURNE"), PushDeadline);
        Assert.Equal(Session, update.SessionId);
        Assert.Equal(Jury, update.JuryId);
        Assert.True(update.Version > snapshot.Version, $"update version {update.Version} must follow snapshot version {snapshot.Version}");
        Assert.DoesNotContain(update.Changed, c => c.CandidateNumber == Bystander);
        var row = Assert.Single(update.Changed, c => c.CandidateNumber == Corrected);
        Assert.Equal(9.6m, row.Average);
        Assert.Equal(8.25m, row.ProAverage);
        Assert.Equal("2", Assert.Single(row.Results, r => r.Unit == "E4").Result);
        Assert.Equal(admisBefore - 1, Count(update.Aggregates, "ADMIS"));
        Assert.Equal(ajourneBefore + 1, Count(update.Aggregates, "AJOURNE"));
        Assert.Equal(snapshot.Aggregates.Candidates, update.Aggregates.Candidates);
    }

    [Fact]
    public async Task Marks_import_by_the_organiser_reaches_the_watching_president_within_two_seconds()
    {
        await using var watcher = await BoardWatcher.ConnectAsync(server.BaseAddress, await PresidentTokenAsync(Jury));
        var snapshot = await watcher.WatchAsync(Session, Jury);
        var before = Assert.Single(snapshot.Candidates, c => c.CandidateNumber == Imported);
        Assert.Equal("INCOMPLET", before.Decision);
        Assert.Null(before.Average);

        using var organiser = await server.OrganiserAsync();
        (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks([Imported], "11"))).EnsureSuccessStatusCode();

        var update = await watcher.NextAsync(u => u.Changed.Any(c => c.CandidateNumber == Imported && c.Decision == "ADMIS"), PushDeadline);
        var row = Assert.Single(update.Changed, c => c.CandidateNumber == Imported);
        Assert.Equal(11m, row.Average);
        Assert.Empty(row.MissingUnits);
        Assert.Equal(Count(snapshot.Aggregates, "INCOMPLET") - 1, Count(update.Aggregates, "INCOMPLET"));
        Assert.Equal(Count(snapshot.Aggregates, "ADMIS") + 1, Count(update.Aggregates, "ADMIS"));
        Assert.Equal(1, update.Aggregates.AverageDistribution[11] - snapshot.Aggregates.AverageDistribution[11]);
    }

    [Fact]
    public async Task A_president_may_not_watch_another_jury()
    {
        await using var watcher = await BoardWatcher.ConnectAsync(server.BaseAddress, await PresidentTokenAsync(Jury));

        var refused = await Assert.ThrowsAsync<HubException>(() => watcher.WatchAsync(Session, OtherJury));
        Assert.Contains(OtherJury, refused.Message);

        // The refusal leaves the connection usable for the president's own jury.
        var own = await watcher.WatchAsync(Session, Jury);
        Assert.Equal(Jury, own.JuryId);
    }

    [Fact]
    public async Task A_president_does_not_receive_another_jurys_updates()
    {
        await using var watcher = await BoardWatcher.ConnectAsync(server.BaseAddress, await PresidentTokenAsync(Jury));
        await watcher.WatchAsync(Session, Jury);
        await Assert.ThrowsAsync<HubException>(() => watcher.WatchAsync(Session, OtherJury));

        using var rennes = await server.PresidentAsync(OtherJury);
        (await rennes.PutResultAsync(Session, InRennes, "E1", "13", reason: "Relecture de la copie")).EnsureSuccessStatusCode();

        await Assert.ThrowsAsync<TimeoutException>(() => watcher.NextAsync(u => u.JuryId == OtherJury, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_connection_without_token_is_refused()
    {
        await using var anonymous = BoardWatcher.Create(server.BaseAddress, token: null);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.Connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await using var forged = BoardWatcher.Create(server.BaseAddress, token: "not-a-token");
        refused = await Assert.ThrowsAsync<HttpRequestException>(() => forged.Connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task The_organiser_may_watch_any_jury()
    {
        var token = await server.TokenAsync("organiser", "bureau-examens");
        await using var watcher = await BoardWatcher.ConnectAsync(server.BaseAddress, token);

        var normandie = await watcher.WatchAsync(Session, Jury);
        Assert.Contains(normandie.Candidates, c => c.CandidateNumber == Bystander);
        var rennes = await watcher.WatchAsync(Session, OtherJury);
        var row = Assert.Single(rennes.Candidates);
        Assert.Equal(InRennes, row.CandidateNumber);

        // Both groups now push to the organiser.
        using var president = await server.PresidentAsync(OtherJury);
        (await president.PutResultAsync(Session, InRennes, "E3", "14", reason: "Double correction")).EnsureSuccessStatusCode();
        // (A push of InitializeAsync's import may come first: only the row with the new mark counts.)
        var update = await watcher.NextAsync(u => u.JuryId == OtherJury
            && u.Changed.Any(c => c.CandidateNumber == InRennes && c.Results.Any(r => r.Unit == "E3" && r.Result == "14")), PushDeadline);
        Assert.Equal(InRennes, Assert.Single(update.Changed).CandidateNumber);
    }

    [Fact]
    public async Task Watching_a_jury_that_does_not_exist_is_refused()
    {
        var token = await server.TokenAsync("organiser", "bureau-examens");
        await using var watcher = await BoardWatcher.ConnectAsync(server.BaseAddress, token);

        // No candidate of this academy in the session, and no juries.csv: no such jury.
        await Assert.ThrowsAsync<HubException>(() => watcher.WatchAsync(Session, "ORLEANS-TOURS"));
        await Assert.ThrowsAsync<HubException>(() => watcher.WatchAsync(Session, "pas un id"));
        Assert.Equal(Jury, (await watcher.WatchAsync(Session, Jury)).JuryId);
    }

    [Fact]
    public async Task Another_role_may_not_watch_a_board()
    {
        var token = await server.TokenAsync("examiner", "EX-RT-01");
        await using var watcher = await BoardWatcher.ConnectAsync(server.BaseAddress, token);
        await Assert.ThrowsAsync<HubException>(() => watcher.WatchAsync(Session, Jury));
    }

    private static int Count(BoardAggregates aggregates, string decision) => aggregates.Decisions.GetValueOrDefault(decision);
}
