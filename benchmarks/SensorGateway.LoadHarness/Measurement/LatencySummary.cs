using SensorGateway.Benchmarks.Subscribers;

namespace SensorGateway.LoadHarness.Measurement;

/// <summary>p50 / p99 / max of a set of latencies, in milliseconds (nearest rank).</summary>
internal sealed record LatencySummary(int Count, double P50, double P99, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN);
        }

        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(sorted.Length, Samples.Percentile(sorted, 0.50), Samples.Percentile(sorted, 0.99), sorted[^1]);
    }
}
