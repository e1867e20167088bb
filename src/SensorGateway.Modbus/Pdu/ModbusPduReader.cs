using System.Buffers.Binary;
using System.Globalization;

namespace SensorGateway.Modbus.Pdu;

/// <summary>
/// Decodes response PDUs for the master. Every method first turns an exception response into
/// <see cref="ModbusSlaveException"/>, then checks that the response matches the request it answers
/// (function code, byte count, echo) so that a value never reaches a caller it was not meant for.
/// </summary>
public static class ModbusPduReader
{
    /// <summary>Throws if <paramref name="pdu"/> is an exception response or answers another function.</summary>
    public static void ThrowIfException(ReadOnlySpan<byte> pdu, byte unitId, ModbusFunctionCode functionCode)
    {
        if (pdu.Length < 2)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.InvalidLength, "Response PDU length", "at least 2 bytes", Bytes(pdu.Length));
        }

        if (pdu[0] == ((byte)functionCode | 0x80))
        {
            if (pdu.Length != 2)
            {
                throw new ModbusProtocolException(ModbusProtocolErrorKind.InvalidLength, "Exception response length", "2 bytes", Bytes(pdu.Length));
            }

            throw new ModbusSlaveException(unitId, functionCode, (ModbusExceptionCode)pdu[1]);
        }

        if (pdu[0] != (byte)functionCode)
        {
            throw new ModbusProtocolException(
                ModbusProtocolErrorKind.UnexpectedFunction, "Response function code", Hex((byte)functionCode), Hex(pdu[0]));
        }
    }

    /// <summary>FC 03/04/23 response into <paramref name="destination"/>, which must hold exactly the requested count.</summary>
    public static void ReadRegisters(ReadOnlySpan<byte> pdu, byte unitId, ModbusFunctionCode functionCode, Span<ushort> destination)
    {
        ThrowIfException(pdu, unitId, functionCode);
        var expectedBytes = destination.Length * 2;
        if (pdu[1] != expectedBytes)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.InvalidByteCount, "Register response byte count", Bytes(expectedBytes), Bytes(pdu[1]));
        }

        if (pdu.Length != 2 + expectedBytes)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.InvalidLength, "Register response length", Bytes(2 + expectedBytes), Bytes(pdu.Length));
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(pdu[(2 + (i * 2))..]);
        }
    }

    /// <summary>FC 01/02 response; padding bits beyond the requested count are ignored, as the spec allows.</summary>
    public static void ReadBits(ReadOnlySpan<byte> pdu, byte unitId, ModbusFunctionCode functionCode, Span<bool> destination)
    {
        ThrowIfException(pdu, unitId, functionCode);
        var expectedBytes = (destination.Length + 7) / 8;
        if (pdu[1] != expectedBytes)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.InvalidByteCount, "Bit response byte count", Bytes(expectedBytes), Bytes(pdu[1]));
        }

        if (pdu.Length != 2 + expectedBytes)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.InvalidLength, "Bit response length", Bytes(2 + expectedBytes), Bytes(pdu.Length));
        }

        UnpackBits(pdu.Slice(2, expectedBytes), destination);
    }

    /// <summary>FC 05/06/15/16 response: the two echoed words must equal what was sent.</summary>
    public static void ReadEcho(ReadOnlySpan<byte> pdu, byte unitId, ModbusFunctionCode functionCode, ushort first, ushort second)
    {
        ThrowIfException(pdu, unitId, functionCode);
        if (pdu.Length != 5)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.InvalidLength, "Write response length", Bytes(5), Bytes(pdu.Length));
        }

        var actualFirst = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var actualSecond = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (actualFirst != first || actualSecond != second)
        {
            throw new ModbusProtocolException(
                ModbusProtocolErrorKind.InvalidEcho,
                "Write response echo",
                string.Create(CultureInfo.InvariantCulture, $"{first}/{second}"),
                string.Create(CultureInfo.InvariantCulture, $"{actualFirst}/{actualSecond}"));
        }
    }

    /// <summary>FC 43/14 response page.</summary>
    public static ModbusDeviceIdentificationPage ReadDeviceIdentification(ReadOnlySpan<byte> pdu, byte unitId)
    {
        ThrowIfException(pdu, unitId, ModbusFunctionCode.EncapsulatedInterface);
        if (pdu.Length < 7)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.InvalidLength, "Device identification length", "at least 7 bytes", Bytes(pdu.Length));
        }

        if (pdu[1] != ModbusDeviceIdentification.MeiType)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.Malformed, "MEI type", Hex(ModbusDeviceIdentification.MeiType), Hex(pdu[1]));
        }

        var count = pdu[6];
        var objects = new List<KeyValuePair<byte, string>>(count);
        var offset = 7;
        for (var i = 0; i < count; i++)
        {
            if (offset + 2 > pdu.Length || offset + 2 + pdu[offset + 1] > pdu.Length)
            {
                throw new ModbusProtocolException(
                    ModbusProtocolErrorKind.InvalidLength, "Device identification object list", $"{count} objects", $"PDU ends inside object {i}");
            }

            var length = pdu[offset + 1];
            objects.Add(new(pdu[offset], ModbusDeviceIdentification.DecodeValue(pdu.Slice(offset + 2, length))));
            offset += 2 + length;
        }

        if (offset != pdu.Length)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.InvalidLength, "Device identification length", Bytes(offset), Bytes(pdu.Length));
        }

        return new ModbusDeviceIdentificationPage((ModbusDeviceIdCategory)pdu[2], pdu[3], pdu[4] == 0xFF, pdu[5], objects);
    }

    internal static void UnpackBits(ReadOnlySpan<byte> packed, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (packed[i >> 3] & (1 << (i & 7))) != 0;
        }
    }

    internal static string Bytes(int count) => string.Create(CultureInfo.InvariantCulture, $"{count} bytes");

    internal static string Hex(byte value) => string.Create(CultureInfo.InvariantCulture, $"0x{value:X2}");
}
