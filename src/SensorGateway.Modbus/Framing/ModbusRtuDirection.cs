namespace SensorGateway.Modbus.Framing;

/// <summary>
/// RTU frames carry no length, so the parser must know whether it reads requests (slave side) or responses
/// (master side) to work out where a frame ends from its function code.
/// </summary>
public enum ModbusRtuDirection
{
    Request = 0,
    Response = 1,
}
