namespace BtsCcst.Server.Tests.Operations;

/// <summary>The real host (<see cref="TestHost"/>) with extra settings, one per test class.</summary>
public class OperationsHost : TestHost, IAsyncLifetime
{
    public OperationsHost() : this(new Dictionary<string, string>())
    {
    }

    protected OperationsHost(IReadOnlyDictionary<string, string> settings) : base(settings)
    {
    }

    public Task InitializeAsync()
    {
        Start();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>A host with /metrics open to anyone and no dashboard.</summary>
public sealed class PublicMetricsHost() : OperationsHost(new Dictionary<string, string>
{
    ["BtsCcst:PublicMetrics"] = "true",
    ["BtsCcst:Dashboard"] = "false",
});

/// <summary>One <see cref="OperationsHost"/> for the operations tests, which run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class OperationsCollection : ICollectionFixture<OperationsHost>
{
    public const string Name = "operations";
}
