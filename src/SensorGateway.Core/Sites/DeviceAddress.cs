namespace SensorGateway.Core.Sites;

/// <summary>How the gateway reaches a device. Exactly one kind per device.</summary>
public abstract record DeviceAddress;

/// <summary>A device that publishes on an MQTT topic.</summary>
public sealed record MqttDeviceAddress(string Topic) : DeviceAddress;

/// <summary>A Modbus TCP device (or unit behind a Modbus TCP gateway).</summary>
public sealed record ModbusTcpDeviceAddress(string Host, int Port, byte UnitId) : DeviceAddress;

/// <summary>A Modbus RTU device on a local serial line.</summary>
public sealed record ModbusRtuDeviceAddress(string SerialPort, int BaudRate, string Parity, int StopBits, byte UnitId) : DeviceAddress;

/// <summary>A Modbus RTU device behind a serial device server, RTU frames carried over TCP.</summary>
public sealed record ModbusRtuOverTcpDeviceAddress(string Host, int Port, byte UnitId) : DeviceAddress;
