namespace SensorGateway.Core.Alarms;

/// <summary>
/// The alarm rule of one channel: its ordered limits and behaviour. Where each value came from
/// (profile, sector pack, site override) is kept in <see cref="Source"/> for audits.
/// </summary>
public sealed record AlarmRuleDefinition
{
    /// <summary>Stable id, e.g. <c>gas.combustible.level</c>; appears on every alarm and hazard record.</summary>
    public required string Id { get; init; }

    public IReadOnlyList<AlarmLimitDefinition> Limits { get; init; } = [];

    /// <summary>Latching alarms stay active after the value returns until an operator resets them.</summary>
    public bool Latching { get; init; }

    /// <summary>Where the definition came from, e.g. <c>pack:combustible-gas (GB/T 50493-2019 5.5.2)</c>.</summary>
    public string Source { get; init; } = "";

    /// <summary>
    /// The unit the set-points are written in, e.g. <c>%LEL</c>, <c>mg/m3</c>. Null accepts any unit. A reading in
    /// another unit is never compared with these set-points: it raises a fault alarm instead (fail-safe).
    /// </summary>
    public string? Unit { get; init; }

    /// <summary>Rate-of-rise (or rate-of-fall) alarm; null for none.</summary>
    public RateOfRiseDefinition? RateOfRise { get; init; }

    /// <summary>Fail-safe quality rules: fault alarms, stale and flatline detection, valid range. Null uses the defaults.</summary>
    public QualityRuleDefinition? Quality { get; init; }

    /// <summary>
    /// Voting across the detectors of one area: when at least this many channels of the area (under this rule)
    /// are in alarm at a level, a voted alarm is raised at that level. Zero (default) for no voting; 2 for 2-out-of-N.
    /// </summary>
    public int VoteRequired { get; init; }
}
