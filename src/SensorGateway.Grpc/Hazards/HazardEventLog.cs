using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SensorGateway.Grpc.V1;
using HazardRecord = SensorGateway.Core.Hazards.HazardRecord;

namespace SensorGateway.Grpc.Hazards;

/// <summary>
/// The sequenced hazard log and its live subscribers. Appending (durable commit, then fan-out) and joining
/// (taking the resume range and registering for live events) happen under one lock, so a subscriber sees
/// every event after its resume point exactly once: the range (after, joined-at] from the durable store, then
/// everything newer from its live buffer. A subscriber that cannot keep up is cut off (never silently skipped)
/// and resumes from the store.
/// </summary>
public sealed class HazardEventLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<Channel<HazardEvent>> _subscribers = [];
    private readonly IHazardStore _store;
    private readonly HazardStoreOptions _options;
    private ulong _oldestSequence;
    private ulong _lastSequence;
    private long _sincePrune;

    public HazardEventLog(IHazardStore store, IOptions<HazardStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _oldestSequence = store.Prune(_options.RetainedEvents);
        State = store.Load();
        _lastSequence = State.LastSequence;
        _oldestSequence = State.OldestSequence;
    }

    /// <summary>What the store held at start-up.</summary>
    public HazardStoreState State { get; }

    /// <summary>The sequence of the newest event, 0 when none.</summary>
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
    /// Gives <paramref name="hazardEvent"/> the next sequence, commits it (with the record's new state) and hands it
    /// to every live subscriber. Returns the event with its sequence.
    /// </summary>
    public HazardEvent Append(HazardEvent hazardEvent, HazardRecord? record)
    {
        ArgumentNullException.ThrowIfNull(hazardEvent);
        lock (_gate)
        {
            hazardEvent.Sequence = _lastSequence + 1;
            if (hazardEvent.Record is not null)
            {
                hazardEvent.Record.LastSequence = hazardEvent.Sequence;
            }

            _store.Append(hazardEvent, record);
            _lastSequence = hazardEvent.Sequence;
            if (_oldestSequence == 0)
            {
                _oldestSequence = hazardEvent.Sequence;
            }

            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Writer.TryWrite(hazardEvent))
                {
                    _subscribers[i].Writer.TryComplete(new SlowSubscriberException());
                    _subscribers.RemoveAt(i);
                }
            }

            // Prune in batches: a DELETE per event would double the write cost.
            if (++_sincePrune >= Math.Max(1, _options.RetainedEvents / 10))
            {
                _sincePrune = 0;
                _oldestSequence = _store.Prune(_options.RetainedEvents);
            }

            return hazardEvent;
        }
    }

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

    /// <summary>The event that recorded a command with this request id, or null.</summary>
    public HazardEvent? FindByRequestId(string requestId) => _store.FindByRequestId(requestId);

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

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }

    private static void ThrowIfTooOld(ulong afterSequence, ulong oldest, ulong last)
    {
        if (afterSequence < last && oldest > 0 && afterSequence + 1 < oldest)
        {
            throw new ResumeTooOldException(afterSequence, oldest);
        }
    }
}
