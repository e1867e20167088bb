using System.Globalization;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Host.Cli;

/// <summary>Plain-text forms of contract messages for the officer verbs (also used for the coloured view's text).</summary>
internal static class HazardText
{
    public static string Level(AlarmLevel level) => level switch
    {
        AlarmLevel._2 => "L2",
        AlarmLevel._1 => "L1",
        AlarmLevel.Fault => "FAULT",
        _ => "-",
    };

    public static string Status(HazardStatus status) => status switch
    {
        HazardStatus.Open => "open",
        HazardStatus.Acknowledged => "acknowledged",
        HazardStatus.Graded => "graded",
        HazardStatus.Rectifying => "rectifying",
        HazardStatus.AwaitingVerification => "awaiting-verification",
        HazardStatus.Verified => "verified",
        HazardStatus.Closed => "closed",
        HazardStatus.Withdrawn => "withdrawn",
        _ => "-",
    };

    public static string Time(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? "-" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>One line per event: sequence, time, kind, level, where, what.</summary>
    public static string Event(HazardEvent e)
    {
        var level = Level(HazardEventLevel(e));
        var kind = e.Kind.ToString().ToUpperInvariant();
        var where = e.Alarm is { } a ? $"{a.Site}/{a.Device}/{a.Channel}" : e.Record is { } r ? $"{r.Site}/{r.Device}/{r.Channel}" : "-";
        var what = e.Kind switch
        {
            HazardEventKind.Transitioned or HazardEventKind.AlarmCommand =>
                $"{e.Record?.Id} {e.Action} by {e.Actor} -> {Status(e.Record?.Status ?? HazardStatus.Unspecified)}{(e.Note.Length > 0 ? $" ({e.Note})" : "")}",
            _ when e.Alarm is { } alarm => $"{alarm.Message} [{Number(alarm.Value)} {alarm.Unit}]{(e.Record is { } rec ? $" record {rec.Id} {Status(rec.Status)}" : "")}",
            _ => e.Record?.Id ?? "",
        };
        return string.Create(CultureInfo.InvariantCulture, $"#{e.Sequence} {Time(e.Time)} {kind,-14} {level,-5} {where} {what}");
    }

    public static AlarmLevel HazardEventLevel(HazardEvent e) => e.Alarm is { Level: not AlarmLevel.Unspecified } a ? a.Level : e.Record?.Level ?? AlarmLevel.Unspecified;

    public static string RecordLine(HazardRecord r) =>
        $"{r.Id}  {Level(r.Level),-5} {Status(r.Status),-21} {r.Grade.ToString().ToLowerInvariant(),-11} {r.Site}/{r.Device}/{r.Channel}  peak {Number(r.Peak)} {r.Unit}  first {Time(r.FirstSeen)}{(r.Overdue ? "  OVERDUE" : "")}";

    public static IEnumerable<string> RecordDetail(HazardRecord r)
    {
        yield return $"Hazard {r.Id}";
        yield return $"  status     {Status(r.Status)}   grade {r.Grade.ToString().ToLowerInvariant()}   level {Level(r.Level)} ({r.Limit})   alarm {(r.AlarmActive ? "active" : "cleared")}{(r.Overdue ? "   OVERDUE" : "")}";
        yield return $"  where      {r.Site}/{r.Device}/{r.Channel}   sector {r.Sector}   {r.Location}";
        yield return $"  rule       {r.RuleId}   set-point {Number(r.SetPoint)} {r.Unit}   value {Number(r.Value)}   peak {Number(r.Peak)}";
        yield return $"  seen       {Time(r.FirstSeen)} .. {Time(r.LastSeen)}";
        if (r.Plan is { } plan)
        {
            yield return $"  plan       measures: {plan.Measures}; funds: {plan.Funds}; responsible: {plan.ResponsiblePerson}; deadline: {Time(plan.Deadline)}; interim: {plan.InterimMeasures}";
        }

        if (r.WithdrawReason.Length > 0)
        {
            yield return $"  withdrawn  {r.WithdrawReason} (approved by {r.WithdrawApprover})";
        }

        yield return $"  next       {string.Join(", ", r.AllowedActions)}";
        yield return "  history";
        foreach (var step in r.History)
        {
            yield return $"    {Time(step.Time)}  {step.Action} {Status(step.From)} -> {Status(step.To)} by {step.Actor}{(step.Note.Length > 0 ? $": {step.Note}" : "")}";
        }
    }
}
