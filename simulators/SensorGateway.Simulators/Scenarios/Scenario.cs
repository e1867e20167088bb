namespace SensorGateway.Simulators.Scenarios;

/// <summary>
/// A scripted, seeded run of a site: what happens when, and what the gateway must report. Loaded by
/// <see cref="ScenarioLoader"/>; the same seed and events replay the same readings.
/// </summary>
/// <param name="SiteFile">The site file, resolved against the scenario file's folder.</param>
/// <param name="Speed">Scenario seconds per wall-clock second (1 = real time).</param>
/// <param name="StartHour">Local hour of day at scenario time zero, for diurnal signals.</param>
public sealed record Scenario(
    string Name,
    string Description,
    string File,
    string SiteFile,
    int Seed,
    TimeSpan Duration,
    double Speed,
    double StartHour,
    IReadOnlyList<ScenarioEvent> Events,
    IReadOnlyList<ExpectedAlarm> ExpectedAlarms);
