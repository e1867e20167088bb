using Microsoft.Reactive.Testing;
using SensorGateway.Core.Alarms;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class PersistenceTests : IDisposable
{
    // Each test gets its own instance, so its own folder for state files.
    private readonly string _folder = Directory.CreateTempSubdirectory("sg-alarms-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static AlarmSnapshot RunAndCapture(AlarmRuleBook book, double until, Action<EngineHarness>? arrange, params Core.Readings.Reading[] readings)
    {
        using var h = new EngineHarness(book);
        h.Feed(readings);
        arrange?.Invoke(h);
        h.Run(until);
        return h.Engine.CaptureSnapshot();
    }

    [Fact]
    public void Restore_ActiveAlarmStillActive_IsNotRaisedAgain()
    {
        var book = Rules.Book(Rules.Test(), Gas1);
        var saved = RunAndCapture(book, 3, null, Read(Gas1, 60, 1.5));

        using var h = new EngineHarness(book, restore: saved);
        h.Feed(Read(Gas1, 61, 1.5), Read(Gas1, 30, 2.5), Read(Gas1, 0, 3.5));

        Assert.Equal(
        [
            "2.5s Deescalated gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "3.5s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
        ], h.Run(5));
    }

    [Fact]
    public void Restore_LatchedAcknowledgedGasAlarm_IsRememberedUntilReset()
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible")], RulePacks.Default);
        var saved = RunAndCapture(book, 4,
            h => h.Command(2.2, new AlarmCommand(AlarmCommandKind.Acknowledge, Gas1, "gas.combustible.level", "op")),
            Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5));

        using var h = new EngineHarness(book, restore: saved);
        h.Feed(Read(Gas1, 0, 1.5));
        h.Command(2.2, new AlarmCommand(AlarmCommandKind.Reset, Gas1, "gas.combustible.level", "op"));

        Assert.Equal(["2.2s Reset gd-01/gas.combustible.level L1 None Normal"], h.Run(4));
        var status = Assert.Single(saved.Alarms);
        Assert.Equal((AlarmState.Latched, true, true), (status.State, status.Latched, status.Acknowledged));
    }

    [Fact]
    public void Restore_ShelvedAlarm_StaysShelvedUntilItsExpiry()
    {
        var book = Rules.Book(Rules.Test(), Gas1);
        var saved = RunAndCapture(book, 3,
            h => h.Command(2.2, new AlarmCommand(AlarmCommandKind.Shelve, Gas1, "gas.test.level", "op") { ShelveFor = TimeSpan.FromSeconds(10) }),
            Read(Gas1, 30, 1.5));

        // Shelved at 2.2 s for 10 s: the saved expiry is the absolute time 12.2 s, which the restarted engine honours (13 s tick).
        using var h = new EngineHarness(book, restore: saved);
        h.Feed(Read(Gas1, 0, 1.5));

        Assert.Equal(["13s Unshelved gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal"], h.Run(15));
    }

    [Fact]
    public void Restore_ChannelMarks_KeepOldReplayedReadingsOutOfOrder()
    {
        var book = Rules.Book(Rules.Test(), Gas1);
        var saved = RunAndCapture(book, 3, null, Read(Gas1, 60, 2.5));

        using var h = new EngineHarness(book, restore: saved);
        h.Feed(Read(Gas1, 0, 1.5, sourceSeconds: 2.0));

        Assert.Empty(h.Run(3));
        Assert.Equal(1, h.Engine.GetKpis().OutOfOrderReadings);
    }

    [Fact]
    public void Restore_UnlistedChannelAlarm_IsAppliedWhenItsFirstReadingArrives()
    {
        var book = AlarmRuleBook.FromPacks(RulePacks.Empty.With("gas.combustible", Rules.Test()));
        var saved = RunAndCapture(book, 3, null, Read(Gas3, 30, 1.5));

        using var h = new EngineHarness(book, restore: saved);
        h.Feed(Read(Gas3, 30, 1.5), Read(Gas3, 0, 2.5));

        Assert.Equal(["2.5s Cleared gd-03/gas.test.level L1 None UnacknowledgedReturnToNormal"], h.Run(4));
    }

    [Fact]
    public void Constructor_SnapshotOfOtherVersion_Throws()
    {
        var book = Rules.Book(Rules.Test(), Gas1);

        Assert.Throws<ArgumentException>(() => new AlarmEngine(book, new TestScheduler(), restore: new AlarmSnapshot { Version = 99 }));
    }

    [Fact]
    public async Task FileAlarmStateStore_SaveThenLoad_RoundTripsAndLeavesNoTemporaryFile()
    {
        var store = new FileAlarmStateStore(Path.Combine(_folder, "state", "alarms.json"));
        var book = Rules.Book(Rules.Test(), Gas1);
        var saved = RunAndCapture(book, 3, null, Read(Gas1, 60, 1.5), Read(Gas1, 0, 2.5, quality: Core.Readings.Quality.Bad(Core.Readings.QualityReason.CommFailure)));

        await store.SaveAsync(saved, TestContext.Current.CancellationToken);
        await store.SaveAsync(saved, TestContext.Current.CancellationToken);
        var loaded = await store.LoadAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(loaded);
        Assert.Equal(saved.Alarms, loaded.Alarms);
        Assert.Equal(saved.Channels, loaded.Channels);
        Assert.Equal(saved.SavedAt, loaded.SavedAt);
        Assert.Equal(["alarms.channels.json", "alarms.json"], Directory.GetFiles(Path.Combine(_folder, "state")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, loaded.Alarms.Count);
        Assert.True(double.IsNaN(loaded.Alarms.Single(a => a.RuleId.EndsWith(".fault", StringComparison.Ordinal)).SetPoint));
    }

    [Fact]
    public async Task FileAlarmStateStore_SnapshotWithoutMarks_KeepsTheMarksSavedBefore()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new FileAlarmStateStore(Path.Combine(_folder, "alarms.json"));
        var book = Rules.Book(Rules.Test(), Gas1);
        var withMarks = RunAndCapture(book, 2, null, Read(Gas1, 0, 1.5));
        var laterAlarmsOnly = RunAndCapture(book, 3, null, Read(Gas1, 60, 2.5)) with { Channels = null };

        await store.SaveAsync(withMarks, ct);
        await store.SaveAsync(laterAlarmsOnly, ct);
        var loaded = await store.LoadAsync(ct);

        Assert.NotNull(loaded);
        Assert.Equal(laterAlarmsOnly.Alarms, loaded.Alarms);
        Assert.Equal(withMarks.Channels, loaded.Channels);
        Assert.Equal(At(1.5), Assert.Single(loaded.Channels!).LastSourceTime);
        Assert.DoesNotContain("channels", await File.ReadAllTextAsync(store.FilePath, ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FileAlarmStateStore_OneFileLayoutWithMarksInside_StillLoads()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_folder, "alarms.json");
        await File.WriteAllTextAsync(path, """
            { "Version": 1, "SavedAt": "2026-11-29T08:00:00+00:00", "Alarms": [],
              "Channels": [ { "Site": "s1", "Device": "gd-01", "Channel": "lel", "LastSourceTime": "2026-11-29T07:59:58+00:00" } ] }
            """, ct);

        var loaded = await new FileAlarmStateStore(path).LoadAsync(ct);

        Assert.Equal([new ChannelMark("s1", "gd-01", "lel", new DateTimeOffset(2026, 11, 29, 7, 59, 58, TimeSpan.Zero))], loaded!.Channels);
    }

    [Fact]
    public async Task FileAlarmStateStore_MissingFile_LoadsNull()
    {
        var store = new FileAlarmStateStore(Path.Combine(_folder, "none", "none.json"));

        Assert.Null(await store.LoadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task FileAlarmStateStore_CorruptFile_ThrowsInvalidData()
    {
        var path = Path.Combine(_folder, "alarms.json");
        await File.WriteAllTextAsync(path, "{ not json", TestContext.Current.CancellationToken);
        var store = new FileAlarmStateStore(path);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await store.LoadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void SnapshotsOnChange_BurstOfChanges_OneSnapshotPerIntervalAfterLatest()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        var source = h.Scheduler.CreateHotObservable(
            ReactiveTest.OnNext(T(1.5), Read(Gas1, 30, 1.5)),
            ReactiveTest.OnNext(T(2.5), Read(Gas1, 60, 2.5)),
            ReactiveTest.OnNext(T(12.5), Read(Gas1, 0, 12.5)));

        var result = h.Scheduler.Start(() => h.Engine.SnapshotsOnChange(h.Engine.Detect(source), TimeSpan.FromSeconds(5), h.Scheduler), 0, 0, T(20));

        // The sampling timer starts at subscription, which TestScheduler runs one tick after 0.
        Assert.Equal([T(5) + 1, T(15) + 1], result.Messages.Select(m => m.Time));
        Assert.Equal([AlarmState.UnacknowledgedActive, AlarmState.UnacknowledgedReturnToNormal],
            result.Messages.Select(m => m.Value.Value.Alarms.Single().State));
    }

    [Fact]
    public void SnapshotsOnChange_ChannelMarksInterval_MarksInTheFirstSnapshotAndThenOncePerInterval()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        var source = h.Scheduler.CreateHotObservable(
            ReactiveTest.OnNext(T(1.5), Read(Gas1, 30, 1.5)),
            ReactiveTest.OnNext(T(6.5), Read(Gas1, 60, 6.5)),
            ReactiveTest.OnNext(T(11.5), Read(Gas1, 30, 11.5)),
            ReactiveTest.OnNext(T(21.5), Read(Gas1, 0, 21.5)));

        var result = h.Scheduler.Start(() => h.Engine.SnapshotsOnChange(h.Engine.Detect(source), TimeSpan.FromSeconds(5), h.Scheduler, TimeSpan.FromSeconds(12)), 0, 0, T(30));

        // Snapshots at 5, 10, 15 and 25 s; marks at 5 s, then not before 5 + 12 = 17 s, so again at 25 s.
        Assert.Equal([T(5) + 1, T(10) + 1, T(15) + 1, T(25) + 1], result.Messages.Select(m => m.Time));
        Assert.Equal([true, false, false, true], result.Messages.Select(m => m.Value.Value.Channels is not null));
        Assert.Equal(At(21.5), Assert.Single(result.Messages[^1].Value.Value.Channels!).LastSourceTime);
    }

    [Fact]
    public void SnapshotsOnChange_ArgumentChecking_ThrowsEagerly()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        var alarms = System.Reactive.Linq.Observable.Never<AlarmEvent>();

        Assert.Throws<ArgumentNullException>(() => AlarmStatePersistence.SnapshotsOnChange(null!, alarms, TimeSpan.FromSeconds(1), h.Scheduler));
        Assert.Throws<ArgumentNullException>(() => h.Engine.SnapshotsOnChange(null!, TimeSpan.FromSeconds(1), h.Scheduler));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Engine.SnapshotsOnChange(alarms, TimeSpan.Zero, h.Scheduler));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Engine.SnapshotsOnChange(alarms, TimeSpan.FromSeconds(1), h.Scheduler, TimeSpan.Zero));
    }
}
