using SensorGateway.Benchmarks.Subscribers;

/// <summary>
/// One run of a fan-out: latencies taken in the subscribers' code and at their sockets, commit times, and CPU in cores
/// over the load (this process, the kernel's share of it, and the subscribers' process when they have one), and this process's garbage
/// collections per second, share of time paused for them, and bytes allocated per second.
/// </summary>
internal sealed record RunResult(Samples AtCode, Samples AtSocket, double[] Commits, double AchievedRate, double Cpu, double KernelCpu, double ClientCpu, double EventsPerSecond,
    double Collections, double Paused, double Allocated)
{
    /// <summary>The runs' samples together; rates and CPU as medians, so that the first run's compilation does not count.</summary>
    public static RunResult Pool(IReadOnlyList<RunResult> runs) => new(
        Samples.Pool(runs.Select(r => r.AtCode)), Samples.Pool(runs.Select(r => r.AtSocket)), [.. runs.SelectMany(r => r.Commits).Order()],
        Median(runs, r => r.AchievedRate), Median(runs, r => r.Cpu), Median(runs, r => r.KernelCpu), Median(runs, r => r.ClientCpu), Median(runs, r => r.EventsPerSecond),
        Median(runs, r => r.Collections), Median(runs, r => r.Paused), Median(runs, r => r.Allocated));

    private static double Median(IReadOnlyList<RunResult> runs, Func<RunResult, double> value)
    {
        double[] sorted = [.. runs.Select(value).Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
