using SensorGateway.Profiles.Sites;

namespace SensorGateway.Profiles.Firmware;

// A firmware profile as written (YAML, camelCase keys); see firmware-profiles/README.md and
// firmware-profiles/schema/firmware-profile.schema.json. Nullable everywhere so the validator can name what is missing.
#pragma warning disable CA1002, CA2227 // Mutable lists are what the YAML deserializer fills.

public sealed class ProfileDocument
{
    public IdentitySection? Identity { get; set; }

    public ModbusSection? Modbus { get; set; }

    public List<StatusRegisterSection>? StatusRegisters { get; set; }

    public List<ProfileChannelSection>? Channels { get; set; }

    public List<ChannelGroupSection>? Groups { get; set; }

    public MqttPayloadSection? Mqtt { get; set; }
}

public sealed class IdentitySection
{
    public string? Vendor { get; set; }

    public string? Model { get; set; }

    public string? Description { get; set; }

    public List<string>? Firmware { get; set; }

    public DeviceIdSection? DeviceId { get; set; }
}

public sealed class DeviceIdSection
{
    public string? VendorName { get; set; }

    public string? ProductCode { get; set; }

    public string? Revision { get; set; }
}

public sealed class ModbusSection
{
    public string? Addressing { get; set; }

    public int? UnitId { get; set; }

    public int? Baud { get; set; }

    public string? Parity { get; set; }

    public int? StopBits { get; set; }

    public string? Timeout { get; set; }

    public int? Retries { get; set; }

    public int? MaxRegistersPerRequest { get; set; }

    public int? MaxGap { get; set; }

    public int? MaxConnections { get; set; }

    public string? RequestDelay { get; set; }
}

public sealed class StatusRegisterSection
{
    public string? Name { get; set; }

    public string? Table { get; set; }

    public int? Address { get; set; }

    public List<StatusBitSection>? Bits { get; set; }

    public List<StatusCodeSection>? Codes { get; set; }
}

public sealed class StatusBitSection
{
    public int? Bit { get; set; }

    public string? Reason { get; set; }
}

public sealed class StatusCodeSection
{
    public long? Value { get; set; }

    public string? Reason { get; set; }
}

public sealed class ProfileChannelSection
{
    public string? Name { get; set; }

    public string? Quantity { get; set; }

    public string? Unit { get; set; }

    public string? Description { get; set; }

    public string? Table { get; set; }

    public int? Address { get; set; }

    public string? Type { get; set; }

    public string? ByteOrder { get; set; }

    public int? Bit { get; set; }

    public int? Length { get; set; }

    public double? Scale { get; set; }

    public double? Offset { get; set; }

    public RangeSection? Range { get; set; }

    public LoopCurrentSection? LoopCurrent { get; set; }

    public string? Status { get; set; }

    public List<StatusCodeSection>? FaultValues { get; set; }

    public AlarmSection? Alarm { get; set; }
}

public sealed class RangeSection
{
    public double? Min { get; set; }

    public double? Max { get; set; }
}

public sealed class LoopCurrentSection
{
    /// <summary>Engineering value at 4 mA.</summary>
    public double? At4mA { get; set; }

    /// <summary>Engineering value at 20 mA.</summary>
    public double? At20mA { get; set; }
}

public sealed class ChannelGroupSection
{
    public int? Repeat { get; set; }

    public int? Stride { get; set; }

    public string? Name { get; set; }

    public List<StatusRegisterSection>? StatusRegisters { get; set; }

    public List<ProfileChannelSection>? Channels { get; set; }
}

public sealed class MqttPayloadSection
{
    public string? Topic { get; set; }

    public string? Timestamp { get; set; }

    public string? TimestampFormat { get; set; }

    public string? Sequence { get; set; }

    public List<MqttChannelSection>? Channels { get; set; }
}

public sealed class MqttChannelSection
{
    public string? Name { get; set; }

    public string? Quantity { get; set; }

    public string? Unit { get; set; }

    public string? Value { get; set; }

    public string? Status { get; set; }

    public Dictionary<string, string>? StatusMap { get; set; }

    public RangeSection? Range { get; set; }

    public AlarmSection? Alarm { get; set; }
}
#pragma warning restore CA1002, CA2227
