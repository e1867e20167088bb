using System.Diagnostics;
using System.Globalization;
using SensorGateway.Modbus.Client;
using SensorGateway.Modbus.Server;

namespace SensorGateway.Modbus.Benchmarks;

/// <summary>
/// Loopback load comparison (issue 3 "Performance"): 50 devices (unit ids 1-50 behind one Modbus TCP server of ours),
/// each read for 20 holding registers in turn. The libmodbus C client (sequential by design) and our master run
/// against the same server in the same process run; then our master alone with pipelining depth 1, 4, 8 and 16.
/// </summary>
internal static class ModbusLoadTool
{
    private const int Devices = 50;

    public static async Task<int> RunAsync(TimeSpan duration, bool libModbusServer)
    {
        var directory = Directory.CreateTempSubdirectory("sg-modbus-load-").FullName;
        try
        {
            var clientBinary = await BuildAsync(directory, "libmodbus_client");
            await using var server = new ModbusServer();
            Process? cServer = null;
            int port;
            if (libModbusServer)
            {
                // One libmodbus slave answering every unit id (libmodbus does not filter unit ids on TCP); it serves
                // one connection at a time, which suits the sequential runs below.
                cServer = Process.Start(new ProcessStartInfo(await BuildAsync(directory, "libmodbus_server"), ["tcp"]) { RedirectStandardOutput = true })!;
                port = int.Parse(await cServer.StandardOutput.ReadLineAsync() ?? "0", CultureInfo.InvariantCulture);
            }
            else
            {
                for (byte unit = 1; unit <= Devices; unit++)
                {
                    var store = server.AddUnit(unit, new ModbusDataStore(100));
                    store.SetHoldingRegisters(0, Enumerable.Range(0, 20).Select(i => (ushort)(unit + i)).ToArray());
                }

                port = server.StartTcp().Port;
            }

            Console.WriteLine($"{(libModbusServer ? "libmodbus" : "SensorGateway")} server 127.0.0.1:{port}, {Devices} units, 20 registers per read, {duration.TotalSeconds} s per run");
            Console.WriteLine("| client | depth | requests/s | p50 µs | p99 µs | errors |");
            Console.WriteLine("|---|---|---|---|---|---|");
            Console.WriteLine(await RunLibModbusAsync(clientBinary, port, duration));
            foreach (var depth in new[] { 1, 4, 8, 16 })
            {
                Console.WriteLine(await RunOursAsync(port, depth, duration));
            }

            if (cServer is not null)
            {
                cServer.Kill();
                await cServer.WaitForExitAsync();
                cServer.Dispose();
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> BuildAsync(string directory, string name)
    {
        var binary = Path.Combine(directory, name);
        var source = Path.Combine(AppContext.BaseDirectory, name + ".c");
        using var build = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"gcc -O2 -o {binary} {source} $(pkg-config --cflags --libs libmodbus)"]))!;
        await build.WaitForExitAsync();
        return build.ExitCode == 0 ? binary : throw new InvalidOperationException($"Building {name} failed: install gcc, pkg-config and libmodbus-dev.");
    }

    private static async Task<string> RunLibModbusAsync(string binary, int port, TimeSpan duration)
    {
        var run = Process.Start(new ProcessStartInfo(binary, [port.ToString(CultureInfo.InvariantCulture), "1", Devices.ToString(CultureInfo.InvariantCulture), duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        })!;
        var output = (await run.StandardOutput.ReadToEndAsync()).Split(' ', StringSplitOptions.TrimEntries);
        await run.WaitForExitAsync();
        run.Dispose();
        var requests = double.Parse(output[0], CultureInfo.InvariantCulture);
        return Row("libmodbus 3.1.6 (C)", 1, requests / duration.TotalSeconds, double.Parse(output[2], CultureInfo.InvariantCulture), double.Parse(output[3], CultureInfo.InvariantCulture), long.Parse(output[1], CultureInfo.InvariantCulture));
    }

    private static async Task<string> RunOursAsync(int port, int depth, TimeSpan duration)
    {
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port, MaxOutstandingRequests = depth, Retries = 0 });
        await master.ReadHoldingRegistersAsync(1, 0, 20);
        var latencies = new List<double>[depth];
        long errors = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, depth).Select(w => Task.Run(async () =>
        {
            var own = latencies[w] = new List<double>(1 << 16);
            var unit = (byte)(1 + (w % Devices));
            while (stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await master.ReadHoldingRegistersAsync(unit, 0, 20);
                }
                catch (ModbusException)
                {
                    Interlocked.Increment(ref errors);
                }

                own.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                unit = (byte)(unit % Devices + 1);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return Row("SensorGateway ModbusTcpMaster", depth, all.Length / stopwatch.Elapsed.TotalSeconds, all[all.Length / 2], all[(int)(all.Length * 0.99)], errors);
    }

    private static string Row(string client, int depth, double rate, double p50, double p99, long errors) =>
        string.Create(CultureInfo.InvariantCulture, $"| {client} | {depth} | {rate:F0} | {p50:F1} | {p99:F1} | {errors} |");
}
