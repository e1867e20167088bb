using SensorGateway.Core.Alarms;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class AlarmRuleBookTests
{
    public static TheoryData<string> SolutionQuantities =>
    [
        "gas.combustible", "gas.combustible.path", "gas.h2s", "gas.co", "gas.nh3", "gas.cl2", "gas.so2", "gas.no2", "gas.benzene",
        "gas.hcn", "gas.oxygen", "tank.product_level", "tank.water_level", "tank.fill_percent", "tank.temperature", "tank.pressure",
        "tank.level", "tank.level_switch_hh", "leak.interstitial", "pressure.inlet", "pressure.outlet", "valve.state",
    ];

    [Theory]
    [MemberData(nameof(SolutionQuantities))]
    public void Default_EveryQuantityOfTheSolution_HasAPackCitingItsSourceOrMarkedNotConfirmed(string quantity)
    {
        var variants = RulePacks.Default.Variants(quantity);

        Assert.NotEmpty(variants);
        Assert.All(variants, v => Assert.Matches(@"pack:[a-z-]+;.*\[(C|S|NC)\]", v.Source));
    }

    [Fact]
    public void Create_ChannelWithoutDefinition_TakesPackDefault()
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible")], RulePacks.Default);

        var rule = book.DefinitionFor(Gas1)!;

        Assert.Equal(("gas.combustible.level", true), (rule.Id, rule.Latching));
        Assert.Equal([("L1", 25.0), ("L2", 50.0)], rule.Limits.Select(l => (l.Name, l.SetPoint)));
    }

    [Fact]
    public void Create_ChannelsOfAQuantityWithoutPack_ShareOneQualityOnlyRule()
    {
        var book = AlarmRuleBook.Create(
            [new ChannelRule(Gas1, "device.sequence"), new ChannelRule(Gas2, "device.sequence"), new ChannelRule(Tank, "device.counter")],
            RulePacks.Default);

        Assert.Equal(["device.sequence.level", "device.sequence.level", "device.counter.level"],
            new[] { Gas1, Gas2, Tank }.Select(c => book.DefinitionFor(c)!.Id));
        Assert.Same(book.DefinitionFor(Gas1), book.DefinitionFor(Gas2));
        Assert.Same(book.Find(Gas1)!.Compiled, book.Find(Gas2)!.Compiled);
        Assert.NotSame(book.Find(Gas1)!.Compiled, book.Find(Tank)!.Compiled);
    }

    [Fact]
    public void Create_ChannelWithDefinition_OverridesPack()
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible", SectorRulePacks.UtilityTunnelNaturalGas)], RulePacks.Default);

        Assert.Equal([20.0, 35.0], book.DefinitionFor(Gas1)!.Limits.Select(l => l.SetPoint));
    }

    [Theory]
    [InlineData("ppm", 7.17, 14.35)]
    [InlineData("mg/m³", 10.0, 20.0)]
    public void Create_ToxicChannelUnit_PicksPackVariant(string unit, double level1, double level2)
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.h2s") { Unit = unit }], RulePacks.Default);

        Assert.Equal([level1, level2], book.DefinitionFor(Gas1)!.Limits.Select(l => l.SetPoint));
    }

    [Fact]
    public void Create_PackWithoutSetPoints_ListsChannelAsUnconfigured()
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Tank, "tank.level"), new ChannelRule(Gas1, "gas.combustible")], RulePacks.Default);

        Assert.Equal([Tank], book.Unconfigured.Select(r => r.Channel));
    }

    [Fact]
    public void Create_UnknownQuantityWithoutDefinition_GetsQualityRulesOnly()
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Gas1, "vibration.rms")], RulePacks.Default);

        Assert.Equal(("vibration.rms.level", 0), (book.DefinitionFor(Gas1)!.Id, book.DefinitionFor(Gas1)!.Limits.Count));
        Assert.Single(book.Unconfigured);
    }

    [Fact]
    public void Create_SameChannelTwice_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible"), new ChannelRule(new("site-a", "gd-01", "ch1"), "gas.co")], RulePacks.Default));

        Assert.Contains("site-a/gd-01/ch1 is listed twice", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1.0, 0, 2, "Deadband")]
    [InlineData(1.0, -1, 2, "delays")]
    [InlineData(1.0, 0, 5, "Priority")]
    public void Create_InvalidLimit_ThrowsNamingChannelAndField(double deadband, int onDelaySeconds, int priority, string field)
    {
        var rule = Rules.Test() with
        {
            Limits = [Rules.Limit("L1", AlarmLevel.Level1, 25, deadband) with { OnDelay = TimeSpan.FromSeconds(onDelaySeconds), Priority = priority }],
        };

        var ex = Assert.Throws<ArgumentException>(() => AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible", rule)], RulePacks.Default));

        Assert.Contains("site-a/gd-01/ch1", ex.Message, StringComparison.Ordinal);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FaultLevelAsLimit_Throws()
    {
        var rule = Rules.Test() with { Limits = [Rules.Limit("F", AlarmLevel.Fault, 1)] };

        Assert.Throws<ArgumentException>(() => AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible", rule)], RulePacks.Default));
    }

    [Fact]
    public void Create_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => AlarmRuleBook.Create(null!, RulePacks.Default));
        Assert.Throws<ArgumentNullException>(() => AlarmRuleBook.Create([], null!));
    }

    [Fact]
    public void With_SameQuantityAndUnit_ReplacesDefault()
    {
        var packs = RulePacks.Default.With("gas.combustible", SectorRulePacks.UtilityTunnelNaturalGas);

        Assert.Equal("gas.combustible.tunnel.level", packs.Find("gas.combustible", "%LEL")!.Id);
        Assert.Single(packs.Variants("gas.combustible"));
    }

    [Theory]
    [InlineData("mg/m3", 21.5, 43.0)]
    [InlineData("ppm", 15.42, 30.85)]
    public void ToxicIdlhFallback_H2S_IsFiveAndTenPercentIdlh(string unit, double level1, double level2)
    {
        var rule = SectorRulePacks.ToxicIdlhFallback("gas.h2s", unit);

        Assert.Equal([level1, level2], rule.Limits.Select(l => l.SetPoint));
        Assert.Equal(("gas.h2s.idlh.level", unit), (rule.Id, rule.Unit));
    }

    [Fact]
    public void ToxicIdlhFallback_UnknownGas_Throws()
    {
        Assert.Throws<ArgumentException>(() => SectorRulePacks.ToxicIdlhFallback("gas.unobtainium"));
    }
}
