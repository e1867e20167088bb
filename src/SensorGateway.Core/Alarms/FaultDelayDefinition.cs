using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Alarms;

/// <summary>The delays of one fault cause (comm loss, sensor fault, stale, …): each is its own configured fault.</summary>
/// <param name="Reason">The quality reason this applies to.</param>
/// <param name="OnDelay">How long the fault must persist before the fault alarm activates.</param>
/// <param name="OffDelay">How long good readings must persist before the fault alarm clears.</param>
/// <param name="Enabled">False to not raise a fault alarm for this reason (the reading still never counts as normal).</param>
public sealed record FaultDelayDefinition(QualityReason Reason, TimeSpan OnDelay, TimeSpan OffDelay, bool Enabled = true);
