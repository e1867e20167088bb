using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Influx;

namespace SensorGateway.Storage.Forwarding;

/// <summary>
/// Moves readings from the queue to the sink in batches (by size or age), retrying a failed batch with
/// capped exponential backoff and jitter until the sink accepts it. At shutdown it drains the queue
/// before returning, so what was accepted by the pipeline reaches the sink.
/// </summary>
public sealed class StorageForwarder(ReadingQueue queue, IReadingSink sink, IOptions<StorageOptions> options, TimeProvider time, ILogger<StorageForwarder> logger)
    : BackgroundService
{
    private static readonly Meter s_meter = new("SensorGateway.Storage.Forwarder");
    private static readonly Counter<long> s_written = s_meter.CreateCounter<long>("sg.storage.written", description: "Readings accepted by the storage sink");
    private static readonly Counter<long> s_retries = s_meter.CreateCounter<long>("sg.storage.retries", description: "Failed storage writes that will be retried");
    private static readonly Histogram<double> s_latency = s_meter.CreateHistogram<double>("sg.storage.batch.duration", "ms", "Time to write one batch");

    private static readonly TimeSpan s_minBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);
    private long _written;

    /// <summary>Readings the sink has accepted so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var batch = new Reading[settings.BatchSize];
        while (true)
        {
            var count = await FillAsync(batch, settings.FlushInterval, stoppingToken).ConfigureAwait(false);
            if (count > 0)
            {
                await WriteWithRetryAsync(batch.AsMemory(0, count), stoppingToken).ConfigureAwait(false);
            }
            else if (queue.Reader.Completion.IsCompleted || (stoppingToken.IsCancellationRequested && queue.Count == 0))
            {
                break;
            }
        }

        await sink.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    // Waits for the first reading, then takes whatever else is already queued. A positive FlushInterval also waits
    // that long for the batch to fill; the default (zero) writes at once, since sources hold their acknowledgements
    // until readings are durable and the spool's group commit already coalesces small writes.
    private async Task<int> FillAsync(Reading[] batch, TimeSpan flushInterval, CancellationToken stoppingToken)
    {
        var count = 0;
        try
        {
            if (!queue.Reader.TryRead(out batch[0]))
            {
                if (!await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false) || !queue.Reader.TryRead(out batch[0]))
                {
                    return 0;
                }
            }

            count = 1;
            while (count < batch.Length && queue.Reader.TryRead(out batch[count]))
            {
                count++;
            }

            if (flushInterval > TimeSpan.Zero)
            {
                using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                window.CancelAfter(flushInterval);
                while (count < batch.Length)
                {
                    if (queue.Reader.TryRead(out batch[count]))
                    {
                        count++;
                        continue;
                    }

                    if (!await queue.Reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Window over or shutting down: at shutdown take everything still queued without waiting.
            while (stoppingToken.IsCancellationRequested && count < batch.Length && queue.Reader.TryRead(out batch[count]))
            {
                count++;
            }
        }

        return count;
    }

    private async Task WriteWithRetryAsync(ReadOnlyMemory<Reading> batch, CancellationToken stoppingToken)
    {
        var backoff = s_minBackoff;
        var shutdownAttempts = 0;
        while (true)
        {
            var started = time.GetTimestamp();
            try
            {
                // At shutdown the stopping token is already cancelled; the final writes get their own time limit.
                using var attempt = new CancellationTokenSource(options.Value.RequestTimeout);
                await sink.AcceptAsync(batch, attempt.Token).ConfigureAwait(false);
                s_latency.Record(time.GetElapsedTime(started).TotalMilliseconds);
                s_written.Add(batch.Length);
                Interlocked.Add(ref _written, batch.Length);
                queue.MarkStored(batch.Length);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or InfluxDB.Client.Core.Exceptions.InfluxException)
            {
                s_retries.Add(1);
                if (stoppingToken.IsCancellationRequested && ++shutdownAttempts >= 3)
                {
                    StorageLog.DroppedAtShutdown(logger, ex, batch.Length);
                    return;
                }

                var wait = TimeSpan.FromTicks((long)(backoff.Ticks * (0.5 + (Random.Shared.NextDouble() * 0.5))));
                StorageLog.WriteFailed(logger, ex, batch.Length, wait);
                await Task.Delay(wait, time, CancellationToken.None).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
            }
        }
    }
}
