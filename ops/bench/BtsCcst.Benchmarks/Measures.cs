using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BtsCcst.Benchmarks;

/// <summary>Order statistics of a set of durations (nearest-rank percentiles), in milliseconds.</summary>
public sealed record Distribution(int Count, double Median, double P95, double P99, double Max, double Min, double Mean)
{
    public static Distribution Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0) return new Distribution(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Distribution(sorted.Length, Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1], sorted[0], sorted.Average());
    }

    public static double Ms(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;

    public string Row() => Count == 0 ? "| – | – | – | – |" : $"| {F(Median)} | {F(P95)} | {F(P99)} | {F(Max)} |";

    public static string F(double value) => double.IsNaN(value) ? "–" : value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);
}

/// <summary>CPU used during a phase by the server, by this benchmark, and by the whole machine (/proc/stat).</summary>
public sealed record CpuUse(string Phase, TimeSpan Wall, double ServerCores, double BenchCores, double MachineCores)
{
    /// <summary>Cores busy with processes other than the server and the benchmark (other developers' work).</summary>
    public double OtherCores => Math.Max(0, MachineCores - ServerCores - BenchCores);
}

public sealed class CpuMeter
{
    private readonly string _phase;
    private readonly Func<TimeSpan> _serverCpu;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly TimeSpan _server0;
    private readonly TimeSpan _bench0;
    private readonly (long Busy, long Total)? _machine0;

    public CpuMeter(string phase, Func<TimeSpan> serverCpu)
    {
        _phase = phase;
        _serverCpu = serverCpu;
        _server0 = serverCpu();
        _bench0 = Process.GetCurrentProcess().TotalProcessorTime;
        _machine0 = MachineTicks();
    }

    public CpuUse Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_start);
        var server = _serverCpu() - _server0;
        var bench = Process.GetCurrentProcess().TotalProcessorTime - _bench0;
        var machine = double.NaN;
        if (_machine0 is { } m0 && MachineTicks() is { } m1 && m1.Total > m0.Total)
            machine = (double)(m1.Busy - m0.Busy) / (m1.Total - m0.Total) * Environment.ProcessorCount;
        return new CpuUse(_phase, wall, server / wall, bench / wall, machine);
    }

    /// <summary>Busy and total jiffies of all CPUs (first line of /proc/stat); idle and iowait count as not busy.</summary>
    private static (long Busy, long Total)? MachineTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>What the figures were measured on.</summary>
public sealed record Machine(int Cores, string CpuModel, string Memory, string Os, string Kernel, string DotNet, string LoadAverage)
{
    public static Machine Describe()
    {
        string Read(string path) { try { return File.ReadAllText(path); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } }

        var cpu = Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = Read("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var memory = long.TryParse(memKb, out var kb) ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "unknown";
        var os = Read("/etc/os-release").Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?
            .Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
        var kernel = Read("/proc/sys/kernel/osrelease").Trim();
        var load = string.Join(' ', Read("/proc/loadavg").Split(' ').Take(3));
        return new Machine(Environment.ProcessorCount, cpu, memory, os, kernel, RuntimeInformation.FrameworkDescription, load);
    }
}
