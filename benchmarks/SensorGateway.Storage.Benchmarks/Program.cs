using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using SensorGateway.Storage.Benchmarks;
using SensorGateway.Storage.Benchmarks.EndToEnd;
using SensorGateway.Storage.Spool;

// `e2e [seconds] [live-rate] [outage-seconds]`: through queue, spool and writer into a VictoriaMetrics of its own.
if (args.Length > 0 && args[0] == "e2e")
{
    double Argument(int index, double otherwise) => args.Length > index ? double.Parse(args[index], CultureInfo.InvariantCulture) : otherwise;
    return await EndToEndLoadTool.RunAsync(TimeSpan.FromSeconds(Argument(1, 10)), Argument(2, 50_000), TimeSpan.FromSeconds(Argument(3, 20)), CancellationToken.None);
}

// `--quick`: Stopwatch passes without BenchmarkDotNet (a smoke check, seconds); otherwise BenchmarkDotNet with its arguments.
if (args.Length > 0 && args[0] == "--quick")
{
    var readings = SpoolBenchmarkData.Build(SpoolBenchmarkData.ReadingsPerInvoke);
    foreach (var (name, fsync, appenders, forward) in new[]
             {
                 ("append  group-commit  1 appender ", SpoolFsyncPolicy.GroupCommit, 1, false),
                 ("append  group-commit  4 appenders", SpoolFsyncPolicy.GroupCommit, 4, false),
                 ("append  always        1 appender ", SpoolFsyncPolicy.Always, 1, false),
                 ("append  always        4 appenders", SpoolFsyncPolicy.Always, 4, false),
                 ("append  never         1 appender ", SpoolFsyncPolicy.Never, 1, false),
                 ("forward group-commit  1+1        ", SpoolFsyncPolicy.GroupCommit, 1, true),
                 ("forward always        1+1        ", SpoolFsyncPolicy.Always, 1, true),
             })
    {
        for (var round = 0; round < 3; round++)
        {
            var directory = SpoolBenchmarkData.NewDirectory();
            var spool = SpoolBenchmarkData.Open("file", fsync, directory);
            var watch = Stopwatch.StartNew();
            var append = SpoolBenchmarkData.AppendAllAsync(spool, readings, appenders);
            if (forward)
            {
                await SpoolBenchmarkData.DrainAsync(spool, readings.Length);
            }

            await append;
            watch.Stop();
            Console.WriteLine($"{name} round {round}: {readings.Length / watch.Elapsed.TotalSeconds,12:N0} readings/s");
            if (!forward && appenders == 1)
            {
                await spool.DisposeAsync();
                spool = SpoolBenchmarkData.Open("file", fsync, directory);
                watch.Restart();
                await SpoolBenchmarkData.DrainAsync(spool, readings.Length);
                Console.WriteLine($"drain   {fsync,-12}  after reopen: {readings.Length / watch.Elapsed.TotalSeconds,12:N0} readings/s");
            }

            await spool.DisposeAsync();
            SpoolBenchmarkData.Delete(directory);
        }
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(SpoolAppendBenchmarks).Assembly).Run(args);
return 0;
