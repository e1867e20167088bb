using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool.Internal;

namespace SensorGateway.Storage.Spool;

/// <summary>
/// A spool in memory: the same batch semantics as <see cref="FileReadingSpool"/>, nothing survives a restart.
/// For tests, for hosts that forward to a database without a disk to spare, and as the reference
/// implementation of the contract.
/// </summary>
/// <remarks>
/// The quota counts each record's encoded size. Under <see cref="SpoolFullPolicy.DropOldest"/> the oldest
/// records that are not in flight are dropped one by one; records in flight are never dropped, so the spool
/// can exceed its quota by what is in flight plus one append.
/// </remarks>
public sealed class MemoryReadingSpool : IReadingSpool
{
    private readonly Lock _lock = new();
    private readonly MemorySpoolOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly SeriesEncoder _encoder = new();
    private readonly SpoolLedger _ledger;
    private readonly Queue<Entry> _queue = new();
    private readonly Func<Reading, long> _sizeOf;
    private TaskCompletionSource? _dataAvailable;
    private long _nextId;
    private long _storedBytes;
    private long _pendingRecords;
    private long _appended;
    private long _accepted;
    private long _rejected;
    private long _droppedOldest;
    private long _droppedNew;
    private bool _warningRaised;
    private bool _disposed;

    /// <param name="options">Quota and policy; null for the defaults.</param>
    /// <param name="timeProvider">The clock for <see cref="SpoolCounters.OldestRecordAge"/>; null for the system clock.</param>
    /// <param name="logger">Where quota events are logged; null for none.</param>
    /// <param name="meterFactory">Where to create the <c>SensorGateway.Spool</c> meter; null for a standalone one.</param>
    public MemoryReadingSpool(MemorySpoolOptions? options = null, TimeProvider? timeProvider = null, ILogger<MemoryReadingSpool>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        _options = options ?? new MemorySpoolOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid memory spool settings: " + string.Join(" ", errors), nameof(options));
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _ledger = new SpoolLedger(this);
        _sizeOf = SizeOf;
        _meter = meterFactory?.Create(SpoolMetrics.MeterName) ?? new Meter(SpoolMetrics.MeterName);
        SpoolMetrics.Register(_meter, "memory", () => Counters);
    }

    /// <inheritdoc/>
    public event EventHandler<SpoolQuotaEventArgs>? QuotaWarning;

    /// <inheritdoc/>
    public event EventHandler<SpoolQuotaEventArgs>? QuotaExceeded;

    /// <inheritdoc/>
    public SpoolCounters Counters
    {
        get
        {
            lock (_lock)
            {
                var age = TimeSpan.Zero;
                var hasOldest = _ledger.TryGetOldest(out var oldestId, out var oldest);
                if (_queue.TryPeek(out var head) && (!hasOldest || head.Id < oldestId))
                {
                    oldest = head.Reading;
                    hasOldest = true;
                }

                if (hasOldest)
                {
                    age = _time.GetUtcNow() - oldest.ReceivedTime;
                }

                return new SpoolCounters
                {
                    PendingRecords = _pendingRecords,
                    InFlightRecords = _ledger.InFlightRecords,
                    StoredBytes = _storedBytes,
                    MaxBytes = _options.MaxBytes,
                    OldestRecordAge = age < TimeSpan.Zero ? TimeSpan.Zero : age,
                    Appended = _appended,
                    Accepted = _accepted,
                    Rejected = _rejected,
                    DroppedOldest = _droppedOldest,
                    DroppedNew = _droppedNew,
                };
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask AppendAsync(ReadOnlyMemory<Reading> readings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (readings.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        SpoolQuotaEventArgs? exceeded = null;
        SpoolQuotaEventArgs? warning = null;
        SpoolFullException? refused = null;
        TaskCompletionSource? wake;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var span = readings.Span;
            long bytes = 0;
            foreach (ref readonly var reading in span)
            {
                bytes += SizeOf(reading);
            }

            if (_storedBytes + bytes > _options.MaxBytes)
            {
                if (_options.FullPolicy == SpoolFullPolicy.RejectNew)
                {
                    _droppedNew += span.Length;
                    SpoolLog.RejectedNew(_logger, _options.MaxBytes, span.Length, _droppedNew);
                    exceeded = new SpoolQuotaEventArgs(_storedBytes, _options.MaxBytes, _options.FullPolicy, span.Length, _droppedOldest + _droppedNew);
                    refused = new SpoolFullException($"The spool quota of {_options.MaxBytes} bytes is full; {span.Length} readings were refused.")
                    {
                        RejectedRecords = span.Length,
                    };
                }
                else
                {
                    var dropped = DropOldest(_storedBytes + bytes - _options.MaxBytes);
                    if (dropped > 0)
                    {
                        SpoolLog.DroppedOldest(_logger, _options.MaxBytes, dropped, _droppedOldest);
                        exceeded = new SpoolQuotaEventArgs(_storedBytes + bytes, _options.MaxBytes, _options.FullPolicy, dropped, _droppedOldest + _droppedNew);
                    }
                }
            }

            if (refused is null)
            {
                foreach (ref readonly var reading in span)
                {
                    _queue.Enqueue(new Entry(_nextId++, reading, SizeOf(reading)));
                }

                _storedBytes += bytes;
                _pendingRecords += span.Length;
                _appended += span.Length;
            }

            warning = CheckWarning();
            wake = refused is null ? TakeWaiter() : null;
        }

        wake?.TrySetResult();
        Raise(QuotaWarning, warning, nameof(QuotaWarning));
        Raise(QuotaExceeded, exceeded, nameof(QuotaExceeded));
        return refused is null ? ValueTask.CompletedTask : ValueTask.FromException(refused);
    }

    /// <inheritdoc/>
    public ValueTask<SpoolBatch?> TakeAsync(int maxRecords, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var returned = _ledger.TakeReturned(maxRecords, _sizeOf);
            if (returned is not null || _queue.Count == 0)
            {
                return ValueTask.FromResult(returned);
            }

            var count = Math.Min(maxRecords, _queue.Count);
            var batch = new SpoolBatch(this, count, _queue.Peek().Id);
            for (var i = 0; i < count; i++)
            {
                var entry = _queue.Dequeue();
                batch.Add(entry.Id, entry.Reading, entry.Bytes);
            }

            _ledger.AddInFlight(batch);
            return ValueTask.FromResult<SpoolBatch?>(batch);
        }
    }

    /// <inheritdoc/>
    public void Accept(SpoolBatch batch)
    {
        SpoolQuotaEventArgs? warning;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _ledger.Settle(batch);
            _accepted += batch.Count;
            _pendingRecords -= batch.Count;
            _storedBytes -= batch.Bytes;
            warning = CheckWarning();
        }

        batch.Release();
        Raise(QuotaWarning, warning, nameof(QuotaWarning));
    }

    /// <inheritdoc/>
    public void Reject(SpoolBatch batch)
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _ledger.Settle(batch);
            _ledger.Return(batch);
            _rejected += batch.Count;
            wake = TakeWaiter();
        }

        wake?.TrySetResult();
    }

    /// <inheritdoc/>
    public ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ledger.HasReturned || _queue.Count > 0)
            {
                return ValueTask.CompletedTask;
            }

            _dataAvailable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _dataAvailable.Task;
        }

        return new ValueTask(task.WaitAsync(cancellationToken));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Reading> ReadPendingAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<(long Id, Reading Reading)> snapshot;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            snapshot = _ledger.Snapshot();
            snapshot.AddRange(_queue.Select(e => (e.Id, e.Reading)));
        }

        foreach (var (_, reading) in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return reading;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            _ledger.Clear();
            _queue.Clear();
            wake = _dataAvailable;
            _dataAvailable = null;
        }

        wake?.TrySetException(new ObjectDisposedException(nameof(MemoryReadingSpool)));
        _meter.Dispose();
        return ValueTask.CompletedTask;
    }

    private long SizeOf(Reading reading) => SpoolRecordCodec.FrameSize(_encoder.Get(reading).Length);

    private long DropOldest(long bytesToFree)
    {
        var (dropped, freedBytes) = _ledger.DropReturned(long.MaxValue, bytesToFree, _sizeOf);
        while (freedBytes < bytesToFree && _queue.TryDequeue(out var entry))
        {
            freedBytes += entry.Bytes;
            dropped++;
        }

        _storedBytes -= freedBytes;
        _pendingRecords -= dropped;
        _droppedOldest += dropped;
        return dropped;
    }

    private SpoolQuotaEventArgs? CheckWarning()
    {
        var threshold = (long)(_options.MaxBytes * _options.WarningThreshold);
        if (!_warningRaised && _storedBytes >= threshold)
        {
            _warningRaised = true;
            SpoolLog.QuotaWarning(_logger, _storedBytes, _options.MaxBytes, 100.0 * _storedBytes / _options.MaxBytes);
            return new SpoolQuotaEventArgs(_storedBytes, _options.MaxBytes, _options.FullPolicy, 0, _droppedOldest + _droppedNew);
        }

        if (_warningRaised && _storedBytes < threshold)
        {
            _warningRaised = false;
        }

        return null;
    }

    private TaskCompletionSource? TakeWaiter()
    {
        var waiter = _dataAvailable;
        _dataAvailable = null;
        return waiter;
    }

    private void Raise(EventHandler<SpoolQuotaEventArgs>? handler, SpoolQuotaEventArgs? args, string name)
    {
        if (handler is null || args is null)
        {
            return;
        }

        try
        {
            handler(this, args);
        }
#pragma warning disable CA1031 // A faulty alarm handler must not break the append path.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SpoolLog.EventHandlerFailed(_logger, ex, name);
        }
    }

    private readonly record struct Entry(long Id, Reading Reading, long Bytes);
}
