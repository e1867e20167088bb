using System.Buffers;
using System.Globalization;

namespace SensorGateway.Modbus.Framing;

/// <summary>
/// RTU framing (Modbus over Serial Line V1.02, section 2.5.1): address, PDU, CRC-16 low byte first.
/// The frame end is derived from the function code and byte-count fields, so a frame is recognised as soon
/// as its last byte is in, without waiting for the 3.5-character silence; the transports still use the
/// silence to throw away fragments.
/// </summary>
public static class ModbusRtuFramer
{
    /// <summary>Returns false while the input holds no complete frame (consumed = start, examined = end).</summary>
    /// <exception cref="ModbusProtocolException">Unknown function code, impossible length, or bad CRC.</exception>
    public static bool TryParse(
        in ReadOnlySequence<byte> input, ModbusRtuDirection direction, out SequencePosition consumed, out SequencePosition examined, out ModbusRtuFrame frame)
    {
        frame = default;
        consumed = input.Start;
        examined = input.End;
        var available = (int)Math.Min(input.Length, ModbusLimits.MaxRtuFrameLength);
        Span<byte> copy = stackalloc byte[ModbusLimits.MaxRtuFrameLength];
        scoped ReadOnlySpan<byte> bytes;
        if (input.FirstSpan.Length >= available)
        {
            bytes = input.FirstSpan[..available];
        }
        else
        {
            input.Slice(0, available).CopyTo(copy);
            bytes = copy[..available];
        }

        var length = GetFrameLength(bytes, direction);
        if (length < 0 || bytes.Length < length)
        {
            return false;
        }

        var expected = ModbusCrc16.Compute(bytes[..(length - 2)]);
        var actual = (ushort)(bytes[length - 2] | (bytes[length - 1] << 8));
        if (expected != actual)
        {
            throw new ModbusProtocolException(
                ModbusProtocolErrorKind.BadCrc,
                "RTU CRC",
                expected.ToString("X4", CultureInfo.InvariantCulture),
                actual.ToString("X4", CultureInfo.InvariantCulture));
        }

        frame = new ModbusRtuFrame(bytes[0], input.Slice(1, length - 3));
        consumed = input.GetPosition(length);
        examined = consumed;
        return true;
    }

    /// <summary>
    /// Total frame length implied by the leading bytes, or -1 if more bytes are needed to tell.
    /// </summary>
    public static int GetFrameLength(ReadOnlySpan<byte> bytes, ModbusRtuDirection direction)
    {
        if (bytes.Length < 2)
        {
            return -1;
        }

        var fc = bytes[1];
        var length = direction == ModbusRtuDirection.Request ? RequestLength(bytes, fc) : ResponseLength(bytes, fc);
        if (length > ModbusLimits.MaxRtuFrameLength)
        {
            throw new ModbusProtocolException(
                ModbusProtocolErrorKind.InvalidLength, "RTU frame length", "at most 256 bytes", length.ToString(CultureInfo.InvariantCulture) + " bytes");
        }

        return length;
    }

    /// <summary>Writes address, PDU and CRC; returns the ADU length.</summary>
    public static int Write(Span<byte> destination, byte unitId, ReadOnlySpan<byte> pdu)
    {
        if (pdu.Length is 0 or > ModbusLimits.MaxPduLength)
        {
            throw new ArgumentOutOfRangeException(nameof(pdu), pdu.Length, "A PDU is 1 to 253 bytes.");
        }

        destination[0] = unitId;
        pdu.CopyTo(destination[1..]);
        var crc = ModbusCrc16.Compute(destination[..(pdu.Length + 1)]);
        destination[pdu.Length + 1] = (byte)crc;
        destination[pdu.Length + 2] = (byte)(crc >> 8);
        return pdu.Length + 3;
    }

    public static void Write(IBufferWriter<byte> writer, byte unitId, ReadOnlySpan<byte> pdu)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(pdu.Length + 3);
        writer.Advance(Write(span, unitId, pdu));
    }

    private static int RequestLength(ReadOnlySpan<byte> bytes, byte fc)
    {
        switch ((ModbusFunctionCode)fc)
        {
            case >= ModbusFunctionCode.ReadCoils and <= ModbusFunctionCode.WriteSingleRegister:
                return 8;
            case ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters:
                return bytes.Length < 7 ? -1 : 9 + bytes[6];
            case ModbusFunctionCode.ReadWriteMultipleRegisters:
                return bytes.Length < 11 ? -1 : 13 + bytes[10];
            case ModbusFunctionCode.EncapsulatedInterface:
                if (bytes.Length < 3)
                {
                    return -1;
                }

                return bytes[2] == 0x0E ? 7 : throw Unsupported(fc);
            default:
                throw Unsupported(fc);
        }
    }

    private static int ResponseLength(ReadOnlySpan<byte> bytes, byte fc)
    {
        if ((fc & 0x80) != 0)
        {
            return 5;
        }

        switch ((ModbusFunctionCode)fc)
        {
            case >= ModbusFunctionCode.ReadCoils and <= ModbusFunctionCode.ReadInputRegisters:
            case ModbusFunctionCode.ReadWriteMultipleRegisters:
                return bytes.Length < 3 ? -1 : 5 + bytes[2];
            case ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister
                or ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters:
                return 8;
            case ModbusFunctionCode.EncapsulatedInterface:
                return DeviceIdentificationLength(bytes, fc);
            default:
                throw Unsupported(fc);
        }
    }

    private static int DeviceIdentificationLength(ReadOnlySpan<byte> bytes, byte fc)
    {
        if (bytes.Length < 3)
        {
            return -1;
        }

        if (bytes[2] != 0x0E)
        {
            throw Unsupported(fc);
        }

        // Address, FC, MEI, code, conformity, more follows, next id, object count, then (id, length, value)*.
        if (bytes.Length < 8)
        {
            return -1;
        }

        var offset = 8;
        for (var i = 0; i < bytes[7]; i++)
        {
            if (offset + 2 > bytes.Length)
            {
                return offset + 2 > ModbusLimits.MaxRtuFrameLength ? offset + 2 : -1;
            }

            offset += 2 + bytes[offset + 1];
        }

        return offset + 2;
    }

    private static ModbusProtocolException Unsupported(byte fc) =>
        new(ModbusProtocolErrorKind.UnsupportedFunction, "RTU function code", "a supported function", "0x" + fc.ToString("X2", CultureInfo.InvariantCulture));
}
