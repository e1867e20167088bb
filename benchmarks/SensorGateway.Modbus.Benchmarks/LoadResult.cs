using System.Globalization;

namespace SensorGateway.Modbus.Benchmarks;

/// <summary>Requests, latencies and costs of one client at one depth, summed over the slices it ran.</summary>
internal sealed class LoadResult(string client, int depth)
{
    private readonly List<double> _latencies = [];

    public string Client { get; } = client;

    public int Depth { get; } = depth;

    public double Seconds { get; private set; }

    public long Errors { get; private set; }

    /// <summary>The client process.</summary>
    public ProcessCost ClientCost { get; private set; }

    /// <summary>The slave process (ours or libmodbus, each in a process of its own).</summary>
    public ProcessCost SlaveCost { get; private set; }

    /// <summary>Managed bytes allocated by the client process (ours only; null for the C client).</summary>
    public long? AllocatedBytes { get; private set; }

    public int Gen0Collections { get; private set; }

    public long Requests => _latencies.Count;

    public double RequestsPerSecond => Requests / Seconds;

    public void AddManaged(long allocatedBytes, int gen0Collections)
    {
        AllocatedBytes = (AllocatedBytes ?? 0) + allocatedBytes;
        Gen0Collections += gen0Collections;
    }

    public void Add(IEnumerable<double> latencies, double seconds, long errors, ProcessCost client, ProcessCost slave)
    {
        _latencies.AddRange(latencies);
        Seconds += seconds;
        Errors += errors;
        ClientCost += client;
        SlaveCost += slave;
    }

    public double Percentile(double fraction)
    {
        _latencies.Sort();
        return _latencies[(int)(_latencies.Count * fraction)];
    }

    public static string Header =>
        "| client | depth | requests/s | p50 µs | p99 µs | errors | client CPU µs/req | client ctx switches/req | slave CPU µs/req | slave sleeps/req | allocated B/req | gen0 GCs |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|";

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Client} | {Depth} | {RequestsPerSecond:F0} | {Percentile(0.5):F1} | {Percentile(0.99):F1} | {Errors} | " +
        $"{ClientCost.CpuMicroseconds / Requests:F1} | {(double)ClientCost.ContextSwitches / Requests:F2} | " +
        $"{(SlaveCost.CpuMicroseconds == 0 ? "—" : (SlaveCost.CpuMicroseconds / Requests).ToString("F1", CultureInfo.InvariantCulture))} | {(double)SlaveCost.Sleeps / Requests:F2} | " +
        $"{(AllocatedBytes is { } bytes ? (bytes / Requests).ToString(CultureInfo.InvariantCulture) : "—")} | {(AllocatedBytes is null ? "—" : Gen0Collections.ToString(CultureInfo.InvariantCulture))} |");
}
