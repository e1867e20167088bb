namespace SensorGateway.Simulators.Scenarios;

/// <summary>One timed event of a scenario. Which fields matter depends on <see cref="Type"/>.</summary>
/// <param name="At">Scenario time the event starts.</param>
/// <param name="Until">Scenario time the event ends, or null for events that last (leaks, drift, deliveries use <see cref="Duration"/>).</param>
/// <param name="Line">Line in the scenario file, for messages.</param>
public sealed record ScenarioEvent(
    ScenarioEventType Type,
    TimeSpan At,
    TimeSpan? Until,
    string? Device,
    string? Channel,
    double Rate,
    double? Peak,
    double? Value,
    TimeSpan? Duration,
    int Bit,
    int Code,
    IReadOnlyList<LeakSpread> Spread,
    int Line)
{
    /// <summary>Whether the event's window covers <paramref name="elapsed"/>.</summary>
    public bool IsActiveAt(TimeSpan elapsed) => elapsed >= At && (Until is null || elapsed < Until);
}

/// <summary>A neighbour a leak reaches: <see cref="Delay"/> later, at <see cref="Factor"/> of the source's rate and peak.</summary>
public sealed record LeakSpread(string Device, string Channel, TimeSpan Delay, double Factor);
