using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Storage.Forwarding;

/// <summary>
/// Drains the spool into the database in order, with up to <c>writesInFlight</c> batches in flight: a batch leaves
/// the spool only when the database confirmed it. A transient failure puts the batch back at the head and waits
/// (capped exponential backoff with jitter, or the server's Retry-After); while the database is away the spool
/// grows, and when it returns the backlog drains at full batch size while live data keeps being appended behind it.
/// A batch the database refuses as invalid is split until the bad points are isolated; those go to quarantine and
/// the rest is written.
/// </summary>
/// <remarks>
/// Batches are taken in order but, with more than one in flight, may land in either order; a crash resends at most
/// the batches in flight. Two in flight let the database parse one batch while the next is serialised and sent,
/// which is where a single writer waits most (docs/STORAGE.md, performance).
/// </remarks>
public sealed class SpoolForwarder(IReadingSpool spool, IReadingSink database, QuarantineFile quarantine, int batchSize, TimeProvider time, ILogger<SpoolForwarder> logger,
    int writesInFlight = 1)
    : BackgroundService
{
    private static readonly Meter s_meter = new("SensorGateway.Storage.Spool.Forwarder");
    private static readonly Counter<long> s_written = s_meter.CreateCounter<long>("sg.storage.database.written", description: "Readings the database confirmed");
    private static readonly Counter<long> s_retries = s_meter.CreateCounter<long>("sg.storage.database.retries", description: "Batches put back after a transient failure");
    private static readonly Counter<long> s_quarantined = s_meter.CreateCounter<long>("sg.storage.database.quarantined", description: "Points refused as invalid");
    private static readonly Histogram<double> s_latency = s_meter.CreateHistogram<double>("sg.storage.database.batch.duration", "ms", "Time to write one batch");

    private static readonly TimeSpan s_minBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);
    private long _written;

    /// <summary>Readings the database has confirmed so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, writesInFlight)).Select(_ => WriteBatchesAsync(stoppingToken)));

    // One writer: take the oldest batch not in flight, write it, and back off on its own after a failure.
    private async Task WriteBatchesAsync(CancellationToken stoppingToken)
    {
        var backoff = s_minBackoff;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await spool.WaitForDataAsync(stoppingToken).ConfigureAwait(false);
                if (await spool.TakeAsync(batchSize, stoppingToken).ConfigureAwait(false) is not { } batch)
                {
                    continue;
                }

                var wait = await ForwardAsync(batch, stoppingToken).ConfigureAwait(false);
                if (wait is null)
                {
                    backoff = s_minBackoff;
                    continue;
                }

                var delay = wait.Value > TimeSpan.Zero ? wait.Value : Jitter(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is not confirmed stays in the spool for the next start.
        }
    }

    // Returns null when the batch left the spool, or how long to wait (zero: use the backoff) after putting it back.
    private async Task<TimeSpan?> ForwardAsync(SpoolBatch batch, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await WriteIsolatingInvalidAsync(batch.Readings, stoppingToken).ConfigureAwait(false);
            s_latency.Record(time.GetElapsedTime(started).TotalMilliseconds);
            var count = batch.Readings.Length;
            spool.Accept(batch);
            s_written.Add(count);
            Interlocked.Add(ref _written, count);
            return null;
        }
        catch (Exception ex) when (ex is StorageWriteException or HttpRequestException or IOException or TimeoutException or
                                       (OperationCanceledException and not TaskCanceledException { CancellationToken.IsCancellationRequested: true }))
        {
            spool.Reject(batch);
            s_retries.Add(1);
            var retryAfter = (ex as StorageWriteException)?.RetryAfter ?? TimeSpan.Zero;
            SpoolForwarderLog.WriteFailed(logger, ex.Message, batch.Readings.Length, spool.Counters.PendingRecords);
            return retryAfter;
        }
        catch (OperationCanceledException)
        {
            spool.Reject(batch);
            throw;
        }
    }

    // A 400 means some points are invalid: halve until single points, which go to quarantine with the reason.
    private async Task WriteIsolatingInvalidAsync(ReadOnlyMemory<Reading> readings, CancellationToken stoppingToken)
    {
        try
        {
            await database.AcceptAsync(readings, stoppingToken).ConfigureAwait(false);
        }
        catch (StorageWriteException ex) when (ex.Rejected)
        {
            if (readings.Length == 1)
            {
                quarantine.Write(readings.Span[0], ex.Message);
                s_quarantined.Add(1);
                SpoolForwarderLog.Quarantined(logger, readings.Span[0].Channel.ToString(), ex.Message, quarantine.Directory);
                return;
            }

            var half = readings.Length / 2;
            await WriteIsolatingInvalidAsync(readings[..half], stoppingToken).ConfigureAwait(false);
            await WriteIsolatingInvalidAsync(readings[half..], stoppingToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + (Random.Shared.NextDouble() * 0.5))));
}
