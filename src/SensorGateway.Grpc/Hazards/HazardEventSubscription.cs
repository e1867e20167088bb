using System.Runtime.CompilerServices;
using System.Threading.Channels;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Hazards;

/// <summary>
/// A subscriber's view of the log: the stored events after its resume point up to the moment it joined,
/// then the live ones. Dispose to leave.
/// </summary>
public sealed class HazardEventSubscription : IDisposable
{
    /// <summary>
    /// Live events taken from the buffer at once. Small, so that a run adds little to what a subscriber may hold
    /// beyond its bounded buffer (<see cref="HazardStoreOptions.SubscriberBuffer"/>).
    /// </summary>
    public const int MaxLiveRun = 64;

    private readonly HazardEventLog? _log;
    private readonly Channel<HazardEvent> _live;
    private readonly Func<ulong, ulong, int, IReadOnlyList<HazardEvent>> _readBacklog;
    private readonly ulong _after;
    private readonly ulong _joinedAt;
    private readonly int _pageSize;

    internal HazardEventSubscription(HazardEventLog log, ulong afterSequence, ulong joinedAt, Channel<HazardEvent> live, int pageSize)
        : this(afterSequence, joinedAt, live, log.ReadBacklog, pageSize) => _log = log;

    /// <summary>For tests and other logs: a subscription over a backlog reader and a live channel.</summary>
    public HazardEventSubscription(ulong afterSequence, ulong joinedAt, Channel<HazardEvent> live,
        Func<ulong, ulong, int, IReadOnlyList<HazardEvent>> readBacklog, int pageSize)
    {
        _after = afterSequence;
        _joinedAt = joinedAt;
        _live = live;
        _readBacklog = readBacklog;
        _pageSize = pageSize;
    }

    /// <summary>Every event after the resume point, in order, each once; ends with <see cref="SlowSubscriberException"/> when cut off.</summary>
    public async IAsyncEnumerable<HazardEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var run in ReadRunsAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var hazardEvent in run)
            {
                yield return hazardEvent;
            }
        }
    }

    /// <summary>
    /// The same events as <see cref="ReadAllAsync"/>, in runs of what is ready now: a backlog page, or every live event
    /// queued when the reader gets to it. A writer can then send a run with one flush. A run is valid until the next
    /// one is asked for (the list is reused).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<HazardEvent>> ReadRunsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = _after;
        while (next < _joinedAt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = _readBacklog(next, _joinedAt, _pageSize);
            if (page.Count > 0)
            {
                next = page[^1].Sequence;
                yield return page;
            }
        }

        var reader = _live.Reader;
        var run = new List<HazardEvent>();
        // Ends quietly when the log completes the channel, and throws what it was completed with (SlowSubscriberException).
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            run.Clear();
            while (run.Count < MaxLiveRun && reader.TryRead(out var live))
            {
                run.Add(live);
            }

            if (run.Count > 0)
            {
                yield return run;
            }
        }
    }

    public void Dispose() => _log?.Leave(_live);
}
