namespace SensorGateway.Modbus.Client;

/// <summary>A point-in-time copy of one master's counters, for the metrics endpoint.</summary>
public sealed class ModbusMasterCounters
{
    /// <summary>Request frames put on the wire, retries included.</summary>
    public long Requests { get; init; }

    /// <summary>Responses matched to the request they answer (exception responses included).</summary>
    public long Responses { get; init; }

    public long Retries { get; init; }

    public long Timeouts { get; init; }

    /// <summary>Exception responses by code.</summary>
    public IReadOnlyDictionary<ModbusExceptionCode, long> SlaveExceptions { get; init; } = new Dictionary<ModbusExceptionCode, long>();

    /// <summary>Malformed or mismatched frames by kind (CRC, length, unit id, function code, echo, ...).</summary>
    public IReadOnlyDictionary<ModbusProtocolErrorKind, long> ProtocolErrors { get; init; } = new Dictionary<ModbusProtocolErrorKind, long>();

    public long CrcErrors => ProtocolErrors.GetValueOrDefault(ModbusProtocolErrorKind.BadCrc);

    /// <summary>Responses whose transaction matched nothing outstanding (duplicates included).</summary>
    public long StrayResponses { get; init; }

    /// <summary>Responses that arrived after their request had timed out.</summary>
    public long LateResponses { get; init; }

    /// <summary>Bytes thrown away while resynchronising a stream without transaction ids (RTU).</summary>
    public long DiscardedBytes { get; init; }

    public long Reconnects { get; init; }

    public long ConnectFailures { get; init; }

    public long RoundTrips { get; init; }

    public TimeSpan MeanRoundTrip { get; init; }

    public TimeSpan MaxRoundTrip { get; init; }
}
