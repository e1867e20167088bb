namespace SensorGateway.Profiles.Sites;

// The site file as written (YAML, camelCase keys). Every property is nullable so that a missing key
// is reported by the validator with its position instead of silently defaulting.
#pragma warning disable CA1002, CA2227 // Mutable lists are what the YAML deserializer fills.

public sealed class SiteFileDocument
{
    public SiteSection? Site { get; set; }

    public List<DeviceSection>? Devices { get; set; }
}

public sealed class SiteSection
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Sector { get; set; }
}

public sealed class DeviceSection
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Location { get; set; }

    public string? Profile { get; set; }

    public MqttAddressSection? Mqtt { get; set; }

    public ModbusAddressSection? Modbus { get; set; }

    public string? PollInterval { get; set; }

    public List<ChannelSection>? Channels { get; set; }

    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class MqttAddressSection
{
    public string? Topic { get; set; }
}

public sealed class ModbusAddressSection
{
    /// <summary>Modbus TCP endpoint, <c>host:port</c>.</summary>
    public string? Tcp { get; set; }

    /// <summary>Serial device server carrying RTU frames over TCP, <c>host:port</c>.</summary>
    public string? RtuOverTcp { get; set; }

    /// <summary>Local serial port, e.g. <c>/dev/ttyUSB0</c>.</summary>
    public string? Serial { get; set; }

    public int? Baud { get; set; }

    public string? Parity { get; set; }

    public int? StopBits { get; set; }

    public int? Unit { get; set; }
}

public sealed class ChannelSection
{
    public string? Id { get; set; }

    public string? Quantity { get; set; }

    public string? Unit { get; set; }

    public AlarmSection? Alarm { get; set; }
}

public sealed class AlarmSection
{
    public string? Rule { get; set; }

    public bool? Latching { get; set; }

    public List<LimitSection>? Limits { get; set; }
}

public sealed class LimitSection
{
    public string? Name { get; set; }

    public string? Level { get; set; }

    public string? Direction { get; set; }

    public double? Setpoint { get; set; }

    public double? Deadband { get; set; }

    public string? OnDelay { get; set; }

    public string? OffDelay { get; set; }

    public string? ReAlarm { get; set; }

    public int? Priority { get; set; }
}
#pragma warning restore CA1002, CA2227
