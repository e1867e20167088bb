using SensorGateway.Alarms;

namespace SensorGateway.Grpc.Hazards;

/// <summary>Operator commands on the live alarm engine (shelve, unshelve), as the host's pipeline runs it.</summary>
public interface IAlarmOperator
{
    /// <summary>Applies the command; the alarm's change then arrives as an alarm event.</summary>
    /// <exception cref="ArgumentException">The engine rejects the command's arguments (e.g. a shelve duration beyond the maximum).</exception>
    AlarmCommandResult Execute(AlarmCommand command);
}
