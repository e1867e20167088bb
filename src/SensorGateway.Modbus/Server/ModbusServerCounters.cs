namespace SensorGateway.Modbus.Server;

/// <summary>A copy of the slave's counters; tests compare injected faults with what the master counted.</summary>
public sealed class ModbusServerCounters
{
    public long Requests { get; init; }

    public long Responses { get; init; }

    /// <summary>Requests for a unit id the server does not host.</summary>
    public long UnknownUnitRequests { get; init; }

    /// <summary>Frames rejected by the framer (bad CRC, impossible length, unknown function on RTU).</summary>
    public long FramingErrors { get; init; }

    public IReadOnlyDictionary<ModbusFaultKind, long> InjectedFaults { get; init; } = new Dictionary<ModbusFaultKind, long>();

    /// <summary>Exception responses sent by code, injected or genuine.</summary>
    public IReadOnlyDictionary<ModbusExceptionCode, long> ExceptionResponses { get; init; } = new Dictionary<ModbusExceptionCode, long>();
}
