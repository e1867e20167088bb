namespace SensorGateway.Core.Sites;

/// <summary>A site as its site file describes it: what it is and which devices it has.</summary>
public sealed record SiteDefinition(string Id, string Name, Sector Sector, IReadOnlyList<DeviceDefinition> Devices)
{
    /// <summary>Every channel of every device.</summary>
    public IEnumerable<ChannelDefinition> Channels => Devices.SelectMany(d => d.Channels);
}
