namespace SensorGateway.Alarms;

/// <summary>
/// The alarm state that must survive a restart: every alarm that is not plain normal, and each channel's last
/// source time (so that old readings replayed after a restart are still recognised as out of order).
/// </summary>
public sealed record AlarmSnapshot
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public DateTimeOffset SavedAt { get; init; }

    public IReadOnlyList<AlarmStatus> Alarms { get; init; } = [];

    /// <summary>
    /// Each channel's last source time, or null when this snapshot was taken without them (they change with every
    /// reading, so they are saved less often than alarms): a store then keeps the marks it saved before.
    /// </summary>
    public IReadOnlyList<ChannelMark>? Channels { get; init; } = [];
}
