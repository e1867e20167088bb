using SensorGateway.Core.Sites;

namespace SensorGateway.Edge.Modbus;

/// <summary>What devices share a connection (or a serial bus): the same kind of link to the same place.</summary>
internal sealed record ModbusEndpointKey(string Kind, string Target)
{
    public static ModbusEndpointKey? Of(DeviceAddress address) => address switch
    {
        ModbusTcpDeviceAddress t => new("tcp", $"{t.Host}:{t.Port}"),
        ModbusRtuOverTcpDeviceAddress r => new("rtu-over-tcp", $"{r.Host}:{r.Port}"),
        ModbusRtuDeviceAddress s => new("rtu", s.SerialPort),
        _ => null,
    };

    public override string ToString() => $"{Kind} {Target}";
}
