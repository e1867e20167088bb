namespace SensorGateway.Modbus;

/// <summary>Base of every error the Modbus stack raises, so callers can catch the protocol's failures in one place.</summary>
public class ModbusException : Exception
{
    public ModbusException()
    {
    }

    public ModbusException(string message)
        : base(message)
    {
    }

    public ModbusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
