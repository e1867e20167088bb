namespace SensorGateway.Modbus;

/// <summary>What was wrong with a frame; counters are kept per kind.</summary>
public enum ModbusProtocolErrorKind
{
    Malformed = 0,
    InvalidLength,
    BadCrc,
    InvalidProtocolId,
    UnsupportedFunction,
    UnexpectedUnitId,
    UnexpectedFunction,
    InvalidByteCount,
    InvalidEcho,

    /// <summary>ASCII frame whose longitudinal redundancy check does not match.</summary>
    BadLrc,
}
