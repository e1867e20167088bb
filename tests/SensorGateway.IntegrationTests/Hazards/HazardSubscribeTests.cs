using Grpc.Core;
using SensorGateway.Grpc.V1;

namespace SensorGateway.IntegrationTests.Hazards;

/// <summary>Exact resume over real Kestrel and Grpc.Net.Client while events keep coming.</summary>
public sealed class HazardSubscribeTests
{
    private const int EventCount = 1_200;
    private const int Disconnects = 100;

    [Fact]
    public async Task Subscribe_HundredRandomDisconnectsDuring1200Events_ReceivesContiguousSequenceWithoutDuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var (client, channel) = gateway.Connect();
        using var _ = channel;
        var random = new Random(20261129);

        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < EventCount; i++)
            {
                await gateway.Desk.PublishAsync(HazardTestGateway.Alarm($"ch{i % 40}", i), ct);
            }
        }, ct);

        var received = new List<ulong>();
        ulong last = 0;
        var disconnects = 0;
        while (last < EventCount)
        {
            // Each connection reads a random number of events, then drops the call (cancel = client disconnect).
            var take = disconnects < Disconnects ? random.Next(1, EventCount / Disconnects) : int.MaxValue;
            using var call = new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, call.Token);
            using var stream = client.Subscribe(new SubscribeRequest { AfterSequence = last }, cancellationToken: linked.Token);
            try
            {
                var n = 0;
                while (n < take && last < EventCount && await stream.ResponseStream.MoveNext(linked.Token))
                {
                    last = stream.ResponseStream.Current.Event.Sequence;
                    received.Add(last);
                    n++;
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
            {
                // Not expected here, but a cancelled call is also just a disconnect.
            }

            await call.CancelAsync();
            disconnects++;
        }

        await producer;
        Assert.True(disconnects >= Disconnects, $"only {disconnects} disconnects");
        Assert.Equal(Enumerable.Range(1, EventCount).Select(i => (ulong)i), received);
    }

    [Fact]
    public async Task Subscribe_AfterSequenceBeyondNewest_IsOutOfRange()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var (client, channel) = gateway.Connect();
        using var _ = channel;

        using var stream = client.Subscribe(new SubscribeRequest { AfterSequence = 99 }, cancellationToken: ct);
        var ex = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext(ct));

        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
    }

    [Fact]
    public async Task Subscribe_ResumePointPrunedByRetention_IsOutOfRangeTellingToReread()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct, "http", "--Hazards:RetainedEvents=100");
        var (client, channel) = gateway.Connect();
        using var _ = channel;
        for (var i = 0; i < 250; i++)
        {
            await gateway.Desk.PublishAsync(HazardTestGateway.Alarm($"ch{i}", i), ct);
        }

        using var stream = client.Subscribe(new SubscribeRequest { AfterSequence = 3 }, cancellationToken: ct);
        var ex = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext(ct));

        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
        Assert.Contains("Re-read the current state", ex.Status.Detail, StringComparison.Ordinal);
    }
}
