using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;

namespace SensorGateway.Host.Hazards;

/// <summary>
/// Where a hazard record says its channel is: "location / device name / channel" for a channel of the site files,
/// the channel id otherwise. The devices are looked up by (site, device) and the text is made when a record opens:
/// a prepared string per channel cost ~80 bytes each at 50,000 channels, for records that open rarely.
/// </summary>
internal static class ChannelLocations
{
    public static Func<ChannelId, string> Of(GatewaySites sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var devices = new Dictionary<(string Site, string Device), DeviceDefinition>();
        foreach (var device in sites.Devices)
        {
            foreach (var channel in device.Channels)
            {
                devices.TryAdd((channel.Id.Site, channel.Id.Device), device);
            }
        }

        return channel => devices.TryGetValue((channel.Site, channel.Device), out var device) && device.Channels.Any(c => c.Id == channel)
            ? $"{device.Location} / {device.Name} / {channel.Channel}"
            : channel.ToString();
    }
}
