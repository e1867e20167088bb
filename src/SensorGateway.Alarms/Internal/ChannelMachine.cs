using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Internal;

/// <summary>One limit's debounced state: active, and since when the opposite condition has held (on/off delay).</summary>
internal struct LimitState
{
    public bool Active;
    public long PendingSince;
}

/// <summary>The per-channel state the fold keeps: limits, fault, stale, flatline and rate state, and its alarms.</summary>
internal sealed class ChannelMachine
{
    public ChannelMachine(ChannelId channel, string quantity, string? unit, CompiledRule rule, bool fromPack, string? area, long now, DateTimeOffset wallNow)
    {
        Channel = channel;
        Quantity = quantity;
        Rule = rule;
        RuleFromPack = fromPack;
        Area = area;
        LastReceived = now;
        Last = new Reading(channel, quantity, unit ?? rule.Unit ?? "", double.NaN,
            new Quality(QualityStatus.Uncertain, QualityReason.None), wallNow, wallNow, -1);
        Limits = NewLimits(rule);
        LevelAlarm = new AlarmInstance(this, rule.Id, AlarmKind.Level);
        FaultAlarm = new AlarmInstance(this, rule.FaultRuleId, AlarmKind.Fault) { Priority = 3 };
        if (rule.Rate is not null)
        {
            RateAlarm = new AlarmInstance(channel, rule.RateRuleId, AlarmKind.Rate, Last);
        }
    }

    public ChannelId Channel { get; }

    public string Quantity { get; }

    public string? Area { get; }

    public CompiledRule Rule;
    public bool RuleFromPack;
    public string? CheckedUnit;
    public bool UnitMismatch;
    public LimitState[] Limits;
    public AlarmInstance LevelAlarm;
    public AlarmInstance FaultAlarm;
    public AlarmInstance? RateAlarm;
    public VoteGroup? Vote;

    public Reading Last;
    public bool HasReading;
    public long LastSourceTicks = Clock.None;
    public long LastReceived;

    /// <summary>Whether the last reading may clear anything (good, in range, not stuck).</summary>
    public bool Usable;
    public QualityReason ReadingFault;
    public bool Stale;
    public QualityReason PendingFault;
    public long FaultPendingSince = Clock.None;
    public long FaultOffSince = Clock.None;
    public QualityReason ActiveFault;

    public double FlatValue = double.NaN;
    public long FlatSince = Clock.None;

    public long RateAnchorTicks = Clock.None;
    public double RateAnchorValue;
    public bool RateCondition;

    /// <summary>The debounced level of the limits, before latching: what voting counts.</summary>
    public AlarmLevel ConditionLevel;

    public static LimitState[] NewLimits(CompiledRule rule)
    {
        var limits = new LimitState[rule.Limits.Length];
        for (var i = 0; i < limits.Length; i++)
        {
            limits[i].PendingSince = Clock.None;
        }

        return limits;
    }
}

/// <summary>The detectors of one area under one rule, and their voted alarm.</summary>
internal sealed class VoteGroup(AlarmInstance alarm, CompiledRule rule)
{
    public AlarmInstance Alarm { get; } = alarm;

    public CompiledRule Rule { get; } = rule;

    public List<ChannelMachine> Members { get; } = [];

    public string LimitName = "";
}

/// <summary>Per-site flood accounting.</summary>
internal sealed class SiteState(AlarmInstance flood)
{
    public AlarmInstance Flood { get; } = flood;

    public Queue<long> Raised { get; } = new();
}
