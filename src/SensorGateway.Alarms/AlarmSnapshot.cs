using SensorGateway.Core.Alarms;

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

/// <summary>One alarm's state, as saved and as shown to clients.</summary>
public sealed record AlarmStatus
{
    public required string Site { get; init; }

    public required string Device { get; init; }

    public required string Channel { get; init; }

    public required string RuleId { get; init; }

    public AlarmLevel Level { get; init; }

    public string Limit { get; init; } = "";

    public double SetPoint { get; init; } = double.NaN;

    public int Priority { get; init; } = 2;

    public AlarmState State { get; init; }

    public bool Active { get; init; }

    public bool Acknowledged { get; init; } = true;

    public bool Latched { get; init; }

    public DateTimeOffset? ShelvedUntil { get; init; }

    public bool Suppressed { get; init; }

    public bool OutOfService { get; init; }

    public DateTimeOffset? ActiveSince { get; init; }

    public int ChatterCount { get; init; }
}

/// <summary>A channel's last accepted source time.</summary>
public sealed record ChannelMark(string Site, string Device, string Channel, DateTimeOffset LastSourceTime);
