using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Host.Hazards;

namespace SensorGateway.IntegrationTests.Hazards;

public sealed class ChannelLocationsTests
{
    private static readonly GatewaySites s_sites = new(
    [
        Site("site-a", ("gd-01", "Dispenser 1", "forecourt", ["lel"]), ("atg-01", "ATG", "tank farm", ["level", "water"])),
        Site("site-b", ("gd-01", "Detector", "pump room", ["lel"])),
    ]);

    [Theory]
    [InlineData("site-a", "gd-01", "lel", "forecourt / Dispenser 1 / lel")]
    [InlineData("site-a", "atg-01", "water", "tank farm / ATG / water")]
    [InlineData("site-b", "gd-01", "lel", "pump room / Detector / lel")]
    [InlineData("site-a", "atg-01", "temp", "site-a/atg-01/temp")]
    [InlineData("site-a", "gd-09", "lel", "site-a/gd-09/lel")]
    [InlineData("site-c", "gd-01", "lel", "site-c/gd-01/lel")]
    public void Of_Channel_IsTheDevicesLocationNameAndChannelOrTheChannelId(string site, string device, string channel, string expected) =>
        Assert.Equal(expected, ChannelLocations.Of(s_sites)(new ChannelId(site, device, channel)));

    private static SiteDefinition Site(string id, params (string Id, string Name, string Location, string[] Channels)[] devices) =>
        new(id, id, Sectors.Find("fuel_stations")!,
        [
            .. devices.Select(d => new DeviceDefinition(d.Id, d.Name, d.Location, null, new MqttDeviceAddress($"{id}/{d.Id}"), TimeSpan.FromSeconds(1),
                [.. d.Channels.Select(c => new ChannelDefinition(new ChannelId(id, d.Id, c), "gas.combustible", "%LEL", null))],
                new Dictionary<string, string>())),
        ]);
}
