using SensorGateway.Core.Alarms;

namespace SensorGateway.Core.Pipeline;

/// <summary>Where alarm events leave the engine: the hazard log that duty officers' clients subscribe to.</summary>
public interface IAlarmPublisher
{
    /// <summary>
    /// Takes the event's place in the publisher's order before returning, so a caller may hand over the next event
    /// without waiting; the task completes when the event is durable and on its way to subscribers.
    /// </summary>
    ValueTask PublishAsync(AlarmEvent alarm, CancellationToken cancellationToken);
}
