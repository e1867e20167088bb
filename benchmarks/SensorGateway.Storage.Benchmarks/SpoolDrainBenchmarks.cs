using BenchmarkDotNet.Attributes;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Storage.Benchmarks;

/// <summary>
/// Backlog drain: take 5,000 and accept, until 200,000 stored readings are gone (for the file spool: read back
/// from the segment files, decoded, cursor written per accept). Reported per reading; the baseline is the memory spool,
/// so the ratio is what reading back from disk costs.
/// </summary>
[MemoryDiagnoser]
public class SpoolDrainBenchmarks
{
    private Reading[] _readings = [];
    private string _directory = string.Empty;
    private IReadingSpool? _spool;

    [GlobalSetup]
    public void Setup() => _readings = SpoolBenchmarkData.Build(SpoolBenchmarkData.ReadingsPerInvoke);

    [IterationSetup(Target = nameof(DrainMemory))]
    public void FillMemory() => Fill("memory");

    [IterationSetup(Target = nameof(DrainFile))]
    public void FillFile() => Fill("file");

    [Benchmark(Baseline = true, OperationsPerInvoke = SpoolBenchmarkData.ReadingsPerInvoke)]
    public Task<long> DrainMemory() => SpoolBenchmarkData.DrainAsync(_spool!, SpoolBenchmarkData.ReadingsPerInvoke);

    [Benchmark(OperationsPerInvoke = SpoolBenchmarkData.ReadingsPerInvoke)]
    public Task<long> DrainFile() => SpoolBenchmarkData.DrainAsync(_spool!, SpoolBenchmarkData.ReadingsPerInvoke);

    [IterationCleanup]
    public void Close()
    {
        _spool!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SpoolBenchmarkData.Delete(_directory);
    }

    private void Fill(string kind)
    {
        _directory = SpoolBenchmarkData.NewDirectory();
        _spool = SpoolBenchmarkData.Open(kind, SpoolFsyncPolicy.GroupCommit, _directory);
        SpoolBenchmarkData.AppendAllAsync(_spool, _readings, 1).GetAwaiter().GetResult();
        if (_spool is FileReadingSpool)
        {
            // Reopen so that the drain reads from the files, as after an outage and a restart.
            _spool.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _spool = SpoolBenchmarkData.Open(kind, SpoolFsyncPolicy.GroupCommit, _directory);
        }
    }
}
