using Google.Protobuf.WellKnownTypes;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;
using SensorGateway.Grpc.V1;
using AlarmLevel = SensorGateway.Core.Alarms.AlarmLevel;
using HazardAction = SensorGateway.Core.Hazards.HazardAction;
using HazardGrade = SensorGateway.Core.Hazards.HazardGrade;
using HazardRecord = SensorGateway.Core.Hazards.HazardRecord;
using HazardStatus = SensorGateway.Core.Hazards.HazardStatus;
using RectificationPlan = SensorGateway.Core.Hazards.RectificationPlan;

namespace SensorGateway.Grpc.Hazards;

/// <summary>Domain types to contract messages and back, in one place so the contract changes in one place.</summary>
public static class HazardMapper
{
    public static AlarmDetail ToContract(AlarmEvent alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var reading = alarm.Trigger;
        return new AlarmDetail
        {
            Site = alarm.Channel.Site,
            Device = alarm.Channel.Device,
            Channel = alarm.Channel.Channel,
            Quantity = reading.Quantity ?? "",
            Unit = reading.Unit ?? "",
            RuleId = alarm.RuleId,
            Level = ToContract(alarm.Level),
            Limit = alarm.Limit,
            State = alarm.State.ToString(),
            SetPoint = alarm.SetPoint,
            Value = reading.Value,
            Quality = reading.Quality.ToString(),
            SourceTime = Timestamp.FromDateTimeOffset(reading.SourceTime),
            ReceivedTime = Timestamp.FromDateTimeOffset(reading.ReceivedTime),
            Message = alarm.Message,
        };
    }

    public static HazardEventKind KindOf(AlarmEvent alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return alarm.Kind switch
        {
            AlarmEventKind.Raised => HazardEventKind.Raised,
            AlarmEventKind.Escalated => HazardEventKind.Escalated,
            AlarmEventKind.Deescalated => HazardEventKind.Deescalated,
            AlarmEventKind.Cleared => HazardEventKind.Cleared,
            _ => HazardEventKind.StateChanged,
        };
    }

    public static V1.HazardRecord ToContract(HazardRecord record, ulong lastSequence, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var contract = new V1.HazardRecord
        {
            Id = record.Id,
            Site = record.Channel.Site,
            Device = record.Channel.Device,
            Channel = record.Channel.Channel,
            Sector = record.Sector,
            Location = record.Location,
            RuleId = record.RuleId,
            Level = ToContract(record.Level),
            Limit = record.Limit,
            SetPoint = record.SetPoint,
            Value = record.Value,
            Unit = record.Unit,
            FirstSeen = Timestamp.FromDateTimeOffset(record.FirstSeen),
            LastSeen = Timestamp.FromDateTimeOffset(record.LastSeen),
            Peak = record.Peak,
            Grade = ToContract(record.Grade),
            Status = ToContract(record.Status),
            AlarmActive = record.AlarmActive,
            Plan = record.Plan is null ? null : ToContract(record.Plan),
            Deadline = record.Deadline is { } deadline ? Timestamp.FromDateTimeOffset(deadline) : null,
            Overdue = record.IsOverdue(now),
            WithdrawReason = record.WithdrawReason ?? "",
            WithdrawApprover = record.WithdrawApprover ?? "",
            LastSequence = lastSequence,
        };
        contract.History.AddRange(record.History.Select(step => new HazardStep
        {
            Action = ToContract(step.Action),
            From = ToContract(step.From),
            To = ToContract(step.To),
            Actor = step.Actor,
            Time = Timestamp.FromDateTimeOffset(step.Time),
            Note = step.Note,
        }));
        contract.AllowedActions.AddRange(HazardLifecycle.AllowedActions(record.Status).Select(ToContract));
        return contract;
    }

    public static V1.RectificationPlan ToContract(RectificationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new V1.RectificationPlan
        {
            Measures = plan.Measures,
            Funds = plan.Funds,
            ResponsiblePerson = plan.ResponsiblePerson,
            Deadline = Timestamp.FromDateTimeOffset(plan.Deadline),
            InterimMeasures = plan.InterimMeasures,
        };
    }

    public static RectificationPlan ToDomain(V1.RectificationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new RectificationPlan(plan.Measures, plan.Funds, plan.ResponsiblePerson,
            plan.Deadline?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, plan.InterimMeasures);
    }

    public static V1.AlarmLevel ToContract(AlarmLevel level) => level switch
    {
        AlarmLevel.Fault => V1.AlarmLevel.Fault,
        AlarmLevel.Level1 => V1.AlarmLevel._1,
        AlarmLevel.Level2 => V1.AlarmLevel._2,
        _ => V1.AlarmLevel.Unspecified,
    };

    // The contract's enums are the domain's shifted by one, so that 0 stays "unspecified" as proto3 wants.
    public static V1.HazardStatus ToContract(HazardStatus status) => (V1.HazardStatus)((int)status + 1);

    public static HazardStatus ToDomain(V1.HazardStatus status) => (HazardStatus)((int)status - 1);

    public static V1.HazardGrade ToContract(HazardGrade grade) => (V1.HazardGrade)(int)grade;

    public static HazardGrade ToDomain(V1.HazardGrade grade) => (HazardGrade)(int)grade;

    public static V1.HazardAction ToContract(HazardAction action) => (V1.HazardAction)((int)action + 1);
}
