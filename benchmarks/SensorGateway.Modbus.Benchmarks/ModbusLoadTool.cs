using System.Diagnostics;
using System.Globalization;
using SensorGateway.Modbus.Client;

namespace SensorGateway.Modbus.Benchmarks;

/// <summary>
/// Loopback load comparison (issue 3 "Performance"): 50 devices (unit ids 1-50 behind one Modbus TCP slave), each read
/// for 20 holding registers in turn. The libmodbus C client (sequential by design) and our master at depth 1 poll the
/// same slave the same way, one connection each; our master also with pipelining depths 4, 8 and 16. Every client and
/// depth runs in each of several short slices in turn, so that all see the same load from the rest of the machine.
/// </summary>
internal static class ModbusLoadTool
{
    private const int Devices = LoadSlave.Devices;

    // Runs are cut into this many slices taken in turn: neighbours' builds come and go within seconds.
    private const int Slices = 10;

    public static async Task<int> RunAsync(TimeSpan duration, bool libModbusServer, IReadOnlyList<int> depths)
    {
        var directory = Directory.CreateTempSubdirectory("sg-modbus-load-").FullName;
        Process? slaveProcess = null;
        try
        {
            var clientBinary = await BuildAsync(directory, "libmodbus_client");
            // Either slave runs in a process of its own, so its CPU time is measured apart from the client's. The libmodbus
            // slave answers every unit id (libmodbus does not filter them on TCP) on one connection at a time, which is all
            // any run below opens.
            var slaveStart = libModbusServer
                ? new ProcessStartInfo(await BuildAsync(directory, "libmodbus_server"), ["tcp"])
                : new ProcessStartInfo(Environment.ProcessPath!, ["load-slave"]);
            slaveStart.RedirectStandardOutput = true;
            slaveStart.RedirectStandardInput = true;
            slaveProcess = Process.Start(slaveStart)!;
            var port = int.Parse(await slaveProcess.StandardOutput.ReadLineAsync() ?? "0", CultureInfo.InvariantCulture);

            var slave = new SlaveProcess(slaveProcess);
            Console.WriteLine(
                $"{(libModbusServer ? "libmodbus" : "SensorGateway")} slave 127.0.0.1:{port}, {Devices} units, 20 registers per read, " +
                $"{duration.TotalSeconds} s per client and depth in {Slices} slices taken in turn; {LoadAverage()}");

            // The C client is compiled ahead of time; ours is warmed up so that tier-0 JIT code is not what gets measured.
            await RunOursAsync(port, new LoadResult("warm-up", 1), TimeSpan.FromSeconds(2), slave);

            var theirs = new LoadResult("libmodbus 3.1.6 (C)", 1);
            var ours = depths.Append(1).Distinct().Order().ToDictionary(d => d, d => new LoadResult("SensorGateway ModbusTcpMaster", d));
            for (var slice = 0; slice < Slices; slice++)
            {
                await RunLibModbusAsync(clientBinary, directory, port, theirs, duration / Slices, slave);
                foreach (var result in ours.Values)
                {
                    await RunOursAsync(port, result, duration / Slices, slave);
                }
            }

            Console.WriteLine(LoadResult.Header);
            Console.WriteLine(theirs);
            foreach (var result in ours.Values)
            {
                Console.WriteLine(result);
            }

            var summary = string.Create(
                CultureInfo.InvariantCulture,
                $"sequential throughput {ours[1].RequestsPerSecond / theirs.RequestsPerSecond:F2}x libmodbus, p99 {ours[1].Percentile(0.99) / theirs.Percentile(0.99):F2}x");
            if (ours.TryGetValue(8, out var eight))
            {
                summary += string.Create(CultureInfo.InvariantCulture, $", depth 8 {eight.RequestsPerSecond / theirs.RequestsPerSecond:F2}x");
            }

            Console.WriteLine($"{summary}; {LoadAverage()}");
            return 0;
        }
        finally
        {
            if (slaveProcess is not null)
            {
                slaveProcess.Kill();
                await slaveProcess.WaitForExitAsync();
                slaveProcess.Dispose();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static string LoadAverage() => "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static async Task<string> BuildAsync(string directory, string name)
    {
        var binary = Path.Combine(directory, name);
        var source = Path.Combine(AppContext.BaseDirectory, name + ".c");
        using var build = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"gcc -O2 -o {binary} {source} $(pkg-config --cflags --libs libmodbus)"]))!;
        await build.WaitForExitAsync();
        return build.ExitCode == 0 ? binary : throw new InvalidOperationException($"Building {name} failed: install gcc, pkg-config and libmodbus-dev.");
    }

    private static async Task RunLibModbusAsync(string binary, string directory, int port, LoadResult result, TimeSpan duration, SlaveProcess slave)
    {
        var latencyFile = Path.Combine(directory, "latencies.bin");
        var slaveBefore = slave.Cost();
        using var run = Process.Start(new ProcessStartInfo(
            binary,
            [port.ToString(CultureInfo.InvariantCulture), "1", Devices.ToString(CultureInfo.InvariantCulture), duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), latencyFile])
        {
            RedirectStandardOutput = true,
        })!;
        var output = (await run.StandardOutput.ReadToEndAsync()).Split(' ', StringSplitOptions.TrimEntries);
        await run.WaitForExitAsync();
        var slaveCost = slave.Cost() - slaveBefore;
        var bytes = await File.ReadAllBytesAsync(latencyFile);
        var latencies = new double[bytes.Length / sizeof(double)];
        Buffer.BlockCopy(bytes, 0, latencies, 0, latencies.Length * sizeof(double));
        var clientCost = new ProcessCost(double.Parse(output[4], CultureInfo.InvariantCulture), long.Parse(output[5], CultureInfo.InvariantCulture), long.Parse(output[6], CultureInfo.InvariantCulture));
        result.Add(latencies, duration.TotalSeconds, long.Parse(output[1], CultureInfo.InvariantCulture), clientCost, slaveCost);
    }

    private static async Task RunOursAsync(int port, LoadResult result, TimeSpan duration, SlaveProcess slave)
    {
        var depth = result.Depth;
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port, MaxOutstandingRequests = depth, Retries = 0 });
        await master.ReadHoldingRegistersAsync(1, 0, 20);
        var latencies = new List<double>[depth];
        long errors = 0;
        var slaveBefore = slave.Cost();
        var before = ProcessCost.OfThisProcess();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gen0Before = GC.CollectionCount(0);
        var stopwatch = Stopwatch.StartNew();

        // Each worker polls the 50 devices in turn like the C client; depth workers keep depth requests outstanding.
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
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var cost = ProcessCost.OfThisProcess() - before;
        result.AddManaged(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, GC.CollectionCount(0) - gen0Before);
        result.Add(latencies.SelectMany(l => l), seconds, errors, cost, slave.Cost() - slaveBefore);
    }

    private sealed class SlaveProcess(Process process)
    {
        public ProcessCost Cost() => ProcessCost.Of(process.Id);
    }
}
