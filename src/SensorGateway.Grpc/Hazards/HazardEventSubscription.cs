using System.Threading.Channels;

namespace SensorGateway.Grpc.Hazards;

/// <summary>A subscriber's view of the log: the backlog to send first, then the live events. Dispose to leave.</summary>
public sealed class HazardEventSubscription(IReadOnlyList<LoggedAlarmEvent> backlog, ChannelReader<LoggedAlarmEvent> live, Action leave) : IDisposable
{
    public IReadOnlyList<LoggedAlarmEvent> Backlog { get; } = backlog;

    public ChannelReader<LoggedAlarmEvent> Live { get; } = live;

    public void Dispose() => leave();
}
