namespace SensorGateway.Core.Alarms;

/// <summary>
/// A rate-of-change alarm: the value moves by more than <see cref="RatePerMinute"/> per minute, measured over
/// <see cref="Window"/> on the readings' source times (e.g. %LEL per minute, tank level per minute during a delivery).
/// </summary>
public sealed record RateOfRiseDefinition
{
    /// <summary>Operator-facing limit name; <c>rate</c> by default.</summary>
    public string Name { get; init; } = "rate";

    /// <summary>Change per minute, in the channel's unit, at or beyond which the alarm activates. Always positive.</summary>
    public required double RatePerMinute { get; init; }

    /// <summary><see cref="AlarmDirection.High"/> for a rise, <see cref="AlarmDirection.Low"/> for a fall (sudden loss).</summary>
    public AlarmDirection Direction { get; init; } = AlarmDirection.High;

    /// <summary>The span the rate is measured over. Defaults to one minute.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How far below the rate limit (per minute) a measured rate must fall to clear.</summary>
    public double Deadband { get; init; }

    public AlarmLevel Level { get; init; } = AlarmLevel.Level1;

    public int Priority { get; init; } = 2;

    public Hazards.HazardGrade HazardGrade { get; init; } = Hazards.HazardGrade.General;
}
