using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms;

/// <summary>An operator's action on one alarm, or on every alarm of a channel when <see cref="RuleId"/> is null.</summary>
/// <param name="Kind">The action.</param>
/// <param name="Channel">The alarm's channel (for voted and flood alarms: the channel on their events).</param>
/// <param name="RuleId">The alarm's rule id as on its events, e.g. <c>gas.combustible.level</c> or <c>….fault</c>; null for all.</param>
/// <param name="Actor">Who does it; required.</param>
/// <param name="Note">Free text for the audit trail.</param>
public sealed record AlarmCommand(AlarmCommandKind Kind, ChannelId Channel, string? RuleId, string Actor, string Note = "")
{
    /// <summary>For <see cref="AlarmCommandKind.Shelve"/>: how long; must be positive and within the configured maximum.</summary>
    public TimeSpan ShelveFor { get; init; }
}
