using SensorGateway.Alarms.Hazards;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;
using SensorGateway.Core.Readings;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class HazardTrackerTests
{
    private static AlarmEvent Event(AlarmEventKind kind, AlarmLevel level, string limit, AlarmState state, double value, double seconds,
        string rule = "gas.combustible.level", ChannelId? channel = null) =>
        new(channel ?? Gas1, rule, kind, level, limit, state, limit == "L2" ? 50 : 25, Read(channel ?? Gas1, value, seconds),
            At(seconds).AddYears(2025), $"{kind}");

    private static HazardTracker Tracker(AlarmRuleBook? rules = null, bool openOnFaults = true) => new(new HazardTrackerOptions
    {
        SectorOf = _ => "city_gas",
        LocationOf = c => $"kitchen {c.Device}",
        OpenOnFaults = openOnFaults,
    }, rules);

    [Fact]
    public void Apply_Raised_OpensRecordWithAlarmFacts()
    {
        var tracker = Tracker();

        var record = tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, 1.5))!;

        Assert.Equal("YH-20260101-0001", record.Id);
        Assert.Equal(("city_gas", "kitchen gd-01", "gas.combustible.level", AlarmLevel.Level1, "L1", 25.0, 30.0, 30.0),
            (record.Sector, record.Location, record.RuleId, record.Level, record.Limit, record.SetPoint, record.Value, record.Peak));
        Assert.Equal(HazardStatus.Open, record.Status);
        Assert.Equal(HazardGrade.General, record.Grade);
        Assert.True(record.AlarmActive);
        Assert.Single(record.Evidence);
    }

    [Fact]
    public void Apply_EscalateThenClear_UpdatesSameRecordAndNeverCloses()
    {
        var tracker = Tracker();
        tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, 1.5));

        var escalated = tracker.Apply(Event(AlarmEventKind.Escalated, AlarmLevel.Level2, "L2", AlarmState.UnacknowledgedActive, 62, 2.5))!;
        var cleared = tracker.Apply(Event(AlarmEventKind.Cleared, AlarmLevel.None, "L2", AlarmState.UnacknowledgedReturnToNormal, 3, 3.5))!;

        Assert.Equal("YH-20260101-0001", escalated.Id);
        Assert.Equal((AlarmLevel.Level2, "L2", 50.0, 62.0, 2), (escalated.Level, escalated.Limit, escalated.SetPoint, escalated.Peak, escalated.Evidence.Count));
        Assert.Equal((HazardStatus.Open, false, AlarmLevel.Level2, 62.0), (cleared.Status, cleared.AlarmActive, cleared.Level, cleared.Peak));
        Assert.Equal([HazardAction.Open, HazardAction.Escalate, HazardAction.AlarmCleared], cleared.History.Select(t => t.Action));
        Assert.Single(tracker.Records);
    }

    [Fact]
    public void Apply_RaisedAgainWhileRecordOpen_ReactivatesSameRecordAndEscalatesWhenHigher()
    {
        var tracker = Tracker();
        tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, 1.5));
        tracker.Apply(Event(AlarmEventKind.Cleared, AlarmLevel.None, "L1", AlarmState.UnacknowledgedReturnToNormal, 3, 2.5));

        var again = tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level2, "L2", AlarmState.UnacknowledgedActive, 55, 3.5))!;

        Assert.Equal(("YH-20260101-0001", true, AlarmLevel.Level2), (again.Id, again.AlarmActive, again.Level));
    }

    [Fact]
    public void Apply_ActivationAfterRecordClosed_OpensNewRecord()
    {
        var tracker = Tracker();
        var first = tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, 1.5))!;
        var now = At(10).AddYears(2025);
        foreach (var command in new[]
        {
            new HazardCommand(HazardAction.Acknowledge, "li"),
            new HazardCommand(HazardAction.Grade, "li", Grade: HazardGrade.General),
            new HazardCommand(HazardAction.StartRectification, "li"),
            new HazardCommand(HazardAction.SubmitForVerification, "li"),
            new HazardCommand(HazardAction.VerifyPass, "wang"),
            new HazardCommand(HazardAction.Close, "wang"),
        })
        {
            tracker.Apply(first.Id, command, now);
        }

        var second = tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 31, 20))!;

        Assert.Equal("YH-20260101-0002", second.Id);
        Assert.Equal(HazardStatus.Closed, tracker.Find(first.Id)!.Status);
    }

    [Fact]
    public void Apply_AcknowledgeOrShelveEvent_ChangesNoRecord()
    {
        var tracker = Tracker();
        tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, 1.5));

        Assert.Null(tracker.Apply(Event(AlarmEventKind.Acknowledged, AlarmLevel.Level1, "L1", AlarmState.AcknowledgedActive, 30, 2.5)));
        Assert.Null(tracker.Apply(Event(AlarmEventKind.Shelved, AlarmLevel.Level1, "L1", AlarmState.Shelved, 30, 2.5)));
    }

    [Fact]
    public void Apply_FaultAlarm_OpensRecordUnlessDisabled()
    {
        var fault = Event(AlarmEventKind.Raised, AlarmLevel.Fault, "CommFailure", AlarmState.UnacknowledgedActive, 0, 1.5, "gas.combustible.level.fault");

        Assert.NotNull(Tracker().Apply(fault));
        Assert.Null(Tracker(openOnFaults: false).Apply(fault));
    }

    [Fact]
    public void Apply_SystemFloodAlarm_OpensNoRecord()
    {
        var flood = Event(AlarmEventKind.Raised, AlarmLevel.Level1, "flood", AlarmState.UnacknowledgedActive, 0, 1.5, "system.alarm-flood");

        Assert.Null(Tracker().Apply(flood));
    }

    [Fact]
    public void Apply_LimitGradedMajorByRule_SuggestsMajorGrade()
    {
        var rule = SectorRulePacks.CombustibleGas with
        {
            Limits = [Rules.Limit("L1", AlarmLevel.Level1, 25), Rules.Limit("L2", AlarmLevel.Level2, 50) with { HazardGrade = HazardGrade.Major }],
        };
        var tracker = Tracker(AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible", rule)], RulePacks.Default));

        var opened = tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, 1.5))!;
        var escalated = tracker.Apply(Event(AlarmEventKind.Escalated, AlarmLevel.Level2, "L2", AlarmState.UnacknowledgedActive, 60, 2.5))!;

        Assert.Equal((HazardGrade.General, HazardGrade.Major), (opened.Grade, escalated.Grade));
    }

    [Fact]
    public void Constructor_WithExistingRecords_ContinuesSequenceAndUpdatesOpenRecord()
    {
        var before = Tracker();
        var record = before.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, 1.5))!;

        var after = new HazardTracker(null, null, [record]);
        var cleared = after.Apply(Event(AlarmEventKind.Cleared, AlarmLevel.None, "L1", AlarmState.Normal, 0, 5))!;
        var other = after.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, 6, channel: Gas2))!;

        Assert.Equal((record.Id, false), (cleared.Id, cleared.AlarmActive));
        Assert.Equal("YH-20260101-0002", other.Id);
    }

    [Fact]
    public void Track_EngineEvents_OpensAndEscalatesOneRecord()
    {
        var book = AlarmRuleBook.Create([new ChannelRule(Gas1, "gas.combustible")], RulePacks.Default);
        using var h = new EngineHarness(book);
        var tracker = Tracker(book);
        var source = h.Scheduler.CreateHotObservable([.. new[] { Read(Gas1, 30, 1.5), Read(Gas1, 60, 2.5), Read(Gas1, 0, 3.5) }
            .Select(r => Microsoft.Reactive.Testing.ReactiveTest.OnNext(r.ReceivedTime.UtcTicks, r))]);

        var updates = h.Scheduler.Start(() => tracker.Track(h.Engine.Detect(source)), 0, 0, T(5)).Messages
            .Select(m => m.Value.Value).ToArray();

        Assert.Equal(3, updates.Length);
        Assert.All(updates, u => Assert.Equal("YH-00010101-0001", u.Id));
        Assert.Equal((AlarmLevel.Level2, 60.0, true), (updates[1].Level, updates[1].Peak, updates[1].AlarmActive));
        Assert.Equal(HazardStatus.Open, updates[2].Status);
    }

    /// <summary>Five records on five detectors, YH-20260101-0001 to -0005, the second and fourth closed.</summary>
    private static HazardTracker FiveRecordsTwoClosed()
    {
        var tracker = Tracker();
        for (var i = 1; i <= 5; i++)
        {
            tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, i,
                channel: new ChannelId("site-a", $"gd-{i:00}", "ch1")));
        }

        foreach (var id in new[] { "YH-20260101-0002", "YH-20260101-0004" })
        {
            foreach (var action in new[] { HazardAction.Acknowledge, HazardAction.Grade, HazardAction.StartRectification, HazardAction.SubmitForVerification, HazardAction.VerifyPass, HazardAction.Close })
            {
                tracker.Apply(id, new HazardCommand(action, "wang", Grade: action == HazardAction.Grade ? HazardGrade.General : HazardGrade.Unassessed), At(10).AddYears(2025));
            }
        }

        return tracker;
    }

    private static string[] Ids(IEnumerable<HazardRecord> records) => [.. records.Select(r => r.Id[^4..])];

    [Fact]
    public void Page_FromTheStart_GivesRecordsInIdOrderUpToTheCount()
    {
        var tracker = FiveRecordsTwoClosed();

        Assert.Equal(["0001", "0002", "0003"], Ids(tracker.Page("", liveOnly: false, _ => true, 3)));
        Assert.Empty(tracker.Page("", liveOnly: false, _ => true, 0));
    }

    [Theory]
    [InlineData("YH-20260101-0002", new[] { "0003", "0004", "0005" })]
    [InlineData("YH-20260101-0002a", new[] { "0003", "0004", "0005" })]
    [InlineData("A", new[] { "0001", "0002", "0003", "0004", "0005" })]
    [InlineData("YH-20260101-0005", new string[0])]
    [InlineData("ZZ", new string[0])]
    public void Page_AfterAnId_StartsAfterItWhetherOrNotThatIdIsHeld(string afterId, string[] expected)
    {
        Assert.Equal(expected, Ids(FiveRecordsTwoClosed().Page(afterId, liveOnly: false, _ => true, 10)));
    }

    [Fact]
    public void Page_LiveOnly_PassesOverClosedRecords_AlsoAfterARestart()
    {
        var tracker = FiveRecordsTwoClosed();
        var restarted = new HazardTracker(null, null, tracker.Records);

        Assert.Equal(["0001", "0003", "0005"], Ids(tracker.Page("", liveOnly: true, _ => true, 10)));
        Assert.Equal(["0003", "0005"], Ids(tracker.Page("YH-20260101-0001", liveOnly: true, _ => true, 10)));
        Assert.Equal(["0001", "0003", "0005"], Ids(restarted.Page("", liveOnly: true, _ => true, 10)));
    }

    [Fact]
    public void Page_WithAFilter_FillsTheCountWithMatchingRecordsOnly()
    {
        var tracker = FiveRecordsTwoClosed();

        Assert.Equal(["0003", "0004"], Ids(tracker.Page("", liveOnly: false, r => r.Channel.Device is not ("gd-01" or "gd-02"), 2)));
    }

    [Fact]
    public void Evict_EndedRecord_IsLetGo_WhileALiveOneIsKept()
    {
        var tracker = FiveRecordsTwoClosed();

        Assert.True(tracker.Evict("YH-20260101-0002"));
        Assert.False(tracker.Evict("YH-20260101-0003"));
        Assert.False(tracker.Evict("YH-20260101-0002"));

        Assert.Null(tracker.Find("YH-20260101-0002"));
        Assert.Equal(["0001", "0003", "0004", "0005"], Ids(tracker.Page("", liveOnly: false, _ => true, 10)));
    }

    [Fact]
    public void Constructor_LastIssuedIdOfARecordNotPassedIn_NewIdsContinueAfterIt()
    {
        var tracker = new HazardTracker(null, null, [], lastIssuedId: "YH-20251231-0041");

        var record = tracker.Apply(Event(AlarmEventKind.Raised, AlarmLevel.Level1, "L1", AlarmState.UnacknowledgedActive, 30, 1.5), out var opened)!;

        Assert.Equal(("YH-20260101-0042", true), (record.Id, opened));
    }
}
