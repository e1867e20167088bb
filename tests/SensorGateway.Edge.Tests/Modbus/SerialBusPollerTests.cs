using System.Diagnostics;
using System.IO.Ports;
using SensorGateway.Core.Readings;
using SensorGateway.Modbus.Server;
using SensorGateway.Modbus.Transport;

namespace SensorGateway.Edge.Tests.Modbus;

/// <summary>The poller on a real serial line: a socat pty pair, our RTU slave on one end, two devices sharing the bus.</summary>
public sealed class SerialBusPollerTests
{
    [Fact]
    public async Task Poll_TwoDevicesOnOneSerialBus_BothPolledInTurnOverRtu()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pty = await PtyPair.StartAsync(ct);
        await using var slave = new ModbusServer();
        slave.AddUnit(1).SetHoldingRegisters(0, [215, 0, 1200]);       // catalytic detector: 21.5 %LEL
        slave.AddUnit(2).SetInputRegisters(0, [12, 0]);                 // H2S detector: 1.2 ppm
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var serving = slave.ServeSerialPortAsync(new ModbusSerialPortOptions { PortName = pty.A, BaudRate = 19200, Parity = Parity.None, StopBits = StopBits.Two }, stop.Token);
        try
        {
            await using var poller = PollerHarness.Start($$"""
                site: { id: bus, sector: chemical_industry }
                devices:
                  - id: gd-1
                    profile: gas-detectors/catalytic-lel-detector
                    modbus: { serial: "{{pty.B}}", baud: 19200, parity: none, unit: 1 }
                    pollInterval: 300ms
                  - id: h2s-1
                    profile: gas-detectors/h2s-detector
                    modbus: { serial: "{{pty.B}}", baud: 19200, parity: none, unit: 2 }
                    pollInterval: 300ms
                """);

            var lel = await poller.WaitForAsync(r => r.Channel.Channel == "lel" && r.Sequence >= 3, "three polls of gd-1", TimeSpan.FromSeconds(20), ct);
            var h2s = await poller.WaitForAsync(r => r.Channel.Channel == "h2s" && r.Sequence >= 3, "three polls of h2s-1", TimeSpan.FromSeconds(20), ct);

            Assert.Equal((21.5, Quality.Good), (Math.Round(lel.Value, 6), lel.Quality));
            Assert.Equal((1.2, Quality.Good), (Math.Round(h2s.Value, 6), h2s.Quality));
            Assert.DoesNotContain(poller.Snapshot(), r => !r.Quality.IsGood);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(serving, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        }
    }

    /// <summary>Two linked pseudo-terminals from socat (Debian package), removed when the test ends.</summary>
    private sealed class PtyPair : IAsyncDisposable
    {
        private readonly Process _socat;
        private readonly string _directory;

        private PtyPair(Process socat, string directory) => (_socat, _directory) = (socat, directory);

        public string A => Path.Combine(_directory, "a");

        public string B => Path.Combine(_directory, "b");

        public static async Task<PtyPair> StartAsync(CancellationToken ct)
        {
            if (!File.Exists("/usr/bin/socat"))
            {
                throw new InvalidOperationException("/usr/bin/socat is required: run the tests through scripts/test.sh, which installs it.");
            }

            var directory = Directory.CreateTempSubdirectory("sg-edge-pty-").FullName;
            var start = new ProcessStartInfo("/usr/bin/socat", ["-d", "-d", $"pty,raw,echo=0,link={directory}/a", $"pty,raw,echo=0,link={directory}/b"])
            {
                RedirectStandardError = true,
            };
            var socat = Process.Start(start)!;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromSeconds(10));
            while (await socat.StandardError.ReadLineAsync(limit.Token) is { } line)
            {
                if (line.Contains("starting data transfer loop", StringComparison.Ordinal))
                {
                    _ = socat.StandardError.ReadToEndAsync(CancellationToken.None);
                    return new PtyPair(socat, directory);
                }
            }

            throw new InvalidOperationException("socat ended before linking the pty pair.");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_socat.HasExited)
            {
                _socat.Kill();
                await _socat.WaitForExitAsync();
            }

            _socat.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
