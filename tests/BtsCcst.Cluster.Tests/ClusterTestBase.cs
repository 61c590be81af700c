using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace BtsCcst.Cluster.Tests;

/// <summary>Runs a scenario on its own cluster (own database), always killing it afterwards, and adds the processes' output to a failure.</summary>
public abstract class ClusterTestBase(ITestOutputHelper output)
{
    protected ITestOutputHelper Output { get; } = output;

    protected async Task OnClusterAsync(string purpose, Func<TestCluster, Task> scenario, int silos = 2)
    {
        var cluster = await TestCluster.StartAsync(purpose, silos);
        try
        {
            await scenario(cluster);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{e}\n\n{await cluster.DiagnosticsAsync()}");
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false after <paramref name="within"/>.</summary>
    protected static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        do
        {
            try
            {
                if (await condition()) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return false;
    }

    protected static bool Same(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    protected static string Difference(Dictionary<string, string> actual, Dictionary<string, string> expected) =>
        string.Join("; ", expected.Keys.Union(actual.Keys).Order()
            .Where(k => actual.GetValueOrDefault(k) != expected.GetValueOrDefault(k))
            .Select(k => $"{k}: {actual.GetValueOrDefault(k) ?? "(none)"} instead of {expected.GetValueOrDefault(k) ?? "(none)"}"));
}
