using SensorGateway.Modbus.Client;

namespace SensorGateway.Edge.Modbus;

/// <summary>One connection or serial bus and the master that owns it; tracks how many polls it carries at once.</summary>
internal sealed class ModbusEndpoint(ModbusEndpointKey key, IModbusMaster master, TimeProvider time) : IAsyncDisposable
{
    // Measured over the current window plus the one before it, so it always covers at least one full window: read
    // right after a reset, a short window would divide a whole poll's time by a few milliseconds.
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
    /// Polls in progress on this endpoint on average over the last 10–20 s: the sum of poll times over wall time. On a
    /// serial bus, where requests take turns, it is the share of time the bus is busy (at most about 1); on TCP, where
    /// the devices behind one gateway poll at once, a figure far above 1 says how deep the queue in front of the slave is.
    /// </summary>
    public double PollsInProgress()
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
