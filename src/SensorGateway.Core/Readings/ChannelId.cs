namespace SensorGateway.Core.Readings;

/// <summary>
/// Identifies one measured channel: site, device and channel name. Built once per configured
/// channel and shared by every reading of it, so the hot path compares references before strings.
/// </summary>
public sealed class ChannelId : IEquatable<ChannelId>
{
    private readonly int _hash;

    public ChannelId(string site, string device, string channel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(site);
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        Site = site;
        Device = device;
        Channel = channel;
        _hash = HashCode.Combine(
            StringComparer.Ordinal.GetHashCode(site),
            StringComparer.Ordinal.GetHashCode(device),
            StringComparer.Ordinal.GetHashCode(channel));
    }

    public string Site { get; }

    public string Device { get; }

    public string Channel { get; }

    public bool Equals(ChannelId? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && _hash == other._hash &&
         string.Equals(Site, other.Site, StringComparison.Ordinal) &&
         string.Equals(Device, other.Device, StringComparison.Ordinal) &&
         string.Equals(Channel, other.Channel, StringComparison.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as ChannelId);

    public override int GetHashCode() => _hash;

    /// <summary>The path form used in logs, topics and record locations: <c>site/device/channel</c>.</summary>
    public override string ToString() => $"{Site}/{Device}/{Channel}";

    public static bool operator ==(ChannelId? left, ChannelId? right) => Equals(left, right);

    public static bool operator !=(ChannelId? left, ChannelId? right) => !Equals(left, right);
}
