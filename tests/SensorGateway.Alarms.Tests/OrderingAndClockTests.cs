using SensorGateway.Core.Alarms;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class OrderingAndClockTests
{
    [Fact]
    public void DetectAlarms_ReadingOlderThanLastSeen_IsIgnoredAndCounted()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5, sourceSeconds: 1.0), Read(Gas1, 30, 3.5, sourceSeconds: 3.5));

        Assert.Equal(["1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive"], h.Run(5));
        var kpis = h.Engine.GetKpis();
        Assert.Equal(1, kpis.OutOfOrderReadings);
        Assert.Equal(3, kpis.Readings);
    }

    [Fact]
    public void DetectAlarms_DeviceClockJumpsBackHours_AcceptsReadingAsNewBaseline()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5, sourceSeconds: 7201.5), Read(Gas1, 0, 2.5, sourceSeconds: 2.5), Read(Gas1, 30, 3.5, sourceSeconds: 2.0));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], h.Run(5));
        var kpis = h.Engine.GetKpis();
        Assert.Equal(1, kpis.ClockJumps);
        Assert.Equal(1, kpis.OutOfOrderReadings);
    }

    [Fact]
    public void DetectAlarms_EngineClockJumpsForward_DoesNotMakeChannelsStale()
    {
        var quality = new QualityRuleDefinition { ExpectedInterval = TimeSpan.FromSeconds(10), StaleIntervals = 3 };
        ShiftedScheduler? clock = null;
        using var h = new EngineHarness(Rules.Book(Rules.Test(quality), Gas1), engineClock: s => clock = new ShiftedScheduler(s, TimeSpan.Zero));
        h.Feed(Read(Gas1, 10, 1.5), Read(Gas1, 10, 2.5));
        h.Scheduler.ScheduleAbsolute(0, T(3.2), (_, _) =>
        {
            clock!.Offset = TimeSpan.FromHours(1);
            return System.Reactive.Disposables.Disposable.Empty;
        });

        // Without jump handling the channel would go stale at the 4 s tick; the jump does not count, so it is
        // stale 30 s of engine time after 2.5 s: the 34 s tick.
        Assert.Equal(["34s Raised gd-01/gas.test.level.fault Stale Fault UnacknowledgedActive"], h.Run(40));
        Assert.Equal(1, h.Engine.GetKpis().ClockJumps);
    }

    [Fact]
    public void DetectAlarms_EngineClockJumpsBack_OffDelayStillEndsOnTime()
    {
        var rule = Rules.Test() with { Limits = [Rules.Limit("L1", AlarmLevel.Level1, 25) with { OffDelay = TimeSpan.FromSeconds(5) }] };
        ShiftedScheduler? clock = null;
        using var h = new EngineHarness(Rules.Book(rule, Gas1), engineClock: s => clock = new ShiftedScheduler(s, TimeSpan.FromHours(2)));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5));
        h.Scheduler.ScheduleAbsolute(0, T(3.2), (_, _) =>
        {
            clock!.Offset = TimeSpan.FromHours(1);
            return System.Reactive.Disposables.Disposable.Empty;
        });

        // Normal from 2.5 s: 5 s of engine time; the 4 s step is the jump (not counted), so the engine reaches 7.5 s at the 9 s tick.
        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "9s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], h.Run(12));
        Assert.Equal(1, h.Engine.GetKpis().ClockJumps);
    }
}
