using SensorGateway.Core.Alarms;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class AlarmStateTests
{
    private const string Rule = "gas.test.level";

    private static AlarmCommand Cmd(AlarmCommandKind kind, string? rule = Rule, double shelveSeconds = 0) =>
        new(kind, Gas1, rule, "duty-officer", "test") { ShelveFor = TimeSpan.FromSeconds(shelveSeconds) };

    [Fact]
    public void Execute_AcknowledgeActiveThenReturn_GoesAckActiveThenNormal()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 3.5));
        h.Command(2.2, Cmd(AlarmCommandKind.Acknowledge));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.2s Acknowledged gd-01/gas.test.level L1 Level1 AcknowledgedActive",
            "3.5s Cleared gd-01/gas.test.level L1 None Normal",
        ], h.Run(5));
    }

    [Fact]
    public void Execute_AcknowledgeAfterANewerReading_CarriesTheChannelsLastReading()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 40, 2.5));
        h.Command(3.2, Cmd(AlarmCommandKind.Acknowledge));

        var events = h.RunRecorded(5).Messages.Select(m => m.Value.Value).ToArray();

        Assert.Equal([(AlarmEventKind.Raised, 30.0, At(1.5)), (AlarmEventKind.Acknowledged, 40.0, At(2.5))],
            events.Select(e => (e.Kind, e.Trigger.Value, e.Trigger.SourceTime)));
    }

    [Fact]
    public void Execute_AcknowledgeVotedAlarm_FindsItUnderTheAreasVoteChannel()
    {
        var rule = Rules.Test(vote: 2);
        var book = AlarmRuleBook.Create(
            new[] { Gas1, Gas2, Gas3 }.Select(c => new ChannelRule(c, "gas.combustible", rule) { Area = "zone-1" }), RulePacks.Default);
        using var h = new EngineHarness(book);
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas2, 30, 2.5));
        h.Command(3.2, new AlarmCommand(AlarmCommandKind.Acknowledge, new("site-a", "zone-1", "vote"), null, "duty-officer", "test"));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Raised gd-02/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Raised zone-1/gas.test.level.vote 2oo3 Level1 UnacknowledgedActive",
            "3.2s Acknowledged zone-1/gas.test.level.vote 2oo3 Level1 AcknowledgedActive",
        ], h.Run(5));
        Assert.Equal([true], h.CommandResults.Select(r => r.Accepted));
    }

    [Fact]
    public void Execute_AcknowledgeAfterReturn_GoesFromUnacknowledgedReturnToNormal()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5));
        h.Command(3.2, Cmd(AlarmCommandKind.Acknowledge));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Cleared gd-01/gas.test.level L1 None UnacknowledgedReturnToNormal",
            "3.2s Acknowledged gd-01/gas.test.level L1 None Normal",
        ], h.Run(5));
    }

    [Fact]
    public void Execute_EscalationAfterAcknowledge_NeedsAcknowledgeAgain()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 60, 3.5));
        h.Command(2.2, Cmd(AlarmCommandKind.Acknowledge));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.2s Acknowledged gd-01/gas.test.level L1 Level1 AcknowledgedActive",
            "3.5s Escalated gd-01/gas.test.level L2 Level2 UnacknowledgedActive",
        ], h.Run(5));
    }

    [Fact]
    public void Execute_ResetWhileConditionStillActive_IsRejected()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(latching: true), Gas1));
        h.Feed(Read(Gas1, 30, 1.5));
        h.Command(2.2, Cmd(AlarmCommandKind.Reset));

        Assert.Equal(["1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive"], h.Run(4));
        Assert.False(h.CommandResults.Single().Accepted);
        Assert.Equal(1, h.Engine.GetKpis().RejectedCommands);
    }

    [Fact]
    public void Execute_AcknowledgeLatched_StaysLatchedUntilReset()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(latching: true), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5));
        h.Command(3.2, Cmd(AlarmCommandKind.Acknowledge));
        h.Command(4.2, Cmd(AlarmCommandKind.Reset));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.5s Deescalated gd-01/gas.test.level L1 Level1 Latched",
            "3.2s Acknowledged gd-01/gas.test.level L1 Level1 Latched",
            "4.2s Reset gd-01/gas.test.level L1 None Normal",
        ], h.Run(6));
    }

    [Fact]
    public void Execute_ShelveWithExpiry_HidesChangesAndReannouncesOnExpiry()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 3.5), Read(Gas1, 60, 4.5));
        h.Command(2.2, Cmd(AlarmCommandKind.Shelve, shelveSeconds: 10));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.2s Shelved gd-01/gas.test.level L1 Level1 Shelved",
            "13s Unshelved gd-01/gas.test.level L2 Level2 UnacknowledgedActive",
        ], h.Run(15));
        Assert.Equal(0, h.Engine.GetKpis().Shelved);
    }

    [Fact]
    public void Execute_UnshelveBeforeExpiry_ReportsCurrentState()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5));
        h.Command(2.2, Cmd(AlarmCommandKind.Acknowledge));
        h.Command(3.2, Cmd(AlarmCommandKind.Shelve, shelveSeconds: 60));
        h.Command(4.2, Cmd(AlarmCommandKind.Unshelve));

        Assert.Equal(
        [
            "1.5s Raised gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "2.2s Acknowledged gd-01/gas.test.level L1 Level1 AcknowledgedActive",
            "3.2s Shelved gd-01/gas.test.level L1 Level1 Shelved",
            "4.2s Unshelved gd-01/gas.test.level L1 Level1 AcknowledgedActive",
        ], h.Run(6));
    }

    [Fact]
    public void Execute_SuppressThenUnsuppress_HidesRaiseAndAnnouncesItAfterwards()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 2.5));
        h.Command(1.2, Cmd(AlarmCommandKind.Suppress));
        h.Command(3.2, Cmd(AlarmCommandKind.Unsuppress));

        Assert.Equal(
        [
            "1.2s Suppressed gd-01/gas.test.level  None Suppressed",
            "3.2s Unsuppressed gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
        ], h.Run(5));
    }

    [Fact]
    public void Execute_OutOfServiceForWholeChannel_HidesEveryAlarmOfIt()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 2.5), Read(Gas1, 0, 3.5, quality: Core.Readings.Quality.Bad(Core.Readings.QualityReason.CommFailure)));
        h.Command(1.2, Cmd(AlarmCommandKind.RemoveFromService, rule: null));
        h.Command(4.2, Cmd(AlarmCommandKind.ReturnToService, rule: null));

        Assert.Equal(
        [
            "1.2s Suppressed gd-01/gas.test.level  None OutOfService",
            "1.2s Suppressed gd-01/gas.test.level.fault  None OutOfService",
            "4.2s Unsuppressed gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
            "4.2s Unsuppressed gd-01/gas.test.level.fault CommFailure Fault UnacknowledgedActive",
        ], h.Run(6));
    }

    [Fact]
    public void Execute_ShelveLongerThanMaximum_Throws()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));

        Assert.Throws<ArgumentException>(() => h.Engine.Execute(Cmd(AlarmCommandKind.Shelve, shelveSeconds: TimeSpan.FromHours(9).TotalSeconds)));
        Assert.Throws<ArgumentException>(() => h.Engine.Execute(Cmd(AlarmCommandKind.Shelve, shelveSeconds: 0)));
    }

    [Fact]
    public void Execute_WithoutActor_Throws()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));

        Assert.Throws<ArgumentException>(() => h.Engine.Execute(new AlarmCommand(AlarmCommandKind.Acknowledge, Gas1, Rule, " ")));
    }

    [Fact]
    public void Execute_UnknownChannelOrRule_IsRejected()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));

        var unknownChannel = h.Engine.Execute(new AlarmCommand(AlarmCommandKind.Acknowledge, Gas3, Rule, "op"));
        var unknownRule = h.Engine.Execute(new AlarmCommand(AlarmCommandKind.Suppress, Gas1, "no.such.rule", "op"));

        Assert.Equal(new AlarmCommandResult(false, "No alarm on channel site-a/gd-03/ch1."), unknownChannel);
        Assert.Equal(new AlarmCommandResult(false, "No alarm no.such.rule on channel site-a/gd-01/ch1."), unknownRule);
    }

    [Fact]
    public void Execute_UnsuppressChatteringAlarm_AnnouncesItAgain()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 0, 2.5), Read(Gas1, 30, 3.5), Read(Gas1, 0, 4.5), Read(Gas1, 30, 5.5));
        h.Command(6.2, Cmd(AlarmCommandKind.Unsuppress));

        Assert.Equal(
        [
            "5.5s Suppressed gd-01/gas.test.level L1 Level1 Suppressed",
            "6.2s Unsuppressed gd-01/gas.test.level L1 Level1 UnacknowledgedActive",
        ], h.Run(8)[^2..]);
    }

    [Fact]
    public void CurrentAlarms_ActiveAndFaultedChannel_ListsBothWithState()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 60, 1.5), Read(Gas1, 0, 2.5, quality: Core.Readings.Quality.Bad(Core.Readings.QualityReason.LoopCurrentFault)));
        h.Command(3.2, Cmd(AlarmCommandKind.Acknowledge));

        h.Run(4);

        Assert.Equal(
        [
            ("gas.test.level", AlarmLevel.Level2, "L2", AlarmState.AcknowledgedActive, 2),
            ("gas.test.level.fault", AlarmLevel.Fault, "LoopCurrentFault", AlarmState.UnacknowledgedActive, 3),
        ], h.Engine.CurrentAlarms().Select(a => (a.RuleId, a.Level, a.Limit, a.State, a.Priority)));
    }

    [Fact]
    public void Execute_AcknowledgeFloodAlarm_ByItsChannel()
    {
        var packs = RulePacks.Empty.With("gas.combustible", Rules.Test());
        using var h = new EngineHarness(AlarmRuleBook.FromPacks(packs), new AlarmEngineOptions { FloodThreshold = 1 });
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas2, 30, 2.5));
        h.Command(3.2, new AlarmCommand(AlarmCommandKind.Acknowledge, new Core.Readings.ChannelId("site-a", "alarm-system", "flood"), "system.alarm-flood", "op"));

        Assert.Equal("3.2s Acknowledged alarm-system/system.alarm-flood flood Level1 AcknowledgedActive", h.Run(4)[^1]);
    }
}
