using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SensorGateway.Grpc.V1;
using HazardRecord = SensorGateway.Core.Hazards.HazardRecord;

namespace SensorGateway.Grpc.Hazards;

/// <summary>
/// The sequenced hazard log and its live subscribers. <see cref="Append"/> gives an event its sequence at once and
/// queues it; one writer thread commits what queued up during the previous commit in one transaction (group commit:
/// one fsync for an alarm storm, and the alarm stage never waits on the disk), then hands the batch to the live
/// subscribers. Only committed events are ever sent, so a client never sees a sequence a crash could take back.
/// Publishing and joining (taking the resume range and registering for live events) happen under one lock, so a
/// subscriber sees every event after its resume point exactly once: the range (after, joined-at] from the durable
/// store, then everything newer from its live buffer. A subscriber that cannot keep up is cut off (never silently
/// skipped) and resumes from the store.
/// </summary>
public sealed class HazardEventLog : IDisposable
{
    private static readonly Meter s_meter = new("SensorGateway.Hazards");

    // Buckets fine enough to tell an fsync (1–5 ms on the development VM) from a commit stuck behind other disk writes.
    private static readonly Histogram<double> s_commit = s_meter.CreateHistogram("sg.hazards.commit.duration", "ms",
        "Time to make one group of hazard events durable (one SQLite transaction), retries included",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] });

    private static readonly Counter<long> s_committed = s_meter.CreateCounter<long>("sg.hazards.committed", description: "Hazard events made durable");

    /// <summary>The most events one prune deletes once the log is full (fewer when a tenth of the retention is less).</summary>
    internal const int MaxPruneBatch = 1_000;

    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_lastRetry = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly List<Channel<HazardEvent>> _subscribers = [];
    private readonly Dictionary<string, (HazardEvent Event, Task Committed)> _pendingRequests = new(StringComparer.Ordinal);
    // Set when the open group gets its first event (or the log stops). No spinning before the wait: SemaphoreSlim's spin
    // took about 8 % of a core in a profile of 100 subscribers at 50,000 readings/s, on a machine of two; a wake-up
    // costs microseconds against the commit's fsync of milliseconds.
    private readonly ManualResetEventSlim _work = new(false, spinCount: 0);
    private readonly IHazardStore _store;
    private readonly HazardStoreOptions _options;
    private readonly ILogger _logger;
    private readonly Thread _writer;
    private HazardCommitBatch _open = new();
    private ulong _oldestSequence;
    private ulong _lastSequence;
    private ulong _assignedSequence;
    private long _sincePrune;
    private bool _stopping;

    public HazardEventLog(IHazardStore store, IOptions<HazardStoreOptions> options, ILogger<HazardEventLog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _oldestSequence = store.Prune(_options.RetainedEvents);
        State = store.Load();
        _lastSequence = _assignedSequence = State.LastSequence;
        _oldestSequence = State.OldestSequence;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "hazard-log-writer" };
        _writer.Start();
        s_meter.CreateObservableGauge("sg.hazards.subscribers", () => SubscriberCount, description: "Open hazard-stream subscriptions");
    }

    /// <summary>Subscriptions receiving live events now (a backlog reader counts from the moment it joined).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>What the store held at start-up.</summary>
    public HazardStoreState State { get; }

    /// <summary>The sequence of the newest committed event, 0 when none.</summary>
    public ulong LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>The sequence of the oldest retained event, 0 when the log is empty.</summary>
    public ulong OldestSequence
    {
        get
        {
            lock (_gate)
            {
                return _oldestSequence;
            }
        }
    }

    /// <summary>
    /// Gives <paramref name="hazardEvent"/> the next sequence now and queues it (with the record's new state) for the
    /// next group commit. The task completes when the event is durable and has been handed to every live subscriber.
    /// </summary>
    /// <remarks>
    /// A failing commit (disk full, I/O error) is retried with backoff and logged as critical; nothing after it is
    /// published meanwhile, because the log must stay gap-free.
    /// </remarks>
    public Task Append(HazardEvent hazardEvent, HazardRecord? record)
    {
        ArgumentNullException.ThrowIfNull(hazardEvent);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            hazardEvent.Sequence = ++_assignedSequence;
            if (hazardEvent.Record is not null)
            {
                hazardEvent.Record.LastSequence = hazardEvent.Sequence;
            }

            var batch = _open;
            batch.Events.Add(new PendingHazardEvent(hazardEvent, record));
            if (hazardEvent.RequestId.Length > 0)
            {
                _pendingRequests[hazardEvent.RequestId] = (hazardEvent, batch.Committed);
            }

            if (batch.Events.Count == 1)
            {
                _work.Set();
            }

            return batch.Committed;
        }
    }

    /// <summary>
    /// Holds the open group while the caller appends several events, so that they are committed in one transaction:
    /// an alarm and the record it opens are never split by a crash between two commits.
    /// </summary>
    public Lock.Scope AppendTogether() => _gate.EnterScope();

    /// <summary>Joins the log after <paramref name="afterSequence"/>: the stored backlog, then the live feed.</summary>
    /// <exception cref="ResumeTooOldException">The log no longer holds the events right after the resume point.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resume point lies in the future of this log.</exception>
    public HazardEventSubscription Subscribe(ulong afterSequence)
    {
        lock (_gate)
        {
            if (afterSequence > _lastSequence)
            {
                throw new ArgumentOutOfRangeException(nameof(afterSequence), afterSequence,
                    $"after_sequence {afterSequence} is beyond the newest event {_lastSequence}; this log never issued it.");
            }

            ThrowIfTooOld(afterSequence, _oldestSequence, _lastSequence);
            var live = Channel.CreateBounded<HazardEvent>(new BoundedChannelOptions(_options.SubscriberBuffer)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _subscribers.Add(live);
            return new HazardEventSubscription(this, afterSequence, _lastSequence, live, _options.BacklogPageSize);
        }
    }

    /// <summary>The event that recorded a command with this request id (committed, or still queued) and its commit, or null.</summary>
    public (HazardEvent Event, Task Committed)? FindByRequestId(string requestId)
    {
        lock (_gate)
        {
            if (_pendingRequests.TryGetValue(requestId, out var pending))
            {
                return pending;
            }
        }

        return _store.FindByRequestId(requestId) is { } stored ? (stored, Task.CompletedTask) : null;
    }

    /// <summary>A record as committed, from the store: how the desk reads the ended records it no longer holds.</summary>
    public StoredHazardRecord? FindStoredRecord(string id) => _store.FindRecord(id);

    /// <summary>Committed ended records, a page at a time (<see cref="IHazardStore.PageEndedRecords"/>).</summary>
    public IReadOnlyList<StoredHazardRecord> PageEndedRecords(HazardQuery query, int count) => _store.PageEndedRecords(query, count);

    /// <summary>The stored events in (after, through], a page at a time, checked for contiguity.</summary>
    internal IReadOnlyList<HazardEvent> ReadBacklog(ulong afterSequence, ulong throughSequence, int max)
    {
        var page = _store.Read(afterSequence, throughSequence, max);
        var expected = afterSequence + 1;
        foreach (var stored in page)
        {
            if (stored.Sequence != expected)
            {
                // Pruned while this subscriber was reading: never send a gap.
                throw new ResumeTooOldException(afterSequence, stored.Sequence);
            }

            expected++;
        }

        if (page.Count == 0 && afterSequence < throughSequence)
        {
            throw new ResumeTooOldException(afterSequence, OldestSequence);
        }

        return page;
    }

    internal void Leave(Channel<HazardEvent> live)
    {
        lock (_gate)
        {
            _subscribers.Remove(live);
        }
    }

    /// <summary>Commits what is queued, stops the writer and ends every live subscription.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        _work.Set();
        _writer.Join();
        _work.Dispose();
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }

    private void WriteLoop()
    {
        while (true)
        {
            _work.Wait();
            _work.Reset();
            HazardCommitBatch batch;
            lock (_gate)
            {
                batch = _open;
                if (batch.Events.Count == 0)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    continue;
                }

                _open = new HazardCommitBatch();
                if (_stopping)
                {
                    _work.Set(); // Once more round the loop after this commit, to find the log empty and end.
                }
            }

            var started = Stopwatch.GetTimestamp();
            if (Commit(batch))
            {
                s_commit.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                s_committed.Add(batch.Events.Count);
                Publish(batch);
            }
        }
    }

    private bool Commit(HazardCommitBatch batch)
    {
        var delay = s_firstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _store.Append(batch.Events);
                return true;
            }
            catch (Exception ex)
            {
                HazardsLog.CommitFailed(_logger, batch.Events[0].Event.Sequence, batch.LastSequence, attempt, ex);
                bool stopping;
                lock (_gate)
                {
                    stopping = _stopping;
                }

                if (stopping)
                {
                    batch.Fail(ex);
                    return false;
                }

                // The writer's own thread: waiting here holds up only what must wait anyway (later events keep queueing).
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_lastRetry.Ticks));
            }
        }
    }

    private void Publish(HazardCommitBatch batch)
    {
        var prune = false;
        lock (_gate)
        {
            foreach (var (hazardEvent, _) in batch.Events)
            {
                if (hazardEvent.RequestId.Length > 0)
                {
                    _pendingRequests.Remove(hazardEvent.RequestId);
                }
            }

            // Subscriber by subscriber, the whole batch at once: a subscriber then finds an alarm and the record it
            // opened queued together and sends them with one flush (HazardGrpcService.WriteRunAsync).
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                var subscriber = _subscribers[i].Writer;
                foreach (var (hazardEvent, _) in batch.Events)
                {
                    if (!subscriber.TryWrite(hazardEvent))
                    {
                        subscriber.TryComplete(new SlowSubscriberException());
                        _subscribers.RemoveAt(i);
                        break;
                    }
                }
            }

            _lastSequence = batch.LastSequence;
            if (_oldestSequence == 0)
            {
                _oldestSequence = batch.Events[0].Event.Sequence;
            }

            // Prune in batches: a DELETE per event would double the write cost. At most MaxPruneBatch at once: the
            // writer thread prunes, and deleting 100,000 events (a tenth of the default retention) took about 0.3 s,
            // which the next alarm would have waited for; 1,000 took 2 ms.
            _sincePrune += batch.Events.Count;
            if (_sincePrune >= Math.Clamp(_options.RetainedEvents / 10, 1, MaxPruneBatch))
            {
                _sincePrune = 0;
                prune = true;
            }
        }

        if (prune)
        {
            var oldest = _store.Prune(_options.RetainedEvents);
            lock (_gate)
            {
                _oldestSequence = oldest;
            }
        }

        batch.Complete();
    }

    private static void ThrowIfTooOld(ulong afterSequence, ulong oldest, ulong last)
    {
        if (afterSequence < last && oldest > 0 && afterSequence + 1 < oldest)
        {
            throw new ResumeTooOldException(afterSequence, oldest);
        }
    }
}
