namespace SensorGateway.Modbus;

/// <summary>Exception codes a device answers with (Modbus Application Protocol V1.1b3, section 7).</summary>
/// <remarks>Codes outside this list are still carried through as their numeric value.</remarks>
#pragma warning disable CA1028 // The wire type is a byte; the enum mirrors it.
public enum ModbusExceptionCode : byte
#pragma warning restore CA1028
{
    None = 0x00,
    IllegalFunction = 0x01,
    IllegalDataAddress = 0x02,
    IllegalDataValue = 0x03,
    ServerDeviceFailure = 0x04,
    Acknowledge = 0x05,
    ServerDeviceBusy = 0x06,
    NegativeAcknowledge = 0x07,
    MemoryParityError = 0x08,
    GatewayPathUnavailable = 0x0A,
    GatewayTargetDeviceFailedToRespond = 0x0B,
}
