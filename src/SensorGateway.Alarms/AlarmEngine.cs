using System.Diagnostics.Metrics;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using SensorGateway.Alarms.Internal;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms;

/// <summary>
/// The alarm engine: turns readings into alarm changes, takes operator commands, and keeps the state that a
/// restart must not lose. One engine serves one <see cref="Detect"/> subscription at a time.
/// </summary>
/// <remarks>
/// The detection stage is one fold (<c>Scan</c>) over the merged readings, timer ticks and command flushes, keyed
/// by channel inside the fold. A per-channel <c>GroupBy</c> was the first sketch; it was folded in because the
/// timers (delays, stale, shelve expiry), voting across an area and flood counting per site all need one
/// serialised view of every channel, and one dictionary lookup per reading is what <c>GroupBy</c> costs anyway.
/// Every time-based rule runs on the injected scheduler's clock; nothing uses <c>Throttle</c>.
/// </remarks>
public sealed class AlarmEngine : IDisposable
{
    /// <summary>The name of the meter that publishes the alarm KPIs.</summary>
    public const string MeterName = "SensorGateway.Alarms";

    private readonly IScheduler _scheduler;
    private readonly AlarmEngineOptions _options;
    private readonly EngineState _state;
    private readonly ISubject<EngineInput> _flush = Subject.Synchronize(new Subject<EngineInput>());
    private readonly Meter _meter;
    private int _subscribed;

    /// <param name="rules">The rule book.</param>
    /// <param name="scheduler">The clock and timer source for every time-based rule.</param>
    /// <param name="options">Engine-wide settings; null for the defaults.</param>
    /// <param name="restore">State saved before a restart (see <see cref="IAlarmStateStore"/>); its active alarms stay active without being raised again.</param>
    /// <param name="meterFactory">Where to create the meter; null for a standalone <see cref="Meter"/>.</param>
    public AlarmEngine(AlarmRuleBook rules, IScheduler scheduler, AlarmEngineOptions? options = null, AlarmSnapshot? restore = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(scheduler);
        _options = options ?? new AlarmEngineOptions();
        _options.Validate();
        if (restore is not null && restore.Version != AlarmSnapshot.CurrentVersion)
        {
            throw new ArgumentException($"Alarm snapshot version {restore.Version} is not {AlarmSnapshot.CurrentVersion}.", nameof(restore));
        }

        _scheduler = scheduler;
        _state = new EngineState(rules, scheduler, _options, restore);
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        CreateInstruments();
    }

    /// <summary>The meter of this engine (for tests and for hosts that listen to one engine).</summary>
    public Meter Meter => _meter;

    /// <summary>
    /// The alarm changes caused by <paramref name="readings"/>, by time passing, and by operator commands.
    /// Completes when the readings complete; a second concurrent subscription fails with <see cref="InvalidOperationException"/>.
    /// </summary>
    public IObservable<AlarmEvent> Detect(IObservable<Reading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        return Observable.Defer(() =>
        {
            if (Interlocked.Exchange(ref _subscribed, 1) == 1)
            {
                return Observable.Throw<AlarmEvent>(new InvalidOperationException("The alarm engine already has a detection subscription."));
            }

            _state.Start();
            return readings
                .Publish(shared => Fold(shared))
                .Finally(() => Volatile.Write(ref _subscribed, 0));
        });
    }

    private IObservable<AlarmEvent> Fold(IObservable<Reading> readings)
    {
        var ticks = Observable.Interval(_options.TimerResolution, _scheduler).Select(static _ => EngineInput.Tick);
        var control = ticks.Merge(_flush).TakeUntil(readings.LastOrDefaultAsync());
        return readings.Select(EngineInput.Of)
            .Merge(control)
            .Scan(_state, static (state, input) => state.Step(input))
            .Where(static state => state.HasChanges)
            .SelectMany(static state => state.TakeChanges());
    }

    /// <summary>
    /// Applies an operator command now; the resulting events appear on the <see cref="Detect"/> stream.
    /// Do not call it synchronously from inside that stream's observer.
    /// </summary>
    /// <exception cref="ArgumentException">No actor, or a shelve duration that is not positive or exceeds the maximum.</exception>
    public AlarmCommandResult Execute(AlarmCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(command.Channel);
        if (string.IsNullOrWhiteSpace(command.Actor))
        {
            throw new ArgumentException("Every alarm command needs the person who gives it.", nameof(command));
        }

        if (command.Kind == AlarmCommandKind.Shelve && (command.ShelveFor <= TimeSpan.Zero || command.ShelveFor > _options.MaxShelveDuration))
        {
            throw new ArgumentException(
                $"Shelving needs a duration above zero and at most {_options.MaxShelveDuration}; got {command.ShelveFor}.", nameof(command));
        }

        var result = _state.Execute(command);
        if (_state.HasChanges)
        {
            _flush.OnNext(EngineInput.Flush);
        }

        return result;
    }

    /// <summary>The state to save for a restart: every alarm that is not plain normal, and the channels' last source times.</summary>
    public AlarmSnapshot CaptureSnapshot() => _state.Capture(withChannels: true);

    /// <summary>The alarms only, without the channel marks (<see cref="AlarmSnapshot.Channels"/> is null): cheap at any channel count.</summary>
    public AlarmSnapshot CaptureAlarms() => _state.Capture(withChannels: false);

    /// <summary>The alarms that are not plain normal, for clients.</summary>
    public IReadOnlyList<AlarmStatus> CurrentAlarms() => _state.Capture(withChannels: false).Alarms;

    public AlarmKpis GetKpis() => _state.Kpis();

    public void Dispose()
    {
        _meter.Dispose();
        if (_flush is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private void CreateInstruments()
    {
        var raised = _meter.CreateCounter<long>("sensorgateway.alarms.raised", "{alarm}", "Alarms raised (annunciated), by site and level.");
        var chattering = _meter.CreateCounter<long>("sensorgateway.alarms.chattering", "{alarm}", "Alarms found chattering (≥ 3 activations a minute).");
        var floods = _meter.CreateCounter<long>("sensorgateway.alarms.floods", "{flood}", "Alarm floods (> 10 alarms in 10 minutes at a site).");
        _state.OnRaised = (site, level) => raised.Add(1, new("site", site), new("level", level.ToString()));
        _state.OnChattering = site => chattering.Add(1, new KeyValuePair<string, object?>("site", site));
        _state.OnFlood = site => floods.Add(1, new KeyValuePair<string, object?>("site", site));
        _meter.CreateObservableCounter("sensorgateway.alarms.readings", () => Volatile.Read(ref _state.Readings), "{reading}", "Readings through detection.");
        _meter.CreateObservableCounter("sensorgateway.alarms.readings_out_of_order", () => Volatile.Read(ref _state.OutOfOrder), "{reading}",
            "Readings older than the channel's last, ignored.");
        _meter.CreateObservableCounter("sensorgateway.alarms.clock_jumps", () => Volatile.Read(ref _state.ClockJumps), "{jump}",
            "Engine or device clock jumps.");
        _meter.CreateObservableGauge("sensorgateway.alarms.raised_last_10_min", RaisedInWindow, "{alarm}",
            "Alarms raised within the flood window, per site.");
        _meter.CreateObservableGauge("sensorgateway.alarms.active", () => _state.Kpis().Active, "{alarm}", "Active alarms.");
        _meter.CreateObservableGauge("sensorgateway.alarms.standing", () => _state.Kpis().Standing, "{alarm}", "Alarms active longer than 24 h.");
        _meter.CreateObservableGauge("sensorgateway.alarms.stale_channels", () => _state.Kpis().StaleChannels, "{channel}", "Channels without readings for N intervals.");
        _meter.CreateObservableGauge("sensorgateway.alarms.chattering_now", () => _state.Kpis().ChatteringNow, "{alarm}", "Alarms suppressed for chattering.");
        _meter.CreateObservableGauge("sensorgateway.alarms.shelved", () => _state.Kpis().Shelved, "{alarm}", "Shelved alarms.");
    }

    private IEnumerable<Measurement<int>> RaisedInWindow() =>
        _state.Kpis().RaisedInWindowBySite.Select(p => new Measurement<int>(p.Value, new KeyValuePair<string, object?>("site", p.Key)));
}
