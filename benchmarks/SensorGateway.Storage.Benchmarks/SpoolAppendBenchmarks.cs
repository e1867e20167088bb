using BenchmarkDotNet.Attributes;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Storage.Benchmarks;

/// <summary>
/// Append throughput: 200,000 readings in appends of 1,000 into a fresh file spool, per fsync policy and number of
/// concurrent appenders. Reported per reading (OperationsPerInvoke): readings/s = 1 s / Mean. The baseline appends the
/// same readings to the memory spool (which has no fsync), so the ratio is what durability costs.
/// </summary>
[MemoryDiagnoser]
public class SpoolAppendBenchmarks
{
    private Reading[] _readings = [];
    private string _directory = string.Empty;
    private IReadingSpool? _spool;
    private IReadingSpool? _memory;

    [Params(SpoolFsyncPolicy.GroupCommit, SpoolFsyncPolicy.Always, SpoolFsyncPolicy.Never)]
    public SpoolFsyncPolicy Fsync { get; set; }

    [Params(1, 4)]
    public int Appenders { get; set; }

    [GlobalSetup]
    public void Setup() => _readings = SpoolBenchmarkData.Build(SpoolBenchmarkData.ReadingsPerInvoke);

    [IterationSetup]
    public void Open()
    {
        _directory = SpoolBenchmarkData.NewDirectory();
        _spool = SpoolBenchmarkData.Open("file", Fsync, _directory);
        _memory = SpoolBenchmarkData.Open("memory", Fsync, _directory);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SpoolBenchmarkData.ReadingsPerInvoke)]
    public Task AppendToMemory() => SpoolBenchmarkData.AppendAllAsync(_memory!, _readings, Appenders);

    [Benchmark(OperationsPerInvoke = SpoolBenchmarkData.ReadingsPerInvoke)]
    public Task Append() => SpoolBenchmarkData.AppendAllAsync(_spool!, _readings, Appenders);

    [IterationCleanup]
    public void Close()
    {
        _spool!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _memory!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SpoolBenchmarkData.Delete(_directory);
    }
}
