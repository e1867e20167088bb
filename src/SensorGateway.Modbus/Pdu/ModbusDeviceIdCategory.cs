namespace SensorGateway.Modbus.Pdu;

/// <summary>Read device id code of FC 43/14 (section 6.21, table "Read Device ID code").</summary>
#pragma warning disable CA1028 // The wire type is a byte; the enum mirrors it.
public enum ModbusDeviceIdCategory : byte
#pragma warning restore CA1028
{
    Basic = 0x01,
    Regular = 0x02,
    Extended = 0x03,
    Individual = 0x04,
}
