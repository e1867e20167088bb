using SensorGateway.Host.Tools;
using SensorGateway.Modbus.Server;

namespace SensorGateway.IntegrationTests.Tools;

/// <summary>The integrator's commands: the dry run of the register plan, and the register-map helper against a live slave.</summary>
public sealed class ToolCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sensorgateway-tools-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Check_SiteWithModbusDevices_PrintsChannelsAndTheExactRequests()
    {
        var site = Path.Combine(_directory, "site.yaml");
        File.WriteAllText(site, """
            site: { id: farm, name: Tank farm, sector: hazardous_chemicals }
            devices:
              - id: t1
                profile: tank-transmitters/chemical-tank-transmitters
                modbus: { tcp: "192.0.2.7:502", unit: 5 }
                pollInterval: 2s
              - id: gac
                profile: gas-detectors/gas-alarm-controller-64
                modbus: { tcp: "192.0.2.8:502" }
            """);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = SiteCheck.Run(["--site", site, "--device", "t1"], output, error);

        Assert.Equal(0, exit);
        Assert.Equal("", error.ToString());
        Assert.Equal(
            [
                "Site farm 'Tank farm', sector hazardous_chemicals (危险化学品): 2 devices, 12 profiles loaded",
                "  t1 [modbus tcp 192.0.2.7:502 unit 5] every 2000 ms, profile tank-transmitters/chemical-tank-transmitters",
                "    level: tank.level in m, sector rule pack",
                "    temperature: tank.temperature in °C, sector rule pack",
                "    pressure: tank.pressure in kPa, sector rule pack",
                "    level_switch_hh: tank.level_switch_hh in state, sector rule pack",
                "Modbus requests per poll (dry run):",
                "  t1 [tcp 192.0.2.7:502] every 2000 ms, profile tank-transmitters/chemical-tank-transmitters:",
                "    unit 5 FC02 discrete 0..0 (1) -> level_switch_hh",
                "    unit 5 FC04 input 0..6 (7) -> level, temperature, pressure, [diagnostics]",
            ],
            output.ToString().ReplaceLineEndings("\n").TrimEnd().Split('\n'));
    }

    [Fact]
    public void Check_BrokenSiteFile_ExitsTwoWithTheLocatedError()
    {
        var site = Path.Combine(_directory, "site.yaml");
        File.WriteAllText(site, "site: { id: x, sector: fuel_stations }\ndevices:\n  - id: d\n    profile: nope/nothing\n    modbus: { tcp: \"h:1\", unit: 1 }\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, SiteCheck.Run(["--site", site], output, error));
        Assert.StartsWith($"{site}:3:5: devices[0].profile: unknown firmware profile 'nope/nothing'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistersSuggest_LiveSlaveWithSwappedFloat_ProposesOffsetAndByteOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var slave = new ModbusServer();
        var port = slave.StartTcp().Port;
        slave.AddUnit(9).SetInputRegisters(10, [0x0000, 0x414C]); // 12.75 as float32 CDAB at 10..11
        using var output = new StringWriter();
        using var error = new StringWriter();

        // The integrator believes the level is at input 11 (a one-based manual address taken literally).
        var exit = await RegisterSuggestCommand.RunAsync(["--tcp", $"127.0.0.1:{port}", "--unit", "9", "--table", "input", "--address", "11", "--value", "12.75"], output, error, ct);

        Assert.Equal(0, exit);
        var lines = output.ToString().ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("input 7..18: 0000 0000 0000 0000 414C 0000 0000 0000 0000 0000 0000 0000", lines[0]);
        // Reading from 11 alone also gives 12.75 (0x414C0000 with a zero low word), so both explanations are offered.
        Assert.Equal(["  address 11 +0, type float32, byteOrder ABCD, scale 1 -> 12.75", "  address 11 -1, type float32, byteOrder CDAB, scale 1 -> 12.75"],
            lines.Skip(1).Where(l => l.Contains("float32", StringComparison.Ordinal)).Take(2));
    }
}
