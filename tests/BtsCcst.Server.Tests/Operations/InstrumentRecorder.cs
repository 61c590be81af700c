using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Server.Tests.Operations;

/// <summary>
/// Records, in process, the measurements of the named instruments of one host (the meters its
/// meter factory made), so other hosts of the test run do not count.
/// </summary>
public sealed class InstrumentRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public InstrumentRecorder(IServiceProvider services, params string[] instruments)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instruments.Contains(instrument.Name))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>The sum of the instrument's measurements whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public double Sum(string instrument, string tag, string value) =>
        Of(instrument).Where(m => Convert.ToString(m.Tags.GetValueOrDefault(tag), System.Globalization.CultureInfo.InvariantCulture) == value).Sum(m => m.Value);

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 30 s for {what}.");
            await Task.Delay(50);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(System.Diagnostics.Metrics.Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var (key, tagValue) in tags) copy[key] = tagValue;
        _measurements.Enqueue(new Measurement(instrument.Name, value, copy));
    }
}
