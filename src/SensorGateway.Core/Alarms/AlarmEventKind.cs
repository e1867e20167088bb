namespace SensorGateway.Core.Alarms;

/// <summary>What happened to an alarm.</summary>
public enum AlarmEventKind
{
    Raised = 0,
    Escalated,
    Deescalated,
    Cleared,
    Acknowledged,
    Reset,
    Realarmed,
    Shelved,
    Unshelved,
    Suppressed,
    Unsuppressed,
}
