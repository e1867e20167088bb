using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Hazards;

/// <summary>
/// An automatic hidden-hazard record opened by an alarm. Immutable: the lifecycle returns a new record
/// for each step, and the history keeps every step (records are never rewritten or deleted).
/// </summary>
public sealed record HazardRecord
{
    public required string Id { get; init; }

    public required ChannelId Channel { get; init; }

    /// <summary>Sector code from <see cref="Sites.Sectors"/>.</summary>
    public required string Sector { get; init; }

    public string Location { get; init; } = "";

    public required string RuleId { get; init; }

    public required AlarmLevel Level { get; init; }

    public required string Limit { get; init; }

    public required double SetPoint { get; init; }

    public required double Value { get; init; }

    public required string Unit { get; init; }

    /// <summary>Time of the first reading that breached.</summary>
    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>The worst value seen while the record's alarm was active.</summary>
    public required double Peak { get; init; }

    /// <summary>Readings that prove the breach (first, escalations, peak), bounded in number.</summary>
    public IReadOnlyList<Reading> Evidence { get; init; } = [];

    public HazardGrade Grade { get; init; } = HazardGrade.Unassessed;

    public HazardStatus Status { get; init; } = HazardStatus.Open;

    /// <summary>True while the alarm behind the record is active.</summary>
    public bool AlarmActive { get; init; } = true;

    public RectificationPlan? Plan { get; init; }

    public DateTimeOffset? Deadline { get; init; }

    public string? WithdrawReason { get; init; }

    public string? WithdrawApprover { get; init; }

    public IReadOnlyList<HazardTransition> History { get; init; } = [];

    /// <summary>Past its deadline and not yet verified or ended: a flag, not a state.</summary>
    public bool IsOverdue(DateTimeOffset now) =>
        Deadline is { } deadline && now > deadline &&
        Status is not (HazardStatus.Verified or HazardStatus.Closed or HazardStatus.Withdrawn);
}
