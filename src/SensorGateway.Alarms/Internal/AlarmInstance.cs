using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;
using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Internal;

internal enum AlarmKind
{
    Level = 0,
    Fault,
    Rate,
    Vote,
    Flood,
}

/// <summary>
/// The ISA-18.2 state of one alarm (channel × rule). Mutable, touched only under the engine's gate.
/// Times are on the engine's monotonic clock (ticks); <see cref="Clock.None"/> when unset.
/// </summary>
/// <summary>
/// One alarm's state. The reading that last drove it (<see cref="Trigger"/>) is, for a channel's level and fault
/// alarms, always that channel's last reading — both are driven on every reading — so those two read it from their
/// <see cref="ChannelMachine"/> instead of each holding an 80-byte copy; rate, vote and flood alarms keep their own.
/// </summary>
internal sealed class AlarmInstance
{
    private readonly ChannelMachine? _machine;
    private readonly OwnTrigger? _own;

    /// <summary>A level or fault alarm of <paramref name="machine"/>: its trigger is the machine's last reading.</summary>
    public AlarmInstance(ChannelMachine machine, string ruleId, AlarmKind kind)
    {
        Channel = machine.Channel;
        RuleId = ruleId;
        Kind = kind;
        _machine = machine;
    }

    /// <summary>An alarm that keeps its own trigger, starting with <paramref name="initialTrigger"/>.</summary>
    public AlarmInstance(ChannelId channel, string ruleId, AlarmKind kind, Reading initialTrigger)
    {
        Channel = channel;
        RuleId = ruleId;
        Kind = kind;
        _own = new OwnTrigger { Reading = initialTrigger };
    }

    public ChannelId Channel { get; }

    public string RuleId { get; }

    public AlarmKind Kind { get; }

    /// <summary>The order in which the engine registered this alarm (commands act on a channel's alarms in this order).</summary>
    public int Order { get; set; }

    /// <summary>The reading that last drove this alarm.</summary>
    public Reading Trigger => _machine is not null ? _machine.Last : _own!.Reading;

    /// <summary>Sets the trigger of an alarm that keeps its own (rate, vote, flood).</summary>
    public void SetTrigger(in Reading reading)
    {
        if (_own is null)
        {
            throw new InvalidOperationException($"Alarm {RuleId} of {Channel} takes its trigger from the channel's last reading.");
        }

        _own.Reading = reading;
    }

    public AlarmLevel Level;
    public string Limit = "";
    public double SetPoint = double.NaN;
    public int Priority = 2;
    public HazardGrade Grade = HazardGrade.General;

    /// <summary>Active: the condition holds, or held and the alarm is latched.</summary>
    public bool Active;
    public bool Acked = true;

    /// <summary>The condition returned to normal but the alarm waits for a reset.</summary>
    public bool Latched;
    public long ShelvedUntil = Clock.None;
    public bool Suppressed;
    public bool OutOfService;
    public bool ChatterSuppressed;
    public bool ChangedWhileHidden;
    public long ActiveSince = Clock.None;
    public long LastAnnounced = Clock.None;
    public long LastActivation = Clock.None;
    public AlarmLevel ChatterLevel;
    public int ChatterCount;
    public long[]? Activations;
    public int ActivationNext;
    public int ActivationFill;

    public bool Shelved => ShelvedUntil != Clock.None;

    public bool Hidden => OutOfService || Shelved || Suppressed || ChatterSuppressed;

    /// <summary>Anything an operator or a restart must know about: not plain normal.</summary>
    public bool IsNotNormal => Active || !Acked || Hidden;

    public AlarmState State =>
        OutOfService ? AlarmState.OutOfService
        : Shelved ? AlarmState.Shelved
        : Suppressed || ChatterSuppressed ? AlarmState.Suppressed
        : Active && Latched ? AlarmState.Latched
        : Active ? (Acked ? AlarmState.AcknowledgedActive : AlarmState.UnacknowledgedActive)
        : Acked ? AlarmState.Normal : AlarmState.UnacknowledgedReturnToNormal;
}

/// <summary>The engine's monotonic clock conventions.</summary>
/// <summary>The trigger of an alarm that is not a channel's level or fault alarm.</summary>
internal sealed class OwnTrigger
{
    public Reading Reading;
}

internal static class Clock
{
    public const long None = long.MinValue;
}
