namespace SensorGateway.Modbus;

/// <summary>The public function codes this stack speaks (Modbus Application Protocol V1.1b3, section 6).</summary>
#pragma warning disable CA1028 // The wire type is a byte; the enum mirrors it.
public enum ModbusFunctionCode : byte
#pragma warning restore CA1028
{
    ReadCoils = 0x01,
    ReadDiscreteInputs = 0x02,
    ReadHoldingRegisters = 0x03,
    ReadInputRegisters = 0x04,
    WriteSingleCoil = 0x05,
    WriteSingleRegister = 0x06,
    WriteMultipleCoils = 0x0F,
    WriteMultipleRegisters = 0x10,
    ReadWriteMultipleRegisters = 0x17,

    /// <summary>Encapsulated interface transport; with MEI type 0x0E it is Read Device Identification.</summary>
    EncapsulatedInterface = 0x2B,
}
