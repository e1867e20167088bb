using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Pipeline;

namespace SensorGateway.Grpc.Hazards;

/// <summary>
/// The sequenced log of hazard events and its live subscribers. Taking the backlog and joining the live
/// feed happen under one lock, so a subscriber sees every event after its resume point exactly once.
/// A subscriber that cannot keep up is cut off (never silently skipped) and resumes from the log.
/// </summary>
public sealed class HazardEventLog(IOptions<HazardEventLogOptions> options) : IAlarmPublisher
{
    private readonly Lock _gate = new();
    private readonly Queue<LoggedAlarmEvent> _events = new();
    private readonly List<Channel<LoggedAlarmEvent>> _subscribers = [];
    private readonly HazardEventLogOptions _options = options.Value;
    private ulong _lastSequence;

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

    public ValueTask PublishAsync(AlarmEvent alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        lock (_gate)
        {
            var logged = new LoggedAlarmEvent(++_lastSequence, alarm);
            _events.Enqueue(logged);
            while (_events.Count > _options.RetainedEvents)
            {
                _events.Dequeue();
            }

            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Writer.TryWrite(logged))
                {
                    _subscribers[i].Writer.TryComplete(new SlowSubscriberException());
                    _subscribers.RemoveAt(i);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Joins the log after <paramref name="afterSequence"/>: the retained backlog, then the live feed.</summary>
    /// <exception cref="ResumeTooOldException">The log no longer holds the events right after the resume point.</exception>
    public HazardEventSubscription Subscribe(ulong afterSequence)
    {
        lock (_gate)
        {
            var oldest = _events.Count > 0 ? _events.Peek().Sequence : _lastSequence + 1;
            if (afterSequence + 1 < oldest)
            {
                throw new ResumeTooOldException(afterSequence, oldest);
            }

            var backlog = _events.Where(e => e.Sequence > afterSequence).ToArray();
            var live = Channel.CreateBounded<LoggedAlarmEvent>(new BoundedChannelOptions(_options.SubscriberBuffer)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _subscribers.Add(live);
            return new HazardEventSubscription(backlog, live.Reader, () => Leave(live));
        }
    }

    private void Leave(Channel<LoggedAlarmEvent> live)
    {
        lock (_gate)
        {
            _subscribers.Remove(live);
        }
    }
}
