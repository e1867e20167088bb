namespace SensorGateway.Alarms;

/// <summary>A channel's last accepted source time.</summary>
public sealed record ChannelMark(string Site, string Device, string Channel, DateTimeOffset LastSourceTime);
