using SensorGateway.Core.Alarms;

namespace SensorGateway.Core.Pipeline;

/// <summary>Where alarm events leave the engine: the hazard log that duty officers' clients subscribe to.</summary>
public interface IAlarmPublisher
{
    ValueTask PublishAsync(AlarmEvent alarm, CancellationToken cancellationToken);
}
