using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;
using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Tests;

public sealed class HazardLifecycleTests
{
    private static readonly ChannelId s_channel = new("site-1", "gd-01", "lel");
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    private static AlarmEvent Alarm(AlarmEventKind kind, AlarmLevel level, double value, int second) =>
        new(s_channel, "gas.combustible.level", kind, level, level == AlarmLevel.Level2 ? "L2" : "L1", AlarmState.UnacknowledgedActive,
            level == AlarmLevel.Level2 ? 50 : 25,
            new Reading(s_channel, "gas.combustible", "%LEL", value, Quality.Good, s_t0.AddSeconds(second), s_t0.AddSeconds(second), second),
            s_t0.AddSeconds(second), "combustible gas");

    private static HazardRecord Opened() => HazardLifecycle.Open("YH-1", "fuel_stations", "island 2", Alarm(AlarmEventKind.Raised, AlarmLevel.Level1, 27, 0));

    private static readonly RectificationPlan s_plan = new("replace seal", "2000 CNY", "Wang", s_t0.AddDays(7), "cordon, ventilation");

    [Fact]
    public void Open_FromAlarm_CopiesEvidenceAndStartsOpen()
    {
        var record = Opened();
        Assert.Equal(HazardStatus.Open, record.Status);
        Assert.Equal(AlarmLevel.Level1, record.Level);
        Assert.Equal(27, record.Value);
        Assert.Equal(27, record.Peak);
        Assert.Equal(25, record.SetPoint);
        Assert.Equal(s_t0, record.FirstSeen);
        Assert.Single(record.Evidence);
        Assert.Equal(HazardAction.Open, Assert.Single(record.History).Action);
    }

    [Fact]
    public void ApplyAlarm_Escalation_RaisesLevelOnSameRecordAndKeepsEvidence()
    {
        var record = HazardLifecycle.ApplyAlarm(Opened(), Alarm(AlarmEventKind.Escalated, AlarmLevel.Level2, 53, 9));
        Assert.Equal("YH-1", record.Id);
        Assert.Equal(AlarmLevel.Level2, record.Level);
        Assert.Equal("L2", record.Limit);
        Assert.Equal(53, record.Peak);
        Assert.Equal(2, record.Evidence.Count);
        Assert.Equal(s_t0.AddSeconds(9), record.LastSeen);
        Assert.Equal(HazardAction.Escalate, record.History[^1].Action);
    }

    [Fact]
    public void ApplyAlarm_Cleared_MarksAlarmInactiveButRecordStaysOpen()
    {
        var record = HazardLifecycle.ApplyAlarm(Opened(), Alarm(AlarmEventKind.Cleared, AlarmLevel.None, 3, 30));
        Assert.False(record.AlarmActive);
        Assert.Equal(HazardStatus.Open, record.Status);
        Assert.Equal(27, record.Peak);
    }

    [Fact]
    public void Apply_FullClosedLoop_ReachesClosedWithEveryStepRecorded()
    {
        var record = Opened();
        record = HazardLifecycle.Apply(record, new HazardCommand(HazardAction.Acknowledge, "duty-officer", "on my way"), s_t0.AddMinutes(1));
        record = HazardLifecycle.Apply(record, new HazardCommand(HazardAction.Grade, "safety-manager", Grade: HazardGrade.General), s_t0.AddMinutes(5));
        record = HazardLifecycle.Apply(record, new HazardCommand(HazardAction.StartRectification, "technician"), s_t0.AddMinutes(6));
        record = HazardLifecycle.Apply(record, new HazardCommand(HazardAction.SubmitForVerification, "technician", "seal replaced"), s_t0.AddHours(2));
        record = HazardLifecycle.Apply(record, new HazardCommand(HazardAction.VerifyFail, "supervisor", "still 8 %LEL"), s_t0.AddHours(3));
        record = HazardLifecycle.Apply(record, new HazardCommand(HazardAction.SubmitForVerification, "technician"), s_t0.AddHours(4));
        record = HazardLifecycle.Apply(record, new HazardCommand(HazardAction.VerifyPass, "supervisor"), s_t0.AddHours(5));
        record = HazardLifecycle.Apply(record, new HazardCommand(HazardAction.Close, "supervisor", "销号"), s_t0.AddHours(6));

        Assert.Equal(HazardStatus.Closed, record.Status);
        Assert.Equal(
            [HazardAction.Open, HazardAction.Acknowledge, HazardAction.Grade, HazardAction.StartRectification, HazardAction.SubmitForVerification,
             HazardAction.VerifyFail, HazardAction.SubmitForVerification, HazardAction.VerifyPass, HazardAction.Close],
            record.History.Select(h => h.Action));
        Assert.Equal(HazardStatus.Rectifying, record.History[5].To);
        Assert.Equal("supervisor", record.History[^1].Actor);
        Assert.Equal(s_t0.AddHours(6), record.History[^1].Time);
    }

    [Theory]
    [InlineData(HazardAction.Close)]
    [InlineData(HazardAction.VerifyPass)]
    [InlineData(HazardAction.StartRectification)]
    [InlineData(HazardAction.SubmitForVerification)]
    public void Apply_IllegalFromOpen_ThrowsNamingCurrentState(HazardAction action)
    {
        var ex = Assert.Throws<HazardTransitionException>(() => HazardLifecycle.Apply(Opened(), new HazardCommand(action, "x"), s_t0));
        Assert.Equal(HazardStatus.Open, ex.Current);
        Assert.Contains("is Open", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_MajorGradeWithoutPlan_IsRefused()
    {
        var acknowledged = HazardLifecycle.Apply(Opened(), new HazardCommand(HazardAction.Acknowledge, "a"), s_t0);
        var ex = Assert.Throws<HazardTransitionException>(() =>
            HazardLifecycle.Apply(acknowledged, new HazardCommand(HazardAction.Grade, "m", Grade: HazardGrade.Major), s_t0));
        Assert.Contains("plan", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_MajorGradeWithIncompletePlan_NamesMissingItem()
    {
        var acknowledged = HazardLifecycle.Apply(Opened(), new HazardCommand(HazardAction.Acknowledge, "a"), s_t0);
        var ex = Assert.Throws<HazardTransitionException>(() => HazardLifecycle.Apply(acknowledged,
            new HazardCommand(HazardAction.Grade, "m", Grade: HazardGrade.Major, Plan: s_plan with { Funds = "" }), s_t0));
        Assert.Contains("missing: funds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_MajorGradeWithPlan_SetsDeadlineAndOverdueFlagFollowsIt()
    {
        var acknowledged = HazardLifecycle.Apply(Opened(), new HazardCommand(HazardAction.Acknowledge, "a"), s_t0);
        var graded = HazardLifecycle.Apply(acknowledged, new HazardCommand(HazardAction.Grade, "m", Grade: HazardGrade.Major, Plan: s_plan), s_t0);
        Assert.Equal(HazardGrade.Major, graded.Grade);
        Assert.Equal(s_plan.Deadline, graded.Deadline);
        Assert.False(graded.IsOverdue(s_plan.Deadline));
        Assert.True(graded.IsOverdue(s_plan.Deadline.AddSeconds(1)));
    }

    [Fact]
    public void Apply_WithdrawWithoutApprover_IsRefused() =>
        Assert.Throws<HazardTransitionException>(() =>
            HazardLifecycle.Apply(Opened(), new HazardCommand(HazardAction.Withdraw, "a", Reason: "detector calibration gas"), s_t0));

    [Fact]
    public void Apply_WithdrawWithReasonAndApprover_EndsRecordAndKeepsBoth()
    {
        var record = HazardLifecycle.Apply(Opened(), new HazardCommand(HazardAction.Withdraw, "a", Reason: "calibration gas", Approver: "chief"), s_t0);
        Assert.Equal(HazardStatus.Withdrawn, record.Status);
        Assert.Equal("calibration gas", record.WithdrawReason);
        Assert.Equal("chief", record.WithdrawApprover);
        Assert.Empty(HazardLifecycle.AllowedActions(record.Status));
    }

    [Fact]
    public void Apply_WithoutActor_IsRefused() =>
        Assert.Throws<HazardTransitionException>(() => HazardLifecycle.Apply(Opened(), new HazardCommand(HazardAction.Acknowledge, " "), s_t0));

    [Fact]
    public void Apply_CloseAfterClosed_IsRefused()
    {
        var record = Opened();
        foreach (var command in new[]
                 {
                     new HazardCommand(HazardAction.Acknowledge, "a"), new HazardCommand(HazardAction.Grade, "a", Grade: HazardGrade.General),
                     new HazardCommand(HazardAction.StartRectification, "a"), new HazardCommand(HazardAction.SubmitForVerification, "a"),
                     new HazardCommand(HazardAction.VerifyPass, "a"), new HazardCommand(HazardAction.Close, "a"),
                 })
        {
            record = HazardLifecycle.Apply(record, command, s_t0);
        }

        var ex = Assert.Throws<HazardTransitionException>(() => HazardLifecycle.Apply(record, new HazardCommand(HazardAction.Close, "a"), s_t0));
        Assert.Equal(HazardStatus.Closed, ex.Current);
    }
}
