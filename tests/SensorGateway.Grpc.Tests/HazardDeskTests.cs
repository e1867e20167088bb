using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SensorGateway.Alarms.Hazards;
using SensorGateway.Core.Hazards;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.Tests.Infrastructure;
using SensorGateway.Grpc.V1;
using HazardAction = SensorGateway.Core.Hazards.HazardAction;
using HazardStatus = SensorGateway.Core.Hazards.HazardStatus;

namespace SensorGateway.Grpc.Tests;

/// <summary>The desk over the real SQLite log: alarm events and commands become sequenced, durable events.</summary>
public sealed class HazardDeskTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _time = new(TestAlarms.T0.AddMinutes(5));
    private readonly List<IDisposable> _open = [];

    public void Dispose()
    {
        foreach (var item in _open)
        {
            item.Dispose();
        }

        _database.Dispose();
    }

    /// <summary>The tracker of the desk last opened: what the desk holds in memory.</summary>
    private HazardTracker? _tracker;

    private HazardDesk OpenDesk(long retained = 1_000_000, int buffer = 10_000)
    {
        var store = new SqliteHazardStore(_database.Path);
        var log = new HazardEventLog(store, Options.Create(new HazardStoreOptions { RetainedEvents = retained, SubscriberBuffer = buffer, BacklogPageSize = 7 }));
        _open.Add(log);
        _open.Add(store);
        _tracker = new HazardTracker(new HazardTrackerOptions { SectorOf = _ => "fuel_stations" }, null, log.State.Records, log.State.LastRecordId);
        return new HazardDesk(log, _tracker, _time, null, NullLogger<HazardDesk>.Instance);
    }

    /// <summary>A desk with two open records, YH-20261129-0001 (channel c1) and -0002 (c2).</summary>
    private async Task<HazardDesk> OpenDeskWithTwoRecordsAsync(CancellationToken ct)
    {
        var desk = OpenDesk();
        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: "c1")), ct);
        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: "c2")), ct);
        return desk;
    }

    private static HazardCommand Withdraw => new(HazardAction.Withdraw, "Li Na", Reason: "calibration gas", Approver: "Chief Zhao");

    private void CloseAll()
    {
        foreach (var item in _open)
        {
            item.Dispose();
        }

        _open.Clear();
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task PublishAsync_FirstRaisedAlarm_LogsAlarmThenRecordOpened()
    {
        var desk = OpenDesk();

        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel()), TestContext.Current.CancellationToken);

        using var subscription = desk.Subscribe(0);
        var events = await subscription.ReadAllAsync(TestContext.Current.CancellationToken).Take(2).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([(1UL, HazardEventKind.Raised), (2UL, HazardEventKind.RecordOpened)], events.Select(e => (e.Sequence, e.Kind)));
        Assert.All(events, e => Assert.Equal(("YH-20261129-0001", V1.HazardStatus.Open, "fuel_stations", "site-a"), (e.Record.Id, e.Record.Status, e.Record.Sector, e.Alarm.Site)));
        Assert.Equal(2UL, desk.Get("YH-20261129-0001")!.LastSequence);
    }

    [Fact]
    public async Task Execute_Acknowledge_RecordsStepWithActorNoteAndRequestId()
    {
        var desk = OpenDesk();
        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel()), TestContext.Current.CancellationToken);

        var outcome = await desk.ExecuteAsync("YH-20261129-0001", new HazardCommand(HazardAction.Acknowledge, "Wang Wei", "seen"), "req-1", TestContext.Current.CancellationToken);

        Assert.Equal(3UL, outcome.Sequence);
        Assert.False(outcome.Replayed);
        Assert.Equal(V1.HazardStatus.Acknowledged, outcome.Record.Status);
        var step = outcome.Record.History[^1];
        Assert.Equal((V1.HazardAction.Acknowledge, "Wang Wei", "seen"), (step.Action, step.Actor, step.Note));
        Assert.Equal(_time.GetUtcNow(), step.Time.ToDateTimeOffset());
        Assert.Equal(V1.HazardStatus.Acknowledged, desk.Get("YH-20261129-0001")!.Status);
    }

    [Fact]
    public async Task Execute_SameRequestIdTwice_SecondReturnsFirstResultAndAddsNoEvent()
    {
        var desk = OpenDesk();
        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel()), TestContext.Current.CancellationToken);
        var command = new HazardCommand(HazardAction.Acknowledge, "Wang Wei");

        var first = await desk.ExecuteAsync("YH-20261129-0001", command, "req-1", TestContext.Current.CancellationToken);
        var retry = await desk.ExecuteAsync("YH-20261129-0001", command, "req-1", TestContext.Current.CancellationToken);

        Assert.True(retry.Replayed);
        Assert.Equal(first.Sequence, retry.Sequence);
        Assert.Equal(first.Record, retry.Record);
        Assert.Equal(3UL, desk.LastSequence);
    }

    [Fact]
    public async Task Execute_RequestIdReusedForAnotherStep_ThrowsConflict()
    {
        var desk = OpenDesk();
        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel()), TestContext.Current.CancellationToken);
        await desk.ExecuteAsync("YH-20261129-0001", new HazardCommand(HazardAction.Acknowledge, "Wang Wei"), "req-1", TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<RequestIdConflictException>(() => desk.ExecuteAsync("YH-20261129-0001", new HazardCommand(HazardAction.Grade, "Wang Wei", Grade: Core.Hazards.HazardGrade.General), "req-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Execute_CloseAnOpenRecord_ThrowsNamingOpenAndAddsNoEvent()
    {
        var desk = OpenDesk();
        await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel()), TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<HazardTransitionException>(() => desk.ExecuteAsync("YH-20261129-0001", new HazardCommand(HazardAction.Close, "Li Na"), "req-1", TestContext.Current.CancellationToken));

        Assert.Equal(HazardStatus.Open, ex.Current);
        Assert.StartsWith("Hazard YH-20261129-0001 is Open: cannot Close.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2UL, desk.LastSequence);
    }

    [Fact]
    public async Task Execute_UnknownRecord_ThrowsNotFound()
    {
        var desk = OpenDesk();

        await Assert.ThrowsAsync<HazardNotFoundException>(() => desk.ExecuteAsync("YH-nope", new HazardCommand(HazardAction.Acknowledge, "x"), "req-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Restart_AfterStepsAndAlarms_KeepsRecordsSequenceAndRequestIds()
    {
        var ct = TestContext.Current.CancellationToken;
        var channel = TestAlarms.Channel();
        var desk = OpenDesk();
        await desk.PublishAsync(TestAlarms.Raised(channel), ct);
        await desk.ExecuteAsync("YH-20261129-0001", new HazardCommand(HazardAction.Acknowledge, "Wang Wei"), "req-1", TestContext.Current.CancellationToken);
        await desk.PublishAsync(TestAlarms.Cleared(channel), ct);
        CloseAll();

        var reopened = OpenDesk();
        var retry = await reopened.ExecuteAsync("YH-20261129-0001", new HazardCommand(HazardAction.Acknowledge, "Wang Wei"), "req-1", TestContext.Current.CancellationToken);
        await reopened.PublishAsync(TestAlarms.Escalated(channel, second: 10), ct);

        Assert.True(retry.Replayed);
        Assert.Equal(5UL, reopened.LastSequence);
        var page = reopened.List(new HazardQuery("", "", V1.AlarmLevel.Unspecified, new HashSet<V1.HazardStatus>(), "", 50));
        var record = Assert.Single(page.Records);
        Assert.Equal(("YH-20261129-0001", V1.HazardStatus.Acknowledged, V1.AlarmLevel._2, 5UL), (record.Id, record.Status, record.Level, record.LastSequence));
    }

    [Fact]
    public async Task List_StatusFilter_PagesThroughMatchingRecordsOnly_LiveAndEnded()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = OpenDesk();
        for (var i = 1; i <= 4; i++)
        {
            await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: $"c{i}")), ct);
        }

        await desk.ExecuteAsync("YH-20261129-0002", Withdraw, "req-1", ct);
        List<string> Pages(params V1.HazardStatus[] statuses)
        {
            var ids = new List<string>();
            var after = "";
            do
            {
                var page = desk.List(new HazardQuery("", "", V1.AlarmLevel.Unspecified, statuses.ToHashSet(), after, 1));
                ids.AddRange(page.Records.Select(r => r.Id[^4..]));
                after = page.NextAfterId ?? "";
            }
            while (after.Length > 0);

            return ids;
        }

        Assert.Equal(["0001", "0003", "0004"], Pages(V1.HazardStatus.Open, V1.HazardStatus.Acknowledged));
        Assert.Equal(["0002"], Pages(V1.HazardStatus.Withdrawn));
        Assert.Equal(["0001", "0002", "0003", "0004"], Pages());
    }

    [Fact]
    public async Task Withdraw_Committed_DeskLetsGoOfTheRecord_AndReadsItFromTheStoreForGetListAndCommands()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = await OpenDeskWithTwoRecordsAsync(ct);

        var withdrawn = await desk.ExecuteAsync("YH-20261129-0001", Withdraw, "req-1", ct);

        Assert.Null(_tracker!.Find("YH-20261129-0001"));
        var stored = desk.Get("YH-20261129-0001")!;
        Assert.Equal((V1.HazardStatus.Withdrawn, withdrawn.Sequence, "calibration gas"), (stored.Status, stored.LastSequence, stored.WithdrawReason));
        Assert.Equal(["YH-20261129-0001", "YH-20261129-0002"],
            desk.List(new HazardQuery("", "", V1.AlarmLevel.Unspecified, new HashSet<V1.HazardStatus>(), "", 10)).Records.Select(r => r.Id));
        Assert.Equal(["YH-20261129-0001"],
            desk.List(new HazardQuery("", "", V1.AlarmLevel.Unspecified, new HashSet<V1.HazardStatus> { V1.HazardStatus.Withdrawn }, "", 10)).Records.Select(r => r.Id));
        var refused = await Assert.ThrowsAsync<HazardTransitionException>(() =>
            desk.ExecuteAsync("YH-20261129-0001", new HazardCommand(HazardAction.Acknowledge, "Wang Wei"), "req-2", ct));
        Assert.StartsWith("Hazard YH-20261129-0001 is Withdrawn: cannot Acknowledge.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_NewestRecordEnded_LoadsTheLiveOnesAndTheNextRecordTakesANewId()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = await OpenDeskWithTwoRecordsAsync(ct);
        await desk.ExecuteAsync("YH-20261129-0002", Withdraw, "req-1", ct);
        CloseAll();

        var reopened = OpenDesk();
        await reopened.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: "c3")), ct);

        Assert.Equal(["YH-20261129-0001", "YH-20261129-0003"], _tracker!.Records.Select(r => r.Id));
        Assert.Equal(V1.HazardStatus.Withdrawn, reopened.Get("YH-20261129-0002")!.Status);
        Assert.Equal(["YH-20261129-0001", "YH-20261129-0002", "YH-20261129-0003"],
            reopened.List(new HazardQuery("", "", V1.AlarmLevel.Unspecified, new HashSet<V1.HazardStatus>(), "", 10)).Records.Select(r => r.Id));
    }

    [Fact]
    public async Task Subscribe_FromZeroWithBacklogAndLive_EveryEventOnceInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = OpenDesk();
        for (var i = 0; i < 20; i++)
        {
            await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: $"c{i}")), ct);
        }

        using var subscription = desk.Subscribe(0);
        for (var i = 20; i < 30; i++)
        {
            await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: $"c{i}")), ct);
        }

        // Each alarm opens a record: an alarm event and a record-opened event.
        var received = await subscription.ReadAllAsync(ct).Take(60).Select(e => e.Sequence).ToListAsync(ct);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (ulong)i), received);
    }

    [Fact]
    public async Task Subscribe_ResumePointBeforeRetention_ThrowsResumeTooOld()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = OpenDesk(retained: 100);
        for (var i = 0; i < 250; i++)
        {
            await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: $"c{i}")), ct);
        }

        var ex = Assert.Throws<ResumeTooOldException>(() => desk.Subscribe(5));
        using var fromRetained = desk.Subscribe(ex.OldestRetained - 1);

        Assert.True(ex.OldestRetained > 6);
        Assert.Equal(ex.OldestRetained, (await fromRetained.ReadAllAsync(ct).FirstAsync(ct)).Sequence);
    }

    [Fact]
    public void SubscriberCount_OpenSubscriptions_CountedUntilEachIsDisposed()
    {
        var desk = OpenDesk();
        var first = desk.Subscribe(0);
        using var second = desk.Subscribe(0);
        Assert.Equal(2, desk.SubscriberCount);

        first.Dispose();

        Assert.Equal(1, desk.SubscriberCount);
    }

    [Fact]
    public async Task Subscribe_LiveConsumerFallsBehindBuffer_EndsWithSlowSubscriberAfterBufferedEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = OpenDesk(buffer: 10);
        using var subscription = desk.Subscribe(0);
        for (var i = 0; i < 11; i++)
        {
            await desk.PublishAsync(TestAlarms.Raised(TestAlarms.Channel(channel: $"c{i}")), ct);
        }

        var received = await SlowSubscriber.ReadUntilCutOffAsync(subscription, ct);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), received);
        Assert.Equal(0, desk.SubscriberCount);
    }

    [Fact]
    public void Store_NewDatabase_IsWalWithFullSynchronousWrites()
    {
        using var store = new SqliteHazardStore(_database.Path);
        using var connection = new SqliteConnection($"Data Source={_database.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", command.ExecuteScalar());
    }
}
