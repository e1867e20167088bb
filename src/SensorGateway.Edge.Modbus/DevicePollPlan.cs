using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Registers;

namespace SensorGateway.Edge.Modbus;

/// <summary>Everything the poller needs for one device: its reads and where each channel's value lands.</summary>
internal sealed record DevicePollPlan(DeviceDefinition Device, FirmwareProfile Profile, byte UnitId, IReadOnlyList<ReadRequestPlan> Reads, IReadOnlyList<PolledChannel> Channels)
{
    public static DevicePollPlan Create(DeviceDefinition device, FirmwareProfile profile, byte unitId)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(profile);
        var modbus = profile.Modbus ?? throw new ArgumentException($"Profile {profile.Id} has no Modbus section.", nameof(profile));
        var byName = profile.Channels.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var profileChannels = device.Channels.Select(c => byName[c.Id.Channel]).ToList();
        var reads = ReadRequestPlanner.Plan(profileChannels, modbus.MaxRegistersPerRequest, modbus.MaxGap);
        var channels = device.Channels.Select((site, i) =>
        {
            var profileChannel = profileChannels[i];
            var (read, offset) = Locate(reads, profileChannel.Register!);
            var (statusRead, statusOffset) = profileChannel.Status is { } status ? Locate(reads, status.Layout) : (-1, 0);
            return new PolledChannel(site, profileChannel, read, offset, statusRead, statusOffset);
        }).ToList();
        return new DevicePollPlan(device, profile, unitId, reads, channels);
    }

    private static (int Read, int Offset) Locate(IReadOnlyList<ReadRequestPlan> reads, RegisterLayout layout)
    {
        for (var i = 0; i < reads.Count; i++)
        {
            var read = reads[i];
            if (read.Table == layout.Table && layout.Address >= read.Address && layout.End <= read.Address + read.Count)
            {
                return (i, layout.Address - read.Address);
            }
        }

        throw new InvalidOperationException($"No planned read covers {layout.Table} {layout.Address}; the planner and the profile disagree.");
    }

    /// <summary>The requests as an integrator reads them, for the dry run.</summary>
    public IEnumerable<string> Describe() =>
        Reads.Select(r => $"unit {UnitId} {r}");
}
