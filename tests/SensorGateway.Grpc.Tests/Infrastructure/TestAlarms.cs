using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Grpc.Tests.Infrastructure;

/// <summary>Alarm events as the engine emits them, for one gas channel.</summary>
internal static class TestAlarms
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    public static ChannelId Channel(string site = "site-a", string channel = "lel") => new(site, "gd-01", channel);

    public static AlarmEvent Raised(ChannelId channel, AlarmLevel level = AlarmLevel.Level1, double value = 30, int second = 0) =>
        Event(channel, AlarmEventKind.Raised, level, AlarmState.UnacknowledgedActive, value, second);

    public static AlarmEvent Escalated(ChannelId channel, double value = 60, int second = 1) =>
        Event(channel, AlarmEventKind.Escalated, AlarmLevel.Level2, AlarmState.UnacknowledgedActive, value, second);

    public static AlarmEvent Cleared(ChannelId channel, int second = 2) =>
        Event(channel, AlarmEventKind.Cleared, AlarmLevel.None, AlarmState.UnacknowledgedReturnToNormal, 0, second);

    private static AlarmEvent Event(ChannelId channel, AlarmEventKind kind, AlarmLevel level, AlarmState state, double value, int second)
    {
        var time = T0.AddSeconds(second);
        var reading = new Reading(channel, "gas.combustible", "%LEL", value, Quality.Good, time, time, second);
        return new AlarmEvent(channel, "gas.combustible.level", kind, level, level == AlarmLevel.Level2 ? "L2" : "L1", state,
            level == AlarmLevel.Level2 ? 50 : 25, reading, time, $"{kind} {value} %LEL");
    }
}
