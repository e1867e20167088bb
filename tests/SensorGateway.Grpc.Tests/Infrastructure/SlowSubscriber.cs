using SensorGateway.Grpc.Hazards;

namespace SensorGateway.Grpc.Tests.Infrastructure;

internal static class SlowSubscriber
{
    /// <summary>Reads a subscription until the log cuts it off as too slow; returns the sequences received before.</summary>
    public static async Task<List<ulong>> ReadUntilCutOffAsync(HazardEventSubscription subscription, CancellationToken cancellationToken)
    {
        var received = new List<ulong>();
        await Assert.ThrowsAsync<SlowSubscriberException>(async () =>
        {
            await foreach (var e in subscription.ReadAllAsync(cancellationToken))
            {
                received.Add(e.Sequence);
            }
        });
        return received;
    }
}
