namespace SensorGateway.Core.Sites;

/// <summary>
/// The sites one gateway hosts, in the order their site files were given. One gateway may watch several
/// sites of an operator (a fuel station and a tank farm next to it); readings, alarms and hazard records
/// keep their own site through <see cref="Readings.ChannelId.Site"/>.
/// </summary>
public sealed class GatewaySites
{
    private readonly Dictionary<string, SiteDefinition> _byId;

    /// <exception cref="ArgumentException">No site, or two sites with one id.</exception>
    public GatewaySites(IEnumerable<SiteDefinition> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        Sites = [.. sites];
        if (Sites.Count == 0)
        {
            throw new ArgumentException("A gateway hosts at least one site.", nameof(sites));
        }

        _byId = new Dictionary<string, SiteDefinition>(StringComparer.Ordinal);
        foreach (var site in Sites)
        {
            if (!_byId.TryAdd(site.Id, site))
            {
                throw new ArgumentException($"Site id '{site.Id}' is given twice; each site needs its own id.", nameof(sites));
            }
        }
    }

    public IReadOnlyList<SiteDefinition> Sites { get; }

    /// <summary>The first site given: home of the gateway's own channels (e.g. <c>gateway/storage</c>).</summary>
    public SiteDefinition Home => Sites[0];

    /// <summary>Every device of every site.</summary>
    public IEnumerable<DeviceDefinition> Devices => Sites.SelectMany(s => s.Devices);

    /// <summary>Every channel of every site.</summary>
    public IEnumerable<ChannelDefinition> Channels => Sites.SelectMany(s => s.Channels);

    /// <summary>The site with this id, or null.</summary>
    public SiteDefinition? Find(string siteId) => _byId.GetValueOrDefault(siteId);

    /// <summary>The sector code of a site, or <c>unknown</c> for a site the gateway does not host.</summary>
    public string SectorOf(string siteId) => Find(siteId)?.Sector.Code ?? "unknown";
}
