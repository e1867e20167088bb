namespace SensorGateway.Modbus;

/// <summary>The connection could not be opened or was lost while a request was outstanding.</summary>
public sealed class ModbusConnectionException : ModbusException
{
    public ModbusConnectionException()
    {
    }

    public ModbusConnectionException(string message)
        : base(message)
    {
    }

    public ModbusConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
