using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Sites;

/// <summary>One configured channel of a device.</summary>
/// <param name="Id">The shared identity that every reading of this channel carries.</param>
/// <param name="Quantity">What is measured, e.g. <c>gas.combustible</c>.</param>
/// <param name="Unit">Engineering unit.</param>
/// <param name="Alarm">The site's alarm rule for the channel, or null to take the sector rule pack's default.</param>
public sealed record ChannelDefinition(ChannelId Id, string Quantity, string Unit, AlarmRuleDefinition? Alarm);
