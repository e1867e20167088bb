using BenchmarkDotNet.Running;
using SensorGateway.Modbus.Benchmarks;

// "load [seconds] [libmodbus-server]" runs the loopback load comparison; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "load")
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
    return await ModbusLoadTool.RunAsync(TimeSpan.FromSeconds(seconds), args.Length > 2 && args[2] == "libmodbus-server");
}

BenchmarkSwitcher.FromAssembly(typeof(ModbusFrameBenchmarks).Assembly).Run(args);
return 0;
