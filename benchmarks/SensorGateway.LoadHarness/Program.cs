using System.Text.Json;
using System.Text.Json.Serialization;
using SensorGateway.Benchmarks.Subscribers;
using SensorGateway.LoadHarness;
using SensorGateway.LoadHarness.Report;

// The subscriber fleet of a --fan-out phase runs as a child process of this program.
if (await SubscriberFleet.TryRunChildAsync(args))
{
    return 0;
}

if (args is ["help" or "-h" or "--help"])
{
    Console.WriteLine(HarnessOptions.Usage);
    return 0;
}

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}{Environment.NewLine}{HarnessOptions.Usage}");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// SIGTERM too (a background run ignores SIGINT): cancel, so the servers and the gateway are stopped by the run.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var results = new List<RunResult>();
var failed = false;
foreach (var sensors in options.Scaling.Count > 0 ? options.Scaling : [options.Sensors])
{
    Console.WriteLine($"load run: {sensors:N0} sensors × {options.Rate}/s, {options.ModbusShare:P0} Modbus, {options.Duration.TotalSeconds:0} s, {options.Database}");
    try
    {
        results.Add(await new LoadRun(options, sensors).RunAsync(stop.Token));
    }
    catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
    {
        // One size failing (e.g. a server that would not start) still leaves the other sizes' figures.
        Console.Error.WriteLine($"load run of {sensors:N0} sensors failed: {ex}");
        failed = true;
        continue;
    }

    // Written after every size, so a long scaling run keeps what it measured.
    if (options.JsonFile is { } json)
    {
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }), stop.Token);
    }
}

ResultTables.Write(results);
if (options.JsonFile is { } file)
{
    Console.WriteLine($"results: {Path.GetFullPath(file)}");
}

return !failed && results.All(r => r.Lost == 0) ? 0 : 1;
