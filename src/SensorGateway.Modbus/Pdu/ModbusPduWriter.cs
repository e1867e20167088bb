using System.Buffers.Binary;

namespace SensorGateway.Modbus.Pdu;

/// <summary>
/// Encodes request and response PDUs (function code + data, no framing) into a caller's buffer and returns
/// the number of bytes written. Limits are checked here so that nothing oversized ever reaches the wire.
/// </summary>
public static class ModbusPduWriter
{
    /// <summary>FC 01, 02, 03, 04: function code, start address, quantity (section 6.1-6.4).</summary>
    public static int WriteReadRequest(Span<byte> destination, ModbusFunctionCode functionCode, ushort address, ushort count)
    {
        var max = functionCode switch
        {
            ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs => ModbusLimits.MaxReadBits,
            ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters => ModbusLimits.MaxReadRegisters,
            _ => throw new ArgumentException($"Function code {functionCode} is not a read function.", nameof(functionCode)),
        };
        CheckCount(count, max, nameof(count));
        CheckRange(address, count, nameof(address));
        destination[0] = (byte)functionCode;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], count);
        return 5;
    }

    /// <summary>FC 05: ON is 0xFF00 and OFF is 0x0000 on the wire (section 6.5).</summary>
    public static int WriteWriteSingleCoilRequest(Span<byte> destination, ushort address, bool value)
    {
        destination[0] = (byte)ModbusFunctionCode.WriteSingleCoil;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], value ? (ushort)0xFF00 : (ushort)0x0000);
        return 5;
    }

    /// <summary>FC 06 (section 6.6).</summary>
    public static int WriteWriteSingleRegisterRequest(Span<byte> destination, ushort address, ushort value)
    {
        destination[0] = (byte)ModbusFunctionCode.WriteSingleRegister;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], value);
        return 5;
    }

    /// <summary>FC 15: bits packed LSB first, padded with zeros (section 6.11).</summary>
    public static int WriteWriteMultipleCoilsRequest(Span<byte> destination, ushort address, ReadOnlySpan<bool> values)
    {
        CheckCount(values.Length, ModbusLimits.MaxWriteCoils, nameof(values));
        CheckRange(address, values.Length, nameof(address));
        var byteCount = (values.Length + 7) / 8;
        destination[0] = (byte)ModbusFunctionCode.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        destination[5] = (byte)byteCount;
        PackBits(values, destination.Slice(6, byteCount));
        return 6 + byteCount;
    }

    /// <summary>FC 16 (section 6.12).</summary>
    public static int WriteWriteMultipleRegistersRequest(Span<byte> destination, ushort address, ReadOnlySpan<ushort> values)
    {
        CheckCount(values.Length, ModbusLimits.MaxWriteRegisters, nameof(values));
        CheckRange(address, values.Length, nameof(address));
        destination[0] = (byte)ModbusFunctionCode.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        destination[5] = (byte)(values.Length * 2);
        WriteRegisters(values, destination[6..]);
        return 6 + (values.Length * 2);
    }

    /// <summary>FC 23: the write happens before the read on the device (section 6.17).</summary>
    public static int WriteReadWriteMultipleRegistersRequest(
        Span<byte> destination, ushort readAddress, ushort readCount, ushort writeAddress, ReadOnlySpan<ushort> values)
    {
        CheckCount(readCount, ModbusLimits.MaxReadRegisters, nameof(readCount));
        CheckRange(readAddress, readCount, nameof(readAddress));
        CheckCount(values.Length, ModbusLimits.MaxReadWriteWriteRegisters, nameof(values));
        CheckRange(writeAddress, values.Length, nameof(writeAddress));
        destination[0] = (byte)ModbusFunctionCode.ReadWriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], readAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], readCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], writeAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[7..], (ushort)values.Length);
        destination[9] = (byte)(values.Length * 2);
        WriteRegisters(values, destination[10..]);
        return 10 + (values.Length * 2);
    }

    /// <summary>FC 43 / MEI 14 (section 6.21).</summary>
    public static int WriteReadDeviceIdentificationRequest(Span<byte> destination, ModbusDeviceIdCategory category, byte objectId)
    {
        if (category is < ModbusDeviceIdCategory.Basic or > ModbusDeviceIdCategory.Individual)
        {
            throw new ArgumentOutOfRangeException(nameof(category), category, "Read device id code must be 1 (basic) to 4 (individual).");
        }

        destination[0] = (byte)ModbusFunctionCode.EncapsulatedInterface;
        destination[1] = ModbusDeviceIdentification.MeiType;
        destination[2] = (byte)category;
        destination[3] = objectId;
        return 4;
    }

    /// <summary>Response to FC 01/02: byte count then packed bits.</summary>
    public static int WriteBitsResponse(Span<byte> destination, ModbusFunctionCode functionCode, ReadOnlySpan<bool> values)
    {
        CheckCount(values.Length, ModbusLimits.MaxReadBits, nameof(values));
        var byteCount = (values.Length + 7) / 8;
        destination[0] = (byte)functionCode;
        destination[1] = (byte)byteCount;
        PackBits(values, destination.Slice(2, byteCount));
        return 2 + byteCount;
    }

    /// <summary>Response to FC 03/04/23: byte count then big-endian registers.</summary>
    public static int WriteRegistersResponse(Span<byte> destination, ModbusFunctionCode functionCode, ReadOnlySpan<ushort> values)
    {
        CheckCount(values.Length, ModbusLimits.MaxReadRegisters, nameof(values));
        destination[0] = (byte)functionCode;
        destination[1] = (byte)(values.Length * 2);
        WriteRegisters(values, destination[2..]);
        return 2 + (values.Length * 2);
    }

    /// <summary>Response to FC 05/06/15/16: the device echoes two words of the request.</summary>
    public static int WriteEchoResponse(Span<byte> destination, ModbusFunctionCode functionCode, ushort first, ushort second)
    {
        destination[0] = (byte)functionCode;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], first);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], second);
        return 5;
    }

    /// <summary>Exception response: function code with the high bit set, then the code (section 7).</summary>
    public static int WriteExceptionResponse(Span<byte> destination, ModbusFunctionCode functionCode, ModbusExceptionCode exceptionCode)
    {
        destination[0] = (byte)((byte)functionCode | 0x80);
        destination[1] = (byte)exceptionCode;
        return 2;
    }

    /// <summary>FC 43/14 response page; objects must already fit in one PDU.</summary>
    public static int WriteDeviceIdentificationResponse(
        Span<byte> destination,
        ModbusDeviceIdCategory category,
        byte conformityLevel,
        bool moreFollows,
        byte nextObjectId,
        IReadOnlyList<KeyValuePair<byte, byte[]>> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        destination[0] = (byte)ModbusFunctionCode.EncapsulatedInterface;
        destination[1] = ModbusDeviceIdentification.MeiType;
        destination[2] = (byte)category;
        destination[3] = conformityLevel;
        destination[4] = moreFollows ? (byte)0xFF : (byte)0x00;
        destination[5] = nextObjectId;
        destination[6] = (byte)objects.Count;
        var offset = 7;
        foreach (var (id, value) in objects)
        {
            if (offset + 2 + value.Length > ModbusLimits.MaxPduLength)
            {
                throw new ArgumentException("Device identification objects do not fit in one PDU.", nameof(objects));
            }

            destination[offset] = id;
            destination[offset + 1] = (byte)value.Length;
            value.CopyTo(destination[(offset + 2)..]);
            offset += 2 + value.Length;
        }

        return offset;
    }

    internal static void PackBits(ReadOnlySpan<bool> values, Span<byte> destination)
    {
        destination.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                destination[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
    }

    private static void WriteRegisters(ReadOnlySpan<ushort> values, Span<byte> destination)
    {
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(i * 2)..], values[i]);
        }
    }

    private static void CheckCount(int count, int max, string name)
    {
        if (count < 1 || count > max)
        {
            throw new ArgumentOutOfRangeException(name, count, $"Quantity must be between 1 and {max}.");
        }
    }

    private static void CheckRange(ushort address, int count, string name)
    {
        if (address + count > 0x10000)
        {
            throw new ArgumentOutOfRangeException(name, address, $"Address {address} + quantity {count} runs past 65535.");
        }
    }
}
