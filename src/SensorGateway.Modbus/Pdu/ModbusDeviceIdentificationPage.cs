namespace SensorGateway.Modbus.Pdu;

/// <summary>One FC 43/14 response; a device may need several pages to deliver all objects.</summary>
public sealed class ModbusDeviceIdentificationPage
{
    public ModbusDeviceIdentificationPage(
        ModbusDeviceIdCategory category, byte conformityLevel, bool moreFollows, byte nextObjectId, IReadOnlyList<KeyValuePair<byte, string>> objects)
    {
        Category = category;
        ConformityLevel = conformityLevel;
        MoreFollows = moreFollows;
        NextObjectId = nextObjectId;
        Objects = objects;
    }

    public ModbusDeviceIdCategory Category { get; }

    public byte ConformityLevel { get; }

    public bool MoreFollows { get; }

    public byte NextObjectId { get; }

    public IReadOnlyList<KeyValuePair<byte, string>> Objects { get; }
}
