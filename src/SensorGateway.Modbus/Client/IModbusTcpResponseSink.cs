namespace SensorGateway.Modbus.Client;

/// <summary>What a <see cref="ModbusTcpConnection"/>'s receive thread reports to its master.</summary>
internal interface IModbusTcpResponseSink
{
    /// <summary>
    /// Dispatches every complete frame at the start of <paramref name="received"/> and returns how many bytes they
    /// took; the rest is kept for the next receive. Throws <see cref="ModbusProtocolException"/> when the stream
    /// cannot be framed any more, which closes the connection.
    /// </summary>
    int OnReceived(ModbusTcpConnection connection, ReadOnlyMemory<byte> received);

    /// <summary>The connection has closed; <paramref name="error"/> is null when the peer ended the stream.</summary>
    void OnClosed(ModbusTcpConnection connection, Exception? error);
}
