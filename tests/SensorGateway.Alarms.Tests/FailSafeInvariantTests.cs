using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

/// <summary>A fixed-seed mix of good, uncertain, bad and out-of-range readings checked against the fail-safe rules.</summary>
public sealed class FailSafeInvariantTests
{
    private static readonly Quality[] Qualities =
    [
        Quality.Good, Quality.Good, Quality.Good, Quality.Good,
        Quality.Bad(QualityReason.CommFailure), Quality.Bad(QualityReason.SensorFault),
        Quality.Uncertain(QualityReason.WarmUp), Quality.Bad(QualityReason.LoopCurrentFault),
    ];

    private static (AlarmEvent[] Events, Reading[] Readings) RunMix(int seed)
    {
        var random = new Random(seed);
        var readings = Enumerable.Range(0, 400)
            .Select(i => Read(Gas1, Math.Round((random.NextDouble() * 130) - 10, 1), 0.5 + i, quality: Qualities[random.Next(Qualities.Length)]))
            .ToArray();
        var rule = Rules.Test(new QualityRuleDefinition { StaleIntervals = 0, ValidMin = 0, ValidMax = 100 }) with
        {
            Limits = [Rules.Limit("L1", AlarmLevel.Level1, 25, 2), Rules.Limit("L2", AlarmLevel.Level2, 50, 2)],
        };
        using var h = new EngineHarness(Rules.Book(rule, Gas1), new AlarmEngineOptions { SuppressChattering = false });
        h.Feed(readings);
        return (h.RunRecorded(401).Messages.Select(m => m.Value.Value).ToArray(), readings);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(2026)]
    public void DetectAlarms_RandomMix_ClearsOrLowersOnlyOnGoodInRangeReadings(int seed)
    {
        var (events, _) = RunMix(seed);

        var lowering = events.Where(e => e.Kind is AlarmEventKind.Cleared or AlarmEventKind.Deescalated).ToArray();

        Assert.NotEmpty(lowering);
        Assert.All(lowering, e => Assert.True(e.Trigger.Quality.IsGood && e.Trigger.Value is >= 0 and <= 100, e.Message));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(2026)]
    public void DetectAlarms_RandomMix_EveryBadReadingLeavesFaultAlarmActive(int seed)
    {
        var (events, readings) = RunMix(seed);

        foreach (var reading in readings.Where(r => r.Quality.Status == QualityStatus.Bad))
        {
            var last = events.LastOrDefault(e => e.RuleId == "gas.test.level.fault" && e.Time <= reading.ReceivedTime);
            Assert.True(last is { Level: AlarmLevel.Fault }, $"fault alarm not active after {reading}");
        }
    }
}
