using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Hazards;

/// <summary>
/// The hazard record state machine. Pure: it returns the next record or throws
/// <see cref="HazardTransitionException"/> naming the current state; persistence and delivery live elsewhere.
/// </summary>
public static class HazardLifecycle
{
    /// <summary>Evidence kept per record: the opening reading, each escalation and the peak, at most this many.</summary>
    public const int MaxEvidence = 16;

    /// <summary>Opens a record from the alarm that raised it.</summary>
    public static HazardRecord Open(string id, string sector, string location, AlarmEvent alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var reading = alarm.Trigger;
        return new HazardRecord
        {
            Id = id,
            Channel = alarm.Channel,
            Sector = sector,
            Location = location,
            RuleId = alarm.RuleId,
            Level = alarm.Level,
            Limit = alarm.Limit,
            SetPoint = alarm.SetPoint,
            Value = reading.Value,
            Unit = reading.Unit,
            FirstSeen = reading.SourceTime,
            LastSeen = reading.SourceTime,
            Peak = reading.Value,
            Evidence = [reading],
            History = [new HazardTransition(HazardAction.Open, HazardStatus.Open, HazardStatus.Open, "engine", alarm.Time, alarm.Message)],
        };
    }

    /// <summary>Applies a later event of the same alarm: escalation raises the level, clearing marks the alarm inactive.</summary>
    public static HazardRecord ApplyAlarm(HazardRecord record, AlarmEvent alarm, bool higherIsWorse = true)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(alarm);
        var reading = alarm.Trigger;
        var worse = higherIsWorse ? reading.Value > record.Peak : reading.Value < record.Peak;
        var peak = reading.Quality.IsGood && worse ? reading.Value : record.Peak;
        var updated = record with
        {
            LastSeen = reading.SourceTime > record.LastSeen ? reading.SourceTime : record.LastSeen,
            Peak = peak,
            Value = reading.Quality.IsGood ? reading.Value : record.Value,
        };
        return alarm.Kind switch
        {
            AlarmEventKind.Escalated when alarm.Level > record.Level => updated with
            {
                Level = alarm.Level,
                Limit = alarm.Limit,
                SetPoint = alarm.SetPoint,
                AlarmActive = true,
                Evidence = AddEvidence(record.Evidence, reading),
                History = [.. record.History, Step(record, HazardAction.Escalate, record.Status, "engine", alarm.Time, alarm.Message)],
            },
            AlarmEventKind.Cleared or AlarmEventKind.Reset => updated with
            {
                AlarmActive = false,
                History = [.. record.History, Step(record, HazardAction.AlarmCleared, record.Status, "engine", alarm.Time, alarm.Message)],
            },
            AlarmEventKind.Raised or AlarmEventKind.Realarmed => updated with { AlarmActive = true },
            _ => updated,
        };
    }

    /// <summary>Applies an operator's command.</summary>
    public static HazardRecord Apply(HazardRecord record, HazardCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrWhiteSpace(command.Actor))
        {
            throw new HazardTransitionException(record.Id, record.Status, command.Action, "Every step needs the person who takes it.");
        }

        return command.Action switch
        {
            HazardAction.Acknowledge => Move(record, command, now, HazardStatus.Acknowledged, HazardStatus.Open),
            HazardAction.Grade => ApplyGrade(record, command, now),
            HazardAction.StartRectification => StartRectification(record, command, now),
            HazardAction.SubmitForVerification => Move(record, command, now, HazardStatus.AwaitingVerification, HazardStatus.Rectifying),
            HazardAction.VerifyPass => Move(record, command, now, HazardStatus.Verified, HazardStatus.AwaitingVerification),
            HazardAction.VerifyFail => Move(record, command, now, HazardStatus.Rectifying, HazardStatus.AwaitingVerification),
            HazardAction.Close => Move(record, command, now, HazardStatus.Closed, HazardStatus.Verified),
            HazardAction.Withdraw => Withdraw(record, command, now),
            _ => throw new HazardTransitionException(record.Id, record.Status, command.Action, "Only the alarm engine takes this step."),
        };
    }

    /// <summary>The steps an operator may take from a state, for clients that grey out the rest.</summary>
    public static IReadOnlyList<HazardAction> AllowedActions(HazardStatus status) => status switch
    {
        HazardStatus.Open => [HazardAction.Acknowledge, HazardAction.Withdraw],
        HazardStatus.Acknowledged => [HazardAction.Grade, HazardAction.Withdraw],
        HazardStatus.Graded => [HazardAction.Grade, HazardAction.StartRectification, HazardAction.Withdraw],
        HazardStatus.Rectifying => [HazardAction.SubmitForVerification, HazardAction.Withdraw],
        HazardStatus.AwaitingVerification => [HazardAction.VerifyPass, HazardAction.VerifyFail, HazardAction.Withdraw],
        HazardStatus.Verified => [HazardAction.Close],
        _ => [],
    };

    private static HazardRecord ApplyGrade(HazardRecord record, HazardCommand command, DateTimeOffset now)
    {
        if (command.Grade == HazardGrade.Unassessed)
        {
            throw new HazardTransitionException(record.Id, record.Status, command.Action, "Give the grade: General (一般) or Major (重大).");
        }

        if (command.Grade == HazardGrade.Major)
        {
            var missing = command.Plan is null ? "the whole plan" : command.Plan.FirstMissingItem();
            if (missing is not null)
            {
                throw new HazardTransitionException(record.Id, record.Status, command.Action,
                    $"A major (重大) hazard needs a rectification plan; missing: {missing}.");
            }
        }

        var graded = Move(record, command, now, HazardStatus.Graded, HazardStatus.Acknowledged, HazardStatus.Graded);
        return graded with { Grade = command.Grade, Plan = command.Plan ?? record.Plan, Deadline = command.Plan?.Deadline ?? record.Deadline };
    }

    private static HazardRecord StartRectification(HazardRecord record, HazardCommand command, DateTimeOffset now)
    {
        if (record.Status == HazardStatus.Graded && record.Grade == HazardGrade.Major && record.Plan is null)
        {
            throw new HazardTransitionException(record.Id, record.Status, command.Action, "A major (重大) hazard needs a rectification plan first.");
        }

        return Move(record, command, now, HazardStatus.Rectifying, HazardStatus.Graded);
    }

    private static HazardRecord Withdraw(HazardRecord record, HazardCommand command, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(command.Reason) || string.IsNullOrWhiteSpace(command.Approver))
        {
            throw new HazardTransitionException(record.Id, record.Status, command.Action, "A withdrawal (误报撤销) needs a reason and an approver.");
        }

        var withdrawn = Move(record, command, now, HazardStatus.Withdrawn,
            HazardStatus.Open, HazardStatus.Acknowledged, HazardStatus.Graded, HazardStatus.Rectifying, HazardStatus.AwaitingVerification);
        return withdrawn with { WithdrawReason = command.Reason, WithdrawApprover = command.Approver };
    }

    private static HazardRecord Move(HazardRecord record, HazardCommand command, DateTimeOffset now, HazardStatus to, params HazardStatus[] from)
    {
        if (Array.IndexOf(from, record.Status) < 0)
        {
            throw new HazardTransitionException(record.Id, record.Status, command.Action,
                $"Allowed from: {string.Join(", ", from)}.");
        }

        return record with
        {
            Status = to,
            History = [.. record.History, Step(record, command.Action, to, command.Actor, now, command.Note)],
        };
    }

    private static HazardTransition Step(HazardRecord record, HazardAction action, HazardStatus to, string actor, DateTimeOffset time, string note) =>
        new(action, record.Status, to, actor, time, note);

    private static IReadOnlyList<Reading> AddEvidence(IReadOnlyList<Reading> evidence, Reading reading) =>
        evidence.Count < MaxEvidence ? [.. evidence, reading] : [.. evidence.Take(MaxEvidence - 1), reading];
}
