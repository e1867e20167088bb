using System.IO.Ports;

namespace SensorGateway.Modbus.Transport;

/// <summary>Line settings of an RS-485/RS-232 port. The spec's default is 19200 baud, 8 data bits, even parity, 1 stop bit.</summary>
public sealed class ModbusSerialPortOptions
{
    /// <summary>Device path (e.g. <c>/dev/ttyUSB0</c>) or COM name. Required.</summary>
    public string PortName { get; set; } = string.Empty;

    public int BaudRate { get; set; } = 19200;

    public Parity Parity { get; set; } = Parity.Even;

    public int DataBits { get; set; } = 8;

    public StopBits StopBits { get; set; } = StopBits.One;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(PortName))
        {
            throw new ArgumentException($"{nameof(PortName)} is required.", nameof(PortName));
        }

        if (BaudRate is < 300 or > 4_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(BaudRate), BaudRate, $"{nameof(BaudRate)} must be 300..4000000.");
        }

        if (DataBits is not (7 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(DataBits), DataBits, "RTU needs 8 data bits; 7 is accepted only for odd gateways.");
        }

        if (StopBits == StopBits.None)
        {
            throw new ArgumentOutOfRangeException(nameof(StopBits), StopBits, $"{nameof(StopBits)} must be One, OnePointFive or Two.");
        }
    }

    /// <summary>Bits per character on the wire: start + data + parity + stop.</summary>
    public int BitsPerCharacter => 1 + DataBits + (Parity == Parity.None ? 0 : 1) + (StopBits == StopBits.One ? 1 : 2);

    /// <summary>
    /// The 3.5-character silence that separates frames (Modbus over Serial Line V1.02, section 2.5.1.1): fixed at
    /// 1.75 ms above 19200 baud, where the character time would make the silence too short for UARTs to honour.
    /// </summary>
    public TimeSpan FrameSilence => BaudRate > 19200
        ? TimeSpan.FromMicroseconds(1750)
        : TimeSpan.FromMicroseconds(3.5 * BitsPerCharacter * 1_000_000.0 / BaudRate);

    /// <summary>The 1.5-character inter-character limit; 750 µs above 19200 baud.</summary>
    public TimeSpan CharacterGapLimit => BaudRate > 19200
        ? TimeSpan.FromMicroseconds(750)
        : TimeSpan.FromMicroseconds(1.5 * BitsPerCharacter * 1_000_000.0 / BaudRate);

    /// <summary>Time to transmit <paramref name="bytes"/> characters.</summary>
    public TimeSpan TransmitTime(int bytes) => TimeSpan.FromMicroseconds(bytes * BitsPerCharacter * 1_000_000.0 / BaudRate);

    internal SerialPort Open()
    {
        var port = new SerialPort(PortName, BaudRate, Parity, DataBits, StopBits)
        {
            Handshake = Handshake.None,
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = SerialPort.InfiniteTimeout,
        };
        port.Open();
        port.DiscardInBuffer();
        return port;
    }
}
