using BenchmarkDotNet.Attributes;
using SensorGateway.Alarms.Hazards;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Benchmarks;

/// <summary>
/// A page of the hazard records a tracker holds, as ListHazards asks for one: the page is taken under the lock the
/// alarm path also takes, so its cost must not grow with the records held. Ten records are live, the rest closed (a
/// desk lets go of ended records, but a tracker may hold them). The baseline is every record in id order, which each
/// page used to cost.
/// </summary>
[MemoryDiagnoser]
public class HazardPageBenchmarks
{
    private const int PageSize = 50;
    private HazardTracker _tracker = null!;
    private string _nearEnd = "";

    [Params(1_000, 100_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var records = Enumerable.Range(1, Records).Select(i =>
        {
            var channel = new ChannelId("site-a", $"gd-{i % 500:000}", "lel");
            return new HazardRecord
            {
                Id = $"YH-20260101-{i:000000}", Channel = channel, Sector = "fuel_stations", RuleId = "gas.combustible.level",
                Level = AlarmLevel.Level2, Limit = "L2", SetPoint = 50, Value = 60, Unit = "%LEL", FirstSeen = time, LastSeen = time, Peak = 61,
                Evidence = [new Reading(channel, "gas.combustible", "%LEL", 60, Quality.Good, time, time, i)],
                Status = i > Records - 10 ? HazardStatus.Open : HazardStatus.Closed, AlarmActive = false,
            };
        });
        _tracker = new HazardTracker(existing: records);
        _nearEnd = $"YH-20260101-{Records - 60:000000}";
    }

    [Benchmark(Baseline = true)]
    public int AllRecordsInOrder() => _tracker.Records.Count;

    [Benchmark]
    public int FirstPage() => _tracker.Page("", liveOnly: false, _ => true, PageSize + 1).Count;

    [Benchmark]
    public int PageNearTheEnd() => _tracker.Page(_nearEnd, liveOnly: false, _ => true, PageSize + 1).Count;

    [Benchmark]
    public int LiveRecords() => _tracker.Page("", liveOnly: true, r => r.Status == HazardStatus.Open, PageSize + 1).Count;
}
