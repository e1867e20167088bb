namespace SensorGateway.Core.Sites;

/// <summary>One configured device of a site.</summary>
public sealed record DeviceDefinition(
    string Id,
    string Name,
    string Location,
    string? Profile,
    DeviceAddress Address,
    TimeSpan PollInterval,
    IReadOnlyList<ChannelDefinition> Channels,
    IReadOnlyDictionary<string, string> Tags);
