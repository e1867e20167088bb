using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Diagnostics.Metrics;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using SensorGateway.Alarms;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Forwarding;

namespace SensorGateway.Host.Pipeline;

/// <summary>
/// Joins the stages: every adapter's readings are merged into one stream; each reading goes to the storage
/// queue and through the alarm engine, whose events go to the hazard publisher.
/// </summary>
/// <remarks>
/// Back-pressure rule: the live stream is never slowed by storage. Readings wait in the bounded
/// <see cref="ReadingQueue"/>; when it is full a reading is dropped, counted (<c>sg.storage.queue.dropped</c>),
/// logged and reported by /health/ready as degraded. Alarm detection runs on the stream itself, so a slow
/// database never delays an alarm. Alarm events are handed to the publisher in order; it commits them in groups.
/// </remarks>
internal sealed class ReadingPipeline(
    IEnumerable<IReadingSource> sources,
    ReadingQueue queue,
    AlarmEngine engine,
    IAlarmPublisher publisher,
    IAlarmStateStore alarmState,
    IScheduler scheduler,
    ILogger<ReadingPipeline> logger) : IHostedService
{
    private static readonly Meter s_meter = new("SensorGateway.Pipeline");
    private static readonly Counter<long> s_readings = s_meter.CreateCounter<long>("sg.pipeline.readings", description: "Readings accepted from all adapters");
    private static readonly Counter<long> s_alarms = s_meter.CreateCounter<long>("sg.pipeline.alarm_events", description: "Alarm events published");

    private readonly CompositeDisposable _subscriptions = [];

    // Keyed by the channel's shared identity, whose hash is computed once, so counting costs no string hashing.
    private readonly ConcurrentDictionary<ChannelId, long> _acceptedByChannel = new();
    private long _accepted;

    public PipelineStatus Status { get; private set; } = PipelineStatus.Starting;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long StorageDropped => queue.Dropped;

    /// <summary>Readings accepted so far per channel (a live view): which sites and devices are being heard.</summary>
    public IReadOnlyDictionary<ChannelId, long> AcceptedByChannel => _acceptedByChannel;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        queue.Overflowed += OnOverflow;
        var readings = Observable.Merge(sources.Select(s => s.Readings))
            .Do(Accept)
            .Publish();
        var alarms = engine.Detect(readings).Publish();
        _subscriptions.Add(alarms.Subscribe(Publish, OnError));
        // Alarms are saved within a second of a change; the channel marks (one per channel) once a minute and at stop.
        _subscriptions.Add(engine.SnapshotsOnChange(alarms, TimeSpan.FromSeconds(1), scheduler, channelMarksInterval: TimeSpan.FromMinutes(1))
            .Select(snapshot => Observable.FromAsync(ct => alarmState.SaveAsync(snapshot, ct).AsTask()))
            .Concat()
            .Subscribe(_ => { }, OnError));
        _subscriptions.Add(alarms.Connect());
        _subscriptions.Add(readings.Connect());
        Status = PipelineStatus.Running;
        PipelineLog.Started(logger, sources.Count(), string.Join(", ", sources.Select(s => s.Name)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Status = PipelineStatus.Stopping;
        _subscriptions.Dispose();
        await alarmState.SaveAsync(engine.CaptureSnapshot(), cancellationToken).ConfigureAwait(false);
        queue.Overflowed -= OnOverflow;

        // No reading comes after this; the storage forwarder drains what is queued.
        queue.Complete();
        Status = PipelineStatus.Stopped;
        PipelineLog.Stopped(logger, Accepted, queue.Dropped);
    }

    private void Accept(Reading reading)
    {
        Interlocked.Increment(ref _accepted);
        _acceptedByChannel.AddOrUpdate(reading.Channel, 1, static (_, count) => count + 1);
        s_readings.Add(1);
        queue.TryEnqueue(reading);
    }

    // Called in alarm order on the detection thread. The publisher takes each event's place in its log before it
    // returns and commits in the background (group commit), so detection never waits on the disk; only the outcome
    // is awaited, off this thread.
    private void Publish(AlarmEvent alarm)
    {
        s_alarms.Add(1);
        PipelineLog.Alarm(logger, alarm.Kind, alarm.Level, alarm.Channel.ToString(), alarm.Trigger.Value, alarm.Trigger.Unit, alarm.Limit, alarm.Message);
        try
        {
            var committed = publisher.PublishAsync(alarm, CancellationToken.None);
            if (!committed.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(committed, alarm);
            }
        }
        catch (Exception ex)
        {
            PublishFailed(alarm, ex);
        }
    }

    private async Task ObserveAsync(ValueTask committed, AlarmEvent alarm)
    {
        try
        {
            await committed.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            PublishFailed(alarm, ex);
        }
    }

    // The hazard log could not commit this event (disk full, I/O error). Detection goes on: stopping the pipeline
    // would lose every later alarm too. The failure is logged as critical for the operator.
    private void PublishFailed(AlarmEvent alarm, Exception exception) =>
        PipelineLog.PublishFailed(logger, alarm.Channel.ToString(), alarm.Kind, exception);

    private void OnOverflow(long dropped)
    {
        // Log the first drop and then every 10,000th, so an outage does not flood the log.
        if (dropped == 1 || dropped % 10_000 == 0)
        {
            PipelineLog.StorageOverflow(logger, dropped, queue.Capacity);
        }
    }

    private void OnError(Exception exception)
    {
        Status = PipelineStatus.Failed;
        PipelineLog.Failed(logger, exception);
    }
}
