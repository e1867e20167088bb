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
internal sealed class AlarmInstance(ChannelId channel, string ruleId, AlarmKind kind, Reading initialTrigger)
{
    public ChannelId Channel { get; } = channel;

    public string RuleId { get; } = ruleId;

    public AlarmKind Kind { get; } = kind;

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
    public Reading Trigger = initialTrigger;

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
internal static class Clock
{
    public const long None = long.MinValue;
}
