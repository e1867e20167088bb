using System.Collections.ObjectModel;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;

namespace SensorGateway.Profiles.Sites;

/// <summary>
/// Makes a loaded site model cheap to hold at tens of thousands of channels. The YAML parser gives every scalar its
/// own string, so a site of 50,000 detectors held 50,000 copies each of <c>gas.combustible</c>, <c>%LEL</c> and
/// <c>lel</c>; here one instance of each repeated text is shared (the site id, channel ids, quantities, units, Modbus
/// hosts), each device's channels are kept in an array of exactly their number, and devices without tags share one
/// empty map. Values and order are unchanged: only which instances hold them.
/// </summary>
internal static class SiteModelCompaction
{
    /// <summary>The tags of a device that has none (one instance for all of them).</summary>
    public static IReadOnlyDictionary<string, string> NoTags { get; } = ReadOnlyDictionary<string, string>.Empty;

    public static DeviceDefinition[] Compact(string siteId, IReadOnlyList<DeviceDefinition> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var pool = new HashSet<string>(StringComparer.Ordinal) { siteId };
        var compact = new DeviceDefinition[devices.Count];
        for (var d = 0; d < devices.Count; d++)
        {
            var device = devices[d];
            var channels = new ChannelDefinition[device.Channels.Count];
            for (var c = 0; c < channels.Length; c++)
            {
                var channel = device.Channels[c];
                var id = channel.Id;
                channels[c] = new ChannelDefinition(
                    new ChannelId(Share(pool, id.Site), id.Device, Share(pool, id.Channel)),
                    Share(pool, channel.Quantity), Share(pool, channel.Unit), channel.Alarm);
            }

            compact[d] = device with
            {
                Address = device.Address switch
                {
                    ModbusTcpDeviceAddress tcp => tcp with { Host = Share(pool, tcp.Host) },
                    ModbusRtuOverTcpDeviceAddress rtu => rtu with { Host = Share(pool, rtu.Host) },
                    _ => device.Address,
                },
                Channels = channels,
                Tags = device.Tags.Count == 0 ? NoTags : device.Tags,
            };
        }

        return compact;
    }

    /// <summary>The pool's instance of <paramref name="text"/>, added when it is the first.</summary>
    internal static string Share(HashSet<string> pool, string text)
    {
        if (pool.TryGetValue(text, out var shared))
        {
            return shared;
        }

        pool.Add(text);
        return text;
    }
}
