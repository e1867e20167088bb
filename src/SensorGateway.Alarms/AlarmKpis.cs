namespace SensorGateway.Alarms;

/// <summary>Alarm-management KPIs at one moment (the same figures the meter publishes).</summary>
public sealed record AlarmKpis
{
    public long Readings { get; init; }

    public long OutOfOrderReadings { get; init; }

    public long ClockJumps { get; init; }

    public long Raised { get; init; }

    /// <summary>Times an alarm was found chattering (≥ the configured cycles per window).</summary>
    public long ChatteringDetections { get; init; }

    public int ChatteringNow { get; init; }

    public long Floods { get; init; }

    public int FloodedSites { get; init; }

    public int Active { get; init; }

    /// <summary>Active longer than the standing threshold (24 h by default).</summary>
    public int Standing { get; init; }

    public int StaleChannels { get; init; }

    public int Shelved { get; init; }

    public int Suppressed { get; init; }

    public int OutOfService { get; init; }

    public long RejectedCommands { get; init; }

    /// <summary>Alarms raised within the flood window (10 minutes by default), per site.</summary>
    public IReadOnlyDictionary<string, int> RaisedInWindowBySite { get; init; } = new Dictionary<string, int>();
}
