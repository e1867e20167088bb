using System.Reactive.Concurrency;
using System.Reactive.Linq;
using BenchmarkDotNet.Attributes;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Benchmarks;

/// <summary>
/// The once-a-second timer sweep over 10,000 channels (stale, delays, re-alarm, shelve expiry, chatter release):
/// its cost is paid once per <see cref="AlarmEngineOptions.TimerResolution"/>, not per reading.
/// </summary>
[MemoryDiagnoser]
public class SweepBenchmarks
{
    private HistoricalScheduler _scheduler = null!;
    private AlarmEngine _engine = null!;
    private IDisposable _subscription = null!;

    [GlobalSetup]
    public void Setup()
    {
        var ids = Enumerable.Range(0, DetectionBenchmarks.Channels).Select(i => new ChannelId($"site-{i / 1000:00}", $"gd-{i:00000}", "ch1")).ToArray();
        var book = AlarmRuleBook.Create(ids.Select(id => new ChannelRule(id, "gas.combustible")), RulePacks.Default);
        _scheduler = new HistoricalScheduler(DateTimeOffset.UtcNow);
        _engine = new AlarmEngine(book, _scheduler);
        _subscription = _engine.Detect(Observable.Never<Reading>()).Subscribe(_ => { });
        // Past the stale threshold once, so that iterations measure the steady sweep, not the one-off stale storm.
        _scheduler.AdvanceBy(TimeSpan.FromMinutes(1));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _subscription.Dispose();
        _engine.Dispose();
    }

    /// <summary>One timer tick over all channels.</summary>
    [Benchmark]
    public void SweepTenThousandChannels() => _scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
}
