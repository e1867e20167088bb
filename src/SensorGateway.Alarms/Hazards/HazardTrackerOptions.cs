using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Hazards;

/// <summary>How alarm events become hazard records.</summary>
public sealed class HazardTrackerOptions
{
    /// <summary>Record id prefix; ids read <c>YH-yyyyMMdd-0001</c>.</summary>
    public string IdPrefix { get; set; } = "YH";

    /// <summary>The sector code (<see cref="Core.Sites.Sectors"/>) of a channel's site. Default: <c>unknown</c>.</summary>
    public Func<ChannelId, string> SectorOf { get; set; } = static _ => "unknown";

    /// <summary>The location text of a channel (部位/场所). Default: the channel path.</summary>
    public Func<ChannelId, string> LocationOf { get; set; } = static channel => channel.ToString();

    /// <summary>Open records for fault alarms too (a lost detector may itself be a hazard, 安监总管三〔2017〕121号 (十二)). Default true.</summary>
    public bool OpenOnFaults { get; set; } = true;
}
