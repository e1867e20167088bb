namespace SensorGateway.Modbus.Server;

/// <summary>What the slave does wrong on purpose when a fault is injected.</summary>
public enum ModbusFaultKind
{
    None = 0,

    /// <summary>Answer with <see cref="ModbusFault.ExceptionCode"/> instead of data.</summary>
    ExceptionResponse,

    /// <summary>Answer correctly after <see cref="ModbusFault.Delay"/>.</summary>
    Delay,

    /// <summary>Do not answer at all.</summary>
    DropResponse,

    /// <summary>RTU: flip the CRC. MBAP has no CRC, so there the function code byte is corrupted instead.</summary>
    CorruptCrc,

    /// <summary>RTU: send only the first half of the frame. MBAP: send half the PDU with a consistent length field.</summary>
    TruncateFrame,

    /// <summary>MBAP only: answer with a transaction id nobody asked for (the real one XOR 0x8000).</summary>
    WrongTransactionId,

    /// <summary>Answer with the unit id XOR 0x80.</summary>
    WrongUnitId,
}
