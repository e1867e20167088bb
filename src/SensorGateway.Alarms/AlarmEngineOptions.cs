namespace SensorGateway.Alarms;

/// <summary>
/// Engine-wide alarm-management settings. KPI thresholds are the ISA-18.2 / EEMUA 191 figures of domain-brief §6 [S];
/// the rest are [NC] defaults: configurable.
/// </summary>
public sealed class AlarmEngineOptions
{
    public const string SectionName = "Alarms";

    /// <summary>How often time-based rules (delays, stale, re-alarm, shelve expiry, chatter release) are evaluated. Default 1 s.</summary>
    public TimeSpan TimerResolution { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Activations within <see cref="ChatterWindow"/> that make an alarm chattering. Default 3 ([S] ≥ 3 per minute).</summary>
    public int ChatterCycles { get; set; } = 3;

    /// <summary>Default 1 minute.</summary>
    public TimeSpan ChatterWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A chattering alarm stays suppressed until it has not activated for this long. Default 10 minutes [NC].</summary>
    public TimeSpan ChatterRelease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Suppress chattering alarms (escalation to a higher level always breaks through). Default true.</summary>
    public bool SuppressChattering { get; set; } = true;

    /// <summary>A site is flooded when more than this many alarms were raised within <see cref="FloodWindow"/>. Default 10 [S].</summary>
    public int FloodThreshold { get; set; } = 10;

    /// <summary>Default 10 minutes [S].</summary>
    public TimeSpan FloodWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An alarm active longer than this is standing (stale, in ISA-18.2 KPI words). Default 24 h [S].</summary>
    public TimeSpan StandingAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest an operator may shelve an alarm. Default 8 h [NC].</summary>
    public TimeSpan MaxShelveDuration { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// A reading older than the channel's last by more than this is taken as a device clock jump (accepted, counted)
    /// rather than an out-of-order reading (ignored, counted). Default 1 h.
    /// </summary>
    public TimeSpan DeviceClockJump { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The engine clock moving back, or forward by more than this between two steps (which come at least every
    /// <see cref="TimerResolution"/>), is a clock jump: the jump does not count as elapsed time for delays and
    /// stale timers. Default 1 minute.
    /// </summary>
    public TimeSpan MaxClockStep { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"{SectionName}:{name} must be positive.", name);
            }
        }

        Positive(TimerResolution, nameof(TimerResolution));
        Positive(ChatterWindow, nameof(ChatterWindow));
        Positive(ChatterRelease, nameof(ChatterRelease));
        Positive(FloodWindow, nameof(FloodWindow));
        Positive(StandingAfter, nameof(StandingAfter));
        Positive(MaxShelveDuration, nameof(MaxShelveDuration));
        Positive(DeviceClockJump, nameof(DeviceClockJump));
        if (MaxClockStep <= TimerResolution)
        {
            throw new ArgumentException($"{SectionName}:{nameof(MaxClockStep)} must be longer than {nameof(TimerResolution)}.", nameof(MaxClockStep));
        }

        if (ChatterCycles < 2)
        {
            throw new ArgumentException($"{SectionName}:{nameof(ChatterCycles)} must be at least 2.", nameof(ChatterCycles));
        }

        if (FloodThreshold < 1)
        {
            throw new ArgumentException($"{SectionName}:{nameof(FloodThreshold)} must be at least 1.", nameof(FloodThreshold));
        }
    }
}
