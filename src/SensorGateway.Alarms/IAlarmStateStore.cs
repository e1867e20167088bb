namespace SensorGateway.Alarms;

/// <summary>Where the alarm state is kept across restarts.</summary>
public interface IAlarmStateStore
{
    /// <summary>The last saved state, or null when nothing was saved yet.</summary>
    ValueTask<AlarmSnapshot?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves the state; when the returned task completes, a crash does not lose it.</summary>
    ValueTask SaveAsync(AlarmSnapshot snapshot, CancellationToken cancellationToken);
}
