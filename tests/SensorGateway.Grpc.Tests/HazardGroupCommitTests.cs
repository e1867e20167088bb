using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SensorGateway.Alarms.Hazards;
using SensorGateway.Core.Hazards;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.Tests.Infrastructure;
using HazardAction = SensorGateway.Core.Hazards.HazardAction;

namespace SensorGateway.Grpc.Tests;

/// <summary>
/// Group commit: the alarm stage hands events over without waiting on the disk; what queues up during one commit is
/// committed in the next transaction; nothing is published, or acknowledged to an operator, before it is durable.
/// </summary>
public sealed class HazardGroupCommitTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _time = new(TestAlarms.T0.AddMinutes(5));
    private GatedHazardStore? _store;
    private HazardEventLog? _log;

    public void Dispose()
    {
        Close();
        _database.Dispose();
    }

    private HazardDesk Open(int subscriberBuffer = 10_000, long retainedEvents = 1_000_000)
    {
        _store = new GatedHazardStore(new SqliteHazardStore(_database.Path));
        _log = new HazardEventLog(_store, Options.Create(new HazardStoreOptions { SubscriberBuffer = subscriberBuffer, RetainedEvents = retainedEvents }));
        var tracker = new HazardTracker(new HazardTrackerOptions { SectorOf = _ => "fuel_stations" }, null, _log.State.Records, _log.State.LastRecordId);
        return new HazardDesk(_log, tracker, _time, null, NullLogger<HazardDesk>.Instance);
    }

    private void Close()
    {
        _log?.Dispose();
        _store?.Dispose();
        _log = null;
        _store = null;
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task PublishAsync_AlarmsArriveDuringACommit_NextTransactionTakesThemAllAndSubscribersSeeNothingUntilDurable()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = Open();
        using var subscription = desk.Subscribe(0);
        _store!.HoldNextCommit();

        var first = desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: "c0")), ct);
        await _store.Entered.Task.WaitAsync(ct);
        var rest = new List<ValueTask>();
        for (var i = 1; i < 50; i++)
        {
            rest.Add(desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: $"c{i}")), ct));
        }

        // Every call returned with its place in the log taken, though nothing is on the disk yet.
        Assert.False(first.IsCompleted);
        Assert.DoesNotContain(rest, t => t.IsCompleted);
        Assert.Equal(0UL, desk.LastSequence);

        _store.Release();
        await first;
        foreach (var pending in rest)
        {
            await pending;
        }

        Assert.Equal([2, 98], _store.Batches);
        Assert.Equal(100UL, desk.LastSequence);
        var received = await subscription.ReadAllAsync(ct).Take(100).Select(e => e.Sequence).ToListAsync(ct);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (ulong)i), received);
    }

    [Fact]
    public async Task PublishAsync_BatchOverflowsTwoSubscribersBuffers_EachGetsItsBufferInOrderThenIsCutOff()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = Open(subscriberBuffer: 10);
        using var first = desk.Subscribe(0);
        using var second = desk.Subscribe(0);
        _store!.HoldNextCommit();
        var published = new List<ValueTask> { desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: "c0")), ct) };
        await _store.Entered.Task.WaitAsync(ct);

        // Six more alarms, each opening a record: twelve events in the next commit, and the buffers hold ten.
        for (var i = 1; i <= 6; i++)
        {
            published.Add(desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: $"c{i}")), ct));
        }

        _store.Release();
        foreach (var pending in published)
        {
            await pending;
        }

        Assert.Equal([2, 12], _store.Batches);
        foreach (var subscription in new[] { first, second })
        {
            var received = await SlowSubscriber.ReadUntilCutOffAsync(subscription, ct);
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), received);
        }
    }

    [Fact]
    public async Task PublishAsync_CommitFailsTwice_RetriedUntilDurableWithoutGapOrRepeat()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = Open();
        _store!.FailNextCommits(2);

        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: "c0")), ct);
        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: "c1")), ct);

        using var subscription = desk.Subscribe(0);
        var received = await subscription.ReadAllAsync(ct).Take(4).Select(e => e.Sequence).ToListAsync(ct);
        Assert.Equal([1UL, 2UL, 3UL, 4UL], received);
        Assert.Equal(4, _store.Batches.Sum());
    }

    [Fact]
    public async Task ExecuteAsync_SameRequestIdWhileFirstIsStillCommitting_ReplaysTheQueuedEventAfterItIsDurable()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = Open();
        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel()), ct);
        _store!.HoldNextCommit();
        var command = new HazardCommand(HazardAction.Acknowledge, "Wang Wei");

        var first = desk.ExecuteAsync("YH-20261129-0001", command, "req-1", ct);
        await _store.Entered.Task.WaitAsync(ct);
        var retry = desk.ExecuteAsync("YH-20261129-0001", command, "req-1", ct);
        Assert.False(first.IsCompleted);
        Assert.False(retry.IsCompleted);
        _store.Release();

        var (original, replayed) = (await first, await retry);
        Assert.Equal((3UL, false), (original.Sequence, original.Replayed));
        Assert.Equal((3UL, true), (replayed.Sequence, replayed.Replayed));
        Assert.Equal(3UL, desk.LastSequence);
    }

    [Fact]
    public async Task Append_LogFullAtTheRetentionOf20000_PrunesAThousandEventsAtATimeNotATenthOfTheRetention()
    {
        var ct = TestContext.Current.CancellationToken;
        Open(retainedEvents: 20_000);
        var time = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TestAlarms.T0);

        // In waves of one commit each, so that the prunes fall at known points.
        for (var wave = 0; wave < 23; wave++)
        {
            await Task.WhenAll(Enumerable.Range(0, HazardEventLog.MaxPruneBatch)
                .Select(_ => _log!.Append(new V1.HazardEvent { Kind = V1.HazardEventKind.Raised, Time = time }, null)).ToList()).WaitAsync(ct);
        }

        // At start-up (empty log), then after every thousand events: nothing until the log holds more than 20,000.
        Assert.Equal([0UL, .. Enumerable.Repeat(1UL, 20), 1_001UL, 2_001UL, 3_001UL], _store!.PrunedTo);
        Assert.Equal((3_001UL, 23_000UL), (_log!.OldestSequence, _log.LastSequence));
    }

    [Fact]
    public async Task Dispose_WithEventsQueued_CommitsThemBeforeStopping()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = Open();
        var handedOver = Enumerable.Range(0, 20)
            .Select(i => desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: $"c{i}")), ct).AsTask())
            .ToList();

        Close();
        await Task.WhenAll(handedOver);

        var reopened = Open();
        Assert.Equal(40UL, reopened.LastSequence);
    }
}
