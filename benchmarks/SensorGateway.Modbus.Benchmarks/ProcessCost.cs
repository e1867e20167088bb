using System.Globalization;
using System.Runtime.InteropServices;

namespace SensorGateway.Modbus.Benchmarks;

/// <summary>
/// CPU time and context switches of a process so far: the cost per request behind the wall-clock figures. Sleeps are the
/// voluntary switches (blocked waiting for input); the rest were preemptions.
/// </summary>
internal readonly record struct ProcessCost(double CpuMicroseconds, long ContextSwitches, long Sleeps)
{
    public static ProcessCost operator -(ProcessCost after, ProcessCost before) =>
        new(after.CpuMicroseconds - before.CpuMicroseconds, after.ContextSwitches - before.ContextSwitches, after.Sleeps - before.Sleeps);

    public static ProcessCost operator +(ProcessCost a, ProcessCost b) =>
        new(a.CpuMicroseconds + b.CpuMicroseconds, a.ContextSwitches + b.ContextSwitches, a.Sleeps + b.Sleeps);

    /// <summary>This process, all threads, including those that have ended (getrusage RUSAGE_SELF).</summary>
    public static ProcessCost OfThisProcess()
    {
        // struct rusage on 64-bit Linux: two timevals, then 14 longs of which ru_nvcsw and ru_nivcsw are the last two.
        var usage = new long[18];
        if (GetResourceUsage(0, usage) != 0)
        {
            return default;
        }

        return new((usage[0] + usage[2]) * 1e6 + usage[1] + usage[3], usage[16] + usage[17], usage[16]);
    }

    /// <summary>Another process, all its live threads, from /proc (CPU time in clock ticks of 10 ms).</summary>
    public static ProcessCost Of(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long switches = 0, sleeps = 0;
        foreach (var line in Directory.EnumerateDirectories($"/proc/{processId}/task").SelectMany(t => File.ReadLines(Path.Combine(t, "status"))))
        {
            var voluntary = line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal);
            if (voluntary || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                var count = long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
                switches += count;
                sleeps += voluntary ? count : 0;
            }
        }

        return new(ticks * 10_000.0, switches, sleeps);
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, [Out] long[] usage);
}
