using SensorGateway.Core.Readings;

namespace SensorGateway.Core.Alarms;

/// <summary>
/// Fail-safe quality rules of a channel. A reading that is not good never clears an alarm and never counts as
/// normal; a bad one (and a stale or flatlined channel) raises the channel's fault alarm after that cause's delays.
/// </summary>
public sealed record QualityRuleDefinition
{
    /// <summary>How often the channel is expected to report. Not confirmed by a found clause: configurable.</summary>
    public TimeSpan ExpectedInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stale after this many expected intervals without any reading. Zero disables stale detection.</summary>
    public int StaleIntervals { get; init; } = 3;

    /// <summary>
    /// A good signal stuck within <see cref="FlatlineTolerance"/> for this long is a flatline fault. Zero (default)
    /// disables it: a clean-air gas detector legitimately reads 0 for days.
    /// </summary>
    public TimeSpan FlatlineAfter { get; init; }

    /// <summary>The band, in the channel's unit, within which a signal counts as stuck.</summary>
    public double FlatlineTolerance { get; init; }

    /// <summary>Lowest valid value; below it the reading is out of range (fault). NaN for no bound.</summary>
    public double ValidMin { get; init; } = double.NaN;

    /// <summary>Highest valid value; above it the reading is out of range (fault), yet it can still raise a high limit.</summary>
    public double ValidMax { get; init; } = double.NaN;

    /// <summary>Discrete values that mean "sensor fault", e.g. 2 (sensor out) on an interstitial leak sensor.</summary>
    public IReadOnlyList<double> FaultValues { get; init; } = [];

    /// <summary>Default delays for every fault cause not listed in <see cref="Faults"/>.</summary>
    public TimeSpan FaultOnDelay { get; init; }

    /// <summary>Default off-delay for every fault cause not listed in <see cref="Faults"/>.</summary>
    public TimeSpan FaultOffDelay { get; init; }

    /// <summary>Per-cause overrides of the fault delays.</summary>
    public IReadOnlyList<FaultDelayDefinition> Faults { get; init; } = [];

    /// <summary>The stale threshold: <see cref="ExpectedInterval"/> × <see cref="StaleIntervals"/>.</summary>
    public TimeSpan StaleAfter => StaleIntervals <= 0 ? TimeSpan.Zero : ExpectedInterval * StaleIntervals;
}
