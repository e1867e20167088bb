using System.Buffers;
using System.Globalization;

namespace SensorGateway.Modbus.Framing;

/// <summary>
/// ASCII framing (Modbus over Serial Line V1.02, section 2.5.2): ':' then address, PDU and LRC as two upper-case hex
/// characters per byte, then CR LF. Unlike RTU the frame end is marked, so no length needs deriving from the function
/// code. The PDU is decoded into a buffer the caller owns, so nothing is allocated per frame.
/// </summary>
public static class ModbusAsciiFramer
{
    private const byte Start = (byte)':';
    private const byte CarriageReturn = (byte)'\r';
    private const byte LineFeed = (byte)'\n';

    // ':' + address, function code and LRC as hex + CR LF: the shortest frame that can carry a PDU.
    private const int MinFrameLength = 1 + (2 * 3) + 2;

    /// <summary>
    /// Returns false while the input holds no complete frame (consumed = start, examined = end). On success the PDU is in
    /// the first <see cref="ModbusAsciiFrame.PduLength"/> bytes of <paramref name="pdu"/>, which needs room for 253.
    /// </summary>
    /// <exception cref="ModbusProtocolException">
    /// No ':' first, no CR before LF, a character that is not upper-case hex, an odd or impossible number of them, or a bad LRC.
    /// </exception>
    public static bool TryParse(
        in ReadOnlySequence<byte> input, Span<byte> pdu, out SequencePosition consumed, out SequencePosition examined, out ModbusAsciiFrame frame)
    {
        frame = default;
        consumed = input.Start;
        examined = input.End;
        if (input.IsEmpty)
        {
            return false;
        }

        var first = input.FirstSpan.IsEmpty ? input.Slice(0, 1).ToArray()[0] : input.FirstSpan[0];
        if (first != Start)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.Malformed, "ASCII frame start", "':'", Character(first));
        }

        var end = input.PositionOf(LineFeed);
        if (end is null)
        {
            // Without an end in sight a stream of garbage must still fail, not be buffered for ever.
            return input.Length < ModbusLimits.MaxAsciiFrameLength
                ? false
                : throw Length(">= " + input.Length.ToString(CultureInfo.InvariantCulture));
        }

        var length = input.Slice(input.Start, end.Value).Length + 1;
        if (length > ModbusLimits.MaxAsciiFrameLength)
        {
            throw Length(length.ToString(CultureInfo.InvariantCulture));
        }

        Span<byte> text = stackalloc byte[ModbusLimits.MaxAsciiFrameLength];
        text = text[..(int)length];
        input.Slice(0, length).CopyTo(text);
        if (text[^2] != CarriageReturn)
        {
            throw new ModbusProtocolException(ModbusProtocolErrorKind.Malformed, "ASCII frame end", "CR LF", Character(text[^2]) + " LF");
        }

        var hex = text[1..^2];
        if (hex.Length % 2 != 0 || text.Length < MinFrameLength)
        {
            throw Length(length.ToString(CultureInfo.InvariantCulture));
        }

        Span<byte> bytes = stackalloc byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[(2 * i) + 1]));
        }

        var expected = ModbusLrc.Compute(bytes[..^1]);
        if (expected != bytes[^1])
        {
            throw new ModbusProtocolException(
                ModbusProtocolErrorKind.BadLrc, "ASCII LRC", expected.ToString("X2", CultureInfo.InvariantCulture), bytes[^1].ToString("X2", CultureInfo.InvariantCulture));
        }

        var body = bytes[1..^1];
        body.CopyTo(pdu);
        frame = new ModbusAsciiFrame(bytes[0], body.Length);
        consumed = input.GetPosition(length);
        examined = consumed;
        return true;
    }

    /// <summary>Writes ':', address, PDU and LRC in hex, CR LF; returns the ADU length in characters.</summary>
    public static int Write(Span<byte> destination, byte unitId, ReadOnlySpan<byte> pdu)
    {
        if (pdu.Length is 0 or > ModbusLimits.MaxPduLength)
        {
            throw new ArgumentOutOfRangeException(nameof(pdu), pdu.Length, "A PDU is 1 to 253 bytes.");
        }

        destination[0] = Start;
        var sum = unitId;
        WriteHex(destination[1..], unitId);
        for (var i = 0; i < pdu.Length; i++)
        {
            sum += pdu[i];
            WriteHex(destination[(3 + (2 * i))..], pdu[i]);
        }

        var end = 3 + (2 * pdu.Length);
        WriteHex(destination[end..], (byte)-sum);
        destination[end + 2] = CarriageReturn;
        destination[end + 3] = LineFeed;
        return end + 4;
    }

    public static void Write(IBufferWriter<byte> writer, byte unitId, ReadOnlySpan<byte> pdu)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(MinFrameLength + (2 * pdu.Length));
        writer.Advance(Write(span, unitId, pdu));
    }

    private static void WriteHex(Span<byte> destination, byte value)
    {
        destination[0] = Digit(value >> 4);
        destination[1] = Digit(value & 0x0F);
    }

    private static byte Digit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);

    // Upper case only, as the specification writes it: accepting 'a' would let a flipped bit 5 pass unnoticed.
    private static int Nibble(byte character) => character switch
    {
        >= (byte)'0' and <= (byte)'9' => character - '0',
        >= (byte)'A' and <= (byte)'F' => character - 'A' + 10,
        _ => throw new ModbusProtocolException(ModbusProtocolErrorKind.Malformed, "ASCII hex digit", "0-9 or A-F", Character(character)),
    };

    private static string Character(byte value) => "0x" + value.ToString("X2", CultureInfo.InvariantCulture);

    private static ModbusProtocolException Length(string actual) => new(
        ModbusProtocolErrorKind.InvalidLength, "ASCII frame length", "an even number of hex digits, 9 to 513 characters in all", actual);
}
