using SensorGateway.Modbus.Server;

namespace SensorGateway.Modbus.Benchmarks;

/// <summary>
/// Our slave for the load tool, in a process of its own like the libmodbus slave: in the tool's process it would share
/// the thread pool, the GC and the CPU accounting with our master but not with the C client, which is not a fair race.
/// </summary>
internal static class LoadSlave
{
    public const int Devices = 50;

    /// <summary>Serves unit ids 1-50, 20 holding registers each, prints the port, and stops when stdin closes.</summary>
    public static async Task<int> RunAsync()
    {
        await using var server = new ModbusServer();
        for (byte unit = 1; unit <= Devices; unit++)
        {
            var store = server.AddUnit(unit, new ModbusDataStore(100));
            store.SetHoldingRegisters(0, Enumerable.Range(0, 20).Select(i => (ushort)(unit + i)).ToArray());
        }

        Console.WriteLine(server.StartTcp().Port);
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
