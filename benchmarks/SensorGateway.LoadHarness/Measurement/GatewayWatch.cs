using System.Diagnostics;

namespace SensorGateway.LoadHarness.Measurement;

/// <summary>
/// Samples the gateway during the load: its <c>/metrics</c> (readings accepted, storage queue, spool backlog) and
/// its resident memory, every <see cref="Interval"/>, for the live display and for the report's maxima and memory trend.
/// </summary>
internal sealed class GatewayWatch(GatewayProcess gateway)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly List<(TimeSpan At, long Rss)> _rss = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public PrometheusText? Latest { get; private set; }

    public double MaxStorageQueue { get; private set; }

    public double MaxSpoolPending { get; private set; }

    /// <summary>Scrapes the gateway did not answer in time.</summary>
    public int MissedScrapes { get; private set; }

    public long RssNow => _rss.Count == 0 ? 0 : _rss[^1].Rss;

    public static double Accepted(PrometheusText metrics) => metrics.Sum("sg_pipeline_readings");

    public static double SpoolPending(PrometheusText metrics) => metrics.Sum("sensorgateway_spool_pending");

    /// <summary>Resident memory at a share of the watch's time (0.25 = a quarter in), for the growth check.</summary>
    public long RssAt(double share)
    {
        if (_rss.Count == 0)
        {
            return 0;
        }

        var at = _rss[^1].At * share;
        return _rss.First(s => s.At >= at).Rss;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                await SampleAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await Tick(timer, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped in the middle of a scrape.
        }
    }

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        if (await gateway.TryScrapeAsync(cancellationToken).ConfigureAwait(false) is { } metrics)
        {
            Latest = metrics;
            MaxStorageQueue = Math.Max(MaxStorageQueue, metrics.Sum("sg_storage_queue_depth"));
            MaxSpoolPending = Math.Max(MaxSpoolPending, SpoolPending(metrics));
        }
        else
        {
            MissedScrapes++;
        }

        _rss.Add((_clock.Elapsed, gateway.Usage().RssBytes));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
