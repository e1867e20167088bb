using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Hazards;

/// <summary>What a subscriber asked to see: site, sector, minimum level and record states. Filters skip events, never sequence numbers.</summary>
public sealed record HazardEventFilter(string Site, string Sector, AlarmLevel MinLevel, IReadOnlySet<HazardStatus> Statuses)
{
    /// <summary>Everything.</summary>
    public static HazardEventFilter All { get; } = new("", "", AlarmLevel.Unspecified, new HashSet<HazardStatus>());

    public static HazardEventFilter From(SubscribeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request.Site, request.Sector, request.MinLevel, request.Statuses.ToHashSet());
    }

    public bool Matches(HazardEvent hazardEvent)
    {
        ArgumentNullException.ThrowIfNull(hazardEvent);
        return (Site.Length == 0 || string.Equals(Site, SiteOf(hazardEvent), StringComparison.Ordinal)) &&
               (Sector.Length == 0 || string.Equals(Sector, hazardEvent.Record?.Sector, StringComparison.Ordinal)) &&
               LevelOf(hazardEvent) >= MinLevel &&
               (Statuses.Count == 0 || (hazardEvent.Record is { } record && Statuses.Contains(record.Status)));
    }

    /// <summary>The site of the event's alarm or record.</summary>
    public static string SiteOf(HazardEvent hazardEvent) => hazardEvent.Alarm?.Site ?? hazardEvent.Record?.Site ?? "";

    /// <summary>
    /// The level an event is filtered by: its record's level (the highest seen), else its alarm's, so that a
    /// level-2 record's clearing and its lifecycle steps reach a level-2 subscriber.
    /// </summary>
    public static AlarmLevel LevelOf(HazardEvent hazardEvent) => hazardEvent.Record?.Level ?? hazardEvent.Alarm?.Level ?? AlarmLevel.Unspecified;
}
