using System.Reactive.Concurrency;
using System.Reactive.Linq;
using SensorGateway.Core.Alarms;

namespace SensorGateway.Alarms;

/// <summary>When to save the alarm state.</summary>
public static class AlarmStatePersistence
{
    /// <summary>
    /// A snapshot after alarm changes: at most one per <paramref name="interval"/>, taken after the latest change
    /// (a final one follows the last change when <paramref name="alarms"/> completes). Save each with
    /// <see cref="IAlarmStateStore.SaveAsync"/> outside the query, e.g. <c>Select(s => Observable.FromAsync(ct => store.SaveAsync(s, ct))).Concat()</c>,
    /// and once more at shutdown.
    /// </summary>
    /// <param name="channelMarksInterval">
    /// How often a snapshot also carries every channel's last source time (the first one always does; the others
    /// have <see cref="AlarmSnapshot.Channels"/> null). The marks are one entry per channel whatever changed, so at
    /// 100,000 channels writing them every second would cost more than everything else the gateway saves; null
    /// means in every snapshot.
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> or <paramref name="channelMarksInterval"/> is not positive.</exception>
    public static IObservable<AlarmSnapshot> SnapshotsOnChange(this AlarmEngine engine, IObservable<AlarmEvent> alarms, TimeSpan interval,
        IScheduler scheduler, TimeSpan? channelMarksInterval = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        if (channelMarksInterval is { } marksEvery)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(marksEvery, TimeSpan.Zero, nameof(channelMarksInterval));
        }

        return Observable.Defer(() =>
        {
            DateTimeOffset? marksSaved = null;
            return alarms.Sample(interval, scheduler).Select(_ =>
            {
                var now = scheduler.Now;
                if (channelMarksInterval is { } every && marksSaved is { } last && now - last < every)
                {
                    return engine.CaptureAlarms();
                }

                marksSaved = now;
                return engine.CaptureSnapshot();
            });
        });
    }
}
