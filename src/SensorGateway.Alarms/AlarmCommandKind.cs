namespace SensorGateway.Alarms;

/// <summary>An operator's action on an alarm (ISA-18.2 / OPC UA Part 9).</summary>
public enum AlarmCommandKind
{
    Acknowledge = 0,

    /// <summary>Resets a latched alarm whose condition has returned to normal.</summary>
    Reset,

    /// <summary>Hides an alarm until <see cref="AlarmCommand.ShelveFor"/> expires (at most the configured maximum).</summary>
    Shelve,
    Unshelve,

    /// <summary>Suppresses an alarm (by design, e.g. during a planned operation) until unsuppressed.</summary>
    Suppress,
    Unsuppress,

    /// <summary>Takes the alarm (or every alarm of the channel) out of service, e.g. for maintenance.</summary>
    RemoveFromService,
    ReturnToService,
}
