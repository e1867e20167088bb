using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms;

/// <summary>
/// One configured channel for the rule book: its quantity and, when the profile or site gives one, its own rule.
/// Without a definition the sector rule pack for <see cref="Quantity"/> (and <see cref="Unit"/>) supplies the default.
/// </summary>
/// <param name="Channel">The channel; the same instance the adapters put on readings.</param>
/// <param name="Quantity">What it measures, e.g. <c>gas.combustible</c>.</param>
/// <param name="Definition">A profile default or site override; null to take the sector rule pack's.</param>
public sealed record ChannelRule(ChannelId Channel, string Quantity, AlarmRuleDefinition? Definition = null)
{
    /// <summary>The engineering unit the channel reports in; picks the pack variant (e.g. ppm vs mg/m3).</summary>
    public string? Unit { get; init; }

    /// <summary>The area (zone) the detector watches, for 2-out-of-N voting; null when it takes part in none.</summary>
    public string? Area { get; init; }
}
