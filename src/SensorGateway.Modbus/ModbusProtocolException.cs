namespace SensorGateway.Modbus;

/// <summary>A frame or PDU that breaks the protocol: the message says what was expected and what arrived.</summary>
public sealed class ModbusProtocolException : ModbusException
{
    public ModbusProtocolException()
    {
    }

    public ModbusProtocolException(string message)
        : base(message)
    {
    }

    public ModbusProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModbusProtocolException(ModbusProtocolErrorKind kind, string what, string expected, string actual)
        : base($"{what}: expected {expected}, actual {actual}.")
    {
        Kind = kind;
        Expected = expected;
        Actual = actual;
    }

    public ModbusProtocolErrorKind Kind { get; }

    public string? Expected { get; }

    public string? Actual { get; }
}
