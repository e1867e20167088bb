using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Pipeline;

/// <summary>An edge adapter: something that produces readings (MQTT ingest, Modbus poller, a simulator).</summary>
public interface IReadingSource
{
    /// <summary>A short name for logs and metrics, e.g. <c>mqtt</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The adapter's readings. Cold: subscribing starts the adapter, disposing the subscription stops it.
    /// Transient faults (a lost connection) appear as bad-quality readings, never as OnError; OnError means
    /// the adapter cannot go on at all.
    /// </summary>
    IObservable<Reading> Readings { get; }
}
