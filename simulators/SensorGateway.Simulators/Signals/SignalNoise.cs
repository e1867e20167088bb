namespace SensorGateway.Simulators.Signals;

/// <summary>
/// Deterministic noise: a pure function of (seed, stream, step), so a value at a given time is the same
/// whichever order, or however often, it is asked for. SplitMix64 finalizer over the three inputs.
/// </summary>
public static class SignalNoise
{
    /// <summary>Noise changes value every <see cref="Step"/> of scenario time.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>A number in [-1, 1).</summary>
    public static double Uniform(int seed, int stream, TimeSpan elapsed) => Uniform(seed, stream, elapsed.Ticks / Step.Ticks);

    /// <summary>A number in [-1, 1).</summary>
    public static double Uniform(int seed, int stream, long step)
    {
        var x = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)stream * 0x9E3779B97F4A7C15UL) ^ ((ulong)step * 0xBF58476D1CE4E5B9UL));
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return ((x >> 11) * (1.0 / (1UL << 53)) * 2) - 1;
    }
}
