namespace SensorGateway.Storage.Spool;

/// <summary>Settings of the in-memory spool (<see cref="MemoryReadingSpool"/>).</summary>
public sealed class MemorySpoolOptions
{
    /// <summary>
    /// The quota, counted as the records' encoded size (what they would take in a file spool).
    /// Defaults to 256 MiB, about 2.5 million readings.
    /// </summary>
    public long MaxBytes { get; set; } = 256L << 20;

    /// <summary>What happens when the quota is full. Defaults to <see cref="SpoolFullPolicy.DropOldest"/>.</summary>
    public SpoolFullPolicy FullPolicy { get; set; } = SpoolFullPolicy.DropOldest;

    /// <summary>Fraction of <see cref="MaxBytes"/> at which the quota warning is raised. Defaults to 0.8.</summary>
    public double WarningThreshold { get; set; } = 0.8;

    /// <summary>The problems with these settings, each naming its field; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxBytes <= 0)
        {
            errors.Add($"{nameof(MaxBytes)} is {MaxBytes}; it must be positive.");
        }

        if (!Enum.IsDefined(FullPolicy))
        {
            errors.Add($"{nameof(FullPolicy)} '{FullPolicy}' is not one of {string.Join(", ", Enum.GetNames<SpoolFullPolicy>())}.");
        }

        if (double.IsNaN(WarningThreshold) || WarningThreshold is <= 0 or > 1)
        {
            errors.Add($"{nameof(WarningThreshold)} is {WarningThreshold}; it must be above 0 and at most 1.");
        }

        return errors;
    }
}
