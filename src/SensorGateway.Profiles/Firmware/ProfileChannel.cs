using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;
using SensorGateway.Profiles.Registers;

namespace SensorGateway.Profiles.Firmware;

/// <summary>One channel of a profile: where its raw value is, how it becomes an engineering value, and when it is bad.</summary>
public sealed record ProfileChannel
{
    public required string Name { get; init; }

    public required string Quantity { get; init; }

    public required string Unit { get; init; }

    /// <summary>Where the value is, for Modbus devices.</summary>
    public RegisterLayout? Register { get; init; }

    /// <summary>Engineering value = raw × Scale + Offset.</summary>
    public double Scale { get; init; } = 1;

    public double Offset { get; init; }

    public ValueRange? Range { get; init; }

    public LoopCurrentScaling? LoopCurrent { get; init; }

    public StatusWord? Status { get; init; }

    /// <summary>Raw values that mean a fault rather than a measurement (e.g. 2 = sensor out on a leak sensor).</summary>
    public IReadOnlyList<StatusValue> FaultValues { get; init; } = [];

    /// <summary>The profile's default alarm rule, or null to take the sector rule pack's.</summary>
    public AlarmRuleDefinition? Alarm { get; init; }

    /// <summary>Where the value is, for MQTT JSON devices.</summary>
    public MqttValuePath? Mqtt { get; init; }
}
