using System.Buffers;
using System.Text;
using CsCheck;
using SensorGateway.Modbus.Framing;
using SensorGateway.Modbus.Tests.Vectors;
using static SensorGateway.Modbus.Tests.TestSequence;

namespace SensorGateway.Modbus.Tests;

public class ModbusAsciiFramingTests
{
    public static TheoryData<string, byte, string> AsciiVectors => new()
    {
        { ModbusSpecVectors.AsciiReadHoldingRegistersRequest, 0x11, ModbusSpecVectors.ReadHoldingRegistersRequest },
        { ModbusSpecVectors.AsciiReadHoldingRegistersResponse, 0x11, ModbusSpecVectors.ReadHoldingRegistersResponse },
        { ModbusSpecVectors.AsciiExceptionResponse, 0x11, "81 02" },
    };

    [Theory]
    [MemberData(nameof(AsciiVectors))]
    public void Write_SpecFrame_SameCharacters(string ascii, byte unit, string pdu)
    {
        var buffer = new byte[ModbusLimits.MaxAsciiFrameLength];

        var length = ModbusAsciiFramer.Write(buffer, unit, Hex(pdu));

        Assert.Equal(ascii, Encoding.ASCII.GetString(buffer, 0, length));
    }

    [Theory]
    [MemberData(nameof(AsciiVectors))]
    public void TryParse_SpecFrame_DecodesUnitAndPdu(string ascii, byte unit, string pdu)
    {
        var bytes = Encoding.ASCII.GetBytes(ascii + ":11");
        var decoded = new byte[ModbusLimits.MaxPduLength];

        Assert.True(ModbusAsciiFramer.TryParse(new ReadOnlySequence<byte>(bytes), decoded, out var consumed, out _, out var frame));

        Assert.Equal(ascii.Length, consumed.GetInteger());
        Assert.Equal(unit, frame.UnitId);
        Assert.Equal(Hex(pdu), decoded[..frame.PduLength]);
    }

    [Theory]
    [MemberData(nameof(AsciiVectors))]
    public void TryParse_EveryStrictPrefix_Incomplete(string ascii, byte unit, string pdu)
    {
        _ = (unit, pdu);
        var bytes = Encoding.ASCII.GetBytes(ascii);
        for (var length = 0; length < bytes.Length; length++)
        {
            var input = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(ModbusAsciiFramer.TryParse(input, new byte[ModbusLimits.MaxPduLength], out var consumed, out var examined, out _));
            Assert.Equal(input.Start, consumed);
            Assert.Equal(input.End, examined);
        }
    }

    [Theory]
    [MemberData(nameof(AsciiVectors))]
    public void TryParse_SplitAtEveryPairOfOffsets_ParsesSame(string ascii, byte unit, string pdu)
    {
        var bytes = Encoding.ASCII.GetBytes(ascii);
        var decoded = new byte[ModbusLimits.MaxPduLength];
        for (var first = 1; first < bytes.Length; first++)
        {
            for (var second = first; second < bytes.Length; second++)
            {
                Assert.True(ModbusAsciiFramer.TryParse(Split(bytes, first, second), decoded, out _, out _, out var frame));
                Assert.Equal(unit, frame.UnitId);
                Assert.Equal(Hex(pdu), decoded[..frame.PduLength]);
            }
        }
    }

    [Theory]
    [InlineData(":1103006B00037F\r\n", ModbusProtocolErrorKind.BadLrc, "7E", "7F")]
    [InlineData("1103006B00037E\r\n", ModbusProtocolErrorKind.Malformed, "':'", "0x31")]
    [InlineData(":1103006b00037E\r\n", ModbusProtocolErrorKind.Malformed, "0-9 or A-F", "0x62")]
    [InlineData(":1103006B00037E\n", ModbusProtocolErrorKind.Malformed, "CR LF", "0x45 LF")]
    [InlineData(":1103006B00037\r\n", ModbusProtocolErrorKind.InvalidLength, "an even number of hex digits, 9 to 513 characters in all", "16")]
    [InlineData(":1100\r\n", ModbusProtocolErrorKind.InvalidLength, "an even number of hex digits, 9 to 513 characters in all", "7")]
    public void TryParse_BadFrame_TypedErrorWithExpectedAndActual(string ascii, ModbusProtocolErrorKind kind, string expected, string actual)
    {
        var ex = Assert.Throws<ModbusProtocolException>(
            () => ModbusAsciiFramer.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(ascii)), new byte[ModbusLimits.MaxPduLength], out _, out _, out _));

        Assert.Equal((kind, expected, actual), (ex.Kind, ex.Expected, ex.Actual));
    }

    [Fact]
    public void TryParse_NoLineFeedWithinLongestFrame_InvalidLengthInsteadOfWaiting()
    {
        var endless = Encoding.ASCII.GetBytes(":" + new string('0', ModbusLimits.MaxAsciiFrameLength));

        var ex = Assert.Throws<ModbusProtocolException>(
            () => ModbusAsciiFramer.TryParse(new ReadOnlySequence<byte>(endless), new byte[ModbusLimits.MaxPduLength], out _, out _, out _));

        Assert.Equal(ModbusProtocolErrorKind.InvalidLength, ex.Kind);
    }

    [Fact]
    public void Lrc_MatchesSumTwosComplement()
    {
        // Computed independently of ModbusLrc: the sum of all bytes including the LRC is 0 modulo 256.
        Gen.Byte.Array[1, 254].Sample(bytes =>
        {
            var lrc = ModbusLrc.Compute(bytes);
            Assert.Equal(0, (bytes.Sum(b => b) + lrc) % 256);
        });
    }

    [Fact]
    public void RoundTrip_AnyUnitAndPdu_ParsesSameFromAnySplit()
    {
        Gen.Select(Gen.Byte, Gen.Byte.Array[1, ModbusLimits.MaxPduLength], Gen.Int[0, 600], Gen.Int[0, 600]).Sample((unit, pdu, first, second) =>
        {
            var buffer = new byte[ModbusLimits.MaxAsciiFrameLength];
            var length = ModbusAsciiFramer.Write(buffer, unit, pdu);
            var decoded = new byte[ModbusLimits.MaxPduLength];

            var input = Split(buffer[..length], first, second);
            Assert.True(ModbusAsciiFramer.TryParse(input, decoded, out var consumed, out _, out var frame));

            Assert.Equal(length, input.Slice(input.Start, consumed).Length);
            Assert.Equal(unit, frame.UnitId);
            Assert.Equal(pdu, decoded[..frame.PduLength]);
        });
    }

    [Fact]
    public void EverySingleBitFlipBetweenStartAndEnd_Caught()
    {
        // A flipped hex digit changes one nibble (the LRC disagrees) or stops being an upper-case hex digit.
        Gen.Select(Gen.Byte, Gen.Byte.Array[1, 40]).Sample((unit, pdu) =>
        {
            var frame = new byte[ModbusLimits.MaxAsciiFrameLength];
            var length = ModbusAsciiFramer.Write(frame, unit, pdu);
            for (var bit = 8; bit < (length - 2) * 8; bit++)
            {
                var flipped = frame[..length];
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.Throws<ModbusProtocolException>(
                    () => ModbusAsciiFramer.TryParse(new ReadOnlySequence<byte>(flipped), new byte[ModbusLimits.MaxPduLength], out _, out _, out _));
            }
        }, iter: 200);
    }

    [Fact]
    public void TryParse_RandomBytes_OnlyTypedErrors()
    {
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            try
            {
                ModbusAsciiFramer.TryParse(new ReadOnlySequence<byte>(bytes), new byte[ModbusLimits.MaxPduLength], out _, out _, out _);
            }
            catch (ModbusProtocolException)
            {
            }
        }, iter: 2000);
    }
}
