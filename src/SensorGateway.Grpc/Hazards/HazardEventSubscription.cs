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
        var next = _after;
        while (next < _joinedAt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var stored in _readBacklog(next, _joinedAt, _pageSize))
            {
                next = stored.Sequence;
                yield return stored;
            }
        }

        await foreach (var live in _live.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return live;
        }
    }

    public void Dispose() => _log?.Leave(_live);
}
