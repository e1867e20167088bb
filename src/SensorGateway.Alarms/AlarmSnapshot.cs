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

    public IReadOnlyList<ChannelMark> Channels { get; init; } = [];
}
