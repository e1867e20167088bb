using SensorGateway.Core.Sites;
using SensorGateway.Host.Configuration;
using SensorGateway.Profiles;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;
using SensorGateway.Simulators.Scenarios;

namespace SensorGateway.Host.Demo;

/// <summary>One site of the demo: the gateway's own definition of it and the scenario it plays.</summary>
internal sealed record DemoSite(SiteDefinition Site, Scenario Scenario)
{
    /// <summary>
    /// Loads the demo's scenarios and pairs each with the gateway site it plays, matched by site id (the scenario names
    /// a site file; the gateway may have loaded the same site from another path). Every problem is reported at once.
    /// </summary>
    /// <exception cref="ConfigurationFileException">A scenario is broken, plays a site the gateway does not host, or shares a site with another.</exception>
    public static IReadOnlyList<DemoSite> Load(IReadOnlyList<string> scenarioFiles, GatewaySites sites, FirmwareProfileCatalog profiles)
    {
        var errors = new List<ConfigurationError>();
        var demo = new List<DemoSite>();
        foreach (var file in scenarioFiles)
        {
            try
            {
                var scenario = ScenarioLoader.Load(SiteConfigurationExtensions.Resolve(file));
                var siteId = SiteFileLoader.Load(scenario.SiteFile, profiles.Profiles).Id;
                if (sites.Find(siteId) is not { } site)
                {
                    errors.Add(new ConfigurationError(scenario.File, 0, 0, "scenario.site",
                        $"plays site '{siteId}' ({scenario.SiteFile}), which the gateway does not host; add that file to Gateway:SiteFiles"));
                }
                else if (demo.Find(d => d.Site == site) is { } other)
                {
                    errors.Add(new ConfigurationError(scenario.File, 0, 0, "scenario.site",
                        $"site '{siteId}' is already played by {other.Scenario.File}; give each site one scenario"));
                }
                else
                {
                    demo.Add(new DemoSite(site, scenario));
                }
            }
            catch (ConfigurationFileException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        return errors.Count > 0 ? throw new ConfigurationFileException(errors) : demo;
    }
}
