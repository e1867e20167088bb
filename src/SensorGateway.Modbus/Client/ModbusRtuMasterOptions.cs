using SensorGateway.Modbus.Transport;

namespace SensorGateway.Modbus.Client;

/// <summary>
/// Settings of an RTU master: either on a serial line (<see cref="SerialPort"/>) or RTU frames carried over TCP by a
/// serial device server (<see cref="Host"/> and <see cref="Port"/>). Exactly one of the two must be set.
/// </summary>
public sealed class ModbusRtuMasterOptions
{
    public const string SectionName = "Modbus:Rtu";

    public ModbusSerialPortOptions? SerialPort { get; set; }

    /// <summary>Serial device server host for RTU over TCP.</summary>
    public string? Host { get; set; }

    /// <summary>Serial device server port for RTU over TCP. Defaults to 502.</summary>
    public int Port { get; set; } = 502;

    /// <summary>How long one attempt waits for its response, transmission included. Defaults to 1 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Extra attempts after a timeout, CRC error or other malformed response. Defaults to 2.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>
    /// Extra quiet time between the end of one exchange and the next request, for slow devices. Defaults to zero;
    /// the 3.5-character silence is always kept on a serial line.
    /// </summary>
    public TimeSpan InterRequestDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Time allowed to open the TCP connection. Defaults to 3 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>First reconnect delay after a failure; doubles per failure. Defaults to 100 ms.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound of the reconnect delay. Defaults to 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if ((SerialPort is null) == string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException($"Set exactly one of {nameof(SerialPort)} (RTU on a serial line) or {nameof(Host)} (RTU over TCP).", nameof(SerialPort));
        }

        SerialPort?.Validate();
        if (SerialPort is null && Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, $"{nameof(Port)} must be 1..65535.");
        }

        ModbusOptionChecks.Positive(RequestTimeout, nameof(RequestTimeout));
        ModbusOptionChecks.Positive(ConnectTimeout, nameof(ConnectTimeout));
        ModbusOptionChecks.Retries(Retries, nameof(Retries));
        if (InterRequestDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InterRequestDelay), InterRequestDelay, $"{nameof(InterRequestDelay)} must not be negative.");
        }

        ModbusOptionChecks.Backoff(ReconnectInitialDelay, ReconnectMaxDelay, nameof(ReconnectInitialDelay), nameof(ReconnectMaxDelay));
    }
}
