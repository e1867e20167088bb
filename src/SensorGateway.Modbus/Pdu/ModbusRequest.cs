using System.Buffers.Binary;

namespace SensorGateway.Modbus.Pdu;

/// <summary>
/// A request PDU decoded in place for the slave: no copy of the payload is made, so it lives only as long
/// as the buffer it was parsed from.
/// </summary>
public readonly ref struct ModbusRequest
{
    public ModbusFunctionCode FunctionCode { get; init; }

    /// <summary>Start address (read address for FC 23, output address for FC 05/06).</summary>
    public ushort Address { get; init; }

    /// <summary>Quantity to read or write; 1 for FC 05/06.</summary>
    public ushort Quantity { get; init; }

    /// <summary>FC 05/06 value as on the wire (0xFF00/0x0000 for a coil).</summary>
    public ushort Value { get; init; }

    public ushort WriteAddress { get; init; }

    public ushort WriteQuantity { get; init; }

    /// <summary>Packed coils (FC 15) or big-endian registers (FC 16/23).</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    public ModbusDeviceIdCategory DeviceIdCategory { get; init; }

    public byte ObjectId { get; init; }

    public ushort GetRegister(int index) => BinaryPrimitives.ReadUInt16BigEndian(Payload[(index * 2)..]);

    public bool GetCoil(int index) => (Payload[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>
    /// Parses a request PDU. On failure <paramref name="error"/> is the exception code the slave should answer
    /// with (section 6: illegal function for unknown codes, illegal data value for bad quantities or lengths).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> pdu, out ModbusRequest request, out ModbusExceptionCode error)
    {
        request = default;
        error = ModbusExceptionCode.IllegalDataValue;
        if (pdu.Length == 0)
        {
            return false;
        }

        var fc = (ModbusFunctionCode)pdu[0];
        switch (fc)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs
                or ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters:
            {
                if (pdu.Length != 5)
                {
                    return false;
                }

                var quantity = U16(pdu, 3);
                var max = fc <= ModbusFunctionCode.ReadDiscreteInputs ? ModbusLimits.MaxReadBits : ModbusLimits.MaxReadRegisters;
                if (quantity < 1 || quantity > max)
                {
                    return false;
                }

                request = new ModbusRequest { FunctionCode = fc, Address = U16(pdu, 1), Quantity = quantity };
                return true;
            }

            case ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister:
            {
                if (pdu.Length != 5)
                {
                    return false;
                }

                var value = U16(pdu, 3);
                if (fc == ModbusFunctionCode.WriteSingleCoil && value is not (0x0000 or 0xFF00))
                {
                    return false;
                }

                request = new ModbusRequest { FunctionCode = fc, Address = U16(pdu, 1), Quantity = 1, Value = value };
                return true;
            }

            case ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters:
            {
                if (pdu.Length < 6)
                {
                    return false;
                }

                var quantity = U16(pdu, 3);
                var coils = fc == ModbusFunctionCode.WriteMultipleCoils;
                var max = coils ? ModbusLimits.MaxWriteCoils : ModbusLimits.MaxWriteRegisters;
                var expectedBytes = coils ? (quantity + 7) / 8 : quantity * 2;
                if (quantity < 1 || quantity > max || pdu[5] != expectedBytes || pdu.Length != 6 + expectedBytes)
                {
                    return false;
                }

                request = new ModbusRequest { FunctionCode = fc, Address = U16(pdu, 1), Quantity = quantity, Payload = pdu.Slice(6, expectedBytes) };
                return true;
            }

            case ModbusFunctionCode.ReadWriteMultipleRegisters:
            {
                if (pdu.Length < 10)
                {
                    return false;
                }

                var readQuantity = U16(pdu, 3);
                var writeQuantity = U16(pdu, 7);
                if (readQuantity < 1 || readQuantity > ModbusLimits.MaxReadRegisters
                    || writeQuantity < 1 || writeQuantity > ModbusLimits.MaxReadWriteWriteRegisters
                    || pdu[9] != writeQuantity * 2 || pdu.Length != 10 + (writeQuantity * 2))
                {
                    return false;
                }

                request = new ModbusRequest
                {
                    FunctionCode = fc,
                    Address = U16(pdu, 1),
                    Quantity = readQuantity,
                    WriteAddress = U16(pdu, 5),
                    WriteQuantity = writeQuantity,
                    Payload = pdu.Slice(10, writeQuantity * 2),
                };
                return true;
            }

            case ModbusFunctionCode.EncapsulatedInterface:
            {
                if (pdu.Length < 2 || pdu[1] != ModbusDeviceIdentification.MeiType)
                {
                    error = ModbusExceptionCode.IllegalFunction;
                    return false;
                }

                if (pdu.Length != 4 || pdu[2] is < 1 or > 4)
                {
                    return false;
                }

                request = new ModbusRequest { FunctionCode = fc, DeviceIdCategory = (ModbusDeviceIdCategory)pdu[2], ObjectId = pdu[3] };
                return true;
            }

            default:
                error = ModbusExceptionCode.IllegalFunction;
                return false;
        }
    }

    private static ushort U16(ReadOnlySpan<byte> pdu, int offset) => BinaryPrimitives.ReadUInt16BigEndian(pdu[offset..]);
}
