using System.Buffers;
using CsCheck;
using SensorGateway.Modbus.Framing;
using SensorGateway.Modbus.Pdu;

namespace SensorGateway.Modbus.Tests;

public class ModbusPropertyTests
{
    private static readonly Gen<ushort> Address = Gen.UShort[0, 60000];

    [Fact]
    public void ReadRequest_RoundTrip_DecodesSameFields()
    {
        Gen.Select(Gen.Int[1, 4], Address, Gen.Int[1, 2000]).Sample((fc, address, count) =>
        {
            var function = (ModbusFunctionCode)fc;
            var quantity = (ushort)(fc <= 2 ? count : 1 + (count % 125));
            var buffer = new byte[ModbusLimits.MaxPduLength];
            var length = ModbusPduWriter.WriteReadRequest(buffer, function, address, quantity);

            Assert.True(ModbusRequest.TryParse(buffer.AsSpan(0, length), out var request, out _));
            Assert.Equal(function, request.FunctionCode);
            Assert.Equal(address, request.Address);
            Assert.Equal(quantity, request.Quantity);
        });
    }

    [Fact]
    public void SingleWriteRequests_RoundTrip_DecodeSameFields()
    {
        Gen.Select(Address, Gen.UShort, Gen.Bool).Sample((address, value, coil) =>
        {
            var buffer = new byte[ModbusLimits.MaxPduLength];
            var length = ModbusPduWriter.WriteWriteSingleRegisterRequest(buffer, address, value);
            Assert.True(ModbusRequest.TryParse(buffer.AsSpan(0, length), out var register, out _));
            Assert.Equal((ModbusFunctionCode.WriteSingleRegister, address, value), (register.FunctionCode, register.Address, register.Value));

            length = ModbusPduWriter.WriteWriteSingleCoilRequest(buffer, address, coil);
            Assert.True(ModbusRequest.TryParse(buffer.AsSpan(0, length), out var single, out _));
            Assert.Equal((ModbusFunctionCode.WriteSingleCoil, address, coil ? (ushort)0xFF00 : (ushort)0), (single.FunctionCode, single.Address, single.Value));

            var response = new byte[5];
            ModbusPduWriter.WriteEchoResponse(response, ModbusFunctionCode.WriteSingleRegister, address, value);
            ModbusPduReader.ReadEcho(response, 1, ModbusFunctionCode.WriteSingleRegister, address, value);
        });
    }

    [Fact]
    public void WriteMultipleCoils_RoundTrip_DecodesSameBits()
    {
        Gen.Select(Address, Gen.Bool.Array[1, ModbusLimits.MaxWriteCoils]).Sample((address, values) =>
        {
            var buffer = new byte[ModbusLimits.MaxPduLength];
            var length = ModbusPduWriter.WriteWriteMultipleCoilsRequest(buffer, (ushort)Math.Min(address, 65536 - values.Length), values);

            Assert.True(ModbusRequest.TryParse(buffer.AsSpan(0, length), out var request, out _));
            Assert.Equal(values.Length, request.Quantity);
            Assert.Equal(values, Coils(request, values.Length));
        });
    }

    [Fact]
    public void WriteMultipleRegisters_RoundTrip_DecodesSameValues()
    {
        Gen.Select(Address, Gen.UShort.Array[1, ModbusLimits.MaxWriteRegisters]).Sample((address, values) =>
        {
            var buffer = new byte[ModbusLimits.MaxPduLength];
            var length = ModbusPduWriter.WriteWriteMultipleRegistersRequest(buffer, address, values);

            Assert.True(ModbusRequest.TryParse(buffer.AsSpan(0, length), out var request, out _));
            Assert.Equal(address, request.Address);
            Assert.Equal(values, Registers(request, values.Length));
        });
    }

    [Fact]
    public void ReadWriteMultipleRegisters_RoundTrip_DecodesSameFields()
    {
        Gen.Select(Address, Gen.Int[1, 125], Address, Gen.UShort.Array[1, ModbusLimits.MaxReadWriteWriteRegisters]).Sample((read, count, write, values) =>
        {
            var buffer = new byte[ModbusLimits.MaxPduLength];
            var length = ModbusPduWriter.WriteReadWriteMultipleRegistersRequest(buffer, read, (ushort)count, write, values);

            Assert.True(ModbusRequest.TryParse(buffer.AsSpan(0, length), out var request, out _));
            Assert.Equal((read, (ushort)count, write, (ushort)values.Length), (request.Address, request.Quantity, request.WriteAddress, request.WriteQuantity));
            Assert.Equal(values, Registers(request, values.Length));
        });
    }

    [Fact]
    public void RegisterAndBitResponses_RoundTrip_DecodeSameValues()
    {
        Gen.Select(Gen.UShort.Array[1, 125], Gen.Bool.Array[1, 2000]).Sample((registers, bits) =>
        {
            var buffer = new byte[ModbusLimits.MaxPduLength];
            var length = ModbusPduWriter.WriteRegistersResponse(buffer, ModbusFunctionCode.ReadInputRegisters, registers);
            var decoded = new ushort[registers.Length];
            ModbusPduReader.ReadRegisters(buffer.AsSpan(0, length), 1, ModbusFunctionCode.ReadInputRegisters, decoded);
            Assert.Equal(registers, decoded);

            length = ModbusPduWriter.WriteBitsResponse(buffer, ModbusFunctionCode.ReadDiscreteInputs, bits);
            var decodedBits = new bool[bits.Length];
            ModbusPduReader.ReadBits(buffer.AsSpan(0, length), 1, ModbusFunctionCode.ReadDiscreteInputs, decodedBits);
            Assert.Equal(bits, decodedBits);
        });
    }

    [Fact]
    public void DeviceIdentification_RoundTrip_DecodesSameObjects()
    {
        var objectGen = Gen.Select(Gen.Byte, Gen.Char['A', 'z'].Array[0, 20]);
        objectGen.Array[0, 8].Sample(objects =>
        {
            var distinct = objects.DistinctBy(o => o.Item1).Select(o => new KeyValuePair<byte, byte[]>(o.Item1, System.Text.Encoding.ASCII.GetBytes(o.Item2))).ToList();
            var buffer = new byte[ModbusLimits.MaxPduLength];
            var length = ModbusPduWriter.WriteDeviceIdentificationResponse(buffer, ModbusDeviceIdCategory.Extended, 0x83, true, 7, distinct);

            var page = ModbusPduReader.ReadDeviceIdentification(buffer.AsSpan(0, length), 1);
            Assert.Equal((ModbusDeviceIdCategory.Extended, (byte)0x83, true, (byte)7), (page.Category, page.ConformityLevel, page.MoreFollows, page.NextObjectId));
            Assert.Equal(distinct.Select(o => (o.Key, System.Text.Encoding.ASCII.GetString(o.Value))), page.Objects.Select(o => (o.Key, o.Value)));
        });
    }

    [Fact]
    public void ExceptionResponse_RoundTrip_EveryCodeSurfaces()
    {
        Gen.Select(Gen.Int[1, 127], Gen.Byte[1, 255]).Sample((fc, code) =>
        {
            var buffer = new byte[2];
            ModbusPduWriter.WriteExceptionResponse(buffer, (ModbusFunctionCode)fc, (ModbusExceptionCode)code);
            var ex = Assert.Throws<ModbusSlaveException>(() => ModbusPduReader.ThrowIfException(buffer, 3, (ModbusFunctionCode)fc));
            Assert.Equal((ModbusExceptionCode)code, ex.ExceptionCode);
        });
    }

    [Fact]
    public void RandomBytes_AllParsers_OnlyTypedErrors()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var input = new ReadOnlySequence<byte>(bytes);
            Typed(() => ModbusMbapFramer.TryParse(input, out _, out _, out _));
            Typed(() => ModbusRtuFramer.TryParse(input, ModbusRtuDirection.Request, out _, out _, out _));
            Typed(() => ModbusRtuFramer.TryParse(input, ModbusRtuDirection.Response, out _, out _, out _));
            var pdu = bytes.AsSpan(0, Math.Min(bytes.Length, ModbusLimits.MaxPduLength)).ToArray();
            Typed(() => ModbusRequest.TryParse(pdu, out _, out _));
            Typed(() => ModbusPduReader.ReadDeviceIdentification(pdu, 1));
            Typed(() => ModbusPduReader.ReadBits(pdu, 1, ModbusFunctionCode.ReadCoils, new bool[pdu.Length % 50 + 1]));
            Typed(() => ModbusPduReader.ReadRegisters(pdu, 1, ModbusFunctionCode.ReadHoldingRegisters, new ushort[pdu.Length % 20 + 1]));
            Typed(() => ModbusPduReader.ReadEcho(pdu, 1, ModbusFunctionCode.WriteSingleRegister, 1, 2));
            Typed(() => Server.ModbusRequestHandler.Handle(new Server.ModbusDataStore(16), pdu, new byte[ModbusLimits.MaxPduLength]));
        }, iter: 2000);
    }

    [Fact]
    public void RtuFrame_EverySingleBitFlip_CaughtByCrc()
    {
        Gen.Select(Gen.Byte[1, 247], Gen.UShort.Array[1, 40]).Sample((unit, registers) =>
        {
            var pdu = new byte[ModbusLimits.MaxPduLength];
            var pduLength = ModbusPduWriter.WriteRegistersResponse(pdu, ModbusFunctionCode.ReadHoldingRegisters, registers);
            var frame = new byte[pduLength + 3];
            ModbusRtuFramer.Write(frame, unit, pdu.AsSpan(0, pduLength));

            for (var bit = 0; bit < frame.Length * 8; bit++)
            {
                var flipped = (byte[])frame.Clone();
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));

                // Over the original length the CRC must disagree; a flip that changes the implied length yields no
                // frame of the original length.
                Assert.NotEqual(ModbusCrc16.Compute(flipped.AsSpan(0, frame.Length - 2)), (ushort)(flipped[^2] | (flipped[^1] << 8)));
                try
                {
                    if (ModbusRtuFramer.TryParse(new ReadOnlySequence<byte>(flipped), ModbusRtuDirection.Response, out var consumed, out _, out _))
                    {
                        Assert.NotEqual(frame.Length, consumed.GetInteger());
                    }
                }
                catch (ModbusProtocolException)
                {
                }
            }
        }, iter: 200);
    }

    private static bool[] Coils(ModbusRequest request, int count)
    {
        var result = new bool[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = request.GetCoil(i);
        }

        return result;
    }

    private static ushort[] Registers(ModbusRequest request, int count)
    {
        var result = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = request.GetRegister(i);
        }

        return result;
    }

    private static void Typed(Action action)
    {
        try
        {
            action();
        }
        catch (ModbusException)
        {
        }
    }
}
