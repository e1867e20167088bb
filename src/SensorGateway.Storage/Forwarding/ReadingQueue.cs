using System.Diagnostics.Metrics;
using System.Threading.Channels;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Forwarding;

/// <summary>
/// The bounded hand-over between the live pipeline and storage. The pipeline never blocks on storage:
/// when the queue is full the reading is dropped, counted, and <see cref="Overflowed"/> fires so the host
/// raises a fault — nothing is dropped silently.
/// </summary>
public sealed class ReadingQueue
{
    private static readonly Meter s_meter = new("SensorGateway.Storage");
    private static readonly Counter<long> s_dropped = s_meter.CreateCounter<long>("sg.storage.queue.dropped", description: "Readings dropped because the storage queue was full");

    private readonly Channel<Reading> _channel;
    private long _dropped;
    private long _enqueued;

    public ReadingQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _channel = Channel.CreateBounded<Reading>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        s_meter.CreateObservableGauge("sg.storage.queue.depth", () => _channel.Reader.Count, description: "Readings waiting for storage");
    }

    /// <summary>Raised with the running drop count whenever a reading could not be queued.</summary>
    public event Action<long>? Overflowed;

    public int Capacity { get; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Enqueued => Interlocked.Read(ref _enqueued);

    public int Count => _channel.Reader.Count;

    public ChannelReader<Reading> Reader => _channel.Reader;

    public bool TryEnqueue(in Reading reading)
    {
        if (_channel.Writer.TryWrite(reading))
        {
            Interlocked.Increment(ref _enqueued);
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        s_dropped.Add(1);
        Overflowed?.Invoke(dropped);
        return false;
    }

    /// <summary>No more readings will come (shutdown); the forwarder drains what is left.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
