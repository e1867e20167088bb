using System.Text;
using SensorGateway.Modbus.Pdu;

namespace SensorGateway.Modbus.Server;

/// <summary>Executes one request PDU against a unit's tables and writes the response PDU (section 6 state diagrams).</summary>
internal static class ModbusRequestHandler
{
    public static int Handle(ModbusDataStore store, ReadOnlySpan<byte> requestPdu, Span<byte> response)
    {
        if (!ModbusRequest.TryParse(requestPdu, out var request, out var error))
        {
            var fc = requestPdu.IsEmpty ? (byte)0 : (byte)(requestPdu[0] & 0x7F);
            return ModbusPduWriter.WriteExceptionResponse(response, (ModbusFunctionCode)fc, error);
        }

        var function = request.FunctionCode;
        switch (function)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs:
            {
                if (!store.InRange(request.Address, request.Quantity))
                {
                    return Exception(response, function, ModbusExceptionCode.IllegalDataAddress);
                }

                Span<bool> bits = stackalloc bool[request.Quantity];
                store.ReadBits(function == ModbusFunctionCode.ReadDiscreteInputs, request.Address, bits);
                return ModbusPduWriter.WriteBitsResponse(response, function, bits);
            }

            case ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters:
            {
                if (!store.InRange(request.Address, request.Quantity))
                {
                    return Exception(response, function, ModbusExceptionCode.IllegalDataAddress);
                }

                Span<ushort> registers = stackalloc ushort[request.Quantity];
                store.ReadRegisters(function == ModbusFunctionCode.ReadInputRegisters, request.Address, registers);
                return ModbusPduWriter.WriteRegistersResponse(response, function, registers);
            }

            case ModbusFunctionCode.WriteSingleCoil:
                if (!store.InRange(request.Address, 1))
                {
                    return Exception(response, function, ModbusExceptionCode.IllegalDataAddress);
                }

                store.SetCoil(request.Address, request.Value == 0xFF00);
                return ModbusPduWriter.WriteEchoResponse(response, function, request.Address, request.Value);

            case ModbusFunctionCode.WriteSingleRegister:
                if (!store.InRange(request.Address, 1))
                {
                    return Exception(response, function, ModbusExceptionCode.IllegalDataAddress);
                }

                store.SetHoldingRegister(request.Address, request.Value);
                return ModbusPduWriter.WriteEchoResponse(response, function, request.Address, request.Value);

            case ModbusFunctionCode.WriteMultipleCoils:
            {
                if (!store.InRange(request.Address, request.Quantity))
                {
                    return Exception(response, function, ModbusExceptionCode.IllegalDataAddress);
                }

                Span<bool> bits = stackalloc bool[request.Quantity];
                ModbusPduReader.UnpackBits(request.Payload, bits);
                store.SetCoils(request.Address, bits);
                return ModbusPduWriter.WriteEchoResponse(response, function, request.Address, request.Quantity);
            }

            case ModbusFunctionCode.WriteMultipleRegisters:
            {
                if (!store.InRange(request.Address, request.Quantity))
                {
                    return Exception(response, function, ModbusExceptionCode.IllegalDataAddress);
                }

                store.SetHoldingRegisters(request.Address, Registers(request, request.Quantity, stackalloc ushort[request.Quantity]));
                return ModbusPduWriter.WriteEchoResponse(response, function, request.Address, request.Quantity);
            }

            case ModbusFunctionCode.ReadWriteMultipleRegisters:
            {
                if (!store.InRange(request.Address, request.Quantity) || !store.InRange(request.WriteAddress, request.WriteQuantity))
                {
                    return Exception(response, function, ModbusExceptionCode.IllegalDataAddress);
                }

                // Section 6.17: the write is performed before the read.
                store.SetHoldingRegisters(request.WriteAddress, Registers(request, request.WriteQuantity, stackalloc ushort[request.WriteQuantity]));
                Span<ushort> registers = stackalloc ushort[request.Quantity];
                store.ReadRegisters(false, request.Address, registers);
                return ModbusPduWriter.WriteRegistersResponse(response, function, registers);
            }

            default:
                return DeviceIdentification(store, request, response);
        }
    }

    private static ReadOnlySpan<ushort> Registers(in ModbusRequest request, int count, Span<ushort> destination)
    {
        for (var i = 0; i < count; i++)
        {
            destination[i] = request.GetRegister(i);
        }

        return destination;
    }

    private static int Exception(Span<byte> response, ModbusFunctionCode function, ModbusExceptionCode code) =>
        ModbusPduWriter.WriteExceptionResponse(response, function, code);

    private static int DeviceIdentification(ModbusDataStore store, in ModbusRequest request, Span<byte> response)
    {
        List<KeyValuePair<byte, byte[]>> all;
        lock (store.DeviceIdentification)
        {
            all = store.DeviceIdentification.Select(pair => new KeyValuePair<byte, byte[]>(pair.Key, Encoding.ASCII.GetBytes(pair.Value))).ToList();
        }

        var highest = all.Count == 0 ? 1 : all.Max(pair => pair.Key) switch { < 0x03 => 1, < 0x80 => 2, _ => 3 };
        var conformity = (byte)(0x80 | highest);
        var category = request.DeviceIdCategory;
        var objectId = request.ObjectId;
        if (category == ModbusDeviceIdCategory.Individual)
        {
            var single = all.FindIndex(pair => pair.Key == objectId);
            return single < 0
                ? Exception(response, ModbusFunctionCode.EncapsulatedInterface, ModbusExceptionCode.IllegalDataAddress)
                : ModbusPduWriter.WriteDeviceIdentificationResponse(response, category, conformity, false, 0, [all[single]]);
        }

        var last = category switch { ModbusDeviceIdCategory.Basic => 0x02, ModbusDeviceIdCategory.Regular => 0x7F, _ => 0xFF };
        var inCategory = all.Where(pair => pair.Key <= last).ToList();

        // Section 6.21: an object id that matches nothing restarts the stream at object 0.
        var start = inCategory.FindIndex(pair => pair.Key == objectId);
        if (start < 0)
        {
            start = 0;
        }

        var page = new List<KeyValuePair<byte, byte[]>>();
        var size = 7;
        var next = start;
        while (next < inCategory.Count && size + 2 + inCategory[next].Value.Length <= ModbusLimits.MaxPduLength)
        {
            size += 2 + inCategory[next].Value.Length;
            page.Add(inCategory[next]);
            next++;
        }

        var more = next < inCategory.Count;
        return ModbusPduWriter.WriteDeviceIdentificationResponse(response, category, conformity, more, more ? inCategory[next].Key : (byte)0, page);
    }
}
