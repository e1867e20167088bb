using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;
using SensorGateway.Core.Sites;

namespace SensorGateway.Simulators.Tests;

/// <summary>The shipped site, scenario and profile files, as copied next to the tests.</summary>
internal static class TestFiles
{
    private static readonly Lazy<IReadOnlyDictionary<string, FirmwareProfile>> s_profiles =
        new(() => FirmwareProfileLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "firmware-profiles")));

    public static IReadOnlyDictionary<string, FirmwareProfile> Profiles => s_profiles.Value;

    public static string Scenario(string name) => Path.Combine(AppContext.BaseDirectory, "scenarios", name + ".yaml");

    public static string SiteFile(string name) => Path.Combine(AppContext.BaseDirectory, "sites", name + ".yaml");

    public static SiteDefinition Site(string name, Func<string, string>? rewrite = null)
    {
        var path = SiteFile(name);
        var yaml = File.ReadAllText(path);
        return SiteFileLoader.Parse(path, rewrite is null ? yaml : rewrite(yaml), Profiles);
    }

    public static readonly string[] ShippedScenarios = ["demo-fuel-leak", "demo-farm-overfill", "fuel-station-delivery-leak", "chemical-tank-farm", "city-gas-kitchen"];
}
