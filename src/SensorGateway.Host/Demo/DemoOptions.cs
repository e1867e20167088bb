namespace SensorGateway.Host.Demo;

/// <summary>
/// The built-in simulated site, used by the <c>demo</c> command.
/// <code>
/// "Demo": { "Enabled": true, "Scenario": "scenarios/demo-fuel-leak.yaml", "Speed": 1, "Follow": false, "StopAfter": "00:00:00" }
/// </code>
/// </summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Play the scenario against the gateway. Off unless started with <c>demo</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The scenario file, relative to the working directory or to the program. Its site must be the gateway's site.</summary>
    public string Scenario { get; set; } = "scenarios/demo-fuel-leak.yaml";

    /// <summary>Scenario seconds per wall-clock second. Defaults to 1 (real time).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Keep the gateway and the simulated site running after the scenario ends (<c>--follow</c>). Defaults to false: stop with a report.</summary>
    public bool Follow { get; set; }

    /// <summary>How often the live summary line is written, in wall-clock time. Defaults to 5 s.</summary>
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Stop the gateway after this long (0: at the scenario's end, or never with <see cref="Follow"/>).</summary>
    public TimeSpan StopAfter { get; set; } = TimeSpan.Zero;
}
