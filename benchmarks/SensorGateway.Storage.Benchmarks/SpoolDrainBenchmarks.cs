using BenchmarkDotNet.Attributes;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Storage.Benchmarks;

/// <summary>
/// Backlog drain: take 5,000 and accept, until 200,000 stored readings are gone (for the file spool: read back
/// from the segment files, decoded, cursor written per accept). Reported per reading.
/// </summary>
[MemoryDiagnoser]
public class SpoolDrainBenchmarks
{
    private Reading[] _readings = [];
    private string _directory = string.Empty;
    private IReadingSpool? _spool;

    [Params("file", "memory")]
    public string Kind { get; set; } = "file";

    [GlobalSetup]
    public void Setup() => _readings = SpoolBenchmarkData.Build(SpoolBenchmarkData.ReadingsPerInvoke);

    [IterationSetup]
    public void Fill()
    {
        _directory = SpoolBenchmarkData.NewDirectory();
        _spool = SpoolBenchmarkData.Open(Kind, SpoolFsyncPolicy.GroupCommit, _directory);
        SpoolBenchmarkData.AppendAllAsync(_spool, _readings, 1).GetAwaiter().GetResult();
        if (_spool is FileReadingSpool)
        {
            // Reopen so that the drain reads from the files, as after an outage and a restart.
            _spool.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _spool = SpoolBenchmarkData.Open(Kind, SpoolFsyncPolicy.GroupCommit, _directory);
        }
    }

    [Benchmark(OperationsPerInvoke = SpoolBenchmarkData.ReadingsPerInvoke)]
    public Task<long> Drain() => SpoolBenchmarkData.DrainAsync(_spool!, SpoolBenchmarkData.ReadingsPerInvoke);

    [IterationCleanup]
    public void Close()
    {
        _spool!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SpoolBenchmarkData.Delete(_directory);
    }
}
