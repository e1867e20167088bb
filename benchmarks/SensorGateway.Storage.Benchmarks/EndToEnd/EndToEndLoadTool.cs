using System.Globalization;
using SensorGateway.Storage.Influx;
using SensorGateway.Testing;

namespace SensorGateway.Storage.Benchmarks.EndToEnd;

/// <summary>
/// Issue 6's performance check on this machine, against a VictoriaMetrics of the tool's own: sustained readings/s
/// through the real queue, file spool (group commit: one fsync per group of appends) and InfluxDB.Client v2 writer,
/// with every sent reading counted in the database; then a backlog built while the database is stopped and drained
/// after it restarts while live readings keep coming; and, as the reference, the database's own ingest ceiling.
/// </summary>
internal static class EndToEndLoadTool
{
    private const int Channels = 10_000;
    private const int BatchSize = 5000;
    private const string Sector = "fuel_stations";
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);

    // Requests in flight compared: one (a writer that waits for each answer), the writer's default, and more.
    private static readonly int[] s_inFlight = [1, new StorageOptions().WritesInFlight, 4];

    public static async Task<int> RunAsync(TimeSpan duration, double liveRate, TimeSpan outage, CancellationToken cancellationToken)
    {
        await using var database = new LocalVictoriaMetrics();
        await database.StartAsync(cancellationToken).ConfigureAwait(false);
        using var victoria = new VictoriaMetricsClient(database.Url);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"victoria-metrics {database.Url}, {Channels:N0} channels, batches of {BatchSize:N0}, gzip, file spool with group commit; {duration.TotalSeconds} s per run, live rate {liveRate:N0}/s, outage {outage.TotalSeconds} s"));
        var rows = new List<PhaseResult>();
        rows.AddRange(await CeilingAsync(database, victoria, start, duration, cancellationToken).ConfigureAwait(false));
        foreach (var writesInFlight in s_inFlight)
        {
            rows.AddRange(await SustainedAsync(database, victoria, start, duration, writesInFlight, cancellationToken).ConfigureAwait(false));
        }

        rows.Add(await WithoutDatabaseAsync(database, start, duration, cancellationToken).ConfigureAwait(false));
        rows.AddRange(await DrainAsync(database, victoria, start, liveRate, outage, cancellationToken).ConfigureAwait(false));
        Console.WriteLine(PhaseResult.Header);
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        foreach (var line in WriterStageCosts.Measure(BatchSize, Sector))
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    // The database alone: pre-serialised, pre-gzipped batches of the same shape, as many requests at a time as the
    // writer would keep in flight.
    private static async Task<IEnumerable<PhaseResult>> CeilingAsync(LocalDatabase database, VictoriaMetricsClient victoria, DateTimeOffset start, TimeSpan duration, CancellationToken ct)
    {
        var bodies = VictoriaMetricsClient.Serialise(new ReadingSource("ceiling", Channels, start), 100, BatchSize, new LineProtocol(Sector));
        var rows = new List<PhaseResult>();
        foreach (var inFlight in s_inFlight)
        {
            var clock = new PhaseClock(database);
            var posted = await victoria.PostForAsync(bodies, BatchSize, inFlight, duration, ct).ConfigureAwait(false);
            rows.Add(clock.Result($"VictoriaMetrics alone, {inFlight} request(s) in flight", posted, "pre-serialised line protocol, gzip"));
        }

        return rows;
    }

    // Readings offered as fast as the spool makes them durable; the run ends when every one has landed.
    private static async Task<IEnumerable<PhaseResult>> SustainedAsync(LocalDatabase database, VictoriaMetricsClient victoria, DateTimeOffset start, TimeSpan duration, int writesInFlight, CancellationToken ct)
    {
        var site = $"e2e-sustained-{writesInFlight}";
        var run = await FlatOutAsync(database.Url, site, writesInFlight, database, start, duration, ct).ConfigureAwait(false);
        var stored = await victoria.CountLandedAsync(site, run.Landed.Readings, ct).ConfigureAwait(false);
        var lost = run.Landed.Readings - stored;
        return
        [
            run.Acknowledged,
            run.Landed with
            {
                Phase = $"**sustained: sent → landed in VictoriaMetrics, {writesInFlight} write(s) in flight**",
                Note = $"{run.LandedWhileSending:N0} landed while sending; VictoriaMetrics holds {stored:N0}: {(lost == 0 ? "0 lost" : $"{lost:N0} MISSING")}",
            },
        ];
    }

    // The same path into a stand-in that discards every batch: how fast our side goes when the database costs nothing.
    private static async Task<PhaseResult> WithoutDatabaseAsync(LocalDatabase database, DateTimeOffset start, TimeSpan duration, CancellationToken ct)
    {
        await using var discarding = await DiscardingDatabase.StartAsync(ct).ConfigureAwait(false);
        var writesInFlight = new StorageOptions().WritesInFlight;
        var run = await FlatOutAsync(discarding.Url, "e2e-discarded", writesInFlight, database, start, duration, ct).ConfigureAwait(false);
        return run.Landed with
        {
            Phase = $"our path alone: sent → confirmed by a stand-in that discards, {writesInFlight} writes in flight",
            Note = $"acknowledged {run.Acknowledged.PerSecond:N0}/s; Kestrel on loopback answering 204, its CPU counted as ours",
        };
    }

    // Offers readings flat out for the run's length through a fresh storage path, then waits until all are confirmed.
    private static async Task<FlatOutRun> FlatOutAsync(Uri target, string site, int writesInFlight, LocalDatabase database, DateTimeOffset start, TimeSpan duration, CancellationToken ct)
    {
        var source = new ReadingSource(site, Channels, start);
        await using var path = new StoragePath(target, Sector, BatchSize, writesInFlight);
        await path.StartAsync(ct).ConfigureAwait(false);
        var clock = new PhaseClock(database);
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            stop.CancelAfter(duration);
            await source.RunAsync(path.Queue, perSecond: null, stop.Token).ConfigureAwait(false);
        }

        var acknowledged = clock.Result($"acknowledged (queue → spool, group commit), {writesInFlight} write(s) in flight", path.Acknowledged, $"spool depth at the end {path.SpoolDepth:N0}");
        var landedWhileSending = path.Landed;
        await WaitUntilAsync(() => path.Landed >= source.Produced, ct).ConfigureAwait(false);
        return new FlatOutRun(acknowledged, clock.Result("landed", source.Produced), landedWhileSending);
    }

    private sealed record FlatOutRun(PhaseResult Acknowledged, PhaseResult Landed, long LandedWhileSending);

    // A live stream at a fixed rate; the database is stopped long enough to build a backlog, then restarted while the
    // stream continues. The drain rate is what the writer lands from its first write after the restart until the
    // spool is back to live depth.
    private static async Task<IEnumerable<PhaseResult>> DrainAsync(LocalDatabase database, VictoriaMetricsClient victoria, DateTimeOffset start, double liveRate, TimeSpan outage, CancellationToken ct)
    {
        var source = new ReadingSource("e2e-drain", Channels, start);
        await using var path = new StoragePath(database.Url, Sector, BatchSize, new StorageOptions().WritesInFlight);
        await path.StartAsync(ct).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var live = source.RunAsync(path.Queue, liveRate, stop.Token);
        var liveClock = new PhaseClock(database);
        await WaitUntilAsync(() => liveClock.Elapsed >= outage / 4, ct).ConfigureAwait(false);
        var liveRow = liveClock.Result("live stream, database up", path.Landed, "landed at the offered rate");

        await database.StopAsync(ct).ConfigureAwait(false);
        var down = new PhaseClock(database);
        await WaitUntilAsync(() => down.Elapsed >= outage, ct).ConfigureAwait(false);
        var backlog = path.SpoolDepth;
        await database.StartAsync(ct).ConfigureAwait(false);
        var restarted = new PhaseClock(database);
        var landedAtRestart = path.Landed;
        await WaitUntilAsync(() => path.Landed > landedAtRestart, ct).ConfigureAwait(false);
        var resumedAfter = restarted.Elapsed;
        var drain = new PhaseClock(database);
        var landedAtResume = path.Landed;
        await WaitUntilAsync(() => path.SpoolDepth <= BatchSize, ct).ConfigureAwait(false);
        var drainRow = drain.Result("**backlog drain, live stream continuing**", path.Landed - landedAtResume,
            string.Create(CultureInfo.InvariantCulture, $"backlog {backlog:N0} after {outage.TotalSeconds} s down; first write {resumedAfter.TotalSeconds:F1} s after restart (retry backoff)"));

        await stop.CancelAsync().ConfigureAwait(false);
        await live.ConfigureAwait(false);
        await WaitUntilAsync(() => path.Landed >= source.Produced, ct).ConfigureAwait(false);
        var stored = await victoria.CountLandedAsync(source.Site, source.Produced, ct).ConfigureAwait(false);
        var lost = source.Produced - stored;
        return
        [
            liveRow,
            drainRow with
            {
                Note = drainRow.Note + string.Create(CultureInfo.InvariantCulture,
                    $"; **{drainRow.PerSecond / liveRate:F1}× the live rate**; {source.Produced:N0} sent, VictoriaMetrics holds {stored:N0}: {(lost == 0 ? "0 lost" : $"{lost:N0} MISSING")}"),
            },
        ];
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(s_poll, ct).ConfigureAwait(false);
        }
    }
}
