using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using BenchmarkDotNet.Running;
using SensorGateway.Alarms;
using SensorGateway.Alarms.Benchmarks;
using SensorGateway.Core.Readings;

// `--quick`: one Stopwatch pass without BenchmarkDotNet (a smoke check); otherwise BenchmarkDotNet with its arguments.
if (args.Length > 0 && args[0] == "--quick")
{
    var ids = Enumerable.Range(0, DetectionBenchmarks.Channels).Select(i => new ChannelId($"site-{i / 1000:00}", $"gd-{i:00000}", "ch1")).ToArray();
    var book = AlarmRuleBook.Create(ids.Select(id => new ChannelRule(id, "gas.combustible")), RulePacks.Default);
    for (var round = 0; round < 5; round++)
    {
        var readings = DetectionBenchmarks.Build(ids);
        IScheduler scheduler = args.Length > 1 && args[1] == "virtual" ? new HistoricalScheduler(DateTimeOffset.UtcNow) : DefaultScheduler.Instance;
        using var engine = new AlarmEngine(book, scheduler);
        using var source = new Subject<Reading>();
        long events = 0;
        using var subscription = engine.Detect(source).Subscribe(_ => events++);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        foreach (var reading in readings)
        {
            source.OnNext(reading);
        }

        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Console.WriteLine($"round {round}: {readings.Length / watch.Elapsed.TotalSeconds:N0} readings/s, {(double)allocated / readings.Length:N2} B/reading, {events} events");
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(DetectionBenchmarks).Assembly).Run(args);
