using SensorGateway.Core.Alarms;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Storage.Forwarding;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Host.Storage;

/// <summary>
/// Turns storage losses into fault alarms on the gateway's own channel (<c>site/gateway/storage</c>, on the home
/// site: storage is shared by every site of the gateway, so one record, not one per site): the spool
/// reaching its quota, or the storage queue overflowing. Each carries the exact number of readings dropped so
/// far; the alarm is raised at once and re-raised at most once a minute while drops continue.
/// </summary>
internal sealed class StorageFaultReporter(GatewaySites sites, IReadingSpool spool, ReadingQueue queue, IAlarmPublisher publisher, TimeProvider time,
    ILogger<StorageFaultReporter> logger) : IHostedService
{
    private static readonly TimeSpan s_reraise = TimeSpan.FromMinutes(1);
    private readonly ChannelId _channel = new(sites.Home.Id, "gateway", "storage");
    private readonly Lock _gate = new();
    private DateTimeOffset _lastRaised = DateTimeOffset.MinValue;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        spool.QuotaExceeded += OnQuotaExceeded;
        spool.QuotaWarning += OnQuotaWarning;
        queue.Overflowed += OnQueueOverflow;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        spool.QuotaExceeded -= OnQuotaExceeded;
        spool.QuotaWarning -= OnQuotaWarning;
        queue.Overflowed -= OnQueueOverflow;
        return Task.CompletedTask;
    }

    private void OnQuotaWarning(object? sender, SpoolQuotaEventArgs e) =>
        StorageFaultLog.QuotaWarning(logger, e.StoredBytes, e.MaxBytes);

    private void OnQuotaExceeded(object? sender, SpoolQuotaEventArgs e) =>
        Raise("system.spool-full", e.TotalDroppedRecords, $"spool quota of {e.MaxBytes} bytes reached: {e.TotalDroppedRecords} readings dropped so far");

    private void OnQueueOverflow(long dropped) =>
        Raise("system.storage-queue-full", dropped, $"storage queue full: {dropped} readings dropped so far");

    private void Raise(string rule, long dropped, string message)
    {
        var now = time.GetUtcNow();
        AlarmEventKind kind;
        lock (_gate)
        {
            if (now - _lastRaised < s_reraise)
            {
                return;
            }

            kind = _lastRaised == DateTimeOffset.MinValue ? AlarmEventKind.Raised : AlarmEventKind.Realarmed;
            _lastRaised = now;
        }

        StorageFaultLog.Dropped(logger, message);
        var evidence = new Reading(_channel, "gateway.storage.dropped", "readings", dropped, Quality.Good, now, now, dropped);
        var alarm = new AlarmEvent(_channel, rule, kind, AlarmLevel.Fault, "fault", AlarmState.UnacknowledgedActive, double.NaN, evidence, now, message);

        // Raised from the spool's or queue's thread; publishing must not block them.
        _ = publisher.PublishAsync(alarm, CancellationToken.None).AsTask();
    }
}
