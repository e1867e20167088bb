namespace SensorGateway.Host.Demo;

/// <summary>The built-in simulated site, used by the <c>demo</c> command.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Play the site's MQTT devices against the gateway's broker. Off unless started with <c>demo</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Device and channel where the leak starts. Defaults to gd-02/lel of the demo fuel station.</summary>
    public string LeakDevice { get; set; } = "gd-02";

    public string LeakChannel { get; set; } = "lel";

    /// <summary>When the leak starts after the simulation begins. Defaults to 10 s.</summary>
    public TimeSpan LeakStartsAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How fast the leak rises, in the channel's unit per second. Defaults to 2.</summary>
    public double LeakRatePerSecond { get; set; } = 2;

    /// <summary>Where the leak levels off. Defaults to 62.</summary>
    public double LeakPeak { get; set; } = 62;

    /// <summary>Stop the gateway after this long (0 runs until Ctrl-C). Used by smoke tests.</summary>
    public TimeSpan StopAfter { get; set; } = TimeSpan.Zero;
}
