namespace SensorGateway.Modbus;

/// <summary>No valid response arrived within the request timeout, after every retry.</summary>
public sealed class ModbusTimeoutException : ModbusException
{
    public ModbusTimeoutException()
    {
    }

    public ModbusTimeoutException(string message)
        : base(message)
    {
    }

    public ModbusTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModbusTimeoutException(byte unitId, ModbusFunctionCode functionCode, TimeSpan timeout)
        : base($"Unit {unitId} did not answer function 0x{(byte)functionCode:X2} within {timeout.TotalMilliseconds} ms.")
    {
        UnitId = unitId;
        FunctionCode = functionCode;
        Timeout = timeout;
    }

    public byte UnitId { get; }

    public ModbusFunctionCode FunctionCode { get; }

    public TimeSpan Timeout { get; }
}
