namespace SensorGateway.Core.Alarms;

/// <summary>
/// One limit of a threshold rule, as configured (profile default, sector rule pack or site override).
/// Plain data: the alarm engine compiles it into a state machine.
/// </summary>
public sealed record AlarmLimitDefinition
{
    /// <summary>Name shown to operators: <c>L1</c>, <c>L2</c>, <c>H</c>, <c>HH</c>, <c>L</c>, <c>LL</c>.</summary>
    public required string Name { get; init; }

    public required AlarmLevel Level { get; init; }

    public required AlarmDirection Direction { get; init; }

    public required double SetPoint { get; init; }

    /// <summary>How far back past the set-point the value must return to clear (hysteresis), in the channel's unit.</summary>
    public double Deadband { get; init; }

    /// <summary>How long the value must stay past the set-point before the alarm activates. Zero for life-safety gas alarms.</summary>
    public TimeSpan OnDelay { get; init; }

    /// <summary>How long the value must stay back inside the deadband before the alarm clears.</summary>
    public TimeSpan OffDelay { get; init; }

    /// <summary>Re-annunciate an alarm left active this long; zero for never.</summary>
    public TimeSpan ReAlarmInterval { get; init; }

    /// <summary>1 (highest) to 4 (lowest), for ordering a duty officer's list.</summary>
    public int Priority { get; init; } = 2;

    /// <summary>
    /// The grade the engine suggests for a hazard record opened or escalated at this limit (一般 by default).
    /// The operator's grading step still decides; see <c>HazardLifecycle</c>.
    /// </summary>
    public Hazards.HazardGrade HazardGrade { get; init; } = Hazards.HazardGrade.General;
}
