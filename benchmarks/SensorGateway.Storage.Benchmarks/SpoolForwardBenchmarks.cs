using BenchmarkDotNet.Attributes;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Storage.Benchmarks;

/// <summary>
/// Through the spool: one appender (appends of 1,000) and, at the same time, one forwarder that waits for data,
/// takes 5,000 and accepts (a database that answers at once), until all 200,000 readings were accepted. This is
/// the spool's share of the end-to-end target (200,000 readings/s with group commit). Reported per reading.
/// </summary>
[MemoryDiagnoser]
public class SpoolForwardBenchmarks
{
    private Reading[] _readings = [];
    private string _directory = string.Empty;
    private IReadingSpool? _spool;

    [Params(SpoolFsyncPolicy.GroupCommit, SpoolFsyncPolicy.Always)]
    public SpoolFsyncPolicy Fsync { get; set; }

    [GlobalSetup]
    public void Setup() => _readings = SpoolBenchmarkData.Build(SpoolBenchmarkData.ReadingsPerInvoke);

    [IterationSetup]
    public void Open()
    {
        _directory = SpoolBenchmarkData.NewDirectory();
        _spool = SpoolBenchmarkData.Open("file", Fsync, _directory);
    }

    [Benchmark(OperationsPerInvoke = SpoolBenchmarkData.ReadingsPerInvoke)]
    public Task Forward() => Task.WhenAll(
        SpoolBenchmarkData.AppendAllAsync(_spool!, _readings, 1),
        Task.Run(() => SpoolBenchmarkData.DrainAsync(_spool!, SpoolBenchmarkData.ReadingsPerInvoke)));

    [IterationCleanup]
    public void Close()
    {
        _spool!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SpoolBenchmarkData.Delete(_directory);
    }
}
