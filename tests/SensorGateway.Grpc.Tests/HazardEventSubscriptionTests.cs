using System.Threading.Channels;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Tests;

/// <summary>Reading a subscription in runs: backlog pages, then what the live buffer holds, in order and each once.</summary>
public sealed class HazardEventSubscriptionTests
{
    private static HazardEvent Event(ulong sequence) => new() { Sequence = sequence, Kind = HazardEventKind.Raised };

    private static HazardEventSubscription Subscription(Channel<HazardEvent> live, ulong after, ulong joinedAt, int pageSize) =>
        new(after, joinedAt, live,
            (from, through, max) => Enumerable.Range(1, (int)joinedAt).Select(i => Event((ulong)i)).Where(e => e.Sequence > from && e.Sequence <= through).Take(max).ToList(),
            pageSize);

    [Fact]
    public async Task ReadRunsAsync_BacklogThenQueuedLive_PagesThenLiveRunsOfAtMostMaxLiveRun()
    {
        var ct = TestContext.Current.CancellationToken;
        var live = Channel.CreateUnbounded<HazardEvent>();
        var liveCount = HazardEventSubscription.MaxLiveRun + 6;
        for (var i = 1; i <= liveCount; i++)
        {
            live.Writer.TryWrite(Event(5 + (ulong)i));
        }

        live.Writer.TryComplete();
        using var subscription = Subscription(live, after: 0, joinedAt: 5, pageSize: 3);

        var runs = new List<ulong[]>();
        await foreach (var run in subscription.ReadRunsAsync(ct))
        {
            runs.Add(run.Select(e => e.Sequence).ToArray());
        }

        Assert.Equal([3, 2, HazardEventSubscription.MaxLiveRun, 6], runs.Select(r => r.Length));
        Assert.Equal(Enumerable.Range(1, 5 + liveCount).Select(i => (ulong)i), runs.SelectMany(r => r));
    }

    [Fact]
    public async Task ReadRunsAsync_LiveCompletedWithSlowSubscriber_QueuedRunFirstThenTheException()
    {
        var ct = TestContext.Current.CancellationToken;
        var live = Channel.CreateUnbounded<HazardEvent>();
        live.Writer.TryWrite(Event(1));
        live.Writer.TryWrite(Event(2));
        live.Writer.TryComplete(new SlowSubscriberException());
        using var subscription = Subscription(live, after: 0, joinedAt: 0, pageSize: 3);

        var received = new List<ulong>();
        await Assert.ThrowsAsync<SlowSubscriberException>(async () =>
        {
            await foreach (var run in subscription.ReadRunsAsync(ct))
            {
                received.AddRange(run.Select(e => e.Sequence));
            }
        });

        Assert.Equal([1UL, 2UL], received);
    }
}
