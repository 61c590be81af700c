using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Tests.Deliberation;

/// <summary>The board is pushed to the silos' relays, a burst of marks in few frames (style.md, GPSTracker).</summary>
[Collection(DeliberationClusterCollection.Name)]
public sealed class BoardObserverTests(DeliberationClusterFixture fixture)
{
    private static readonly TimeSpan PushWithin = TimeSpan.FromSeconds(2);

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task A_subscribed_relay_receives_each_change_and_a_burst_of_marks_in_fewer_updates()
    {
        const string sessionId = "board-push";
        var numbers = Enumerable.Range(1, 10).Select(i => $"LY7{i:D2}").ToArray();
        var session = await Given.SessionWith(Grains, sessionId, numbers.Select(n => Given.Candidate(n)).ToArray());
        var jury = Grains.Jury(sessionId, "LYON");
        var recorder = new BoardRecorder();
        var relay = fixture.Cluster.Client.CreateObjectReference<IBoardObserver>(recorder);
        Assert.True(await jury.Subscribe(relay));
        Assert.False(await jury.Subscribe(relay));
        try
        {
            // The rows of the import itself are pushed first: let that frame go.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            recorder.Clear();
            var version = (await jury.GetBoard()).Version;

            // One mark: its row comes within 2 s, with the new aggregates.
            Assert.Empty((await session.ImportMarks([new MarkImportRow(2, "LY701", "E1", "12.5")], Given.Bureau)).Errors);

            var first = (await recorder.WaitFor(us => us.Any(HasMark("LY701", "E1", "12.5")), PushWithin)).First(HasMark("LY701", "E1", "12.5"));
            Assert.Equal((sessionId, "LYON", "FIRST_OPEN"), (first.SessionId, first.JuryId, first.Phase));
            Assert.Equal(["LY701"], first.Changed.Select(r => r.CandidateNumber));
            Assert.Empty(first.Removed);
            Assert.True(first.Version > version);
            Assert.Equal(Given.Json(first.Aggregates), Given.Json((await jury.GetBoard()).Aggregates));

            // A burst: one mark for each of the ten candidates, entered one by one at the same time.
            recorder.Clear();
            var president = Given.PresidentOf("LYON");
            await Task.WhenAll(numbers.Select(n => Grains.Candidate(sessionId, n).EnterResults([new ResultEntry("E21", "14", "Saisie en séance")], president)));

            var updates = await recorder.WaitFor(us => numbers.All(n => us.Any(HasMark(n, "E21", "14"))), PushWithin);
            Assert.InRange(updates.Count, 1, numbers.Length - 1);
            // Frames may arrive in any order; by version they form one chain, each starting where the previous ended.
            var chain = updates.OrderBy(u => u.Version).ToList();
            for (var i = 1; i < chain.Count; i++) Assert.Equal(chain[i - 1].Version, chain[i].PreviousVersion);
            var last = chain[^1];
            var board = await jury.GetBoard();
            Assert.Equal(board.Version, last.Version);
            Assert.Equal(Given.Json(board.Aggregates), Given.Json(last.Aggregates));
        }
        finally
        {
            await jury.Unsubscribe(relay);
            fixture.Cluster.Client.DeleteObjectReference<IBoardObserver>(relay);
        }
    }

    private static Func<BoardUpdate, bool> HasMark(string candidate, string unit, string result) =>
        update => update.Changed.Any(r => r.CandidateNumber == candidate && r.Results.Any(c => c.Unit == unit && c.Result == result));

    /// <summary>A relay as a silo's SignalR forwarder would be, recording what it receives.</summary>
    private sealed class BoardRecorder : IBoardObserver
    {
        private readonly List<BoardUpdate> _updates = [];
        private readonly SemaphoreSlim _received = new(0);

        public IReadOnlyList<BoardUpdate> Updates
        {
            get
            {
                lock (_updates) return _updates.ToArray();
            }
        }

        public Task BoardChanged(BoardUpdate update)
        {
            lock (_updates) _updates.Add(update);
            _received.Release();
            return Task.CompletedTask;
        }

        public void Clear()
        {
            lock (_updates) _updates.Clear();
        }

        /// <summary>The updates received so far (in order of arrival), once they meet the condition.</summary>
        public async Task<IReadOnlyList<BoardUpdate>> WaitFor(Func<IReadOnlyList<BoardUpdate>, bool> condition, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var updates = Updates;
                if (condition(updates)) return updates;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await _received.WaitAsync(left))
                    throw new TimeoutException($"No such board update within {timeout.TotalSeconds} s; received {Updates.Count}.");
            }
        }
    }
}
