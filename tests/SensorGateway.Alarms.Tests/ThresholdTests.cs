using SensorGateway.Core.Alarms;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class ThresholdTests
{
    private static AlarmRuleBook Book(AlarmRuleDefinition? definition = null, string quantity = "gas.combustible") =>
        AlarmRuleBook.Create([new ChannelRule(Gas1, quantity, definition)], RulePacks.Default);

    private static AlarmRuleDefinition Plain(bool latching = false, TimeSpan onDelay = default, TimeSpan offDelay = default,
        TimeSpan reAlarm = default, double deadband = 2) => new()
        {
            Id = "gas.test.level",
            Latching = latching,
            Limits =
            [
                new AlarmLimitDefinition { Name = "L1", Level = AlarmLevel.Level1, Direction = AlarmDirection.High, SetPoint = 25, Deadband = deadband, OnDelay = onDelay, OffDelay = offDelay, ReAlarmInterval = reAlarm },
                new AlarmLimitDefinition { Name = "L2", Level = AlarmLevel.Level2, Direction = AlarmDirection.High, SetPoint = 50, Deadband = deadband, OnDelay = onDelay, OffDelay = offDelay },
            ],
            Quality = new QualityRuleDefinition { StaleIntervals = 0 },
        };

    [Fact]
    public void DetectAlarms_RisingThroughBothLevelsAndBack_RaisesEscalatesDeescalatesClears()
    {
        using var h = new EngineHarness(Book(Plain()));
        h.Feed(Read(Gas1, 10, 1.5), Read(Gas1, 25, 2.5), Read(Gas1, 49.9, 3.5), Read(Gas1, 50, 4.5), Read(Gas1, 48.1, 5.5),
            Read(Gas1, 47.9, 6.5), Read(Gas1, 23.1, 7.5), Read(Gas1, 22.9, 8.5));

        Assert.Equal(
        [
            "2.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "4.5s Escalated gd-01/gas.test.level L2 Level2 UnacknowledgedActive",
            "6.5s Deescalated gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "8.5s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], h.Run(10));
    }

    [Fact]
    public void DetectAlarms_ValueInsideDeadband_StaysActive()
    {
        using var h = new EngineHarness(Book(Plain(deadband: 5)));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 20.5, 2.5), Read(Gas1, 24, 3.5), Read(Gas1, 19.9, 4.5), Read(Gas1, 24.9, 5.5));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "4.5s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], h.Run(10));
    }

    [Fact]
    public void DetectAlarms_SkipStraightToLevel2_RaisesAtLevel2()
    {
        using var h = new EngineHarness(Book(Plain()));
        h.Feed(Read(Gas1, 80, 1.5));

        Assert.Equal(["1.5s Raised gd-01/gas.test.level L2 Level2 UnacknowledgedActive"], h.Run(5));
    }

    [Fact]
    public void DetectAlarms_OnDelay_ActivatesOnlyAfterDelayOnTimerTick()
    {
        using var h = new EngineHarness(Book(Plain(onDelay: TimeSpan.FromSeconds(3))));
        // 1.5 breach, 2.5 dip (restarts the delay), 3.5 breach again: 3 s later is 6.5; the 1 s timer sees it at 7.
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 10, 2.5), Read(Gas1, 30, 3.5));

        Assert.Equal(["7s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive"], h.Run(10));
    }

    [Fact]
    public void DetectAlarms_OffDelay_KeepsAlarmThroughBriefDip()
    {
        using var h = new EngineHarness(Book(Plain(offDelay: TimeSpan.FromSeconds(5))));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 10, 2.5), Read(Gas1, 30, 4.5), Read(Gas1, 10, 5.5));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "11s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], h.Run(15));
    }

    [Fact]
    public void DetectAlarms_LowDirection_RaisesAtOrBelowSetPoint()
    {
        using var h = new EngineHarness(AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.oxygen")], RulePacks.Default));
        h.Feed(Read(Gas1, 20.9, 1.5, "gas.oxygen", "%VOL"), Read(Gas1, 19.5, 2.5, "gas.oxygen", "%VOL"),
            Read(Gas1, 19.6, 3.5, "gas.oxygen", "%VOL"), Read(Gas1, 19.8, 4.5, "gas.oxygen", "%VOL"));

        Assert.Equal(
        [
            "2.5s Raised gd-01/gas.oxygen.level LOW Level1 UnacknowledgedActive",
            "4.5s Deescalated gd-01/gas.oxygen.level LOW Level1 Latched",
        ], h.Run(5));
    }

    [Fact]
    public void DetectAlarms_Latching_HoldsPeakLevelUntilReset()
    {
        using var h = new EngineHarness(Book(Plain(latching: true)));
        h.Feed(Read(Gas1, 60, 1.5), Read(Gas1, 30, 2.5), Read(Gas1, 5, 3.5), Read(Gas1, 5, 6.5));
        h.Command(5.2, new AlarmCommand(AlarmCommandKind.Reset, Gas1, "gas.test.level", "duty-officer"));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L2 Level2 UnacknowledgedActive",
            "3.5s Deescalated gd-01/gas.test.level L2 Level2 Latched",
            "5.2s Reset gd-01/gas.test.level L2 None Normal",
        ], h.Run(8));
    }

    [Fact]
    public void DetectAlarms_GasPackDefault_IsLatchingAt25And50()
    {
        using var h = new EngineHarness(Book());
        h.Feed(Read(Gas1, 24, 1.5), Read(Gas1, 25, 2.5), Read(Gas1, 50, 3.5), Read(Gas1, 0, 4.5));

        Assert.Equal(
        [
            "2.5s Raised gd-01/gas.combustible.level L1 Level1 UnacknowledgedActive",
            "3.5s Escalated gd-01/gas.combustible.level L2 Level2 UnacknowledgedActive",
            "4.5s Deescalated gd-01/gas.combustible.level L2 Level2 Latched",
        ], h.Run(5));
    }

    [Fact]
    public void DetectAlarms_LatchedAlarmActiveAgainBeforeReset_Realarms()
    {
        using var h = new EngineHarness(Book(Plain(latching: true)));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 5, 2.5), Read(Gas1, 30, 3.5));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Deescalated gd-01/gas.test.level L1 Level1 Latched",
            "3.5s Realarmed gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
        ], h.Run(5));
    }

    [Fact]
    public void DetectAlarms_ReAlarmInterval_ReannunciatesStandingAlarm()
    {
        using var h = new EngineHarness(Book(Plain(reAlarm: TimeSpan.FromSeconds(10))));
        h.Feed(Read(Gas1, 30, 1.5));
        h.Command(2.2, new AlarmCommand(AlarmCommandKind.Acknowledge, Gas1, "gas.test.level", "duty-officer"));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.2s Acknowledged gd-01/gas.test.level L1 Level1 AcknowledgedActive",
            "12s Realarmed gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "22s Realarmed gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
        ], h.Run(25));
    }
}
