namespace SensorGateway.Core.Alarms;

/// <summary>The ISA-18.2 / OPC UA Part 9 alarm states.</summary>
public enum AlarmState
{
    Normal = 0,
    UnacknowledgedActive,
    AcknowledgedActive,
    UnacknowledgedReturnToNormal,

    /// <summary>Returned to normal but held until an operator resets it (gas alarms latch by default).</summary>
    Latched,
    Shelved,
    Suppressed,
    OutOfService,
}
