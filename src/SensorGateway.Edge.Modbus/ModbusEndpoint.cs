using SensorGateway.Modbus.Client;

namespace SensorGateway.Edge.Modbus;

/// <summary>One connection or serial bus and the master that owns it; tracks how busy it is.</summary>
internal sealed class ModbusEndpoint(ModbusEndpointKey key, IModbusMaster master, TimeProvider time) : IAsyncDisposable
{
    private long _busyTicks;
    private long _windowStart = time.GetTimestamp();

    public ModbusEndpointKey Key { get; } = key;

    public IModbusMaster Master { get; } = master;

    public void AddBusy(TimeSpan elapsed) => Interlocked.Add(ref _busyTicks, elapsed.Ticks);

    /// <summary>Share of wall time spent in requests since the last call (several devices may overlap on TCP, so it can exceed 1).</summary>
    public double TakeUtilisation()
    {
        var now = time.GetTimestamp();
        var window = time.GetElapsedTime(Interlocked.Exchange(ref _windowStart, now), now);
        var busy = TimeSpan.FromTicks(Interlocked.Exchange(ref _busyTicks, 0));
        return window > TimeSpan.Zero ? busy / window : 0;
    }

    public ValueTask DisposeAsync() => Master.DisposeAsync();
}
