using System.Globalization;

namespace SensorGateway.LoadHarness.Measurement;

/// <summary>
/// One process's CPU time and memory from <c>/proc/PID/stat</c> and <c>/proc/PID/status</c>: what <c>top</c> would
/// show, for the gateway alone and for each peer, so a saturated stage is named by its process.
/// </summary>
internal readonly record struct ProcessUsage(TimeSpan CpuTime, long PeakRssBytes, long RssBytes)
{
    // USER_HZ: 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public static ProcessUsage Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) in parentheses; utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            long hwm = 0, rss = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kilobytes(line);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
            }

            return new ProcessUsage(TimeSpan.FromSeconds(ticks / TicksPerSecond), hwm, rss);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return default; // gone
        }
    }

    /// <summary>CPU used between two samples, in % of one core.</summary>
    public static double CpuPercent(ProcessUsage from, ProcessUsage to, TimeSpan elapsed) =>
        elapsed > TimeSpan.Zero ? 100 * (to.CpuTime - from.CpuTime).TotalSeconds / elapsed.TotalSeconds : 0;

    private static long Kilobytes(string line) =>
        1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
