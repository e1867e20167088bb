using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SensorGateway.Core.Readings;

namespace SensorGateway.Edge.Tests.Modbus;

/// <summary>The poller against an independent implementation: a pymodbus slave (Debian's python3-pymodbus).</summary>
public sealed class PymodbusPollerTests
{
    [Fact]
    public async Task Poll_PymodbusSlaveWithTwoUnits_DecodesBothProfiles()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        using var server = StartPymodbus(port);
        await WaitUntilListeningAsync(port, server.Process, ct);
        await using var poller = PollerHarness.Start($$"""
            site: { id: py, sector: chemical_industry }
            devices:
              - id: gd-1
                profile: gas-detectors/catalytic-lel-detector
                modbus: { tcp: "127.0.0.1:{{port}}", unit: 1 }
                pollInterval: 200ms
              - id: o2-1
                profile: gas-detectors/oxygen-detector
                modbus: { tcp: "127.0.0.1:{{port}}", unit: 4 }
                pollInterval: 200ms
            """);

        var lel = await poller.WaitForAsync(r => r.Channel.Channel == "lel", "lel", TimeSpan.FromSeconds(15), ct);
        var loop = await poller.WaitForAsync(r => r.Channel.Channel == "loop_current", "loop current", TimeSpan.FromSeconds(15), ct);
        var o2 = await poller.WaitForAsync(r => r.Channel.Channel == "o2", "o2", TimeSpan.FromSeconds(15), ct);

        Assert.Equal((33.3, Quality.Good), (Math.Round(lel.Value, 6), lel.Quality));
        Assert.Equal((100.0, Quality.Good), (loop.Value, loop.Quality));
        Assert.Equal((20.9, Quality.Good), (Math.Round(o2.Value, 4), o2.Quality));
    }

    private static ChildProcess StartPymodbus(int port)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            throw new InvalidOperationException("/usr/bin/python3 with python3-pymodbus is required: run the tests through scripts/test.sh, which installs it.");
        }

        var start = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pymodbus_device.py"));
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new ChildProcess(Process.Start(start)!);
    }

    private static async Task WaitUntilListeningAsync(int port, Process server, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"pymodbus exited with {server.ExitCode}: {await server.StandardError.ReadToEndAsync(ct)}");
            }

            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }

        throw new TimeoutException("pymodbus did not start listening within 10 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A child process that is killed (with its children) when the test ends, pass or fail.</summary>
    private sealed class ChildProcess(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }
}
