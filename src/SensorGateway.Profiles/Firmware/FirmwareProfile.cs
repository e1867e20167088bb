using SensorGateway.Core.Readings;

namespace SensorGateway.Profiles.Firmware;

/// <summary>What one device model speaks: identity, transport defaults and channels. Loaded by <see cref="FirmwareProfileLoader"/>.</summary>
/// <param name="Id">The profile's id: its path under firmware-profiles/ without extension, e.g. <c>generic/catalytic-lel-detector</c>.</param>
public sealed record FirmwareProfile(
    string Id,
    string Vendor,
    string Model,
    string Description,
    IReadOnlyList<string> FirmwareVersions,
    DeviceIdentity? DeviceId,
    ModbusProfileDefaults? Modbus,
    IReadOnlyList<ProfileChannel> Channels,
    MqttPayloadProfile? Mqtt,
    string SourceFile)
{
    public ProfileChannel? Channel(string name) => Channels.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
}

/// <summary>The Read Device Identification (FC 43/14) objects a matching device reports.</summary>
public sealed record DeviceIdentity(string? VendorName, string? ProductCode, string? Revision);

/// <summary>Modbus transport defaults; a site file may override the address-related ones.</summary>
public sealed record ModbusProfileDefaults(
    byte UnitId,
    int Baud,
    string Parity,
    int StopBits,
    TimeSpan Timeout,
    int Retries,
    int MaxRegistersPerRequest,
    int MaxGap,
    int MaxConnections,
    TimeSpan RequestDelay);

/// <summary>A status or fault word: bits and codes that make readings bad, with the reason.</summary>
public sealed record StatusWord(
    string Name,
    Registers.RegisterLayout Layout,
    IReadOnlyList<StatusBit> Bits,
    IReadOnlyList<StatusValue> Codes);

public sealed record StatusBit(int Bit, QualityReason Reason);

public sealed record StatusValue(long Value, QualityReason Reason);

/// <summary>A valid engineering range; values outside it are bad (out of range).</summary>
public sealed record ValueRange(double Min, double Max);

/// <summary>A 4–20 mA loop current channel: engineering values at 4 and 20 mA; NE 43 fault band applies.</summary>
public sealed record LoopCurrentScaling(double At4mA, double At20mA);

/// <summary>Where an MQTT JSON device puts one channel's value and status.</summary>
public sealed record MqttValuePath(string ValuePath, string? StatusPath, IReadOnlyDictionary<string, Quality> StatusMap);

/// <summary>How an MQTT JSON device's messages are laid out.</summary>
/// <param name="TopicTemplate">With <c>{site}</c> and <c>{device}</c> placeholders.</param>
/// <param name="TimestampPath">Dotted JSON path of the timestamp, or null to use the receive time.</param>
/// <param name="TimestampFormat"><c>iso8601</c>, <c>unix-ms</c> or <c>unix-s</c>.</param>
/// <param name="SequencePath">Dotted JSON path of the per-device sequence number, or null.</param>
public sealed record MqttPayloadProfile(string TopicTemplate, string? TimestampPath, string TimestampFormat, string? SequencePath);
