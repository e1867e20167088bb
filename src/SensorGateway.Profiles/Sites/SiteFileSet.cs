using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Yaml;

namespace SensorGateway.Profiles.Sites;

/// <summary>
/// Loads the site files of one gateway: each file as <see cref="SiteFileLoader"/> checks it, then what only shows
/// across files — a site id or an MQTT topic used twice (the gateway could not tell the sites' readings apart).
/// Every problem of every file is reported in one <see cref="ConfigurationFileException"/>.
/// </summary>
public static class SiteFileSet
{
    /// <param name="paths">The site files, in order; the first is the gateway's home site.</param>
    /// <param name="profiles">Firmware profiles by id, for devices that name one; null when none are loaded.</param>
    public static GatewaySites Load(IReadOnlyList<string> paths, IReadOnlyDictionary<string, FirmwareProfile>? profiles = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var errors = new List<ConfigurationError>();
        var sites = new List<SiteDefinition>();
        var siteFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        var topics = new Dictionary<string, (string Site, string Device)>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            SiteDefinition site;
            try
            {
                site = SiteFileLoader.Load(path, profiles);
            }
            catch (ConfigurationFileException ex)
            {
                errors.AddRange(ex.Errors);
                continue;
            }

            if (!siteFiles.TryAdd(site.Id, path))
            {
                errors.Add(ErrorIn(path, (document, reader) => reader.ErrorAt(document.Site, "site.id",
                    $"site id '{site.Id}' is already used by {siteFiles[site.Id]}; each site file needs its own site id")));
                continue;
            }

            for (var i = 0; i < site.Devices.Count; i++)
            {
                if (site.Devices[i].Address is MqttDeviceAddress mqtt && !topics.TryAdd(mqtt.Topic, (site.Id, site.Devices[i].Id)))
                {
                    var (otherSite, otherDevice) = topics[mqtt.Topic];
                    var index = i;
                    errors.Add(ErrorIn(path, (document, reader) => reader.ErrorAt(document.Devices![index].Mqtt, $"devices[{index}].mqtt.topic",
                        $"topic '{mqtt.Topic}' is already used by device '{otherDevice}' of site '{otherSite}' ({siteFiles[otherSite]})")));
                }
            }

            sites.Add(site);
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationFileException(errors);
        }

        return new GatewaySites(sites);
    }

    // Positions are only needed for a cross-file error, so the file is read again then rather than kept for every site.
    private static ConfigurationError ErrorIn(string path, Func<SiteFileDocument, StrictYamlReader, ConfigurationError> locate)
    {
        var (document, reader) = StrictYamlReader.Read<SiteFileDocument>(path, File.ReadAllText(path));
        return locate(document, reader);
    }
}
