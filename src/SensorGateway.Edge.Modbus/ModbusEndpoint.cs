using SensorGateway.Modbus.Client;

namespace SensorGateway.Edge.Modbus;

/// <summary>One connection or serial bus and the master that owns it; tracks how busy it is.</summary>
internal sealed class ModbusEndpoint(ModbusEndpointKey key, IModbusMaster master, TimeProvider time) : IAsyncDisposable
{
    // Utilisation is measured over the current window plus the one before it, so it always covers at least one full
    // window: read right after a reset, a short window would divide a whole poll's time by a few milliseconds.
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _windowStart = time.GetTimestamp();
    private TimeSpan _busy;
    private TimeSpan _previousBusy;
    private TimeSpan _previousLength;

    public ModbusEndpointKey Key { get; } = key;

    public IModbusMaster Master { get; } = master;

    public void AddBusy(TimeSpan elapsed)
    {
        lock (_gate)
        {
            Roll();
            _busy += elapsed;
        }
    }

    /// <summary>
    /// Share of wall time spent in requests over the last 10–20 s (several devices may overlap on TCP, so it can exceed 1;
    /// on a serial bus, where requests take turns, it stays near or below 1).
    /// </summary>
    public double Utilisation()
    {
        lock (_gate)
        {
            Roll();
            var length = _previousLength + time.GetElapsedTime(_windowStart);
            return length > TimeSpan.Zero ? (_previousBusy + _busy) / length : 0;
        }
    }

    public ValueTask DisposeAsync() => Master.DisposeAsync();

    private void Roll()
    {
        var length = time.GetElapsedTime(_windowStart);
        if (length >= s_window)
        {
            (_previousBusy, _previousLength) = (_busy, length);
            _busy = TimeSpan.Zero;
            _windowStart = time.GetTimestamp();
        }
    }
}
