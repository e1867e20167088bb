using SensorGateway.Modbus.Pdu;
using SensorGateway.Modbus.Tests.Vectors;
using static SensorGateway.Modbus.Tests.TestSequence;

namespace SensorGateway.Modbus.Tests;

public class ModbusPduTests
{
    [Fact]
    public void WriteReadRequest_SpecExamples_MatchBytes()
    {
        var buffer = new byte[ModbusLimits.MaxPduLength];
        Assert.Equal(Hex(ModbusSpecVectors.ReadCoilsRequest), buffer[..ModbusPduWriter.WriteReadRequest(buffer, ModbusFunctionCode.ReadCoils, 0x13, 19)]);
        Assert.Equal(Hex(ModbusSpecVectors.ReadDiscreteInputsRequest), buffer[..ModbusPduWriter.WriteReadRequest(buffer, ModbusFunctionCode.ReadDiscreteInputs, 0xC4, 22)]);
        Assert.Equal(Hex(ModbusSpecVectors.ReadHoldingRegistersRequest), buffer[..ModbusPduWriter.WriteReadRequest(buffer, ModbusFunctionCode.ReadHoldingRegisters, 0x6B, 3)]);
        Assert.Equal(Hex(ModbusSpecVectors.ReadInputRegistersRequest), buffer[..ModbusPduWriter.WriteReadRequest(buffer, ModbusFunctionCode.ReadInputRegisters, 8, 1)]);
    }

    [Fact]
    public void WriteRequests_SpecExamples_MatchBytes()
    {
        var buffer = new byte[ModbusLimits.MaxPduLength];
        Assert.Equal(Hex(ModbusSpecVectors.WriteSingleCoilRequest), buffer[..ModbusPduWriter.WriteWriteSingleCoilRequest(buffer, 0xAC, true)]);
        Assert.Equal(Hex(ModbusSpecVectors.WriteSingleRegisterRequest), buffer[..ModbusPduWriter.WriteWriteSingleRegisterRequest(buffer, 1, 3)]);
        bool[] coils = [true, false, true, true, false, false, true, true, true, false];
        Assert.Equal(Hex(ModbusSpecVectors.WriteMultipleCoilsRequest), buffer[..ModbusPduWriter.WriteWriteMultipleCoilsRequest(buffer, 0x13, coils)]);
        Assert.Equal(Hex(ModbusSpecVectors.WriteMultipleRegistersRequest), buffer[..ModbusPduWriter.WriteWriteMultipleRegistersRequest(buffer, 1, [0x000A, 0x0102])]);
        Assert.Equal(
            Hex(ModbusSpecVectors.ReadWriteMultipleRegistersRequest),
            buffer[..ModbusPduWriter.WriteReadWriteMultipleRegistersRequest(buffer, 3, 6, 0x0E, [0xFF, 0xFF, 0xFF])]);
        Assert.Equal(
            Hex(ModbusSpecVectors.ReadDeviceIdentificationRequest),
            buffer[..ModbusPduWriter.WriteReadDeviceIdentificationRequest(buffer, ModbusDeviceIdCategory.Basic, 0)]);
    }

    [Fact]
    public void ReadBits_SpecReadCoilsResponse_DecodesStatus()
    {
        var values = new bool[19];
        ModbusPduReader.ReadBits(Hex(ModbusSpecVectors.ReadCoilsResponse), 1, ModbusFunctionCode.ReadCoils, values);

        // CD = 1100 1101 -> coils 20..27 = 1,0,1,1,0,0,1,1; 6B -> 28..35 = 1,1,0,1,0,1,1,0; 05 -> 36..38 = 1,0,1.
        bool[] expected = [true, false, true, true, false, false, true, true, true, true, false, true, false, true, true, false, true, false, true];
        Assert.Equal(expected, values);
    }

    [Fact]
    public void ReadRegisters_SpecResponses_DecodeValues()
    {
        var holding = new ushort[3];
        ModbusPduReader.ReadRegisters(Hex(ModbusSpecVectors.ReadHoldingRegistersResponse), 1, ModbusFunctionCode.ReadHoldingRegisters, holding);
        Assert.Equal(new ushort[] { 555, 0, 100 }, holding);

        var input = new ushort[1];
        ModbusPduReader.ReadRegisters(Hex(ModbusSpecVectors.ReadInputRegistersResponse), 1, ModbusFunctionCode.ReadInputRegisters, input);
        Assert.Equal(new ushort[] { 10 }, input);

        var readWrite = new ushort[6];
        ModbusPduReader.ReadRegisters(Hex(ModbusSpecVectors.ReadWriteMultipleRegistersResponse), 1, ModbusFunctionCode.ReadWriteMultipleRegisters, readWrite);
        Assert.Equal(new ushort[] { 0x00FE, 0x0ACD, 0x0001, 0x0003, 0x000D, 0x00FF }, readWrite);
    }

    [Fact]
    public void ReadEcho_SpecWriteResponses_Accepted()
    {
        ModbusPduReader.ReadEcho(Hex(ModbusSpecVectors.WriteSingleCoilRequest), 1, ModbusFunctionCode.WriteSingleCoil, 0xAC, 0xFF00);
        ModbusPduReader.ReadEcho(Hex(ModbusSpecVectors.WriteMultipleCoilsResponse), 1, ModbusFunctionCode.WriteMultipleCoils, 0x13, 10);
        ModbusPduReader.ReadEcho(Hex(ModbusSpecVectors.WriteMultipleRegistersResponse), 1, ModbusFunctionCode.WriteMultipleRegisters, 1, 2);
    }

    [Fact]
    public void ReadEcho_DifferentEcho_ThrowsInvalidEcho()
    {
        var ex = Assert.Throws<ModbusProtocolException>(
            () => ModbusPduReader.ReadEcho(Hex(ModbusSpecVectors.WriteSingleRegisterRequest), 1, ModbusFunctionCode.WriteSingleRegister, 1, 4));
        Assert.Equal(ModbusProtocolErrorKind.InvalidEcho, ex.Kind);
        Assert.Equal("1/4", ex.Expected);
        Assert.Equal("1/3", ex.Actual);
    }

    [Fact]
    public void ReadDeviceIdentification_SpecResponse_DecodesObjects()
    {
        var page = ModbusPduReader.ReadDeviceIdentification(Hex(ModbusSpecVectors.ReadDeviceIdentificationResponse), 1);

        Assert.Equal(ModbusDeviceIdCategory.Basic, page.Category);
        Assert.Equal(0x01, page.ConformityLevel);
        Assert.False(page.MoreFollows);
        Assert.Equal(
            [new(0, "Company identification"), new(1, "Product code XX"), new(2, "V2.11")],
            page.Objects);
    }

    [Fact]
    public void WriteDeviceIdentificationResponse_SpecObjects_MatchBytes()
    {
        var buffer = new byte[ModbusLimits.MaxPduLength];
        List<KeyValuePair<byte, byte[]>> objects =
        [
            new(0, "Company identification"u8.ToArray()), new(1, "Product code XX"u8.ToArray()), new(2, "V2.11"u8.ToArray()),
        ];

        var length = ModbusPduWriter.WriteDeviceIdentificationResponse(buffer, ModbusDeviceIdCategory.Basic, 0x01, false, 0, objects);

        Assert.Equal(Hex(ModbusSpecVectors.ReadDeviceIdentificationResponse), buffer[..length]);
    }

    [Fact]
    public void ThrowIfException_SpecExceptionResponse_ThrowsSlaveExceptionWithCode()
    {
        var ex = Assert.Throws<ModbusSlaveException>(
            () => ModbusPduReader.ReadBits(Hex(ModbusSpecVectors.ExceptionResponse), 7, ModbusFunctionCode.ReadCoils, new bool[1]));

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
        Assert.Equal(ModbusFunctionCode.ReadCoils, ex.FunctionCode);
        Assert.Equal(7, ex.UnitId);
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x02)]
    [InlineData(0x03)]
    [InlineData(0x04)]
    [InlineData(0x05)]
    [InlineData(0x06)]
    [InlineData(0x07)]
    [InlineData(0x08)]
    [InlineData(0x0A)]
    [InlineData(0x0B)]
    public void ReadRegisters_ExceptionCode_SurfacesCode(byte code)
    {
        var ex = Assert.Throws<ModbusSlaveException>(
            () => ModbusPduReader.ReadRegisters([0x83, code], 1, ModbusFunctionCode.ReadHoldingRegisters, new ushort[1]));

        Assert.Equal((ModbusExceptionCode)code, ex.ExceptionCode);
    }

    [Fact]
    public void ReadRegisters_ByteCountDisagreesWithRequest_ThrowsInvalidByteCount()
    {
        var ex = Assert.Throws<ModbusProtocolException>(
            () => ModbusPduReader.ReadRegisters(Hex(ModbusSpecVectors.ReadHoldingRegistersResponse), 1, ModbusFunctionCode.ReadHoldingRegisters, new ushort[2]));

        Assert.Equal(ModbusProtocolErrorKind.InvalidByteCount, ex.Kind);
        Assert.Equal("4 bytes", ex.Expected);
        Assert.Equal("6 bytes", ex.Actual);
    }

    [Fact]
    public void ReadRegisters_OtherFunctionCode_ThrowsUnexpectedFunction()
    {
        var ex = Assert.Throws<ModbusProtocolException>(
            () => ModbusPduReader.ReadRegisters(Hex(ModbusSpecVectors.ReadInputRegistersResponse), 1, ModbusFunctionCode.ReadHoldingRegisters, new ushort[1]));

        Assert.Equal(ModbusProtocolErrorKind.UnexpectedFunction, ex.Kind);
        Assert.Equal("0x03", ex.Expected);
        Assert.Equal("0x04", ex.Actual);
    }

    [Theory]
    [InlineData(ModbusFunctionCode.ReadCoils, 2001)]
    [InlineData(ModbusFunctionCode.ReadDiscreteInputs, 2001)]
    [InlineData(ModbusFunctionCode.ReadHoldingRegisters, 126)]
    [InlineData(ModbusFunctionCode.ReadInputRegisters, 126)]
    [InlineData(ModbusFunctionCode.ReadHoldingRegisters, 0)]
    public void WriteReadRequest_QuantityOverLimit_Throws(ModbusFunctionCode functionCode, int count)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ModbusPduWriter.WriteReadRequest(new byte[5], functionCode, 0, (ushort)count));
        Assert.Equal("count", ex.ParamName);
    }

    [Fact]
    public void WriteRequests_AtLimits_AcceptedAndOneMoreRejected()
    {
        var buffer = new byte[ModbusLimits.MaxPduLength];
        Assert.Equal(5, ModbusPduWriter.WriteReadRequest(buffer, ModbusFunctionCode.ReadHoldingRegisters, 0, 125));
        Assert.Equal(5, ModbusPduWriter.WriteReadRequest(buffer, ModbusFunctionCode.ReadCoils, 0, 2000));
        Assert.Equal(6 + 246, ModbusPduWriter.WriteWriteMultipleRegistersRequest(buffer, 0, new ushort[123]));
        Assert.Equal(6 + 246, ModbusPduWriter.WriteWriteMultipleCoilsRequest(buffer, 0, new bool[1968]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusPduWriter.WriteWriteMultipleRegistersRequest(buffer, 0, new ushort[124]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusPduWriter.WriteWriteMultipleCoilsRequest(buffer, 0, new bool[1969]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusPduWriter.WriteReadWriteMultipleRegistersRequest(buffer, 0, 1, 0, new ushort[122]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusPduWriter.WriteReadRequest(buffer, ModbusFunctionCode.ReadHoldingRegisters, 65535, 2));
    }

    [Fact]
    public void TryParse_SpecWriteMultipleCoilsRequest_ExposesFields()
    {
        Assert.True(ModbusRequest.TryParse(Hex(ModbusSpecVectors.WriteMultipleCoilsRequest), out var request, out _));

        Assert.Equal(ModbusFunctionCode.WriteMultipleCoils, request.FunctionCode);
        Assert.Equal(0x13, request.Address);
        Assert.Equal(10, request.Quantity);
        Assert.True(request.GetCoil(0));
        Assert.False(request.GetCoil(1));
        Assert.True(request.GetCoil(8));
        Assert.False(request.GetCoil(9));
    }

    [Theory]
    [InlineData("07", ModbusExceptionCode.IllegalFunction)]
    [InlineData("2B 0D 01 00", ModbusExceptionCode.IllegalFunction)]
    [InlineData("03 00 00 00 7E", ModbusExceptionCode.IllegalDataValue)]
    [InlineData("03 00 00 00", ModbusExceptionCode.IllegalDataValue)]
    [InlineData("05 00 01 12 34", ModbusExceptionCode.IllegalDataValue)]
    [InlineData("10 00 01 00 02 03 00 0A 01", ModbusExceptionCode.IllegalDataValue)]
    public void TryParse_BadRequest_ReportsExceptionCode(string hex, ModbusExceptionCode expected)
    {
        Assert.False(ModbusRequest.TryParse(Hex(hex), out _, out var error));
        Assert.Equal(expected, error);
    }
}
