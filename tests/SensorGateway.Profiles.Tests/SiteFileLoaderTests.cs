using System.Globalization;
using System.Text;
using SensorGateway.Core.Sites;
using SensorGateway.Profiles;
using SensorGateway.Profiles.Sites;

namespace SensorGateway.Profiles.Tests;

/// <summary>
/// Golden test-case folders under testcases/sites/: each holds a site.yaml and either expected.txt (the
/// loaded site, summarised) or load.err (every error, one per line, exactly as an integrator sees it).
/// </summary>
public sealed class SiteFileLoaderTests
{
    private static readonly string s_root = Path.Combine(AppContext.BaseDirectory, "testcases", "sites");
    private static readonly IReadOnlyDictionary<string, Firmware.FirmwareProfile> s_profiles =
        Firmware.FirmwareProfileLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "firmware-profiles"));

    public static TheoryData<string> Cases() => new(Directory.GetDirectories(s_root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_TestCase_MatchesGolden(string name)
    {
        var folder = Path.Combine(s_root, name);
        var yaml = File.ReadAllText(Path.Combine(folder, "site.yaml"));
        var expectedError = Path.Combine(folder, "load.err");
        if (File.Exists(expectedError))
        {
            var ex = Assert.Throws<ConfigurationFileException>(() => SiteFileLoader.Parse("site.yaml", yaml, s_profiles));
            Assert.Equal(Lines(File.ReadAllText(expectedError)), ex.Errors.Select(e => e.ToString()).ToArray());
        }
        else
        {
            var site = SiteFileLoader.Parse("site.yaml", yaml, s_profiles);
            Assert.Equal(Lines(File.ReadAllText(Path.Combine(folder, "expected.txt"))), Lines(Summarise(site)));
        }
    }

    [Fact]
    public void Load_MissingFile_NamesTheSetting()
    {
        var ex = Assert.Throws<ConfigurationFileException>(() => SiteFileLoader.Load("/nonexistent/site.yaml"));
        Assert.Equal("/nonexistent/site.yaml: (file): the site file does not exist; check Gateway:SiteFile", ex.Message);
    }

    [Fact]
    public void Load_ShippedDemoSite_IsValid()
    {
        var site = SiteFileLoader.Load(Path.Combine(AppContext.BaseDirectory, "shipped-sites", "demo-fuel-station.yaml"));
        Assert.Equal("demo-fuel-01", site.Id);
        Assert.Equal("fuel_stations", site.Sector.Code);
        Assert.Equal(["gd-01", "gd-02", "gd-03", "atg-01"], site.Devices.Select(d => d.Id));
        Assert.All(site.Channels, c => Assert.Same(c.Id.Site, site.Id));
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Summarise(SiteDefinition site)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"site {site.Id} '{site.Name}' sector {site.Sector.Code}");
        foreach (var device in site.Devices)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{device.Id} {device.Address} poll {device.PollInterval.TotalMilliseconds}ms{(device.Profile is null ? "" : " profile " + device.Profile)}");
            foreach (var channel in device.Channels)
            {
                var rule = channel.Alarm is null
                    ? "(pack)"
                    : channel.Alarm.Id + ": " + string.Join("; ", channel.Alarm.Limits.Select(l => string.Create(CultureInfo.InvariantCulture,
                        $"{l.Name} {l.Level.ToString().ToLowerInvariant()} {l.Direction.ToString().ToLowerInvariant()} {l.SetPoint} db {l.Deadband} on {l.OnDelay.TotalMilliseconds}ms")));
                text.AppendLine(CultureInfo.InvariantCulture, $"  {channel.Id.Channel} {channel.Quantity} {channel.Unit} rule {rule}");
            }
        }

        return text.ToString();
    }
}
