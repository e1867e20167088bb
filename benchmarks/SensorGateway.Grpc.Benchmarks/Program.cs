using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SensorGateway.Alarms;
using SensorGateway.Benchmarks.Subscribers;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;
using SensorGateway.Grpc;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;
using AlarmLevel = SensorGateway.Core.Alarms.AlarmLevel;

// Alarm latency from "reading accepted" (handed to the alarm engine) to "event received" by gRPC subscribers, through the
// real path: AlarmEngine → HazardDesk (SQLite WAL, synchronous=FULL) → Kestrel HTTP/2 on loopback → Grpc.Net.Client.
// A probe channel crosses level 2 every 20 ms while background channels report normal values at the given rate.
// Rounds alternate the fan-outs (1, 100, 1, 100, …) so that both see the same machine and disk over the run; each
// fan-out's samples are then pooled. One round of each is too few: the one-subscriber p99 follows the disk's fsync tail,
// which moves from minute to minute on a shared machine.
// Each subscriber has a connection of its own, as separate consoles do; 'shared' puts them all on one HTTP/2 connection,
// which shows how much of the fan-out's cost is per connection rather than per stream.
// The subscribers run in the benchmark's process ('in-process'), in a process of their own ('process'), in their
// own process pinned to the second core with the gateway side pinned to the first ('pinned'), or in their own process
// at the lowest CPU priority ('niced'): consoles on other machines would not take the gateway's cores at all.
// Each arrival is timed twice: when the subscriber's code gets the event, and when its bytes reached the subscriber's
// socket (the kernel's receive time, KernelStampedStream). With 100 clients on this machine's two cores the first adds
// the time each client waited for a core; the second is what a console on its own machine would see at its socket.
// 'logged' events are in the hazard log when each run starts: at the default retention a gateway that has run for a
// while holds 1,000,000, and every commit must cost the same then as with an empty log.
// Usage: dotnet run -c Release --project benchmarks/SensorGateway.Grpc.Benchmarks -- [seconds=10] [readingsPerSecond=50000] [subscribers=1,100] [Full|Normal] [rounds=1] [separate|shared] [in-process|process|pinned|niced] [logged=0]
// `records N`: start-up, ListHazards and GetHazard over a history of N closed records (RecordHistory).
if (args is ["records", var historyCount])
{
    RecordHistory.Run(int.Parse(historyCount, CultureInfo.InvariantCulture));
    return;
}

if (await SubscriberFleet.TryRunChildAsync(args))
{
    return;
}

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
var fanOuts = args.Length > 2 ? args[2].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [1, 100];
var synchronous = args.Length > 3 ? args[3] : "Full";
var rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
var shared = args.Length > 5 && args[5] == "shared";
var placement = args.Length > 6 ? args[6] : "in-process";
var logged = args.Length > 7 ? int.Parse(args[7], CultureInfo.InvariantCulture) : 0;
var template = logged > 0 ? LoggedHazards.CreateTemplate(logged) : null;
if (placement == "pinned" && OperatingSystem.IsLinux())
{
    Process.GetCurrentProcess().ProcessorAffinity = 1;
}

Console.WriteLine($"{seconds} s per run, {rounds} round(s), {(shared ? "one connection for all subscribers" : "a connection per subscriber")}, subscribers {placement}, background {rate:N0} readings/s, probe every 20 ms, synchronous={synchronous}, {logged:N0} events logged before each run; {Environment.ProcessorCount} CPUs, {RuntimeInformationText()}");
const string Header = "subscribers  samples    p50 ms   p99 ms   max ms   commit p50/p99 ms   background/s  events/s  CPU % gateway side / subscribers   GCs/s, paused %";
Console.WriteLine(Header);
var pooled = fanOuts.ToDictionary(f => f, _ => new List<RunResult>());
if (rounds > 1)
{
    // The first run of a fan-out in this process compiles its path (100 connections' worth of Kestrel and client code)
    // under load; its tail is start-up, which a gateway pays once, not latency in service.
    Console.WriteLine("warm-up: one 3-s run of each fan-out, not counted");
    foreach (var subscribers in fanOuts)
    {
        await RunAsync(3, rate, subscribers, synchronous, shared, placement, template);
    }
}

for (var round = 0; round < rounds; round++)
{
    foreach (var subscribers in fanOuts)
    {
        var result = await RunAsync(seconds, rate, subscribers, synchronous, shared, placement, template);
        Console.WriteLine(Line(subscribers, result.AtCode, result));
        pooled[subscribers].Add(result);
    }
}

if (rounds > 1)
{
    Console.WriteLine($"pooled over {rounds} rounds; p99 ratio to {fanOuts[0]} subscriber(s), with its 95 % interval over resampled probes;");
    Console.WriteLine("spread: per event, its last subscriber's latency minus its first's;");
    Console.WriteLine($"added per event and subscriber beyond {fanOuts[0]}: CPU of the gateway side (of it in the kernel) / of the subscribers, and the gateway side's allocation (the gateway side includes the subscribers when they are in process)");
    var runs = fanOuts.ToDictionary(f => f, f => RunResult.Pool(pooled[f]));
    foreach (var (title, samples) in new (string, Func<RunResult, Samples>)[] { ("received by the subscriber's code", r => r.AtCode), ("arrived at the subscriber's socket (kernel receive time)", r => r.AtSocket) })
    {
        Console.WriteLine(title);
        var first = runs[fanOuts[0]];
        var baseline = Samples.Percentile(samples(first).Sorted, 0.99);
        foreach (var subscribers in fanOuts)
        {
            var all = runs[subscribers];
            var (low, high) = RatioInterval.OfP99(samples(first).ByProbe, samples(all).ByProbe);
            var added = subscribers == fanOuts[0] ? "" : string.Create(CultureInfo.InvariantCulture,
                $"   {AddedPerDelivery(all.Cpu, first.Cpu, all, subscribers - fanOuts[0]) * 1e6:F1} (kernel {AddedPerDelivery(all.KernelCpu, first.KernelCpu, all, subscribers - fanOuts[0]) * 1e6:F1}) / {AddedPerDelivery(all.ClientCpu, first.ClientCpu, all, subscribers - fanOuts[0]) * 1e6:F1} µs, {AddedPerDelivery(all.Allocated, first.Allocated, all, subscribers - fanOuts[0]):N0} B");
            var spreads = samples(all).Spreads();
            Console.WriteLine(Line(subscribers, samples(all), all) + string.Create(CultureInfo.InvariantCulture,
                $"   {Samples.Percentile(samples(all).Sorted, 0.99) / baseline:F2}× ({low:F2}–{high:F2})   spread p50/p99 {Samples.Percentile(spreads, 0.5):F2}/{Samples.Percentile(spreads, 0.99):F2} ms") + added);
        }
    }
}

if (template is not null)
{
    LoggedHazards.Delete(template);
}

// Per second, the added amount divided by the added deliveries (events × subscribers).
static double AddedPerDelivery(double perSecond, double baselinePerSecond, RunResult run, int addedSubscribers) =>
    (perSecond - baselinePerSecond) / (run.EventsPerSecond * addedSubscribers);

static string Line(int subscribers, Samples samples, RunResult run) => string.Create(CultureInfo.InvariantCulture,
    $"{subscribers,11}  {samples.Sorted.Length,7}  {Samples.Percentile(samples.Sorted, 0.50),7:F2} {Samples.Percentile(samples.Sorted, 0.99),8:F2} {samples.Sorted[^1],8:F2}   {Samples.Percentile(run.Commits, 0.50),8:F2} {Samples.Percentile(run.Commits, 0.99),8:F2}   {run.AchievedRate,11:N0} {run.EventsPerSecond,9:N0}   {run.Cpu * 100,5:F0} / {run.ClientCpu * 100,-3:F0}   {run.Collections,5:F1}, {run.Paused * 100:F2} %");

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static async Task<RunResult> RunAsync(int seconds, int rate, int subscriberCount, string synchronous, bool shared, string placement, string? template)
{
    var directory = Directory.CreateTempSubdirectory("sg-bench-").FullName;
    if (template is not null)
    {
        File.Copy(template, Path.Combine(directory, "hazards.db"));
    }

    var builder = WebApplication.CreateBuilder();
    builder.Logging.ClearProviders();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Hazards:DatabasePath"] = Path.Combine(directory, "hazards.db"), ["Hazards:Synchronous"] = synchronous });
    builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
    builder.AddHazardService();
    var app = builder.Build();
    app.MapHazardService();
    await app.StartAsync();
    var address = app.Urls.First();

    var definition = new AlarmRuleDefinition
    {
        Id = "bench.gas.level",
        Latching = false,
        Limits =
        [
            new AlarmLimitDefinition { Name = "L1", Level = AlarmLevel.Level1, Direction = AlarmDirection.High, SetPoint = 25, Deadband = 2 },
            new AlarmLimitDefinition { Name = "L2", Level = AlarmLevel.Level2, Direction = AlarmDirection.High, SetPoint = 50, Deadband = 2 },
        ],
    };
    var background = Enumerable.Range(0, 1000).Select(i => new ChannelId("bench", $"gd-{i:0000}", "lel")).ToArray();
    // A fresh probe channel per crossing: the engine suppresses a channel that activates 3 times a minute (chattering).
    var probes = Enumerable.Range(0, (seconds + 2) * 50).Select(i => new ChannelId("bench", $"probe-{i}", "lel")).ToArray();
    var book = AlarmRuleBook.Create(background.Concat(probes).Select(c => new ChannelRule(c, "gas.combustible", definition) { Unit = "%LEL" }), RulePacks.Default);
    using var engine = new AlarmEngine(book, DefaultScheduler.Instance);
    var desk = app.Services.GetRequiredService<HazardDesk>();
    var readings = new Subject<Reading>();
    var sent = new ConcurrentDictionary<long, long>();
    // The probes sent after the warm-up second: only their alarms are timed.
    var measured = new ConcurrentDictionary<long, byte>();
    // As the gateway's pipeline does: hand each alarm over in order and let the log commit in groups.
    // The commit time of each probe's RAISED event (reading handed over → durable) is kept apart from the total, to
    // show which share of the latency is the disk.
    var committed = new ConcurrentBag<double>();
    using var detection = engine.Detect(readings).Subscribe(alarm =>
    {
        var commit = desk.PublishAsync(alarm, CancellationToken.None).AsTask();
        // Level 2 only, as the subscribers' filter: a probe channel left quiet for 30 s also raises a stale fault.
        if (alarm.Kind == AlarmEventKind.Raised && alarm.Level == AlarmLevel.Level2 && alarm.Channel.Device.StartsWith("probe-", StringComparison.Ordinal)
            && long.Parse(alarm.Channel.Device.AsSpan(6), CultureInfo.InvariantCulture) is var probe && measured.ContainsKey(probe) && sent.TryGetValue(probe, out var at))
        {
            commit.ContinueWith(_ => committed.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds), TaskScheduler.Default);
        }
    });

    var t0 = DateTimeOffset.UtcNow;
    var local = placement == "in-process" ? SubscriberFleet.Open(new Uri(address), subscriberCount, desk.LastSequence, shared) : null;
    var child = local is null ? await SubscriberFleet.StartProcessAsync(address, subscriberCount, desk.LastSequence, shared, placement == "pinned", placement == "niced") : null;
    await SubscriberFleet.WaitUntilOpenAsync(subscriberCount, () => desk.SubscriberCount);

    // One producer thread: background readings in 1 ms slices, and the probe crossing L2 / returning every 20 ms.
    long backgroundSent = 0;
    var producer = new Thread(() =>
    {
        var clock = Stopwatch.StartNew();
        long slice = 0, probeIndex = 0, sequence = 0;
        var perSlice = rate / 1000.0;
        double owed = 0;
        var warmup = TimeSpan.FromSeconds(1);
        while (clock.Elapsed < warmup + TimeSpan.FromSeconds(seconds))
        {
            var target = TimeSpan.FromMilliseconds(slice);
            // Sleep, not spin: a spinning producer would take one of the two cores from the path being measured.
            // A late wake-up only delays the slice; the slices behind it then run back to back, so the rate holds.
            // At least 1 ms: Thread.Sleep truncates to whole milliseconds, and Sleep(0) only yields, which made this loop spin.
            if (target - clock.Elapsed is { Ticks: > 0 } ahead)
            {
                Thread.Sleep(Math.Max(1, (int)ahead.TotalMilliseconds));
            }

            var now = t0 + clock.Elapsed;
            owed += perSlice;
            for (; owed >= 1; owed--)
            {
                var channel = background[sequence % background.Length];
                readings.OnNext(new Reading(channel, "gas.combustible", "%LEL", 5, Quality.Good, now, now, ++sequence));
                backgroundSent++;
            }

            if (slice % 10 == 0)
            {
                // Every 20 ms a probe channel crosses level 2; 10 ms later it returns to 0.
                var high = slice % 20 == 0;
                var probe = probes[probeIndex];
                if (high)
                {
                    sent[probeIndex] = Stopwatch.GetTimestamp();
                    if (clock.Elapsed > warmup)
                    {
                        measured[probeIndex] = 0;
                    }
                }
                else
                {
                    probeIndex++;
                }

                readings.OnNext(new Reading(probe, "gas.combustible", "%LEL", high ? 60 : 0, Quality.Good, now, now, slice));
            }

            slice++;
        }
    }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
    // CPU over the load, to tell what a delivery costs: this process is the gateway side (with the subscribers when
    // they are in process); a child process's CPU is the subscribers' alone.
    var events = desk.LastSequence;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var kernelCpu = Process.GetCurrentProcess().PrivilegedProcessorTime;
    var clientCpu = child?.TotalProcessorTime ?? TimeSpan.Zero;
    var (collections, paused, allocated) = (GC.CollectionCount(0), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
    var wall = Stopwatch.StartNew();
    producer.Start();
    producer.Join();
    var achieved = backgroundSent / wall.Elapsed.TotalSeconds;
    events = desk.LastSequence - events;
    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    kernelCpu = Process.GetCurrentProcess().PrivilegedProcessorTime - kernelCpu;
    clientCpu = child is null ? TimeSpan.Zero : child.TotalProcessorTime - clientCpu;
    (collections, paused, allocated) = (GC.CollectionCount(0) - collections, GC.GetTotalPauseDuration() - paused, GC.GetTotalAllocatedBytes() - allocated);
    await Task.Delay(500);
    // Probe n raises its alarm on device probe-n.
    var fleetArrivals = local is not null ? await local.StopAsync() : await SubscriberFleet.StopProcessAsync(child!);
    if (fleetArrivals.Count(a => a.SharedRead) is > 0 and var sharedReads)
    {
        Console.WriteLine($"note: {sharedReads} of {fleetArrivals.Count} arrivals came in one read with the next event (a subscriber not scheduled for 10 ms): their socket time is an upper bound");
    }

    var arrivals = fleetArrivals
        .Where(a => a.Device.StartsWith("probe-", StringComparison.Ordinal))
        .Select(a => (Probe: long.Parse(a.Device.AsSpan(6), CultureInfo.InvariantCulture), a.At, a.AtSocket))
        .Where(a => measured.ContainsKey(a.Probe)).ToList();
    var atCode = Samples.Of(arrivals.Select(a => (a.Probe, Stopwatch.GetElapsedTime(sent[a.Probe], a.At).TotalMilliseconds)));
    var atSocket = Samples.Of(arrivals.Select(a => (a.Probe, Stopwatch.GetElapsedTime(sent[a.Probe], a.AtSocket).TotalMilliseconds)));

    readings.OnCompleted();
    await app.StopAsync();
    await app.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
    if (Environment.GetEnvironmentVariable("SG_BENCH_DEBUG") == "1")
    {
        Console.WriteLine($"debug: last sequence {desk.LastSequence}, sent probes {sent.Count}, records {desk.List(new HazardQuery("", "", SensorGateway.Grpc.V1.AlarmLevel.Unspecified, new HashSet<HazardStatus>(), "", 10)).Records.Count}");
    }

    return new RunResult(atCode, atSocket, [.. committed.Order()], achieved, cpu / wall.Elapsed, kernelCpu / wall.Elapsed, clientCpu / wall.Elapsed, events / wall.Elapsed.TotalSeconds,
        collections / wall.Elapsed.TotalSeconds, paused / wall.Elapsed, allocated / wall.Elapsed.TotalSeconds);
}
