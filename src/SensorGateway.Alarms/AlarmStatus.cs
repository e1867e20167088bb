using SensorGateway.Core.Alarms;

namespace SensorGateway.Alarms;

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
