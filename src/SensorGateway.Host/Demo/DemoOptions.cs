namespace SensorGateway.Host.Demo;

/// <summary>
/// The built-in simulated sites, used by the <c>demo</c> command.
/// <code>
/// "Demo": { "Enabled": true, "Scenarios": [ "scenarios/demo-fuel-leak.yaml", "scenarios/demo-farm-overfill.yaml" ], "Speed": 1, "Follow": false }
/// </code>
/// </summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Play the scenarios against the gateway. Off unless started with <c>demo</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The scenario files, one per site, relative to the working directory or to the program. Each scenario's site
    /// must be one of the gateway's sites (<c>Gateway:SiteFiles</c>). The <c>demo</c> command gives the fuel station's
    /// leak and the tank farm's overfill unless the command line names others.
    /// </summary>
    public List<string> Scenarios { get; set; } = [];

    /// <summary>Scenario seconds per wall-clock second. Defaults to 1 (real time).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Keep the gateway and the simulated sites running after the scenarios end (<c>--follow</c>). Defaults to false: stop with a report.</summary>
    public bool Follow { get; set; }

    /// <summary>How often the live summary lines are written, in wall-clock time. Defaults to 5 s.</summary>
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Stop the gateway after this long (0: at the scenarios' end, or never with <see cref="Follow"/>).</summary>
    public TimeSpan StopAfter { get; set; } = TimeSpan.Zero;
}
