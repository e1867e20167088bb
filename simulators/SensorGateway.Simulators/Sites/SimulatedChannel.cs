using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Simulators.Scenarios;
using SensorGateway.Simulators.Signals;

namespace SensorGateway.Simulators.Sites;

/// <summary>One channel of a simulated device: its signal with the scenario's events applied, and its faults.</summary>
public sealed class SimulatedChannel
{
    private readonly IReadOnlyList<ScenarioEvent> _faults;

    internal SimulatedChannel(ChannelDefinition definition, ProfileChannel? profile, IChannelSignal signal, IReadOnlyList<ScenarioEvent> faults)
    {
        Definition = definition;
        Profile = profile;
        Signal = signal;
        _faults = faults;
    }

    public ChannelDefinition Definition { get; }

    public string Id => Definition.Id.Channel;

    /// <summary>The profile's channel for Modbus devices (register layout, scale, status word), else null.</summary>
    public ProfileChannel? Profile { get; }

    public IChannelSignal Signal { get; }

    /// <summary>The engineering value at a scenario time.</summary>
    public double ValueAt(TimeSpan elapsed) => Signal.ValueAt(elapsed);

    /// <summary>The raw fault value the register holds at that time (a <c>fault-value</c> event), or null.</summary>
    public double? FaultValueAt(TimeSpan elapsed) =>
        _faults.LastOrDefault(e => e.Type == ScenarioEventType.FaultValue && e.IsActiveAt(elapsed))?.Value;

    /// <summary>Status-word bits set by <c>fault-bit</c> events at that time.</summary>
    public ushort StatusBitsAt(TimeSpan elapsed)
    {
        ushort bits = 0;
        foreach (var e in _faults)
        {
            if (e.Type == ScenarioEventType.FaultBit && e.IsActiveAt(elapsed))
            {
                bits |= (ushort)(1 << e.Bit);
            }
        }

        return bits;
    }

    /// <summary>Whether the device reports this channel as faulty at that time.</summary>
    public bool IsFaultyAt(TimeSpan elapsed) => StatusBitsAt(elapsed) != 0 || FaultValueAt(elapsed) is not null;
}
