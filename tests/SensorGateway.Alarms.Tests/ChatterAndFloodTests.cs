using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class ChatterAndFloodTests
{
    [Fact]
    public void DetectAlarms_ThreeActivationsInAMinute_SuppressesAsChatteringAndReleasesAfterQuiet()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5), Read(Gas1, 30, 3.5), Read(Gas1, 0, 4.5), Read(Gas1, 30, 5.5),
            Read(Gas1, 0, 6.5), Read(Gas1, 30, 7.5), Read(Gas1, 0, 8.5));

        var lines = h.Run(610);

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
            "3.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "4.5s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
            "5.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "5.5s Suppressed gd-01/gas.test.level L1 Level1 Suppressed",
            "608s Unsuppressed gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], lines);
        var kpis = h.Engine.GetKpis();
        Assert.Equal(1, kpis.ChatteringDetections);
        Assert.Equal(0, kpis.ChatteringNow);
    }

    [Fact]
    public void DetectAlarms_EscalationWhileSuppressedForChattering_BreaksThrough()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5), Read(Gas1, 30, 3.5), Read(Gas1, 0, 4.5), Read(Gas1, 30, 5.5), Read(Gas1, 60, 6.5));

        var lines = h.Run(8);

        Assert.Equal(
        [
            "5.5s Suppressed gd-01/gas.test.level L1 Level1 Suppressed",
            "6.5s Escalated gd-01/gas.test.level L2 Level2 UnacknowledgedActive",
        ], lines[^2..]);
        Assert.Equal(1, h.Engine.CurrentAlarms().Single().ChatterCount);
    }

    [Fact]
    public void DetectAlarms_ChatterSuppressionOff_CountsButAnnouncesEveryCycle()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1), new AlarmEngineOptions { SuppressChattering = false });
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5), Read(Gas1, 30, 3.5), Read(Gas1, 0, 4.5), Read(Gas1, 30, 5.5));

        Assert.Equal(5, h.Run(7).Length);
        Assert.Equal(1, h.Engine.GetKpis().ChatteringDetections);
    }

    [Fact]
    public void DetectAlarms_MoreThanTenAlarmsInTenMinutesAtOneSite_RaisesFloodUntilWindowPasses()
    {
        var packs = RulePacks.Empty.With("gas.combustible", Rules.Test());
        using var h = new EngineHarness(AlarmRuleBook.FromPacks(packs));
        h.Feed([.. Enumerable.Range(0, 11).Select(i => Read(new ChannelId("site-a", $"gd-{i:00}", "ch1"), 30, 1.5 + i))]);

        var lines = h.Run(605);

        Assert.Equal(13, lines.Length);
        Assert.Equal(
        [
            "11.5s Raised gd-10/gas.test.level L1 Level1 UnacknowledgedActive",
            "11.5s Raised alarm-system/system.alarm-flood flood Level1 UnacknowledgedActive",
            "602s Cleared alarm-system/system.alarm-flood flood None UnacknowledgedReturnToNormal",
        ], lines[^3..]);
        Assert.Equal(1, h.Engine.GetKpis().Floods);
    }

    [Fact]
    public void DetectAlarms_TenAlarmsInTenMinutes_IsNoFlood()
    {
        var packs = RulePacks.Empty.With("gas.combustible", Rules.Test());
        using var h = new EngineHarness(AlarmRuleBook.FromPacks(packs));
        h.Feed([.. Enumerable.Range(0, 10).Select(i => Read(new ChannelId("site-a", $"gd-{i:00}", "ch1"), 30, 1.5 + i))]);

        Assert.Equal(10, h.Run(20).Length);
        Assert.Equal(new Dictionary<string, int> { ["site-a"] = 10 }, h.Engine.GetKpis().RaisedInWindowBySite);
    }
}
