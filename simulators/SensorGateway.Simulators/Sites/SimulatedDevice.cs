using SensorGateway.Core.Sites;
using SensorGateway.Modbus;
using SensorGateway.Modbus.Server;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Simulators.Scenarios;

namespace SensorGateway.Simulators.Sites;

/// <summary>One simulated device: its channels and the device-wide events (silence, protocol faults).</summary>
public sealed class SimulatedDevice
{
    private readonly IReadOnlyList<ScenarioEvent> _events;

    internal SimulatedDevice(DeviceDefinition definition, FirmwareProfile? profile, IReadOnlyList<SimulatedChannel> channels, IReadOnlyList<ScenarioEvent> events)
    {
        Definition = definition;
        Profile = profile;
        Channels = channels;
        _events = events;
    }

    public DeviceDefinition Definition { get; }

    public string Id => Definition.Id;

    public FirmwareProfile? Profile { get; }

    public IReadOnlyList<SimulatedChannel> Channels { get; }

    /// <summary>Whether the device does not answer (or publish) at that time.</summary>
    public bool IsSilentAt(TimeSpan elapsed) => _events.Any(e => e.Type == ScenarioEventType.Silent && e.IsActiveAt(elapsed));

    /// <summary>The fault the Modbus slave injects at that time, or null.</summary>
    public ModbusFault? ModbusFaultAt(TimeSpan elapsed)
    {
        if (IsSilentAt(elapsed))
        {
            return ModbusFault.Drop;
        }

        var active = _events.LastOrDefault(e => e.Type is ScenarioEventType.ModbusException or ScenarioEventType.CorruptFrames && e.IsActiveAt(elapsed));
        return active?.Type switch
        {
            ScenarioEventType.ModbusException => ModbusFault.Exception((ModbusExceptionCode)active.Code),
            ScenarioEventType.CorruptFrames => Definition.Address is ModbusTcpDeviceAddress ? ModbusFault.Truncate : ModbusFault.CorruptCrc,
            _ => null,
        };
    }
}
