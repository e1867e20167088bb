using System.Globalization;
using Grpc.Net.Client;
using SensorGateway.Benchmarks.Subscribers;
using SensorGateway.Grpc.V1;

namespace SensorGateway.LoadHarness.Measurement;

/// <summary>
/// Fan-out under the end-to-end load: fleets of hazard-stream subscribers of the given sizes (e.g. 1 and 100, each
/// subscriber on a connection of its own, in a process of their own) take turns in phases of the load, so that every
/// size sees the same machine, database and disk over the run. Each probe alarm's arrival at each fleet subscriber's
/// socket is timed from the gateway's acceptance of the reading (the event's received_time): the measure issue 7
/// names, now with the broker, the database and the intake sharing the cores.
/// </summary>
internal sealed class FanOutPhases(Uri grpcUrl, string siteId, IReadOnlyList<int> sizes, TimeSpan phase, bool niced)
{
    // A fleet's streams open while it starts (the server sends a stream's headers with its first event): alarms sent
    // in the first second after it reported ready, or in the last second before it is stopped, are not timed.
    private static readonly TimeSpan s_margin = TimeSpan.FromSeconds(1);

    private readonly List<(int Size, DateTimeOffset From, DateTimeOffset Until, List<FleetArrival> Arrivals)> _phases = [];

    /// <summary>Runs phases from <paramref name="delay"/> into the load until <paramref name="loadOver"/> fires.</summary>
    public async Task RunAsync(TimeSpan delay, CancellationToken loadOver)
    {
        if (!await WaitAsync(delay, loadOver).ConfigureAwait(false))
        {
            return;
        }

        using var channel = GrpcChannel.ForAddress(grpcUrl);
        var client = new HazardService.HazardServiceClient(channel);
        for (var turn = 0; !loadOver.IsCancellationRequested; turn++)
        {
            var size = sizes[turn % sizes.Count];
            // From the newest event on: a replay of the run's earlier alarms to 100 new streams would be load of its own.
            var head = (await client.ListHazardsAsync(new ListHazardsRequest { Site = siteId, PageSize = 1 }, cancellationToken: loadOver).ConfigureAwait(false)).LastSequence;
            var fleet = await SubscriberFleet.StartProcessAsync(grpcUrl.ToString(), size, head, shared: false, pinned: false, niced, siteId).ConfigureAwait(false);
            var from = DateTimeOffset.UtcNow + s_margin;
            await WaitAsync(phase, loadOver).ConfigureAwait(false);
            var until = DateTimeOffset.UtcNow - s_margin;
            var arrivals = await SubscriberFleet.StopProcessAsync(fleet).ConfigureAwait(false);
            if (until > from)
            {
                _phases.Add((size, from, until, arrivals));
            }
        }
    }

    /// <summary>
    /// Per fleet size, the alarms of <paramref name="timed"/> (device and send time) sent within its phases: their
    /// latency in the gateway at the subscribers' sockets and in their code, and the deliveries that did not arrive.
    /// The first size is the baseline of the p99 ratios.
    /// </summary>
    public IReadOnlyList<FanOutResult> Results(IReadOnlySet<(string Device, DateTimeOffset Sent)> timed)
    {
        var results = new List<FanOutResult>();
        Samples? baseline = null;
        foreach (var size in sizes.Distinct())
        {
            var phases = _phases.Where(p => p.Size == size).ToList();
            var expected = phases.Sum(p => timed.Count(a => a.Sent >= p.From && a.Sent <= p.Until));
            var arrivals = phases.SelectMany(p => p.Arrivals.Where(a => timed.Contains((a.Device, a.SourceTime)) && a.SourceTime >= p.From && a.SourceTime <= p.Until)).ToList();
            var atSocket = Samples.Of(arrivals.Select(a => ((a.Device, a.SourceTime), InGateway(a, a.AtSocket))));
            var atCode = Samples.Of(arrivals.Select(a => ((a.Device, a.SourceTime), InGateway(a, a.At))));
            if (atSocket.Sorted.Length == 0)
            {
                continue;
            }

            baseline ??= atSocket;
            var (low, high) = RatioInterval.OfP99(baseline.ByProbe, atSocket.ByProbe);
            var spreads = atSocket.Spreads();
            results.Add(new FanOutResult(size, phases.Count, expected, arrivals.Count, ((long)expected * size) - arrivals.Count, arrivals.Count(a => a.SharedRead),
                atSocket.Percentile(0.50), atSocket.Percentile(0.99), atSocket.Sorted[^1], atCode.Percentile(0.99),
                atSocket.Percentile(0.99) / baseline.Percentile(0.99), low, high, Samples.Percentile(spreads, 0.50), Samples.Percentile(spreads, 0.99)));
        }

        return results;
    }

    /// <summary>One line per alarm timed in a phase, in send order: the fleet's size, and its first and last subscriber's latency in the gateway.</summary>
    public void WriteTimeline(string path)
    {
        using var file = new StreamWriter(path);
        file.WriteLine("sent,device,subscribers,arrivals,shared_reads,first_ms,last_ms");
        var alarms = _phases.SelectMany(p => p.Arrivals.Where(a => a.SourceTime >= p.From && a.SourceTime <= p.Until).Select(a => (p.Size, Arrival: a)))
            .GroupBy(a => (a.Size, a.Arrival.Device, a.Arrival.SourceTime), a => a.Arrival)
            .OrderBy(g => g.Key.SourceTime);
        foreach (var alarm in alarms)
        {
            var latencies = alarm.Select(a => InGateway(a, a.AtSocket)).ToList();
            file.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{alarm.Key.SourceTime:O},{alarm.Key.Device},{alarm.Key.Size},{latencies.Count},{alarm.Count(a => a.SharedRead)},{latencies.Min():0.00},{latencies.Max():0.00}"));
        }
    }

    /// <summary>Milliseconds from the gateway's acceptance of the alarm's reading to <paramref name="stamp"/> (a Stopwatch timestamp).</summary>
    private static double InGateway(FleetArrival arrival, long stamp) => (KernelStampedStream.ToUtc(stamp) - arrival.ReceivedTime).TotalMilliseconds;

    /// <summary>False when <paramref name="cancellationToken"/> ended the wait.</summary>
    private static async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>
/// One fleet size's figures: phases and alarms timed, deliveries received, missing, and read together with the next
/// event (their socket time an upper bound, <see cref="FleetArrival.SharedRead"/>), the latency in the gateway
/// (reading accepted → the subscriber's socket) p50 / p99 / max and its p99 in the subscribers' code, the socket p99's
/// ratio to the first size's with its 95 % interval over resampled alarms, and the spread of one alarm's arrivals.
/// </summary>
internal sealed record FanOutResult(int Subscribers, int Phases, int Alarms, int Deliveries, long Missing, int SharedReads,
    double P50Ms, double P99Ms, double MaxMs, double CodeP99Ms, double Ratio, double RatioLow, double RatioHigh, double SpreadP50Ms, double SpreadP99Ms);
