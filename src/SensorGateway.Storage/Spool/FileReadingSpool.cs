using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool.Internal;

namespace SensorGateway.Storage.Spool;

/// <summary>
/// The crash-safe spool: a directory of segment files, each record framed with magic, length, id and
/// CRC-32C (see docs/SPOOL.md for the format). Appends are coalesced by one writer into one write and one
/// fsync per group (<see cref="SpoolFsyncPolicy"/>); a cursor file, replaced atomically after every
/// <see cref="Accept"/> that moves it, keeps accepted records from being sent again after a restart.
/// </summary>
/// <remarks>
/// <para>Open with <see cref="Open"/>: it scans the directory, truncates a torn tail, skips and reports damaged
/// records (see <see cref="Recovery"/>) and resumes after the last accepted record.</para>
/// <para>Quota: the segment files may take <see cref="FileSpoolOptions.MaxBytes"/>. Under
/// <see cref="SpoolFullPolicy.DropOldest"/> whole oldest segments are dropped before a write would exceed it;
/// records of a dropped segment that are in flight are not dropped (they are still delivered) and so are not
/// counted, but if the gateway crashed before they were accepted they would be lost with the segment.</para>
/// <para>Cancelling an <see cref="AppendAsync"/> stops the wait, not the write: the readings may still be stored.</para>
/// </remarks>
public sealed class FileReadingSpool : IReadingSpool
{
    private const int InitialBufferBytes = 1 << 20;

    private readonly FileSpoolOptions _options;
    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly FileStream _lockFile;
    private readonly ConcurrentQueue<(bool Exceeded, SpoolQuotaEventArgs Args)> _events = new();

    // Append side, guarded by _appendLock.
    private readonly Lock _appendLock = new();
    private readonly SeriesEncoder _encoder = new();
    private readonly SemaphoreSlim _writerWake = new(0);
    private readonly CancellationTokenSource _closingDelay = new();
    private readonly Task _writer;
    private byte[] _fill = new byte[InitialBufferBytes];
    private byte[] _drain = new byte[InitialBufferBytes];
    private List<PendingChunk> _fillChunks = [];
    private List<PendingChunk> _drainChunks = [];
    private int _fillLength;
    private long _nextId;
    private long _unwrittenBytes;
    private bool _writerIdle = true;
    private bool _closing;

    // Owned by the writer task.
    private FileStream _activeStream;
    private long _lastSyncTimestamp;

    // Read side and shared totals, guarded by _stateLock.
    private readonly Lock _stateLock = new();
    private readonly List<SpoolSegment> _segments;
    private readonly SpoolLedger _ledger;
    private readonly SpoolSegmentReader _reader;
    private SpoolSegment _active;
    private TaskCompletionSource? _dataAvailable;
    private long _diskNextId;
    private long _persistedAcceptedBelow;
    private long _storedBytes;
    private long _pendingRecords;
    private long _appended;
    private long _accepted;
    private long _rejected;
    private long _droppedOldest;
    private long _droppedNew;
    private long _corrupt;
    private bool _warningRaised;
    private bool _disposed;

    private FileSpoolOptions Options => _options;

    private FileReadingSpool(FileSpoolOptions options, string directory, FileStream lockFile, SpoolRecovery.Result recovery,
        TimeProvider time, ILogger logger, IMeterFactory? meterFactory)
    {
        _options = options;
        _directory = directory;
        _lockFile = lockFile;
        _time = time;
        _logger = logger;
        Recovery = recovery.Report;
        _ledger = new SpoolLedger(this);
        _reader = new SpoolSegmentReader(OnCorruptFound);
        _segments = recovery.Segments;
        _persistedAcceptedBelow = recovery.Report.AcceptedBelowId;
        _diskNextId = recovery.Report.AcceptedBelowId;
        _nextId = recovery.NextId;
        _pendingRecords = recovery.Report.PendingRecords;
        _corrupt = recovery.Report.CorruptRecords;
        _storedBytes = _segments.Sum(s => s.Length);

        (_active, _activeStream) = CreateSegment(_nextId);
        _segments.Add(_active);
        _storedBytes += _active.Length;
        if (_segments.Count > 1)
        {
            _reader.MoveTo(_segments[0], recovery.ReaderOffset, recovery.ReaderExpectedId);
        }
        else
        {
            _reader.MoveTo(_active, SpoolFiles.SegmentHeaderSize, _nextId);
        }

        _meter = meterFactory?.Create(SpoolMetrics.MeterName) ?? new Meter(SpoolMetrics.MeterName);
        SpoolMetrics.Register(_meter, "file", () => Counters);
        _writer = Task.Run(WriterLoopAsync);
        SpoolLog.Opened(_logger, directory, _segments.Count, _pendingRecords, _nextId);
        CheckWarningLocked();
    }

    /// <inheritdoc/>
    public event EventHandler<SpoolQuotaEventArgs>? QuotaWarning;

    /// <inheritdoc/>
    public event EventHandler<SpoolQuotaEventArgs>? QuotaExceeded;

    /// <summary>What opening found: pending records, damaged regions, a torn tail.</summary>
    public SpoolRecoveryReport Recovery { get; }

    /// <summary>The spool directory (full path).</summary>
    public string Directory => _directory;

    /// <inheritdoc/>
    public SpoolCounters Counters
    {
        get
        {
            lock (_stateLock)
            {
                var age = TimeSpan.Zero;
                if (!_disposed && (_ledger.TryGetOldest(out _, out var oldest) || TryPeekLocked(out _, out oldest)))
                {
                    age = _time.GetUtcNow() - oldest.ReceivedTime;
                }

                return new SpoolCounters
                {
                    PendingRecords = _pendingRecords,
                    InFlightRecords = _ledger.InFlightRecords,
                    StoredBytes = _storedBytes,
                    MaxBytes = Options.MaxBytes,
                    OldestRecordAge = age < TimeSpan.Zero ? TimeSpan.Zero : age,
                    Appended = _appended,
                    Accepted = _accepted,
                    Rejected = _rejected,
                    DroppedOldest = _droppedOldest,
                    DroppedNew = _droppedNew,
                    CorruptSkipped = _corrupt,
                };
            }
        }
    }

    /// <summary>
    /// Opens (creating if needed) the spool in <see cref="FileSpoolOptions.Directory"/> and recovers what it holds.
    /// </summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="timeProvider">The clock for ages and the group-commit interval; null for the system clock.</param>
    /// <param name="logger">Where recovery, corruption and quota events are logged; null for none.</param>
    /// <param name="meterFactory">Where to create the <c>SensorGateway.Spool</c> meter; null for a standalone one.</param>
    /// <exception cref="ArgumentException">The settings are invalid; the message names each field.</exception>
    /// <exception cref="IOException">The directory is in use by another spool, or cannot be read.</exception>
    public static FileReadingSpool Open(FileSpoolOptions options, TimeProvider? timeProvider = null, ILogger<FileReadingSpool>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var copy = new FileSpoolOptions
        {
            Directory = options.Directory,
            SegmentBytes = options.SegmentBytes,
            MaxBytes = options.MaxBytes,
            FullPolicy = options.FullPolicy,
            FsyncPolicy = options.FsyncPolicy,
            GroupCommitInterval = options.GroupCommitInterval,
            WarningThreshold = options.WarningThreshold,
        };
        var log = logger ?? (ILogger)NullLogger.Instance;
        var directory = Path.GetFullPath(copy.Directory);
        System.IO.Directory.CreateDirectory(directory);

        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(directory, SpoolFiles.LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The spool directory {directory} is in use by another spool.", ex);
        }

        try
        {
            File.Delete(Path.Combine(directory, SpoolFiles.CursorTempName));
            var cursorFound = SpoolFiles.TryReadCursor(directory, out var acceptedBelow, out var problem);
            if (!cursorFound && problem != "missing")
            {
                SpoolLog.CursorUnreadable(log, Path.Combine(directory, SpoolFiles.CursorName), problem);
            }

            var recovery = SpoolRecovery.Scan(directory, acceptedBelow, !cursorFound, log);
            return new FileReadingSpool(copy, directory, lockFile, recovery, timeProvider ?? TimeProvider.System, log, meterFactory);
        }
        catch
        {
            lockFile.Dispose();
            throw;
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

        var request = new AppendRequest();
        if (!TryEnqueue(readings.Span, request, out var wakeWriter))
        {
            RaiseEvents();
            return ValueTask.FromException(new SpoolFullException(
                $"The spool quota of {Options.MaxBytes} bytes is full; {readings.Length} readings were refused.")
            {
                RejectedRecords = readings.Length,
            });
        }

        if (wakeWriter)
        {
            _writerWake.Release();
        }

        return new ValueTask(request.Completion.Task.WaitAsync(cancellationToken));
    }

    /// <inheritdoc/>
    public ValueTask<SpoolBatch?> TakeAsync(int maxRecords, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        cancellationToken.ThrowIfCancellationRequested();
        SpoolBatch? batch;
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            batch = _ledger.TakeReturned(maxRecords, static _ => 0);
            if (batch is null && TryPeekLocked(out var id, out var reading))
            {
                var unread = _pendingRecords - _ledger.InFlightRecords - _ledger.ReturnedRecords;
                batch = new SpoolBatch(this, (int)Math.Clamp(unread, 1, maxRecords), _diskNextId);
                do
                {
                    batch.Add(id, reading, 0);
                    _reader.Segment!.RecordsConsumed++;
                    _reader.Consume();
                }
                while (batch.Count < maxRecords && TryPeekLocked(out id, out reading));

                _diskNextId = Math.Max(_diskNextId, batch.EndId);
                _ledger.AddInFlight(batch);
            }
        }

        RaiseEvents();
        return ValueTask.FromResult(batch);
    }

    /// <inheritdoc/>
    public void Accept(SpoolBatch batch)
    {
        List<SpoolSegment>? spent;
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _ledger.Settle(batch);
            _accepted += batch.Count;
            _pendingRecords -= batch.Count;
            PersistCursorLocked();
            spent = ForgetAcceptedSegmentsLocked();
            CheckWarningLocked();
        }

        // Unlinking a full segment took 8–10 ms on the test machine's disk; under the lock the writer waited for it,
        // and so did the appends queued behind the writer.
        foreach (var segment in spent ?? [])
        {
            DeleteFile(segment);
        }

        batch.Release();
        RaiseEvents();
    }

    /// <inheritdoc/>
    public void Reject(SpoolBatch batch)
    {
        TaskCompletionSource? wake;
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _ledger.Settle(batch);
            _ledger.Return(batch);
            _rejected += batch.Count;
            wake = TakeWaiterLocked();
        }

        wake?.TrySetResult();
    }

    /// <inheritdoc/>
    public ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ledger.HasReturned || TryPeekLocked(out _, out _))
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
        List<(long Id, Reading Reading)> handedOut;
        var ranges = new List<(string Path, long Offset, long Length, long ExpectedId)>();
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            handedOut = _ledger.Snapshot();
            var start = _reader.Segment is { } current ? _segments.IndexOf(current) : _segments.Count;
            for (var i = Math.Max(0, start); i < _segments.Count; i++)
            {
                var segment = _segments[i];
                ranges.Add(i == start
                    ? (segment.Path, _reader.Offset, segment.CommittedLength, _reader.ExpectedId)
                    : (segment.Path, SpoolFiles.SegmentHeaderSize, segment.CommittedLength, segment.FirstId));
            }
        }

        foreach (var (_, reading) in handedOut)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return reading;
        }

        var decoder = new SeriesDecoder();
        foreach (var (path, offset, length, expectedId) in ranges)
        {
            var bytes = await ReadRangeAsync(path, offset, length, cancellationToken).ConfigureAwait(false);
            var position = 0;
            var expected = expectedId;
            while (position < bytes.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var status = SpoolRecordCodec.TryReadFrame(bytes.AsSpan(position), out var id, out var frameLength);
                Reading reading;
                if (status == SpoolFrameStatus.Valid && id >= expected && TryDecode(bytes.AsSpan(position, frameLength), decoder, out reading))
                {
                    position += frameLength;
                    expected = id + 1;
                    yield return reading;
                    continue;
                }

                var next = bytes.AsSpan(position + 1).IndexOf(MagicBytes);
                position = next < 0 ? bytes.Length : position + 1 + next;
            }
        }
    }

    /// <summary>
    /// Finishes the appends already made (written and synced per policy), saves the cursor and closes the files.
    /// Batches in flight are not accepted: they are delivered again after the next open.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        bool wake;
        lock (_appendLock)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            wake = _writerIdle;
            _writerIdle = false;
        }

        if (wake)
        {
            _writerWake.Release();
        }

        await _closingDelay.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        TaskCompletionSource? waiter;
        lock (_stateLock)
        {
            _disposed = true;
            PersistCursorLocked();
            _reader.Dispose();
            _ledger.Clear();
            waiter = TakeWaiterLocked();
        }

        waiter?.TrySetException(new ObjectDisposedException(nameof(FileReadingSpool)));
        try
        {
            if (Options.FsyncPolicy != SpoolFsyncPolicy.Never)
            {
                _activeStream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            await _activeStream.DisposeAsync().ConfigureAwait(false);
            await _lockFile.DisposeAsync().ConfigureAwait(false);
            _writerWake.Dispose();
            _closingDelay.Dispose();
            _meter.Dispose();
        }
    }

    private static ReadOnlySpan<byte> MagicBytes => [0x44, 0x52, 0x47, 0x53];

    private static bool TryDecode(ReadOnlySpan<byte> frame, SeriesDecoder decoder, out Reading reading)
    {
        try
        {
            reading = SpoolRecordCodec.Decode(frame, decoder);
            return true;
        }
        catch (ArgumentException)
        {
            reading = default;
            return false;
        }
    }

    private static async Task<byte[]> ReadRangeAsync(string path, long offset, long length, CancellationToken cancellationToken)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new byte[Math.Max(0, length - offset)];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = await RandomAccess.ReadAsync(handle, bytes.AsMemory(read), offset + read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return bytes[..read];
                }

                read += n;
            }

            return bytes;
        }
        catch (FileNotFoundException)
        {
            // Dropped for quota or accepted and deleted since the snapshot: nothing pending left in it.
            return [];
        }
    }

    // ---- Writer -------------------------------------------------------------------------------------------

    private async Task WriterLoopAsync()
    {
        var interval = Options.FsyncPolicy == SpoolFsyncPolicy.GroupCommit ? Options.GroupCommitInterval : TimeSpan.Zero;
        while (true)
        {
            await _writerWake.WaitAsync().ConfigureAwait(false);
            if (interval > TimeSpan.Zero && _lastSyncTimestamp != 0)
            {
                var wait = interval - _time.GetElapsedTime(_lastSyncTimestamp);
                if (wait > TimeSpan.Zero && !_closingDelay.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(wait, _time, _closingDelay.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Closing: write what is left at once.
                    }
                }
            }

            while (true)
            {
                lock (_appendLock)
                {
                    if (_fillChunks.Count == 0)
                    {
                        _writerIdle = true;
                        if (_closing)
                        {
                            return;
                        }

                        break;
                    }

                    (_fill, _drain) = (_drain, _fill);
                    (_fillChunks, _drainChunks) = (_drainChunks, _fillChunks);
                    _fillLength = 0;
                }

                WriteGroup(_drain, _drainChunks);
                _drainChunks.Clear();
                RaiseEvents();
            }
        }
    }

    /// <summary>Writes one group of chunks: rolls and drops as needed, one write per segment, one fsync per policy.</summary>
    private void WriteGroup(byte[] buffer, List<PendingChunk> chunks)
    {
        var group = new GroupWrite(buffer);
        var completed = new List<AppendRequest>();
        var next = 0;
        try
        {
            for (; next < chunks.Count; next++)
            {
                var chunk = chunks[next];
                if (_active.Length + group.Length > SpoolFiles.SegmentHeaderSize &&
                    _active.Length + group.Length + chunk.Length > Options.SegmentBytes)
                {
                    Roll(ref group, chunk.FirstId);
                }

                if (Options.FullPolicy == SpoolFullPolicy.DropOldest)
                {
                    EnsureRoom(ref group, chunk);
                }

                group.Add(chunk);
                if (chunk.Completes is { } request)
                {
                    completed.Add(request);
                    if (Options.FsyncPolicy == SpoolFsyncPolicy.Always)
                    {
                        Flush(ref group);
                        _activeStream.Flush(flushToDisk: true);
                        Publish();
                        Complete(completed);
                    }
                }
            }

            Flush(ref group);
            if (Options.FsyncPolicy == SpoolFsyncPolicy.GroupCommit)
            {
                _activeStream.Flush(flushToDisk: true);
                _lastSyncTimestamp = _time.GetTimestamp();
            }

            Publish();
            Complete(completed);
        }
#pragma warning disable CA1031 // Any I/O failure fails the appends concerned; the writer keeps serving later ones.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            long lostRecords = group.Records;
            for (var i = next; i < chunks.Count; i++)
            {
                lostRecords += chunks[i].EndId - chunks[i].FirstId;
                if (chunks[i].Completes is { } request)
                {
                    completed.Add(request);
                }
            }

            SpoolLog.WriteFailed(_logger, ex, _active.Name, lostRecords);
            foreach (var request in completed)
            {
                request.Completion.TrySetException(new IOException($"The spool could not store the readings: {ex.Message}", ex));
            }

            RecoverFromWriteFailure(chunks[^1].EndId);
            Publish();
        }
        finally
        {
            long groupBytes = 0;
            foreach (var chunk in chunks)
            {
                groupBytes += chunk.Length;
            }

            // Flush moved the written bytes to _storedBytes; the rest never will be written.
            Interlocked.Add(ref _unwrittenBytes, -(groupBytes - group.FlushedBytes));
        }
    }

    private void Flush(ref GroupWrite group)
    {
        if (group.Length == 0)
        {
            return;
        }

        _activeStream.Write(group.Buffer, group.Start, group.Length);
        lock (_stateLock)
        {
            _active.Length += group.Length;
            _active.RecordCount += group.Records;
            _active.WrittenEndId = group.EndId;
            _storedBytes += group.Length;
            _pendingRecords += group.Records;
            _appended += group.Records;
            Interlocked.Add(ref _unwrittenBytes, -group.Length);
            CheckWarningLocked();
        }

        group.Flushed();
    }

    private void Publish()
    {
        TaskCompletionSource? wake;
        lock (_stateLock)
        {
            for (var i = _segments.Count - 1; i >= 0 && _segments[i].CommittedLength != _segments[i].Length; i--)
            {
                _segments[i].CommittedLength = _segments[i].Length;
            }

            wake = TakeWaiterLocked();
        }

        wake?.TrySetResult();
    }

    /// <summary>Completes the appends, after raising the events their writes caused (so an append returns after them).</summary>
    private void Complete(List<AppendRequest> completed)
    {
        RaiseEvents();
        foreach (var request in completed)
        {
            request.Completion.TrySetResult();
        }

        completed.Clear();
    }

    /// <summary>Closes the active segment (written, synced, published) and starts the next one at <paramref name="firstId"/>.</summary>
    private void Roll(ref GroupWrite group, long firstId)
    {
        Flush(ref group);
        if (Options.FsyncPolicy != SpoolFsyncPolicy.Never)
        {
            _activeStream.Flush(flushToDisk: true);
        }

        Publish();
        _activeStream.Dispose();
        var (segment, stream) = CreateSegment(firstId);
        lock (_stateLock)
        {
            _active.Sealed = true;
            _active.EndId = firstId;
            _segments.Add(segment);
            _active = segment;
            _storedBytes += segment.Length;
        }

        _activeStream = stream;
    }

    /// <summary>Under DropOldest: drops the oldest sealed segments until <paramref name="chunk"/> fits in the quota.</summary>
    private void EnsureRoom(ref GroupWrite group, PendingChunk chunk)
    {
        while (true)
        {
            lock (_stateLock)
            {
                if (_storedBytes + group.Length + chunk.Length <= Options.MaxBytes)
                {
                    return;
                }

                if (_segments[0] != _active)
                {
                    DropOldestSegmentLocked();
                    continue;
                }
            }

            if (_active.Length + group.Length <= SpoolFiles.SegmentHeaderSize)
            {
                return; // Nothing left to drop: only this group, larger than the quota allows.
            }

            Roll(ref group, chunk.FirstId);
        }
    }

    private void DropOldestSegmentLocked()
    {
        var segment = _segments[0];
        var nextFirstId = _segments[1].FirstId;
        var unread = Math.Max(0, segment.RecordCount - segment.RecordsConsumed);
        var (returned, _) = _ledger.DropReturned(nextFirstId, long.MaxValue, static _ => 0);
        var dropped = unread + returned;
        if (_reader.Segment == segment)
        {
            _reader.MoveTo(_segments[1], SpoolFiles.SegmentHeaderSize, nextFirstId);
        }

        _diskNextId = Math.Max(_diskNextId, nextFirstId);
        DeleteSegmentLocked(segment);
        _pendingRecords -= dropped;
        _droppedOldest += dropped;
        if (dropped > 0)
        {
            SpoolLog.DroppedOldest(_logger, Options.MaxBytes, dropped, _droppedOldest);
            _events.Enqueue((true, new SpoolQuotaEventArgs(_storedBytes, Options.MaxBytes, Options.FullPolicy, dropped, _droppedOldest + _droppedNew)));
        }
    }

    private void DeleteSegmentLocked(SpoolSegment segment)
    {
        DeleteFile(segment);
        ForgetSegmentLocked(segment);
    }

    private void ForgetSegmentLocked(SpoolSegment segment)
    {
        _segments.Remove(segment);
        _storedBytes -= segment.Length;
    }

    private void DeleteFile(SpoolSegment segment)
    {
        try
        {
            File.Delete(segment.Path);
        }
        catch (IOException ex)
        {
            SpoolLog.WriteFailed(_logger, ex, segment.Name, 0);
        }
    }

    /// <summary>After a failed write or sync: cut the active segment back to what was fully written, and start a new one.</summary>
    private void RecoverFromWriteFailure(long nextFirstId)
    {
        try
        {
            _activeStream.SetLength(_active.Length);
            var (segment, stream) = CreateSegment(nextFirstId);
            _activeStream.Dispose();
            lock (_stateLock)
            {
                _active.Sealed = true;
                _active.EndId = segment.FirstId;
                _segments.Add(segment);
                _active = segment;
                _storedBytes += segment.Length;
            }

            _activeStream = stream;
        }
#pragma warning disable CA1031 // Still failing (disk full, read-only): keep the old segment; the next group tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SpoolLog.WriteFailed(_logger, ex, _active.Name, 0);
        }
    }

    private (SpoolSegment Segment, FileStream Stream) CreateSegment(long firstId)
    {
        var path = Path.Combine(_directory, SpoolFiles.SegmentName(firstId));
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
        Span<byte> header = stackalloc byte[SpoolFiles.SegmentHeaderSize];
        SpoolFiles.WriteSegmentHeader(header);
        stream.Write(header);
        var segment = new SpoolSegment(path, firstId)
        {
            Length = SpoolFiles.SegmentHeaderSize,
            CommittedLength = SpoolFiles.SegmentHeaderSize,
            WrittenEndId = firstId,
        };
        return (segment, stream);
    }

    /// <summary>
    /// Encodes the readings into the fill buffer, giving them the next ids and splitting them into chunks no
    /// larger than a segment; false (counted, nothing stored) when the quota refuses them under RejectNew.
    /// </summary>
    private bool TryEnqueue(ReadOnlySpan<Reading> readings, AppendRequest request, out bool wakeWriter)
    {
        wakeWriter = false;
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            long total = 0;
            foreach (ref readonly var reading in readings)
            {
                total += SpoolRecordCodec.FrameSize(_encoder.Get(reading).Length);
            }

            if (Options.FullPolicy == SpoolFullPolicy.RejectNew &&
                Volatile.Read(ref _storedBytes) + Interlocked.Read(ref _unwrittenBytes) + total > Options.MaxBytes)
            {
                CountRefused(readings.Length);
                return false;
            }

            EnsureFillCapacity(_fillLength + total);
            var maxChunk = Options.SegmentBytes - SpoolFiles.SegmentHeaderSize;
            var chunkStart = _fillLength;
            var chunkFirstId = _nextId;
            foreach (ref readonly var reading in readings)
            {
                var series = _encoder.Get(reading);
                var frameSize = SpoolRecordCodec.FrameSize(series.Length);
                if (_fillLength > chunkStart && _fillLength - chunkStart + frameSize > maxChunk)
                {
                    _fillChunks.Add(new PendingChunk(chunkStart, _fillLength - chunkStart, chunkFirstId, _nextId, null));
                    chunkStart = _fillLength;
                    chunkFirstId = _nextId;
                }

                _fillLength += SpoolRecordCodec.WriteFrame(_fill.AsSpan(_fillLength), _nextId++, series, reading);
            }

            _fillChunks.Add(new PendingChunk(chunkStart, _fillLength - chunkStart, chunkFirstId, _nextId, request));
            Interlocked.Add(ref _unwrittenBytes, total);
            wakeWriter = _writerIdle;
            _writerIdle = false;
            return true;
        }
    }

    private void EnsureFillCapacity(long needed)
    {
        if (needed > Array.MaxLength)
        {
            throw new ArgumentException($"One append of {needed} bytes is too large for the spool; split it.");
        }

        if (needed > _fill.Length)
        {
            Array.Resize(ref _fill, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _fill.Length)));
        }
    }

    private void CountRefused(int count)
    {
        lock (_stateLock)
        {
            _droppedNew += count;
            SpoolLog.RejectedNew(_logger, Options.MaxBytes, count, _droppedNew);
            _events.Enqueue((true, new SpoolQuotaEventArgs(_storedBytes, Options.MaxBytes, Options.FullPolicy, count, _droppedOldest + _droppedNew)));
        }
    }

    // ---- Reader and bookkeeping (under _stateLock) --------------------------------------------------------

    /// <summary>The next unread record on disk, moving on to the next segment at the end of a sealed one.</summary>
    private bool TryPeekLocked(out long id, out Reading reading)
    {
        while (true)
        {
            if (_reader.TryPeek(out id, out reading))
            {
                return true;
            }

            var segment = _reader.Segment;
            if (segment is null || !segment.Sealed)
            {
                return false;
            }

            var index = _segments.IndexOf(segment);
            if (index < 0 || index + 1 >= _segments.Count)
            {
                return false;
            }

            var next = _segments[index + 1];
            _diskNextId = Math.Max(_diskNextId, next.FirstId);
            _reader.MoveTo(next, SpoolFiles.SegmentHeaderSize, next.FirstId);
        }
    }

    private void OnCorruptFound(SpoolSegment segment, long offset, long length, long lostRecords)
    {
        if (!segment.KnownCorruptOffsets.Add(offset))
        {
            return; // Reported when the spool was opened.
        }

        SpoolLog.CorruptRegionSkipped(_logger, segment.Name, offset, length, lostRecords);
        _corrupt += lostRecords;
        _pendingRecords -= lostRecords;
        segment.RecordCount = Math.Max(segment.RecordsConsumed, segment.RecordCount - lostRecords);
    }

    private void PersistCursorLocked()
    {
        var acceptedBelow = _ledger.LowestLiveId(_diskNextId);
        if (acceptedBelow <= _persistedAcceptedBelow)
        {
            return;
        }

        try
        {
            // Fsynced only under Always: a cursor that is older after a power loss only makes accepted batches
            // be sent again (duplicates, never a loss), and a fsync per accept halves the drain rate.
            SpoolFiles.WriteCursor(_directory, acceptedBelow, Options.FsyncPolicy == SpoolFsyncPolicy.Always);
            _persistedAcceptedBelow = acceptedBelow;
        }
        catch (IOException ex)
        {
            SpoolLog.WriteFailed(_logger, ex, SpoolFiles.CursorName, 0);
        }
    }

    /// <summary>Takes the sealed segments whose records are all accepted out of the spool; the caller deletes their files.</summary>
    private List<SpoolSegment>? ForgetAcceptedSegmentsLocked()
    {
        List<SpoolSegment>? spent = null;
        var acceptedBelow = _ledger.LowestLiveId(_diskNextId);
        while (_segments.Count > 1 && _segments[0] != _active && _segments[0].EndId <= acceptedBelow)
        {
            var segment = _segments[0];
            if (_reader.Segment == segment)
            {
                _reader.MoveTo(_segments[1], SpoolFiles.SegmentHeaderSize, _segments[1].FirstId);
            }

            ForgetSegmentLocked(segment);
            (spent ??= []).Add(segment);
        }

        return spent;
    }

    private void CheckWarningLocked()
    {
        var threshold = (long)(Options.MaxBytes * Options.WarningThreshold);
        if (!_warningRaised && _storedBytes >= threshold)
        {
            _warningRaised = true;
            SpoolLog.QuotaWarning(_logger, _storedBytes, Options.MaxBytes, 100.0 * _storedBytes / Options.MaxBytes);
            _events.Enqueue((false, new SpoolQuotaEventArgs(_storedBytes, Options.MaxBytes, Options.FullPolicy, 0, _droppedOldest + _droppedNew)));
        }
        else if (_warningRaised && _storedBytes < threshold)
        {
            _warningRaised = false;
        }
    }

    private TaskCompletionSource? TakeWaiterLocked()
    {
        var waiter = _dataAvailable;
        _dataAvailable = null;
        return waiter;
    }

    private void RaiseEvents()
    {
        while (_events.TryDequeue(out var item))
        {
            var handler = item.Exceeded ? QuotaExceeded : QuotaWarning;
            try
            {
                handler?.Invoke(this, item.Args);
            }
#pragma warning disable CA1031 // A faulty alarm handler must not break the spool.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SpoolLog.EventHandlerFailed(_logger, ex, item.Exceeded ? nameof(QuotaExceeded) : nameof(QuotaWarning));
            }
        }
    }

    private sealed class AppendRequest
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Encoded records of one append that go into one segment; the last chunk of an append completes it.</summary>
    private readonly record struct PendingChunk(int Offset, int Length, long FirstId, long EndId, AppendRequest? Completes);

    /// <summary>The contiguous run of chunks placed in the active segment and not yet written.</summary>
    private struct GroupWrite(byte[] buffer)
    {
        public byte[] Buffer { get; } = buffer;

        public int Start { get; private set; }

        public int Length { get; private set; }

        public long Records { get; private set; }

        public long EndId { get; private set; }

        public long FlushedBytes { get; private set; }

        public void Add(PendingChunk chunk)
        {
            if (Length == 0)
            {
                Start = chunk.Offset;
            }

            Length += chunk.Length;
            Records += chunk.EndId - chunk.FirstId;
            EndId = chunk.EndId;
        }

        public void Flushed()
        {
            FlushedBytes += Length;
            Start += Length;
            Length = 0;
            Records = 0;
        }
    }
}
