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
public sealed record CpuUse(string Phase, TimeSpan Wall, double ServerCores, double BenchCores, double MachineCores, double DatabaseCores = double.NaN)
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
    private readonly Dictionary<int, long>? _postgres0;

    public CpuMeter(string phase, Func<TimeSpan> serverCpu)
    {
        _phase = phase;
        _serverCpu = serverCpu;
        _server0 = serverCpu();
        _bench0 = Process.GetCurrentProcess().TotalProcessorTime;
        _machine0 = MachineTicks();
        _postgres0 = PostgresTicks();
    }

    public CpuUse Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_start);
        var server = _serverCpu() - _server0;
        var bench = Process.GetCurrentProcess().TotalProcessorTime - _bench0;
        var machine = double.NaN;
        if (_machine0 is { } m0 && MachineTicks() is { } m1 && m1.Total > m0.Total)
            machine = (double)(m1.Busy - m0.Busy) / (m1.Total - m0.Total) * Environment.ProcessorCount;
        var database = double.NaN;
        if (_postgres0 is { } p0 && PostgresTicks() is { } p1)
        {
            // Processes present at both readings only: a backend that started or ended meanwhile is left out.
            var ticks = p1.Where(p => p0.ContainsKey(p.Key)).Sum(p => Math.Max(0, p.Value - p0[p.Key]));
            database = ticks / ClockTicksPerSecond / wall.TotalSeconds;
        }
        return new CpuUse(_phase, wall, server / wall, bench / wall, machine, database);
    }

    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>
    /// User + system clock ticks of every process named postgres (the PostgreSQL server and its
    /// backends, /proc/PID/stat), by process id; null when there is none or /proc is unreadable.
    /// The silos' pooled connections stay open, so their backends are present at both readings.
    /// </summary>
    private static Dictionary<int, long>? PostgresTicks()
    {
        try
        {
            var ticks = new Dictionary<int, long>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!char.IsAsciiDigit(Path.GetFileName(dir)[0])) continue;
                string stat;
                try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
                catch (IOException) { continue; }
                catch (UnauthorizedAccessException) { continue; }
                // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < open || stat[(open + 1)..close] != "postgres") continue;
                var fields = stat[(close + 2)..].Split(' ');
                ticks[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] =
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            return ticks.Count > 0 ? ticks : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
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
