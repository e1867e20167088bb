using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Benchmarks;

/// <summary>
/// The detection stage alone: 1,000,000 readings over 10,000 channels (combustible-gas pack rules: two limits with
/// deadband, latching, range and stale rules) pushed through <see cref="AlarmEngine.Detect"/> on one thread.
/// About one reading in 100,000 crosses level 1, so a few events are built too. The baseline pushes the same readings
/// through a subject to a subscriber that only counts them: the ratio is what detection costs over Rx delivery itself.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    public const int Channels = 10_000;
    public const int ReadingsPerInvoke = 1_000_000;

    private Reading[] _readings = [];
    private AlarmRuleBook _book = null!;
    private AlarmEngine? _engine;
    private Subject<Reading>? _source;
    private IDisposable? _subscription;
    private long _events;

    /// <summary><c>default</c>: the production scheduler (wall clock read per reading, real 1 s timer); <c>virtual</c>: a HistoricalScheduler.</summary>
    [Params("default", "virtual")]
    public string Clock { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        var ids = Enumerable.Range(0, Channels).Select(i => new ChannelId($"site-{i / 1000:00}", $"gd-{i:00000}", "ch1")).ToArray();
        _book = AlarmRuleBook.Create(ids.Select(id => new ChannelRule(id, "gas.combustible")), RulePacks.Default);
        _readings = Build(ids);
    }

    internal static Reading[] Build(ChannelId[] ids)
    {
        var start = DateTimeOffset.UtcNow;
        var readings = new Reading[ReadingsPerInvoke];
        for (var i = 0; i < readings.Length; i++)
        {
            var value = i % 100_000 == 99_999 ? 30.0 : (i * 7919L % 1000) / 100.0;
            var time = start.AddTicks(i * 10L);
            readings[i] = new Reading(ids[i % ids.Length], "gas.combustible", "%LEL", value, Quality.Good, time, time, i / ids.Length);
        }

        return readings;
    }

    [IterationSetup]
    public void StartEngine()
    {
        IScheduler scheduler = Clock == "default" ? DefaultScheduler.Instance : new HistoricalScheduler(DateTimeOffset.UtcNow);
        _engine = new AlarmEngine(_book, scheduler);
        _source = new Subject<Reading>();
        _subscription = _engine.Detect(_source).Subscribe(_ => _events++, ex => throw ex);
    }

    [IterationCleanup]
    public void StopEngine()
    {
        _subscription?.Dispose();
        _source?.Dispose();
        _engine?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ReadingsPerInvoke)]
    public long Deliver()
    {
        long delivered = 0;
        using var source = new Subject<Reading>();
        using var counting = source.Subscribe(_ => delivered++);
        foreach (var reading in _readings)
        {
            source.OnNext(reading);
        }

        return delivered;
    }

    [Benchmark(OperationsPerInvoke = ReadingsPerInvoke)]
    public long Detect()
    {
        var source = _source!;
        foreach (var reading in _readings)
        {
            source.OnNext(reading);
        }

        return _events;
    }
}
