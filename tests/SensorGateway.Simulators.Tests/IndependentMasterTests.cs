using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SensorGateway.Core.Readings;
using SensorGateway.Profiles.Registers;
using SensorGateway.Simulators.Modbus;
using SensorGateway.Simulators.Scenarios;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Simulators.Tests;

/// <summary>
/// The simulated slaves read by masters that are not ours — pymodbus (python3-pymodbus) and mbpoll — must
/// return registers that decode, by the profile, to the values the site model says.
/// </summary>
public sealed partial class IndependentMasterTests
{
    private static readonly TimeSpan s_at = TimeSpan.FromSeconds(13);

    [Fact]
    public async Task ReadHoldingRegisters_PymodbusReadsTankGauge_DecodesToModelValues()
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, port) = FuelStation();
        await using var slaves = new ModbusSiteSimulator(site);
        await slaves.StartAsync(ct);
        slaves.Update(s_at);
        var atg = site.Device("atg-01");

        var words = await RunAsync("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Interop", "read_registers.py"), $"{port}", "1", "holding", "0", "60"], ct);

        var registers = words.Split(' ').Select(w => ushort.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(60, registers.Length);
        foreach (var channel in atg.Channels.Where(c => c.Profile!.Register!.End <= 60))
        {
            var layout = channel.Profile!.Register!;
            var (value, quality) = ChannelValueDecoder.Decode(channel.Profile, registers.AsSpan(layout.Address, layout.Count));
            if (channel.Id == "tank3.alarm_code")
            {
                Assert.Equal((9.0, Quality.Bad(QualityReason.SensorFault)), (value, quality)); // probe out, 12 s..18 s
                continue;
            }

            var expected = channel.ValueAt(s_at);
            Assert.True(Math.Abs(value - expected) <= Math.Max(1e-6, Math.Abs(expected) * 1e-6), $"{channel.Id}: decoded {value}, model {expected}");
        }

        Assert.InRange(atg.Channels.Single(c => c.Id == "tank1.product_level").ValueAt(s_at), 1898.5, 1900.5);
    }

    [Fact]
    public async Task ReadInputRegisters_MbpollReadsLeakModule_ShowsLeakOnSensor1()
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, port) = FuelStation();
        await using var slaves = new ModbusSiteSimulator(site);
        await slaves.StartAsync(ct);
        slaves.Update(s_at);

        var output = await RunAsync("mbpoll", ["-m", "tcp", "-p", $"{port}", "-a", "5", "-t", "3", "-0", "-r", "0", "-c", "4", "-1", "127.0.0.1"], ct);

        var values = MbpollValue().Matches(output).Select(m => int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([1, 0, 0, 0], values); // sensor1 sees liquid from 5 s on
    }

    [Fact]
    public async Task ReadHoldingRegisters_PymodbusDuringModbusException_GetsExceptionResponse()
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, port) = FuelStation();
        await using var slaves = new ModbusSiteSimulator(site);
        await slaves.StartAsync(ct);
        slaves.Update(TimeSpan.FromSeconds(14.5)); // ils-01 answers exception 6 (slave busy) from 14 s to 15 s

        var error = await RunAsync("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Interop", "read_registers.py"), $"{port}", "5", "input", "0", "4"], ct, expectSuccess: false);

        Assert.Contains("Exception Response(132, 4, SlaveBusy)", error, StringComparison.Ordinal); // FC 0x84 = 0x80 | 4 (read input registers)
    }

    [Fact]
    public async Task ReadInputRegisters_MbpollOverSocatPty_RtuSlaveAnswersProfileValue()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("sg-pty-").FullName;
        var line = Path.Combine(directory, "ttyH2S");
        var yaml = $$"""
            site: { id: rtu-01, name: RTU line, sector: hazardous_chemicals }
            devices:
              - id: h2s-01
                profile: gas-detectors/h2s-detector
                modbus: { serial: {{line}}, baud: 9600, parity: even, unit: 12 }
            """;
        var site = SimulatedSite.Build(Profiles.Sites.SiteFileLoader.Parse("rtu.yaml", yaml, TestFiles.Profiles), TestFiles.Profiles, seed: 11);
        await using (var slaves = new ModbusSiteSimulator(site))
        {
            await slaves.StartAsync(ct);
            slaves.Update(s_at);

            var output = await RunAsync("mbpoll", ["-m", "rtu", "-b", "9600", "-P", "even", "-a", "12", "-t", "3", "-0", "-r", "0", "-c", "2", "-1", line], ct);

            var values = MbpollValue().Matches(output).Select(m => int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)).ToArray();
            var expected = (int)Math.Round(site.Device("h2s-01").Channels[0].ValueAt(s_at) / 0.1); // int16, 0.1 ppm
            Assert.Equal([expected, 0], values); // h2s, status word 0 = measuring
        }

        Directory.Delete(directory, recursive: true);
    }

    private static (SimulatedSite Site, int Port) FuelStation()
    {
        var port = FreePort.Next();
        var scenario = ScenarioLoader.Load(TestFiles.Scenario("fuel-station-delivery-leak"));
        var site = TestFiles.Site("fuel-station", yaml => yaml.Replace("127.0.0.1:15021", $"127.0.0.1:{port}", StringComparison.Ordinal));
        return (SimulatedSite.Build(site, TestFiles.Profiles, scenario), port);
    }

    private static async Task<string> RunAsync(string program, string[] arguments, CancellationToken cancellationToken, bool expectSuccess = true)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started; install it (see the test project file).");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        Assert.True((process.ExitCode == 0) == expectSuccess, $"{program} exited {process.ExitCode}: {await stdout} {await stderr}");
        return expectSuccess ? (await stdout).Trim() : await stdout + await stderr;
    }

    [GeneratedRegex(@"\[(?<ref>\d+)\]:\s+(?<value>-?\d+)")]
    private static partial Regex MbpollValue();
}
