using System.Globalization;
using Microsoft.Reactive.Testing;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Tests;

/// <summary>
/// Virtual-time helpers: readings at whole or half seconds of virtual time, the engine's timer ticks at whole
/// seconds (readings are put at x.5 s so the order within a tick never matters), events summarised as one line each.
/// </summary>
internal static class TickTable
{
    public static readonly ChannelId Gas1 = new("site-a", "gd-01", "ch1");
    public static readonly ChannelId Gas2 = new("site-a", "gd-02", "ch1");
    public static readonly ChannelId Gas3 = new("site-a", "gd-03", "ch1");
    public static readonly ChannelId Tank = new("site-b", "atg-01", "fill");

    public static long T(double seconds) => TimeSpan.FromSeconds(seconds).Ticks;

    public static DateTimeOffset At(double seconds) => new(T(seconds), TimeSpan.Zero);

    public static Reading Read(ChannelId channel, double value, double seconds, string quantity = "gas.combustible", string unit = "%LEL",
        Quality? quality = null, double? sourceSeconds = null) =>
        new(channel, quantity, unit, value, quality ?? Quality.Good, At(sourceSeconds ?? seconds), At(seconds), 0);

    /// <summary>One line per event: time, kind, rule, limit, level, state.</summary>
    public static string Line(Recorded<System.Reactive.Notification<AlarmEvent>> recorded)
    {
        var e = recorded.Value.Value;
        return string.Create(CultureInfo.InvariantCulture,
            $"{TimeSpan.FromTicks(recorded.Time).TotalSeconds:0.#}s {e.Kind} {e.Channel.Device}/{e.RuleId} {e.Limit} {e.Level} {e.State}");
    }

    public static string Line(AlarmEvent e) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{TimeSpan.FromTicks(e.Time.UtcTicks).TotalSeconds:0.#}s {e.Kind} {e.Channel.Device}/{e.RuleId} {e.Limit} {e.Level} {e.State}");
}

/// <summary>An engine on a <see cref="TestScheduler"/>: feed a tick table of readings and commands, read the events back.</summary>
internal sealed class EngineHarness : IDisposable
{
    private readonly List<Recorded<System.Reactive.Notification<Reading>>> _readings = [];

    public EngineHarness(AlarmRuleBook rules, AlarmEngineOptions? options = null, AlarmSnapshot? restore = null, TestScheduler? scheduler = null,
        Func<TestScheduler, System.Reactive.Concurrency.IScheduler>? engineClock = null)
    {
        Scheduler = scheduler ?? new TestScheduler();
        Engine = new AlarmEngine(rules, engineClock?.Invoke(Scheduler) ?? Scheduler, options, restore);
    }

    public TestScheduler Scheduler { get; }

    public AlarmEngine Engine { get; }

    public List<AlarmCommandResult> CommandResults { get; } = [];

    public EngineHarness Feed(params Reading[] readings)
    {
        foreach (var reading in readings)
        {
            _readings.Add(ReactiveTest.OnNext(reading.ReceivedTime.UtcTicks, reading));
        }

        return this;
    }

    public EngineHarness Command(double seconds, AlarmCommand command)
    {
        Scheduler.ScheduleAbsolute(command, TickTable.T(seconds), (_, c) =>
        {
            CommandResults.Add(Engine.Execute(c));
            return System.Reactive.Disposables.Disposable.Empty;
        });
        return this;
    }

    /// <summary>Subscribes at 0 and runs virtual time to <paramref name="untilSeconds"/>; returns one line per event.</summary>
    public string[] Run(double untilSeconds) =>
        RunRecorded(untilSeconds).Messages.Where(m => m.Value.Kind == System.Reactive.NotificationKind.OnNext).Select(TickTable.Line).ToArray();

    public ITestableObserver<AlarmEvent> RunRecorded(double untilSeconds)
    {
        var source = Scheduler.CreateHotObservable(_readings.ToArray());
        return Scheduler.Start(() => Engine.Detect(source), 0, 0, TickTable.T(untilSeconds));
    }

    public void Dispose() => Engine.Dispose();
}
