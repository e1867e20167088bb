namespace SensorGateway.Benchmarks.Subscribers;

/// <summary>Latencies in milliseconds, kept per probe too: a probe's arrivals at its subscribers share one commit.</summary>
internal sealed class Samples(IReadOnlyList<double[]> byProbe)
{
    /// <summary>Each probe's latencies (probes of pooled runs stay apart).</summary>
    public IReadOnlyList<double[]> ByProbe { get; } = byProbe;

    public double[] Sorted { get; } = [.. byProbe.SelectMany(p => p).Order()];

    public static Samples Of<TProbe>(IEnumerable<(TProbe Probe, double Milliseconds)> arrivals) =>
        new([.. arrivals.GroupBy(a => a.Probe, a => a.Milliseconds).Select(g => g.ToArray())]);

    public static Samples Pool(IEnumerable<Samples> runs) => new([.. runs.SelectMany(r => r.ByProbe)]);

    /// <summary>The nearest-rank <paramref name="quantile"/> of all samples.</summary>
    public double Percentile(double quantile) => Percentile(Sorted, quantile);

    /// <summary>The nearest-rank <paramref name="quantile"/> of sorted values.</summary>
    public static double Percentile(double[] sorted, double quantile) => sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Per probe, its last subscriber's latency minus its first's: how long one event's fan-out took.</summary>
    public double[] Spreads() => [.. ByProbe.Select(p => p.Max() - p.Min()).Order()];
}
