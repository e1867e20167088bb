using System.Text;

namespace SensorGateway.Modbus.Pdu;

/// <summary>What a device says about itself through FC 43/14, used to check a device against its profile.</summary>
public sealed class ModbusDeviceIdentification
{
    internal const byte MeiType = 0x0E;

    public const byte VendorNameId = 0x00;
    public const byte ProductCodeId = 0x01;
    public const byte MajorMinorRevisionId = 0x02;
    public const byte VendorUrlId = 0x03;
    public const byte ProductNameId = 0x04;
    public const byte ModelNameId = 0x05;
    public const byte UserApplicationNameId = 0x06;

    public ModbusDeviceIdentification(byte conformityLevel, IReadOnlyDictionary<byte, string> objects)
    {
        ConformityLevel = conformityLevel;
        Objects = objects;
    }

    public byte ConformityLevel { get; }

    /// <summary>Object id to value; the spec defines the values as ASCII strings.</summary>
    public IReadOnlyDictionary<byte, string> Objects { get; }

    public string? VendorName => Objects.GetValueOrDefault(VendorNameId);

    public string? ProductCode => Objects.GetValueOrDefault(ProductCodeId);

    public string? MajorMinorRevision => Objects.GetValueOrDefault(MajorMinorRevisionId);

    internal static string DecodeValue(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value);
}
