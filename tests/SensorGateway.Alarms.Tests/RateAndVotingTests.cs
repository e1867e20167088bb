using SensorGateway.Core.Alarms;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class RateAndVotingTests
{
    [Fact]
    public void DetectAlarms_RiseFasterThanRatePerMinute_RaisesRateAlarmAndClearsWhenFlat()
    {
        var rule = Rules.Test(rate: new RateOfRiseDefinition { RatePerMinute = 10, Window = TimeSpan.FromMinutes(1) }, noLimits: true);
        using var h = new EngineHarness(Rules.Book(rule, Gas1));
        h.Feed([.. Enumerable.Range(0, 7).Select(i => Read(Gas1, 2 * i, 0.5 + (10 * i))),
            .. Enumerable.Range(7, 6).Select(i => Read(Gas1, 12, 0.5 + (10 * i)))]);

        Assert.Equal(
        [
            "60.5s Raised gd-01/gas.test.level.rate rate Level1 UnacknowledgedActive",
            "120.5s Cleared gd-01/gas.test.level.rate rate None UnacknowledgedReturnToNormal",
        ], h.Run(125));
    }

    [Fact]
    public void DetectAlarms_RiseSlowerThanRate_RaisesNothing()
    {
        var rule = Rules.Test(rate: new RateOfRiseDefinition { RatePerMinute = 10 }, noLimits: true);
        using var h = new EngineHarness(Rules.Book(rule, Gas1));
        h.Feed([.. Enumerable.Range(0, 13).Select(i => Read(Gas1, 1.5 * i, 0.5 + (10 * i)))]);

        Assert.Empty(h.Run(125));
    }

    [Fact]
    public void DetectAlarms_SuddenLossWithFallingRate_RaisesRateAlarm()
    {
        var rule = Rules.Test(rate: new RateOfRiseDefinition { Name = "LOSS", RatePerMinute = 5, Direction = AlarmDirection.Low }, noLimits: true);
        using var h = new EngineHarness(Rules.Book(rule, Tank));
        h.Feed(Read(Tank, 100, 0.5), Read(Tank, 95, 30.5), Read(Tank, 90, 60.5));

        Assert.Equal(["60.5s Raised atg-01/gas.test.level.rate LOSS Level1 UnacknowledgedActive"], h.Run(65));
    }

    [Fact]
    public void DetectAlarms_TwoOutOfThreeDetectorsInArea_RaisesVotedAlarmAtTheLevelTwoShare()
    {
        var rule = Rules.Test(vote: 2);
        var book = AlarmRuleBook.Create(
            new[] { Gas1, Gas2, Gas3 }.Select(c => new ChannelRule(c, "gas.combustible", rule) { Area = "zone-1" }), RulePacks.Default);
        using var h = new EngineHarness(book);
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas2, 30, 2.5), Read(Gas2, 60, 3.5), Read(Gas1, 60, 4.5), Read(Gas1, 0, 5.5));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Raised gd-02/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Raised zone-1/gas.test.level.vote 2oo3 Level1 UnacknowledgedActive",
            "3.5s Escalated gd-02/gas.test.level L2 Level2 UnacknowledgedActive",
            "4.5s Escalated gd-01/gas.test.level L2 Level2 UnacknowledgedActive",
            "4.5s Escalated zone-1/gas.test.level.vote 2oo3 Level2 UnacknowledgedActive",
            "5.5s Cleared gd-01/gas.test.level L2 None UnacknowledgedReturnToNormal",
            "5.5s Cleared zone-1/gas.test.level.vote 2oo3 None UnacknowledgedReturnToNormal",
        ], h.Run(7));
    }

    [Fact]
    public void AlarmRuleBook_VoteRequiredOfOne_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible", Rules.Test(vote: 1))], RulePacks.Default));

        Assert.Contains("VoteRequired", ex.Message, StringComparison.Ordinal);
    }
}
