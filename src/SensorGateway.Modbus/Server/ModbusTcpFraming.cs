namespace SensorGateway.Modbus.Server;

/// <summary>Framing spoken on a TCP listener: Modbus TCP, or RTU frames as a serial device server forwards them.</summary>
public enum ModbusTcpFraming
{
    Mbap = 0,
    Rtu = 1,
}
