namespace SensorGateway.Modbus;

/// <summary>The device answered with an exception response; <see cref="ExceptionCode"/> is its code.</summary>
public sealed class ModbusSlaveException : ModbusException
{
    public ModbusSlaveException()
    {
    }

    public ModbusSlaveException(string message)
        : base(message)
    {
    }

    public ModbusSlaveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModbusSlaveException(byte unitId, ModbusFunctionCode functionCode, ModbusExceptionCode exceptionCode)
        : base($"Unit {unitId} answered function 0x{(byte)functionCode:X2} with exception 0x{(byte)exceptionCode:X2} ({exceptionCode}).")
    {
        UnitId = unitId;
        FunctionCode = functionCode;
        ExceptionCode = exceptionCode;
    }

    public byte UnitId { get; }

    public ModbusFunctionCode FunctionCode { get; }

    public ModbusExceptionCode ExceptionCode { get; }
}
