using SensorGateway.Simulators.Scenarios;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Simulators.Tests;

public sealed class SimulatedSiteTests
{
    private static double[] Timeline(SimulatedSite site) =>
        [.. Enumerable.Range(0, 300).SelectMany(i => site.Devices.SelectMany(d => d.Channels.Select(c => c.ValueAt(TimeSpan.FromMilliseconds(i * 100)))))];

    public static TheoryData<string> Shipped => [.. TestFiles.ShippedScenarios];

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Build_SameScenarioTwice_IdenticalReadings(string name)
    {
        var scenario = ScenarioLoader.Load(TestFiles.Scenario(name));
        var site = Profiles.Sites.SiteFileLoader.Load(scenario.SiteFile, TestFiles.Profiles);

        var first = Timeline(SimulatedSite.Build(site, TestFiles.Profiles, scenario));
        var second = Timeline(SimulatedSite.Build(site, TestFiles.Profiles, scenario));

        Assert.Equal(first, second);
    }

    [Fact]
    public void WriteRegisters_SameScenarioTwice_IdenticalRegisters()
    {
        var scenario = ScenarioLoader.Load(TestFiles.Scenario("chemical-tank-farm"));
        var site = Profiles.Sites.SiteFileLoader.Load(scenario.SiteFile, TestFiles.Profiles);
        ushort[][] Registers()
        {
            var simulated = SimulatedSite.Build(site, TestFiles.Profiles, scenario);
            return [.. Enumerable.Range(0, 30).SelectMany(second => simulated.Devices.Where(d => d.Profile is not null).Select(device =>
            {
                var store = new SensorGateway.Modbus.Server.ModbusDataStore(64);
                Modbus.ModbusSiteSimulator.WriteRegisters(device, store, TimeSpan.FromSeconds(second));
                return (ushort[])[.. store.GetInputRegisters(0, 16), .. store.GetHoldingRegisters(0, 16), .. store.GetDiscreteInputs(0, 4).Select(b => (ushort)(b ? 1 : 0))];
            }))];
        }

        var first = Registers();
        var second = Registers();

        Assert.Equal(first, second);
        Assert.Contains(first, r => r.Any(w => w != 0));
    }

    [Fact]
    public void ValueAt_AskedOutOfOrder_SameValues()
    {
        var channel = SimulatedSite.Build(TestFiles.Site("demo-fuel-station"), TestFiles.Profiles).Device("gd-01").Channels[0];
        var times = Enumerable.Range(0, 50).Select(i => TimeSpan.FromMilliseconds(i * 137)).ToArray();

        var forward = times.Select(channel.ValueAt).ToArray();
        var backward = times.Reverse().Select(channel.ValueAt).Reverse().ToArray();

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Build_OtherSeed_OtherNoise()
    {
        var site = TestFiles.Site("demo-fuel-station");

        Assert.NotEqual(Timeline(SimulatedSite.Build(site, TestFiles.Profiles, seed: 1)), Timeline(SimulatedSite.Build(site, TestFiles.Profiles, seed: 2)));
    }

    [Fact]
    public void ValueAt_DemoLeak_QuietThenRampsToPeakAndSpreadsWeaker()
    {
        var scenario = ScenarioLoader.Load(TestFiles.Scenario("demo-fuel-leak"));
        var site = SimulatedSite.Build(Profiles.Sites.SiteFileLoader.Load(scenario.SiteFile, TestFiles.Profiles), TestFiles.Profiles, scenario);
        var source = site.Device("gd-02").Channels[0];
        var neighbour = site.Device("gd-01").Channels[0];

        Assert.InRange(source.ValueAt(TimeSpan.FromSeconds(9)), 1.0, 2.0);
        Assert.InRange(source.ValueAt(TimeSpan.FromSeconds(20)), 21.0, 22.0);   // 1.5 ± 0.5 + 10 s × 2 %LEL/s
        Assert.Equal(62, source.ValueAt(TimeSpan.FromSeconds(60)));
        Assert.InRange(neighbour.ValueAt(TimeSpan.FromSeconds(13)), 1.0, 2.0);
        Assert.InRange(neighbour.ValueAt(TimeSpan.FromSeconds(23)), 11.0, 12.0); // starts at 13 s, 1 %LEL/s
        Assert.Equal(31, neighbour.ValueAt(TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void ValueAt_ChemicalFarm_PressureFollowsRampedTemperature()
    {
        var scenario = ScenarioLoader.Load(TestFiles.Scenario("chemical-tank-farm"));
        var tank = SimulatedSite.Build(Profiles.Sites.SiteFileLoader.Load(scenario.SiteFile, TestFiles.Profiles), TestFiles.Profiles, scenario).Device("tk-101");
        var temperature = tank.Channels.Single(c => c.Id == "temperature");
        var pressure = tank.Channels.Single(c => c.Id == "pressure");
        var before = TimeSpan.FromSeconds(4);
        var after = TimeSpan.FromSeconds(14);

        var rise = temperature.ValueAt(after) - temperature.ValueAt(before);
        var pressureRise = pressure.ValueAt(after) - pressure.ValueAt(before);

        Assert.InRange(rise, 17.5, 18.5);                 // 9 s × 2 °C/s, plus the day's slope and noise
        Assert.InRange(pressureRise, (0.35 * rise) - 0.1, (0.35 * rise) + 0.1); // 0.35 kPa/°C ± noise
    }

    [Fact]
    public void ValueAt_DeliveryAndSales_LevelFallsThenRises()
    {
        var scenario = ScenarioLoader.Load(TestFiles.Scenario("fuel-station-delivery-leak"));
        var atg = SimulatedSite.Build(Profiles.Sites.SiteFileLoader.Load(scenario.SiteFile, TestFiles.Profiles), TestFiles.Profiles, scenario).Device("atg-01");
        var tank1 = atg.Channels.Single(c => c.Id == "tank1.product_level");
        var tank2 = atg.Channels.Single(c => c.Id == "tank2.product_level");

        Assert.InRange(tank1.ValueAt(TimeSpan.Zero), 1499, 1501);
        Assert.InRange(tank1.ValueAt(TimeSpan.FromSeconds(13)), 1898.5, 1900.5);  // 10 s × 40 mm/s − 13 s × 0.05 mm/s
        Assert.True(tank2.ValueAt(TimeSpan.FromSeconds(600)) < tank2.ValueAt(TimeSpan.Zero) - 29); // sales: 0.05 mm/s
    }

    [Fact]
    public void Faults_ChemicalFarmWindows_ActiveOnlyInsideThem()
    {
        var scenario = ScenarioLoader.Load(TestFiles.Scenario("chemical-tank-farm"));
        var site = SimulatedSite.Build(Profiles.Sites.SiteFileLoader.Load(scenario.SiteFile, TestFiles.Profiles), TestFiles.Profiles, scenario);
        var h2s = site.Device("h2s-01");
        var silent = site.Device("tk-103");

        Assert.Equal((ushort)0, h2s.Channels[0].StatusBitsAt(TimeSpan.FromSeconds(7.9)));
        Assert.Equal((ushort)2, h2s.Channels[0].StatusBitsAt(TimeSpan.FromSeconds(8)));
        Assert.Equal((ushort)0, h2s.Channels[0].StatusBitsAt(TimeSpan.FromSeconds(14)));
        Assert.Null(h2s.ModbusFaultAt(TimeSpan.FromSeconds(15.9)));
        Assert.Equal(SensorGateway.Modbus.Server.ModbusFaultKind.CorruptCrc, h2s.ModbusFaultAt(TimeSpan.FromSeconds(16))!.Kind);
        Assert.Equal((false, true, false), (silent.IsSilentAt(TimeSpan.FromSeconds(5.9)), silent.IsSilentAt(TimeSpan.FromSeconds(6)), silent.IsSilentAt(TimeSpan.FromSeconds(24))));
    }
}
