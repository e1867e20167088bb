using System.Reactive.Concurrency;
using System.Reactive.Linq;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms;

/// <summary>The detection stage as an Rx operator.</summary>
public static class AlarmDetection
{
    /// <summary>
    /// Judges readings by <paramref name="rules"/> and emits alarm changes only. Each subscription gets its own engine
    /// (use <see cref="AlarmEngine"/> directly for operator commands, persistence and KPIs).
    /// </summary>
    /// <exception cref="ArgumentNullException">Any argument is null.</exception>
    public static IObservable<AlarmEvent> DetectAlarms(this IObservable<Reading> readings, AlarmRuleBook rules, IScheduler scheduler) =>
        DetectAlarms(readings, rules, scheduler, null);

    /// <inheritdoc cref="DetectAlarms(IObservable{Reading}, AlarmRuleBook, IScheduler)"/>
    public static IObservable<AlarmEvent> DetectAlarms(this IObservable<Reading> readings, AlarmRuleBook rules, IScheduler scheduler,
        AlarmEngineOptions? options)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(scheduler);
        options?.Validate();
        return Observable.Using(() => new AlarmEngine(rules, scheduler, options), engine => engine.Detect(readings));
    }

    /// <summary>Same, on the default scheduler.</summary>
    public static IObservable<AlarmEvent> DetectAlarms(this IObservable<Reading> readings, AlarmRuleBook rules) =>
        DetectAlarms(readings, rules, DefaultScheduler.Instance);
}
