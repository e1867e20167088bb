using SensorGateway.Profiles.Sites;

namespace SensorGateway.Profiles.Tests;

/// <summary>Several site files for one gateway: each checked on its own, then site ids and MQTT topics across files.</summary>
public sealed class SiteFileSetTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sensorgateway-sites-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_TwoSites_KeepsOrderAndTellsTheirSectorsApart()
    {
        var station = Write("station.yaml", Site("station-1", "fuel_stations", "sites/station-1/gd-01"));
        var farm = Write("farm.yaml", Site("farm-3", "hazardous_chemicals", "sites/farm-3/gd-01"));

        var sites = SiteFileSet.Load([station, farm]);

        Assert.Equal(["station-1", "farm-3"], sites.Sites.Select(s => s.Id));
        Assert.Equal("station-1", sites.Home.Id);
        Assert.Equal(["station-1/gd-01/lel", "farm-3/gd-01/lel"], sites.Channels.Select(c => c.Id.ToString()));
        Assert.Equal("hazardous_chemicals", sites.SectorOf("farm-3"));
        Assert.Equal("unknown", sites.SectorOf("elsewhere"));
    }

    [Theory]
    [InlineData("station-1", "sites/b/gd-01", "{second}:2:3: site.id: site id 'station-1' is already used by {first}; each site file needs its own site id")]
    [InlineData("station-2", "sites/a/gd-01",
        "{second}:7:7: devices[0].mqtt.topic: topic 'sites/a/gd-01' is already used by device 'gd-01' of site 'station-1' ({first})")]
    public void Load_SiteIdOrTopicUsedAgainInSecondFile_NamesItsLineAndTheFirstFile(string secondId, string secondTopic, string expected)
    {
        var first = Write("first.yaml", Site("station-1", "fuel_stations", "sites/a/gd-01"));
        var second = Write("second.yaml", Site(secondId, "fuel_stations", secondTopic));

        var ex = Assert.Throws<ConfigurationFileException>(() => SiteFileSet.Load([first, second]));

        Assert.Equal(expected.Replace("{first}", first, StringComparison.Ordinal).Replace("{second}", second, StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public void Load_ProblemsInSeveralFiles_ReportsAllAtOnce()
    {
        var broken = Write("broken.yaml", Site("station-1", "fuel_station", "sites/a/gd-01"));
        var missing = Path.Combine(_directory, "missing.yaml");

        var ex = Assert.Throws<ConfigurationFileException>(() => SiteFileSet.Load([broken, missing]));

        Assert.Equal(
            [
                $"{broken}:2:3: site.sector: unknown sector 'fuel_station'; use one of the 32 codes, e.g. fuel_stations, hazardous_chemicals, city_gas, chemical_industry",
                $"{missing}: (file): the site file does not exist; check Gateway:SiteFile",
            ],
            ex.Errors.Select(e => e.ToString()));
    }

    private static string Site(string id, string sector, string topic) => $$"""
        site:
          id: {{id}}
          sector: {{sector}}
        devices:
          - id: gd-01
            mqtt:
              topic: {{topic}}
            channels:
              - { id: lel, quantity: gas.combustible, unit: "%LEL" }
        """;

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }
}
