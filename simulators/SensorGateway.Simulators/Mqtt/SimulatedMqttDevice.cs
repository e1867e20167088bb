using SensorGateway.Simulators.Signals;

namespace SensorGateway.Simulators.Mqtt;

/// <summary>A device that publishes its channels' values on one topic at a fixed interval.</summary>
public sealed record SimulatedMqttDevice(string DeviceId, string Topic, TimeSpan Interval, IReadOnlyDictionary<string, IChannelSignal> Channels);
