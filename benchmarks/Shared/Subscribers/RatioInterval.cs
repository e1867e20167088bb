namespace SensorGateway.Benchmarks.Subscribers;

/// <summary>
/// How far to trust a ratio of two p99s. The one-subscriber p99 is about the 20th-worst of 2,000 probes and follows
/// the disk's fsync tail, so the same build gave ratios from 1.7× to 3.6× from one run to the next. A bootstrap over
/// probes (not samples: a probe's 100 arrivals share its commit and are not independent) shows that spread within a
/// run, so a change is judged by its interval rather than by one draw.
/// </summary>
internal static class RatioInterval
{
    /// <summary>The 2.5th and 97.5th percentiles of p99(fan-out) ÷ p99(baseline) over resampled probes.</summary>
    public static (double Low, double High) OfP99(IReadOnlyList<double[]> baseline, IReadOnlyList<double[]> fanOut, int resamples = 400)
    {
        var random = new Random(20261129);
        var ratios = new double[resamples];
        var baselineBuffer = new double[baseline.Sum(p => p.Length) * 2];
        var fanOutBuffer = new double[fanOut.Sum(p => p.Length) * 2];
        for (var i = 0; i < resamples; i++)
        {
            ratios[i] = ResampledP99(fanOut, random, ref fanOutBuffer) / ResampledP99(baseline, random, ref baselineBuffer);
        }

        Array.Sort(ratios);
        return (ratios[(int)(0.025 * resamples)], ratios[(int)(0.975 * resamples) - 1]);
    }

    private static double ResampledP99(IReadOnlyList<double[]> probes, Random random, ref double[] buffer)
    {
        var count = 0;
        for (var i = 0; i < probes.Count; i++)
        {
            var probe = probes[random.Next(probes.Count)];
            if (count + probe.Length > buffer.Length)
            {
                Array.Resize(ref buffer, (count + probe.Length) * 2);
            }

            probe.CopyTo(buffer, count);
            count += probe.Length;
        }

        var drawn = buffer.AsSpan(0, count);
        drawn.Sort();
        return drawn[Math.Min(count - 1, (int)Math.Ceiling(0.99 * count) - 1)];
    }
}
