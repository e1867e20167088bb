using SensorGateway.Core.Alarms;

namespace SensorGateway.Alarms.Tests;

/// <summary>Small rule definitions for the tests: L1 25 / L2 50 rising unless said otherwise, no stale timer.</summary>
internal static class Rules
{
    public static AlarmLimitDefinition Limit(string name, AlarmLevel level, double setPoint, double deadband = 0,
        AlarmDirection direction = AlarmDirection.High) =>
        new() { Name = name, Level = level, Direction = direction, SetPoint = setPoint, Deadband = deadband };

    public static AlarmRuleDefinition Test(QualityRuleDefinition? quality = null, bool latching = false, int vote = 0,
        RateOfRiseDefinition? rate = null, bool noLimits = false) => new()
        {
            Id = "gas.test.level",
            Latching = latching,
            Limits = noLimits ? [] : [Limit("L1", AlarmLevel.Level1, 25), Limit("L2", AlarmLevel.Level2, 50)],
            Quality = quality ?? new QualityRuleDefinition { StaleIntervals = 0 },
            VoteRequired = vote,
            RateOfRise = rate,
        };

    public static AlarmRuleBook Book(AlarmRuleDefinition definition, params Core.Readings.ChannelId[] channels) =>
        AlarmRuleBook.Create(channels.Select(c => new ChannelRule(c, "gas.combustible", definition)), RulePacks.Default);
}
