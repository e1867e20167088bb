using System.Diagnostics.Metrics;
using System.Threading.Channels;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Forwarding;

/// <summary>
/// The bounded hand-over between the live pipeline and storage. The pipeline never blocks on storage:
/// when the queue is full the reading is dropped, counted, and <see cref="Overflowed"/> fires so the host
/// raises a fault — nothing is dropped silently.
/// </summary>
public sealed class ReadingQueue : IReadingDurability
{
    private static readonly Meter s_meter = new("SensorGateway.Storage");
    private static readonly Counter<long> s_dropped = s_meter.CreateCounter<long>("sg.storage.queue.dropped", description: "Readings dropped because the storage queue was full");

    private readonly Channel<Reading> _channel;
    private readonly Lock _waitersGate = new();
    private readonly PriorityQueue<TaskCompletionSource, long> _waiters = new();
    private long _dropped;
    private long _enqueued;
    private long _stored;

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

    /// <summary>Readings offered so far, stored or dropped.</summary>
    public long Accepted => Interlocked.Read(ref _enqueued) + Interlocked.Read(ref _dropped);

    /// <summary>Readings the storage stage has made durable so far.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    public Task WhenDurableAsync(long count, CancellationToken cancellationToken)
    {
        lock (_waitersGate)
        {
            if (Stored + Dropped >= count)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter, count);
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The storage stage made <paramref name="count"/> more readings durable, in queue order.</summary>
    public void MarkStored(int count)
    {
        Interlocked.Add(ref _stored, count);
        Release();
    }

    private void Release()
    {
        lock (_waitersGate)
        {
            var done = Stored + Dropped;
            while (_waiters.TryPeek(out var waiter, out var needed) && needed <= done)
            {
                _waiters.Dequeue();
                waiter.TrySetResult();
            }
        }
    }

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
        Release();
        return false;
    }

    /// <summary>No more readings will come (shutdown); the forwarder drains what is left.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
