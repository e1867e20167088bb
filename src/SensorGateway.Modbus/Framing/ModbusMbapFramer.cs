using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace SensorGateway.Modbus.Framing;

/// <summary>
/// MBAP framing (Modbus Messaging on TCP/IP Implementation Guide V1.0b, section 3.1.3): transaction id,
/// protocol id 0, length (unit id + PDU), unit id. Pure functions over the input; nothing is allocated.
/// </summary>
public static class ModbusMbapFramer
{
    public const int HeaderLength = 7;

    /// <summary>
    /// Returns false while the input holds no complete frame (consumed = start, examined = end). The length field is
    /// checked as soon as the header is present, so an oversized or zero length fails before waiting for a body.
    /// </summary>
    /// <exception cref="ModbusProtocolException">Protocol id is not 0 or the length is outside 2..254.</exception>
    public static bool TryParse(in ReadOnlySequence<byte> input, out SequencePosition consumed, out SequencePosition examined, out ModbusMbapFrame frame)
    {
        frame = default;
        consumed = input.Start;
        examined = input.End;
        if (input.Length < HeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        input.Slice(0, HeaderLength).CopyTo(header);

        var protocolId = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (protocolId != 0)
        {
            throw new ModbusProtocolException(
                ModbusProtocolErrorKind.InvalidProtocolId, "MBAP protocol id", "0", protocolId.ToString(CultureInfo.InvariantCulture));
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        if (length < 2 || length > ModbusLimits.MaxMbapLength)
        {
            throw new ModbusProtocolException(
                ModbusProtocolErrorKind.InvalidLength, "MBAP length", "2..254", length.ToString(CultureInfo.InvariantCulture));
        }

        var total = 6 + length;
        if (input.Length < total)
        {
            return false;
        }

        frame = new ModbusMbapFrame(
            BinaryPrimitives.ReadUInt16BigEndian(header), header[6], input.Slice(HeaderLength, length - 1));
        consumed = input.GetPosition(total);
        examined = consumed;
        return true;
    }

    /// <summary>Writes header and PDU into <paramref name="destination"/>; returns the ADU length.</summary>
    public static int Write(Span<byte> destination, ushort transactionId, byte unitId, ReadOnlySpan<byte> pdu)
    {
        if (pdu.Length is 0 or > ModbusLimits.MaxPduLength)
        {
            throw new ArgumentOutOfRangeException(nameof(pdu), pdu.Length, "A PDU is 1 to 253 bytes.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(pdu.Length + 1));
        destination[6] = unitId;
        pdu.CopyTo(destination[HeaderLength..]);
        return HeaderLength + pdu.Length;
    }

    /// <summary>Writes one frame into a pipe or other buffer writer.</summary>
    public static void Write(IBufferWriter<byte> writer, ushort transactionId, byte unitId, ReadOnlySpan<byte> pdu)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(HeaderLength + pdu.Length);
        writer.Advance(Write(span, transactionId, unitId, pdu));
    }
}
