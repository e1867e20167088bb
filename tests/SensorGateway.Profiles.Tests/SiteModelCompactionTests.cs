using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Sites;

namespace SensorGateway.Profiles.Tests;

/// <summary>
/// The loaded site model shares one instance of each repeated text, keeps exactly its channels and one empty tag map,
/// and keeps every value: what a 50,000-device site costs to hold depends on it.
/// </summary>
public sealed class SiteModelCompactionTests
{
    private const string Yaml = """
        site: { id: site-a, name: Site A, sector: fuel_stations }
        devices:
          - id: gd-01
            mqtt: { topic: site-a/gd-01 }
            channels:
              - { id: lel, quantity: gas.combustible, unit: "%LEL" }
          - id: gd-02
            mqtt: { topic: site-a/gd-02 }
            tags: { zone: forecourt }
            channels:
              - { id: lel, quantity: gas.combustible, unit: "%LEL" }
              - { id: temp, quantity: tank.temperature, unit: "°C" }
        """;

    [Fact]
    public void Parse_RepeatedTexts_AreOneInstanceEach()
    {
        var site = SiteFileLoader.Parse("site.yaml", Yaml);
        var first = site.Devices[0].Channels[0];
        var second = site.Devices[1].Channels[0];

        Assert.Same(first.Quantity, second.Quantity);
        Assert.Same(first.Unit, second.Unit);
        Assert.Same(first.Id.Channel, second.Id.Channel);
        Assert.Same(first.Id.Site, second.Id.Site);
        Assert.Same(site.Id, first.Id.Site);
    }

    [Fact]
    public void Parse_Devices_KeepEveryValueAndTheirChannelsOnly()
    {
        var site = SiteFileLoader.Parse("site.yaml", Yaml);

        Assert.Equal(
        [
            "site-a/gd-01/lel gas.combustible %LEL",
            "site-a/gd-02/lel gas.combustible %LEL",
            "site-a/gd-02/temp tank.temperature °C",
        ], site.Devices.SelectMany(d => d.Channels).Select(c => $"{c.Id} {c.Quantity} {c.Unit}"));
        Assert.Equal([1, 2], site.Devices.Select(d => d.Channels.Count));
        Assert.IsType<ChannelDefinition[]>(site.Devices[1].Channels);
        Assert.Equal([KeyValuePair.Create("zone", "forecourt")], site.Devices[1].Tags);
    }

    [Fact]
    public void Parse_DevicesWithoutTags_ShareOneEmptyMap()
    {
        var site = SiteFileLoader.Parse("site.yaml", Yaml.Replace("    tags: { zone: forecourt }\n", "", StringComparison.Ordinal));

        Assert.Empty(site.Devices[0].Tags);
        Assert.Same(site.Devices[0].Tags, site.Devices[1].Tags);
    }

    [Fact]
    public void Parse_ModbusDevicesOnOneHost_ShareTheHostText()
    {
        var profiles = Firmware.FirmwareProfileLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "firmware-profiles"));
        var yaml = """
            site: { id: site-a, name: Site A, sector: fuel_stations }
            devices:
              - { id: d1, profile: load/sequenced-lel-detector, modbus: { tcp: "10.0.0.5:502", unit: 1 } }
              - { id: d2, profile: load/sequenced-lel-detector, modbus: { tcp: "10.0.0.5:502", unit: 2 } }
            """;

        var site = SiteFileLoader.Parse("site.yaml", yaml, profiles);
        var hosts = site.Devices.Select(d => (ModbusTcpDeviceAddress)d.Address).ToArray();

        Assert.Equal([("10.0.0.5", 502, (byte)1), ("10.0.0.5", 502, (byte)2)], hosts.Select(h => (h.Host, h.Port, h.UnitId)));
        Assert.Same(hosts[0].Host, hosts[1].Host);
    }
}
