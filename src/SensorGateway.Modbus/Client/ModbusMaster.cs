using SensorGateway.Modbus.Pdu;

namespace SensorGateway.Modbus.Client;

/// <summary>
/// Shared request logic of every master: encode, exchange through the framing-specific subclass, decode,
/// retry. Decoding happens inside the retry loop so that a malformed response is retried like a lost one.
/// </summary>
public abstract class ModbusMaster : IModbusMaster
{
    private readonly TimeSpan _requestTimeout;
    private readonly int _retries;

    private protected ModbusMaster(TimeProvider timeProvider, TimeSpan requestTimeout, int retries)
    {
        TimeProvider = timeProvider;
        _requestTimeout = requestTimeout;
        _retries = retries;
    }

    private protected TimeProvider TimeProvider { get; }

    private protected TimeSpan RequestTimeout => _requestTimeout;

    internal ModbusMasterMetrics Metrics { get; } = new();

    public ModbusMasterCounters GetCounters() => Metrics.Snapshot();

    public Task<bool[]> ReadCoilsAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default) =>
        ReadBitsAsync(unitId, ModbusFunctionCode.ReadCoils, address, count, cancellationToken);

    public Task<bool[]> ReadDiscreteInputsAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default) =>
        ReadBitsAsync(unitId, ModbusFunctionCode.ReadDiscreteInputs, address, count, cancellationToken);

    public Task<ushort[]> ReadHoldingRegistersAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(unitId, ModbusFunctionCode.ReadHoldingRegisters, address, count, cancellationToken);

    public Task<ushort[]> ReadInputRegistersAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(unitId, ModbusFunctionCode.ReadInputRegisters, address, count, cancellationToken);

    public Task WriteSingleCoilAsync(byte unitId, ushort address, bool value, CancellationToken cancellationToken = default)
    {
        var request = new byte[5];
        ModbusPduWriter.WriteWriteSingleCoilRequest(request, address, value);
        var wire = value ? (ushort)0xFF00 : (ushort)0;
        return ExecuteAsync(
            unitId,
            ModbusFunctionCode.WriteSingleCoil,
            request,
            pdu => Echo(pdu, unitId, ModbusFunctionCode.WriteSingleCoil, address, wire),
            cancellationToken);
    }

    public Task WriteSingleRegisterAsync(byte unitId, ushort address, ushort value, CancellationToken cancellationToken = default)
    {
        var request = new byte[5];
        ModbusPduWriter.WriteWriteSingleRegisterRequest(request, address, value);
        return ExecuteAsync(
            unitId,
            ModbusFunctionCode.WriteSingleRegister,
            request,
            pdu => Echo(pdu, unitId, ModbusFunctionCode.WriteSingleRegister, address, value),
            cancellationToken);
    }

    public Task WriteMultipleCoilsAsync(byte unitId, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[ModbusLimits.MaxPduLength];
        var length = ModbusPduWriter.WriteWriteMultipleCoilsRequest(buffer, address, values.Span);
        var count = (ushort)values.Length;
        return ExecuteAsync(
            unitId,
            ModbusFunctionCode.WriteMultipleCoils,
            buffer.AsMemory(0, length),
            pdu => Echo(pdu, unitId, ModbusFunctionCode.WriteMultipleCoils, address, count),
            cancellationToken);
    }

    public Task WriteMultipleRegistersAsync(byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[ModbusLimits.MaxPduLength];
        var length = ModbusPduWriter.WriteWriteMultipleRegistersRequest(buffer, address, values.Span);
        var count = (ushort)values.Length;
        return ExecuteAsync(
            unitId,
            ModbusFunctionCode.WriteMultipleRegisters,
            buffer.AsMemory(0, length),
            pdu => Echo(pdu, unitId, ModbusFunctionCode.WriteMultipleRegisters, address, count),
            cancellationToken);
    }

    public Task<ushort[]> ReadWriteMultipleRegistersAsync(
        byte unitId, ushort readAddress, ushort readCount, ushort writeAddress, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default)
    {
        ThrowIfBroadcastRead(unitId);
        var buffer = new byte[ModbusLimits.MaxPduLength];
        var length = ModbusPduWriter.WriteReadWriteMultipleRegistersRequest(buffer, readAddress, readCount, writeAddress, values.Span);
        return ExecuteAsync(
            unitId,
            ModbusFunctionCode.ReadWriteMultipleRegisters,
            buffer.AsMemory(0, length),
            pdu =>
            {
                var result = new ushort[readCount];
                ModbusPduReader.ReadRegisters(pdu, unitId, ModbusFunctionCode.ReadWriteMultipleRegisters, result);
                return result;
            },
            cancellationToken);
    }

    public async Task<ModbusDeviceIdentification> ReadDeviceIdentificationAsync(
        byte unitId, ModbusDeviceIdCategory category = ModbusDeviceIdCategory.Basic, CancellationToken cancellationToken = default)
    {
        ThrowIfBroadcastRead(unitId);
        var objects = new Dictionary<byte, string>();
        byte objectId = 0;
        byte conformity = 0;

        // A device that keeps answering "more follows" without progress would loop forever; 256 pages is every object id once.
        for (var page = 0; page < 256; page++)
        {
            var request = new byte[4];
            ModbusPduWriter.WriteReadDeviceIdentificationRequest(request, category, objectId);
            var result = await ExecuteAsync(
                unitId,
                ModbusFunctionCode.EncapsulatedInterface,
                request,
                pdu => ModbusPduReader.ReadDeviceIdentification(pdu, unitId),
                cancellationToken).ConfigureAwait(false);
            conformity = result.ConformityLevel;
            foreach (var (id, value) in result.Objects)
            {
                objects[id] = value;
            }

            if (!result.MoreFollows || category == ModbusDeviceIdCategory.Individual)
            {
                break;
            }

            objectId = result.NextObjectId;
        }

        return new ModbusDeviceIdentification(conformity, objects);
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Sends one request PDU and returns the response PDU. An empty array means the request was a broadcast,
    /// which gets no answer. Throws <see cref="ModbusTimeoutException"/>, <see cref="ModbusProtocolException"/>
    /// or <see cref="ModbusConnectionException"/> for a failed attempt.
    /// </summary>
    private protected abstract Task<byte[]> ExchangeAsync(byte unitId, ModbusFunctionCode functionCode, ReadOnlyMemory<byte> request, CancellationToken cancellationToken);

    private protected virtual void ThrowIfBroadcastRead(byte unitId)
    {
    }

    private static bool Echo(byte[] pdu, byte unitId, ModbusFunctionCode functionCode, ushort first, ushort second)
    {
        if (pdu.Length != 0)
        {
            ModbusPduReader.ReadEcho(pdu, unitId, functionCode, first, second);
        }

        return true;
    }

    private Task<bool[]> ReadBitsAsync(byte unitId, ModbusFunctionCode functionCode, ushort address, ushort count, CancellationToken cancellationToken)
    {
        ThrowIfBroadcastRead(unitId);
        var request = new byte[5];
        ModbusPduWriter.WriteReadRequest(request, functionCode, address, count);
        return ExecuteAsync(
            unitId,
            functionCode,
            request,
            pdu =>
            {
                var result = new bool[count];
                ModbusPduReader.ReadBits(pdu, unitId, functionCode, result);
                return result;
            },
            cancellationToken);
    }

    private Task<ushort[]> ReadRegistersAsync(byte unitId, ModbusFunctionCode functionCode, ushort address, ushort count, CancellationToken cancellationToken)
    {
        ThrowIfBroadcastRead(unitId);
        var request = new byte[5];
        ModbusPduWriter.WriteReadRequest(request, functionCode, address, count);
        return ExecuteAsync(
            unitId,
            functionCode,
            request,
            pdu =>
            {
                var result = new ushort[count];
                ModbusPduReader.ReadRegisters(pdu, unitId, functionCode, result);
                return result;
            },
            cancellationToken);
    }

    private async Task<T> ExecuteAsync<T>(
        byte unitId, ModbusFunctionCode functionCode, ReadOnlyMemory<byte> request, Func<byte[], T> decode, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var started = TimeProvider.GetTimestamp();
                var response = await ExchangeAsync(unitId, functionCode, request, cancellationToken).ConfigureAwait(false);
                Metrics.RoundTrip(TimeProvider.GetElapsedTime(started));
                return decode(response);
            }
            catch (ModbusSlaveException ex)
            {
                // A device that answers with an exception has spoken; asking again would not change its mind.
                Metrics.SlaveException(ex.ExceptionCode);
                throw;
            }
            catch (ModbusProtocolException ex) when (Count(ex) && attempt < _retries)
            {
            }
            catch (ModbusTimeoutException) when (CountTimeout() && attempt < _retries)
            {
            }
            catch (ModbusConnectionException) when (attempt < _retries)
            {
            }

            Metrics.Retry();
        }
    }

    private bool Count(ModbusProtocolException ex)
    {
        Metrics.ProtocolError(ex.Kind);
        return true;
    }

    private bool CountTimeout()
    {
        Metrics.Timeout();
        return true;
    }
}
