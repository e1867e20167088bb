using SensorGateway.Modbus.Pdu;

namespace SensorGateway.Modbus.Client;

/// <summary>
/// A Modbus master (client), whatever the framing. Failures surface as <see cref="ModbusSlaveException"/>,
/// <see cref="ModbusTimeoutException"/>, <see cref="ModbusProtocolException"/> or <see cref="ModbusConnectionException"/>.
/// Implementations are safe to call concurrently.
/// </summary>
public interface IModbusMaster : IAsyncDisposable
{
    Task<bool[]> ReadCoilsAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default);

    Task<bool[]> ReadDiscreteInputsAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default);

    Task<ushort[]> ReadHoldingRegistersAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default);

    Task<ushort[]> ReadInputRegistersAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default);

    Task WriteSingleCoilAsync(byte unitId, ushort address, bool value, CancellationToken cancellationToken = default);

    Task WriteSingleRegisterAsync(byte unitId, ushort address, ushort value, CancellationToken cancellationToken = default);

    Task WriteMultipleCoilsAsync(byte unitId, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken = default);

    Task WriteMultipleRegistersAsync(byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default);

    Task<ushort[]> ReadWriteMultipleRegistersAsync(
        byte unitId, ushort readAddress, ushort readCount, ushort writeAddress, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default);

    /// <summary>Reads every object of <paramref name="category"/>, following "more follows" pages.</summary>
    Task<ModbusDeviceIdentification> ReadDeviceIdentificationAsync(
        byte unitId, ModbusDeviceIdCategory category = ModbusDeviceIdCategory.Basic, CancellationToken cancellationToken = default);

    /// <summary>A copy of this master's counters.</summary>
    ModbusMasterCounters GetCounters();
}
