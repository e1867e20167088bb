using Google.Protobuf.WellKnownTypes;
using SensorGateway.Core.Alarms;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;
using AlarmLevel = SensorGateway.Core.Alarms.AlarmLevel;

namespace SensorGateway.Grpc.Services;

/// <summary>Domain events to contract messages, in one place so the contract changes in one place.</summary>
internal static class HazardEventMapper
{
    public static HazardEvent ToContract(LoggedAlarmEvent logged)
    {
        var alarm = logged.Alarm;
        var reading = alarm.Trigger;
        return new HazardEvent
        {
            Sequence = logged.Sequence,
            Time = Timestamp.FromDateTimeOffset(alarm.Time),
            Kind = alarm.Kind switch
            {
                AlarmEventKind.Raised => HazardEventKind.Raised,
                AlarmEventKind.Escalated => HazardEventKind.Escalated,
                AlarmEventKind.Deescalated => HazardEventKind.Deescalated,
                AlarmEventKind.Cleared => HazardEventKind.Cleared,
                _ => HazardEventKind.StateChanged,
            },
            Alarm = new AlarmDetail
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
                Message = alarm.Message,
            },
        };
    }

    public static V1.AlarmLevel ToContract(AlarmLevel level) => level switch
    {
        AlarmLevel.Fault => V1.AlarmLevel.Fault,
        AlarmLevel.Level1 => V1.AlarmLevel._1,
        AlarmLevel.Level2 => V1.AlarmLevel._2,
        _ => V1.AlarmLevel.Unspecified,
    };
}
