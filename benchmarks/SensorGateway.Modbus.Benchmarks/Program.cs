using System.Globalization;
using BenchmarkDotNet.Running;
using SensorGateway.Modbus.Benchmarks;

// "load [seconds] [ours|libmodbus-server] [depths, e.g. 1,4,8,16]" runs the loopback load comparison (starting
// "load-slave" as a process of its own for our slave); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "load")
{
    var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
    var depths = args.Length > 3 ? args[3].Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray() : [1, 4, 8, 16];
    return await ModbusLoadTool.RunAsync(TimeSpan.FromSeconds(seconds), args.Length > 2 && args[2] == "libmodbus-server", depths);
}

if (args.Length > 0 && args[0] == "load-slave")
{
    return await LoadSlave.RunAsync();
}

BenchmarkSwitcher.FromAssembly(typeof(ModbusFrameBenchmarks).Assembly).Run(args);
return 0;
