using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class QualityRuleTests
{
    [Fact]
    public void DetectAlarms_BadReadingWhileActive_RaisesFaultAndNeverClearsLevelAlarm()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5, quality: Quality.Bad(QualityReason.CommFailure)), Read(Gas1, 30, 3.5), Read(Gas1, 0, 4.5));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Raised gd-01/gas.test.level.fault CommFailure Fault UnacknowledgedActive",
            "3.5s Cleared gd-01/gas.test.level.fault CommFailure None UnacknowledgedReturnToNormal",
            "4.5s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], h.Run(6));
    }

    [Fact]
    public void DetectAlarms_BadReadingDuringOffDelay_DoesNotCountAsNormal()
    {
        var rule = Rules.Test() with
        {
            Limits = [Rules.Limit("L1", AlarmLevel.Level1, 25) with { OffDelay = TimeSpan.FromSeconds(3) }],
        };
        using var h = new EngineHarness(Rules.Book(rule, Gas1));
        // Normal from 2.5 would clear at 5.5; the bad reading at 3.5 restarts it: normal again from 4.5, cleared at 7.5 (tick 8).
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5), Read(Gas1, 0, 3.5, quality: Quality.Bad(QualityReason.SensorFault)), Read(Gas1, 0, 4.5));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "3.5s Raised gd-01/gas.test.level.fault SensorFault Fault UnacknowledgedActive",
            "4.5s Cleared gd-01/gas.test.level.fault SensorFault None UnacknowledgedReturnToNormal",
            "8s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], h.Run(10));
    }

    [Fact]
    public void DetectAlarms_UncertainReading_NeitherRaisesFaultNorClears()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5, quality: Quality.Uncertain(QualityReason.WarmUp)), Read(Gas1, 0, 3.5));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "3.5s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], h.Run(5));
    }

    [Theory]
    [InlineData(QualityReason.CommFailure)]
    [InlineData(QualityReason.SensorFault)]
    [InlineData(QualityReason.LoopCurrentFault)]
    [InlineData(QualityReason.DecodeError)]
    [InlineData(QualityReason.OutOfRange)]
    public void DetectAlarms_BadReadingOfEachCause_RaisesFaultNamedByCause(QualityReason reason)
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 0, 1.5, quality: Quality.Bad(reason)));

        Assert.Equal([$"1.5s Raised gd-01/gas.test.level.fault {reason} Fault UnacknowledgedActive"], h.Run(3));
    }

    [Fact]
    public void DetectAlarms_CommFailureWithOwnDelays_RaisesAfterOnDelayAndClearsAfterOffDelay()
    {
        var quality = new QualityRuleDefinition
        {
            StaleIntervals = 0,
            Faults = [new FaultDelayDefinition(QualityReason.CommFailure, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2))],
        };
        using var h = new EngineHarness(Rules.Book(Rules.Test(quality), Gas1));
        var bad = Quality.Bad(QualityReason.CommFailure);
        h.Feed(Read(Gas1, 0, 1.5, quality: bad), Read(Gas1, 0, 3.5, quality: bad), Read(Gas1, 0, 6.5, quality: bad),
            Read(Gas1, 10, 8.5), Read(Gas1, 10, 9.5), Read(Gas1, 10, 10.5));

        Assert.Equal(
        [
            "6.5s Raised gd-01/gas.test.level.fault CommFailure Fault UnacknowledgedActive",
            "10.5s Cleared gd-01/gas.test.level.fault CommFailure None UnacknowledgedReturnToNormal",
        ], h.Run(12));
    }

    [Fact]
    public void DetectAlarms_FaultCauseDisabled_RaisesNoFaultButStillFreezes()
    {
        var quality = new QualityRuleDefinition
        {
            StaleIntervals = 0,
            Faults = [new FaultDelayDefinition(QualityReason.Calibration, TimeSpan.Zero, TimeSpan.Zero, Enabled: false)],
        };
        using var h = new EngineHarness(Rules.Book(Rules.Test(quality), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5, quality: Quality.Bad(QualityReason.Calibration)));

        Assert.Equal(["1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive"], h.Run(4));
    }

    [Fact]
    public void DetectAlarms_NoReadingForNIntervals_RaisesStaleFaultOnTimerAndClearsOnGoodReading()
    {
        var quality = new QualityRuleDefinition { ExpectedInterval = TimeSpan.FromSeconds(2), StaleIntervals = 3 };
        using var h = new EngineHarness(Rules.Book(Rules.Test(quality), Gas1));
        h.Feed(Read(Gas1, 10, 1.5), Read(Gas1, 10, 10.5));

        Assert.Equal(
        [
            "8s Raised gd-01/gas.test.level.fault Stale Fault UnacknowledgedActive",
            "10.5s Cleared gd-01/gas.test.level.fault Stale None UnacknowledgedReturnToNormal",
        ], h.Run(12));
    }

    [Fact]
    public void DetectAlarms_ListedChannelThatNeverReports_GoesStaleFromStart()
    {
        var quality = new QualityRuleDefinition { ExpectedInterval = TimeSpan.FromSeconds(2), StaleIntervals = 3 };
        using var h = new EngineHarness(Rules.Book(Rules.Test(quality), Gas2));

        Assert.Equal(["6s Raised gd-02/gas.test.level.fault Stale Fault UnacknowledgedActive"], h.Run(8));
        Assert.Equal(1, h.Engine.GetKpis().StaleChannels);
    }

    [Fact]
    public void DetectAlarms_SignalStuckForFlatlineTime_RaisesFlatlineFaultAndClearsWhenItMoves()
    {
        var quality = new QualityRuleDefinition { StaleIntervals = 0, FlatlineAfter = TimeSpan.FromSeconds(5), FlatlineTolerance = 0.1 };
        using var h = new EngineHarness(Rules.Book(Rules.Test(quality), Gas1));
        h.Feed(Read(Gas1, 10, 1.5), Read(Gas1, 10.05, 3.5), Read(Gas1, 9.95, 5.5), Read(Gas1, 10, 6.5), Read(Gas1, 12, 7.5));

        Assert.Equal(
        [
            "6.5s Raised gd-01/gas.test.level.fault Flatline Fault UnacknowledgedActive",
            "7.5s Cleared gd-01/gas.test.level.fault Flatline None UnacknowledgedReturnToNormal",
        ], h.Run(9));
    }

    [Fact]
    public void DetectAlarms_OutOfRangeHigh_RaisesFaultAndLimitButOutOfRangeLowNeverClears()
    {
        var quality = new QualityRuleDefinition { StaleIntervals = 0, ValidMin = 0, ValidMax = 100 };
        using var h = new EngineHarness(Rules.Book(Rules.Test(quality), Gas1));
        h.Feed(Read(Gas1, 120, 1.5), Read(Gas1, -10, 2.5), Read(Gas1, 10, 3.5));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level.fault OutOfRange Fault UnacknowledgedActive",
            "1.5s Raised gd-01/gas.test.level L2 Level2 UnacknowledgedActive",
            "3.5s Cleared gd-01/gas.test.level.fault OutOfRange None UnacknowledgedReturnToNormal",
            "3.5s Cleared gd-01/gas.test.level L2 None UnacknowledgedReturnToNormal",
        ], h.Run(5));
    }

    [Fact]
    public void DetectAlarms_InterstitialSensorOutValue_IsFaultAndLiquidIsLeakAlarm()
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Tank, "leak.interstitial")], RulePacks.Default);
        using var h = new EngineHarness(book);
        h.Feed(Read(Tank, 0, 1.5, "leak.interstitial", ""), Read(Tank, 2, 2.5, "leak.interstitial", ""),
            Read(Tank, 1, 3.5, "leak.interstitial", ""), Read(Tank, 0, 4.5, "leak.interstitial", ""));

        Assert.Equal(
        [
            "2.5s Raised atg-01/leak.interstitial.fault SensorFault Fault UnacknowledgedActive",
            "3.5s Cleared atg-01/leak.interstitial.fault SensorFault None UnacknowledgedReturnToNormal",
            "3.5s Raised atg-01/leak.interstitial LEAK Level1 UnacknowledgedActive",
            "4.5s Cleared atg-01/leak.interstitial LEAK None UnacknowledgedReturnToNormal",
        ], h.Run(6));
    }

    [Fact]
    public void DetectAlarms_ReadingInUnexpectedUnit_IsFaultNotCompared()
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible", SectorRulePacks.CombustibleGas)], RulePacks.Default);
        using var h = new EngineHarness(book);
        h.Feed(Read(Gas1, 80, 1.5, unit: "ppm"));

        Assert.Equal(["1.5s Raised gd-01/gas.combustible.level.fault DecodeError Fault UnacknowledgedActive"], h.Run(3));
    }

    [Fact]
    public void DetectAlarms_ToxicPackChannelReportingPpm_SwitchesToPpmVariant()
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.h2s")], RulePacks.Default);
        using var h = new EngineHarness(book);
        // H2S OEL 10 mg/m3 = 7.17 ppm at 24.45 L/mol; level 2 = 14.35 ppm.
        h.Feed(Read(Gas1, 7.1, 1.5, "gas.h2s", "ppm"), Read(Gas1, 7.2, 2.5, "gas.h2s", "ppm"), Read(Gas1, 14.4, 3.5, "gas.h2s", "ppm"));

        Assert.Equal(
        [
            "2.5s Raised gd-01/gas.h2s.level L1 Level1 UnacknowledgedActive",
            "3.5s Escalated gd-01/gas.h2s.level L2 Level2 UnacknowledgedActive",
        ], h.Run(5));
    }
}
