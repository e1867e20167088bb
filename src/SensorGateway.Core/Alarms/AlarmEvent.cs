using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Alarms;

/// <summary>
/// A change of one alarm: the alarm on a channel under one rule, identified by <see cref="AlarmKey"/>.
/// </summary>
/// <param name="Channel">Where the alarm is.</param>
/// <param name="RuleId">The rule that decided it, e.g. <c>gas.combustible.level</c>.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Level">The level after the change (<see cref="AlarmLevel.None"/> once cleared).</param>
/// <param name="Limit">The limit that is breached, e.g. <c>L1</c>, <c>HH</c>, <c>rate</c>, <c>fault</c>.</param>
/// <param name="State">The ISA-18.2 state after the change.</param>
/// <param name="SetPoint">The set-point of that limit, or NaN for fault alarms.</param>
/// <param name="Trigger">The reading that caused the change (the evidence).</param>
/// <param name="Time">When the change happened, on the engine's clock.</param>
/// <param name="Message">One line for a duty officer.</param>
public sealed record AlarmEvent(
    ChannelId Channel,
    string RuleId,
    AlarmEventKind Kind,
    AlarmLevel Level,
    string Limit,
    AlarmState State,
    double SetPoint,
    Reading Trigger,
    DateTimeOffset Time,
    string Message)
{
    /// <summary>The identity of the alarm across its events.</summary>
    public string AlarmKey => $"{Channel}#{RuleId}";
}
