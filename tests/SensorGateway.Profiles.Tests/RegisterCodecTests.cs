using CsCheck;
using SensorGateway.Profiles.Registers;

namespace SensorGateway.Profiles.Tests;

public sealed class RegisterCodecTests
{
    // 123.456f = 0x42F6E979: bytes A=42 B=F6 C=E9 D=79, laid out per order.
    [Theory]
    [InlineData(ByteOrder.ABCD, new ushort[] { 0x42F6, 0xE979 })]
    [InlineData(ByteOrder.BADC, new ushort[] { 0xF642, 0x79E9 })]
    [InlineData(ByteOrder.CDAB, new ushort[] { 0xE979, 0x42F6 })]
    [InlineData(ByteOrder.DCBA, new ushort[] { 0x79E9, 0xF642 })]
    public void Decode_Float32InEachByteOrder_Gives123_456(ByteOrder order, ushort[] registers) =>
        Assert.Equal(123.456f, (float)RegisterCodec.Decode(registers, new RegisterLayout(RegisterTable.Holding, 0, RawType.Float32, order)));

    // 0x0010203040506070 as int64 (below 2^53, so a double holds it exactly); CDAB extends to GHEFCDAB
    // (words reversed), DCBA to HGFEDCBA.
    [Theory]
    [InlineData(ByteOrder.ABCD, new ushort[] { 0x0010, 0x2030, 0x4050, 0x6070 })]
    [InlineData(ByteOrder.BADC, new ushort[] { 0x1000, 0x3020, 0x5040, 0x7060 })]
    [InlineData(ByteOrder.CDAB, new ushort[] { 0x6070, 0x4050, 0x2030, 0x0010 })]
    [InlineData(ByteOrder.DCBA, new ushort[] { 0x7060, 0x5040, 0x3020, 0x1000 })]
    public void Decode_Int64InEachByteOrder_GivesSameValue(ByteOrder order, ushort[] registers) =>
        Assert.Equal(0x0010203040506070L, (long)RegisterCodec.Decode(registers, new RegisterLayout(RegisterTable.Holding, 0, RawType.Int64, order)));

    [Theory]
    [InlineData(RawType.Int16, 0xFFFF, -1)]
    [InlineData(RawType.UInt16, 0xFFFF, 65535)]
    [InlineData(RawType.Bool, 0x0001, 1)]
    public void Decode_SixteenBitTypes_InterpretSign(RawType type, int register, double expected) =>
        Assert.Equal(expected, RegisterCodec.Decode([(ushort)register], new RegisterLayout(RegisterTable.Holding, 0, type)));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(15, 1)]
    public void Decode_Bit_ReadsThatBitOnly(int bit, double expected) =>
        Assert.Equal(expected, RegisterCodec.Decode([(ushort)0x8001], new RegisterLayout(RegisterTable.Holding, 0, RawType.Bit, Bit: bit)));

    [Fact]
    public void DecodeString_HighByteFirst_TrimsPadding() =>
        Assert.Equal("GD-100", RegisterCodec.DecodeString([0x4744, 0x2D31, 0x3030, 0x0000]));

    [Fact]
    public void Decode_TooFewRegisters_Throws() =>
        Assert.Throws<ArgumentException>(() => RegisterCodec.Decode([(ushort)1], new RegisterLayout(RegisterTable.Holding, 0, RawType.Float32)));

    [Fact]
    public void EncodeDecode_AnyFloat32AnyOrder_RoundTrips() =>
        Gen.Select(Gen.Single, Gen.Enum<ByteOrder>()).Where((v, _) => float.IsFinite(v)).Sample((value, order) =>
        {
            var layout = new RegisterLayout(RegisterTable.Holding, 0, RawType.Float32, order);
            var registers = new ushort[2];
            RegisterCodec.Encode(value, layout, registers);
            return (float)RegisterCodec.Decode(registers, layout) == value;
        });

    [Fact]
    public void EncodeDecode_AnyInt32AnyOrder_RoundTrips() =>
        Gen.Select(Gen.Int, Gen.Enum<ByteOrder>()).Sample((value, order) =>
        {
            var layout = new RegisterLayout(RegisterTable.Holding, 0, RawType.Int32, order);
            var registers = new ushort[2];
            RegisterCodec.Encode(value, layout, registers);
            return (int)RegisterCodec.Decode(registers, layout) == value;
        });
}
