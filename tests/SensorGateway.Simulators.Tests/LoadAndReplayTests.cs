using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Sites;
using SensorGateway.Simulators.Load;
using SensorGateway.Simulators.Mqtt;
using SensorGateway.Simulators.Replay;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Simulators.Tests;

public sealed class LoadAndReplayTests
{
    [Fact]
    public void Generate_600DevicesQuarterModbus_ValidSiteWithUnitsSpreadOverPorts()
    {
        var yaml = LoadSiteGenerator.Generate("load-01", 600, 2, 0.25, 15100);

        var site = SiteFileLoader.Parse("load.yaml", yaml, TestFiles.Profiles);

        Assert.Equal(600, site.Devices.Count);
        var modbus = site.Devices.Select(d => d.Address).OfType<ModbusTcpDeviceAddress>().ToArray();
        Assert.Equal(150, modbus.Length);
        Assert.Equal([15100], modbus.Select(a => a.Port).Distinct());
        Assert.Equal(new ModbusTcpDeviceAddress("127.0.0.1", 15100, 150), modbus[^1]);
        Assert.All(site.Devices, d => Assert.Equal(TimeSpan.FromMilliseconds(500), d.PollInterval));
        Assert.Equal(new MqttDeviceAddress("load/load-01/d00150"), site.Devices[150].Address);
    }

    [Fact]
    public void Generate_SixteenPoints_EachMqttDeviceHasSixteenChannelsInOneMessage()
    {
        var site = SimulatedSite.Build(SiteFileLoader.Parse("load.yaml", LoadSiteGenerator.Generate("load-01", 4, 1, 0.5, 15100, points: 16), TestFiles.Profiles), TestFiles.Profiles);

        var mqtt = site.Devices.Where(d => d.Definition.Address is MqttDeviceAddress).ToArray();
        Assert.Equal(2, mqtt.Length);
        Assert.All(mqtt, d => Assert.Equal(["lel", .. Enumerable.Range(2, 15).Select(p => $"lel-{p:D2}")], d.Channels.Select(c => c.Id)));
        var payload = System.Text.Json.Nodes.JsonNode.Parse(MqttSiteSimulator.Payload(mqtt[0], TimeSpan.FromSeconds(3), 7))!;
        Assert.Equal(7, (long)payload["seq"]!);
        Assert.Equal(16, payload["readings"]!.AsArray().Count);
        // The Modbus devices keep the load profile's two channels (the %LEL value and the slave's read counter).
        Assert.All(site.Devices.Where(d => d.Definition.Address is ModbusTcpDeviceAddress), d => Assert.Equal(["lel", "seq"], d.Channels.Select(c => c.Id)));
    }

    [Fact]
    public void Generate_300ModbusDevices_SecondPortAfter247Units()
    {
        var site = SiteFileLoader.Parse("load.yaml", LoadSiteGenerator.Generate("load-01", 300, 1, 1, 15100), TestFiles.Profiles);

        var addresses = site.Devices.Select(d => (ModbusTcpDeviceAddress)d.Address).ToArray();
        Assert.Equal(new ModbusTcpDeviceAddress("127.0.0.1", 15100, 247), addresses[246]);
        Assert.Equal(new ModbusTcpDeviceAddress("127.0.0.1", 15101, 1), addresses[247]);
    }

    [Fact]
    public void ParseLineProtocol_GatewayLine_DeviceChannelValueSequenceTime()
    {
        var readings = RecordedReadingFile.ParseLineProtocol("rec.lp",
        [
            "# recorded by the gateway",
            "reading,site=fuel-07,sector=fuel_stations,device=gd-01,channel=lel,quantity=gas.combustible,unit=%LEL value=31.5,quality=\"good\",seq=1001i 1764390001000",
        ]);

        Assert.Equal(new RecordedReading(DateTimeOffset.FromUnixTimeMilliseconds(1764390001000), "gd-01", "lel", 31.5, 1001), Assert.Single(readings));
    }

    [Fact]
    public void ParseCsv_IsoAndUnixTimes_BothRead()
    {
        var readings = RecordedReadingFile.ParseCsv("rec.csv",
        [
            "time,device,channel,value",
            "2026-11-29T05:00:00Z,gd-01,lel,2.5",
            "1764392400500,gd-02,lel,3",
        ]);

        Assert.Equal(
            [
                new RecordedReading(new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero), "gd-01", "lel", 2.5, 0),
                new RecordedReading(DateTimeOffset.FromUnixTimeMilliseconds(1764392400500), "gd-02", "lel", 3, 0),
            ],
            readings);
    }

    [Fact]
    public void ParseCsv_MissingColumn_ErrorNamesFileAndColumn()
    {
        var ex = Assert.Throws<FormatException>(() => RecordedReadingFile.ParseCsv("rec.csv", ["time,device,value"]));

        Assert.Equal("rec.csv:1: the header needs a 'channel' column", ex.Message);
    }

    [Fact]
    public void Payload_GenericDeviceWithFault_SequenceValueAndFaultStatus()
    {
        var scenario = Scenarios.ScenarioLoader.Parse(TestFiles.Scenario("demo-fuel-leak"),
            "scenario: { name: x, site: ../sites/demo-fuel-station.yaml, seed: 5, duration: 10s }\nevents:\n  - { at: 1s, type: set, device: gd-01, channel: lel, value: 12.5 }\n  - { at: 2s, type: fault-bit, device: gd-01, channel: lel }\n");
        var device = SimulatedSite.Build(TestFiles.Site("demo-fuel-station"), TestFiles.Profiles, scenario).Device("gd-01");

        var payload = MqttSiteSimulator.Payload(device, TimeSpan.FromSeconds(3), 42, new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero));

        Assert.Equal("{\"seq\":42,\"ts\":\"2026-11-29T05:00:00.000Z\",\"readings\":[{\"channel\":\"lel\",\"value\":12.5,\"status\":\"fault\"}]}", payload);
    }

    [Fact]
    public void Payload_ProfileDeviceWithFault_ProfileLayoutWithSharedStatus()
    {
        var scenario = Scenarios.ScenarioLoader.Load(TestFiles.Scenario("city-gas-kitchen"));
        var device = SimulatedSite.Build(SiteFileLoader.Load(scenario.SiteFile, TestFiles.Profiles), TestFiles.Profiles, scenario).Device("wgd-01");

        var payload = System.Text.Json.JsonDocument.Parse(MqttSiteSimulator.Payload(device, TimeSpan.FromSeconds(21), 7, DateTimeOffset.FromUnixTimeMilliseconds(1764392400000))).RootElement;

        Assert.Equal(7, payload.GetProperty("sn").GetInt64());
        Assert.Equal(1764392400000, payload.GetProperty("ts").GetInt64());
        Assert.Equal(1, payload.GetProperty("data").GetProperty("state").GetInt64()); // 1 = sensor_fault in the profile's map
        Assert.Equal(Math.Round(device.Channels[0].ValueAt(TimeSpan.FromSeconds(21)), 3), payload.GetProperty("data").GetProperty("lel").GetDouble());
    }
}
