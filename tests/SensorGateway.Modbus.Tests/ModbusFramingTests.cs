using System.Buffers;
using SensorGateway.Modbus.Framing;
using SensorGateway.Modbus.Tests.Vectors;
using static SensorGateway.Modbus.Tests.TestSequence;

namespace SensorGateway.Modbus.Tests;

public class ModbusFramingTests
{
    public static TheoryData<string, ModbusRtuDirection> RtuVectors => new()
    {
        { ModbusSpecVectors.RtuReadHoldingRegistersRequest, ModbusRtuDirection.Request },
        { ModbusSpecVectors.RtuReadHoldingRegistersResponse, ModbusRtuDirection.Response },
        { ModbusSpecVectors.RtuReadCoilsRequest, ModbusRtuDirection.Request },
        { ModbusSpecVectors.RtuWriteMultipleCoilsRequest, ModbusRtuDirection.Request },
        { ModbusSpecVectors.RtuExceptionResponse, ModbusRtuDirection.Response },
    };

    [Fact]
    public void Compute_CheckString_GivesPublishedCheckValue()
    {
        Assert.Equal(ModbusSpecVectors.CrcCheckValue, ModbusCrc16.Compute("123456789"u8));
        Assert.Equal(ModbusSpecVectors.CrcCheckValue, ModbusCrc16.Compute(Split("123456789"u8.ToArray(), 2, 5)));
    }

    [Fact]
    public void MbapWrite_SpecRequest_MatchesBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        ModbusMbapFramer.Write(buffer, 1, 0x11, Hex(ModbusSpecVectors.ReadHoldingRegistersRequest));
        Assert.Equal(Hex(ModbusSpecVectors.MbapReadHoldingRegistersRequest), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void MbapTryParse_SpecRequest_ParsesHeaderAndPdu()
    {
        var bytes = Hex(ModbusSpecVectors.MbapReadHoldingRegistersRequest);
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.True(ModbusMbapFramer.TryParse(input, out var consumed, out var examined, out var frame));

        Assert.Equal(1, frame.TransactionId);
        Assert.Equal(0x11, frame.UnitId);
        Assert.Equal(Hex(ModbusSpecVectors.ReadHoldingRegistersRequest), frame.Pdu.ToArray());
        Assert.Equal(input.End, consumed);
        Assert.Equal(consumed, examined);
    }

    [Fact]
    public void MbapTryParse_EveryStrictPrefix_Incomplete()
    {
        var bytes = Hex(ModbusSpecVectors.MbapReadHoldingRegistersRequest);
        for (var length = 0; length < bytes.Length; length++)
        {
            var input = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(ModbusMbapFramer.TryParse(input, out var consumed, out var examined, out _));
            Assert.Equal(input.Start, consumed);
            Assert.Equal(input.End, examined);
        }
    }

    [Fact]
    public void MbapTryParse_SplitAtEveryOffset_ParsesSame()
    {
        var bytes = Hex(ModbusSpecVectors.MbapReadHoldingRegistersRequest + " 00 02 00 00 00 03 05 83 02");
        for (var first = 1; first < bytes.Length; first++)
        {
            for (var second = first; second < bytes.Length; second++)
            {
                var input = Split(bytes, first, second);
                Assert.True(ModbusMbapFramer.TryParse(input, out var consumed, out _, out var frame));
                Assert.Equal(1, frame.TransactionId);
                Assert.Equal(Hex(ModbusSpecVectors.ReadHoldingRegistersRequest), frame.Pdu.ToArray());

                var rest = input.Slice(consumed);
                Assert.True(ModbusMbapFramer.TryParse(rest, out consumed, out _, out frame));
                Assert.Equal(2, frame.TransactionId);
                Assert.Equal(5, frame.UnitId);
                Assert.Equal(Hex("83 02"), frame.Pdu.ToArray());
                Assert.Equal(0, rest.Slice(consumed).Length);
            }
        }
    }

    [Theory]
    [InlineData("00 01 00 00 00 FF 11", ModbusProtocolErrorKind.InvalidLength, "2..254", "255")]
    [InlineData("00 01 00 00 00 01 11", ModbusProtocolErrorKind.InvalidLength, "2..254", "1")]
    [InlineData("00 01 00 00 00 00 11", ModbusProtocolErrorKind.InvalidLength, "2..254", "0")]
    [InlineData("00 01 00 01 00 06 11", ModbusProtocolErrorKind.InvalidProtocolId, "0", "1")]
    public void MbapTryParse_BadHeader_ThrowsBeforeBodyArrives(string header, ModbusProtocolErrorKind kind, string expected, string actual)
    {
        var ex = Assert.Throws<ModbusProtocolException>(() => ModbusMbapFramer.TryParse(new ReadOnlySequence<byte>(Hex(header)), out _, out _, out _));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(expected, ex.Expected);
        Assert.Equal(actual, ex.Actual);
    }

    [Fact]
    public void RtuWrite_SpecRequest_AppendsCrcLowByteFirst()
    {
        var buffer = new byte[ModbusLimits.MaxRtuFrameLength];
        var length = ModbusRtuFramer.Write(buffer, 0x11, Hex(ModbusSpecVectors.ReadHoldingRegistersRequest));
        Assert.Equal(Hex(ModbusSpecVectors.RtuReadHoldingRegistersRequest), buffer[..length]);
    }

    [Theory]
    [MemberData(nameof(RtuVectors))]
    public void RtuTryParse_SpecFrame_ParsesWholeFrame(string hex, ModbusRtuDirection direction)
    {
        var bytes = Hex(hex);
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.True(ModbusRtuFramer.TryParse(input, direction, out var consumed, out _, out var frame));

        Assert.Equal(0x11, frame.UnitId);
        Assert.Equal(bytes[1..^2], frame.Pdu.ToArray());
        Assert.Equal(input.End, consumed);
    }

    [Theory]
    [MemberData(nameof(RtuVectors))]
    public void RtuTryParse_EveryStrictPrefix_Incomplete(string hex, ModbusRtuDirection direction)
    {
        var bytes = Hex(hex);
        for (var length = 0; length < bytes.Length; length++)
        {
            var input = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(ModbusRtuFramer.TryParse(input, direction, out var consumed, out var examined, out _));
            Assert.Equal(input.Start, consumed);
            Assert.Equal(input.End, examined);
        }
    }

    [Theory]
    [MemberData(nameof(RtuVectors))]
    public void RtuTryParse_SplitAtEveryOffset_ParsesSame(string hex, ModbusRtuDirection direction)
    {
        var bytes = Hex(hex);
        for (var first = 1; first < bytes.Length; first++)
        {
            for (var second = first; second < bytes.Length; second++)
            {
                Assert.True(ModbusRtuFramer.TryParse(Split(bytes, first, second), direction, out _, out _, out var frame));
                Assert.Equal(bytes[1..^2], frame.Pdu.ToArray());
            }
        }
    }

    [Fact]
    public void RtuTryParse_DeviceIdentificationResponse_LengthWalkedThroughObjects()
    {
        // Variable-length response (MBAP-P 6.21 example PDU) framed for slave 0x11: the end is only known after walking
        // every object's length byte, so every prefix must stay incomplete and every split must parse the same.
        var pdu = Hex(ModbusSpecVectors.ReadDeviceIdentificationResponse);
        var bytes = new byte[pdu.Length + 3];
        ModbusRtuFramer.Write(bytes, 0x11, pdu);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(ModbusRtuFramer.TryParse(new ReadOnlySequence<byte>(bytes, 0, length), ModbusRtuDirection.Response, out _, out _, out _));
        }

        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var input = Split(bytes, cut);
            Assert.True(ModbusRtuFramer.TryParse(input, ModbusRtuDirection.Response, out var consumed, out _, out var frame));
            Assert.Equal(pdu, frame.Pdu.ToArray());
            Assert.Equal(bytes.Length, input.Slice(0, consumed).Length);
        }
    }

    [Fact]
    public void RtuTryParse_CorruptCrc_ThrowsBadCrcWithBothValues()
    {
        var bytes = Hex(ModbusSpecVectors.RtuReadHoldingRegistersRequest);
        bytes[^1] ^= 0x01;

        var ex = Assert.Throws<ModbusProtocolException>(
            () => ModbusRtuFramer.TryParse(new ReadOnlySequence<byte>(bytes), ModbusRtuDirection.Request, out _, out _, out _));

        Assert.Equal(ModbusProtocolErrorKind.BadCrc, ex.Kind);
        Assert.Equal("8776", ex.Expected);
        Assert.Equal("8676", ex.Actual);
    }

    [Fact]
    public void RtuTryParse_UnknownFunction_ThrowsUnsupportedFunction()
    {
        var ex = Assert.Throws<ModbusProtocolException>(
            () => ModbusRtuFramer.TryParse(new ReadOnlySequence<byte>(Hex("11 42 00")), ModbusRtuDirection.Request, out _, out _, out _));

        Assert.Equal(ModbusProtocolErrorKind.UnsupportedFunction, ex.Kind);
        Assert.Equal("0x42", ex.Actual);
    }

    [Fact]
    public void RtuTryParse_ByteCountBeyond256_ThrowsInvalidLengthAtOnce()
    {
        var ex = Assert.Throws<ModbusProtocolException>(
            () => ModbusRtuFramer.TryParse(new ReadOnlySequence<byte>(Hex("11 03 FF")), ModbusRtuDirection.Response, out _, out _, out _));

        Assert.Equal(ModbusProtocolErrorKind.InvalidLength, ex.Kind);
        Assert.Equal("260 bytes", ex.Actual);
    }

    [Fact]
    public void RtuTryParse_TwoFramesBackToBack_ConsumesOneAtATime()
    {
        var bytes = Hex(ModbusSpecVectors.RtuReadHoldingRegistersResponse + ModbusSpecVectors.RtuExceptionResponse);
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.True(ModbusRtuFramer.TryParse(input, ModbusRtuDirection.Response, out var consumed, out _, out var first));
        Assert.True(ModbusRtuFramer.TryParse(input.Slice(consumed), ModbusRtuDirection.Response, out _, out _, out var second));

        Assert.Equal(Hex("03 06 02 2B 00 00 00 64"), first.Pdu.ToArray());
        Assert.Equal(Hex("81 02"), second.Pdu.ToArray());
    }
}
