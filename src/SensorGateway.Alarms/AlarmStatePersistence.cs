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
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public static IObservable<AlarmSnapshot> SnapshotsOnChange(this AlarmEngine engine, IObservable<AlarmEvent> alarms, TimeSpan interval,
        IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return alarms.Sample(interval, scheduler).Select(_ => engine.CaptureSnapshot());
    }
}
