namespace SensorGateway.Modbus.Client;

/// <summary>Settings of a Modbus TCP (MBAP) master; checked by <see cref="Validate"/> in the master's constructor.</summary>
public sealed class ModbusTcpMasterOptions
{
    public const string SectionName = "Modbus:Tcp";

    /// <summary>Host name or address of the device or gateway. Required.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>TCP port. Defaults to 502.</summary>
    public int Port { get; set; } = 502;

    /// <summary>How long one attempt waits for its response. Defaults to 1 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Extra attempts after a timeout, malformed response or lost connection. Defaults to 2. Exception responses are never retried.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>
    /// Requests outstanding at once on the connection, matched by transaction id. Defaults to 8; set 1 for
    /// devices that cannot queue requests.
    /// </summary>
    public int MaxOutstandingRequests { get; set; } = 8;

    /// <summary>Time allowed to open the connection. Defaults to 3 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>First delay before reconnecting after a failed attempt; doubles per failure. Defaults to 100 ms.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound of the reconnect delay. Defaults to 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When true (the default), a caller whose response has arrived resumes on the connection's receive thread, the
    /// way a libmodbus program runs on the thread blocked in recv: no thread hop, and requests issued meanwhile leave in
    /// one send. Continuations of pipelined callers then run one after the other, so callers should hand long work off
    /// and must not block synchronously on another request of the same master (sync-over-async), which could only
    /// end by its timeout. Set false to resume every caller on the thread pool instead.
    /// </summary>
    public bool ResumeCallersInline { get; set; } = true;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException($"{nameof(Host)} is required.", nameof(Host));
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, $"{nameof(Port)} must be 1..65535.");
        }

        ModbusOptionChecks.Positive(RequestTimeout, nameof(RequestTimeout));
        ModbusOptionChecks.Positive(ConnectTimeout, nameof(ConnectTimeout));
        ModbusOptionChecks.Retries(Retries, nameof(Retries));
        if (MaxOutstandingRequests is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOutstandingRequests), MaxOutstandingRequests, $"{nameof(MaxOutstandingRequests)} must be 1..1024.");
        }

        ModbusOptionChecks.Backoff(ReconnectInitialDelay, ReconnectMaxDelay, nameof(ReconnectInitialDelay), nameof(ReconnectMaxDelay));
    }
}
