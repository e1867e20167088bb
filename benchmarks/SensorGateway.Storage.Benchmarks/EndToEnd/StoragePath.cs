using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SensorGateway.Storage.Forwarding;
using SensorGateway.Storage.Influx;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Storage.Benchmarks.EndToEnd;

/// <summary>
/// The gateway's storage path as the host wires it: <see cref="ReadingQueue"/> → <see cref="StorageForwarder"/> →
/// file spool (group commit, one fsync per group) → <see cref="SpoolForwarder"/> → InfluxDB.Client v2 writer.
/// </summary>
internal sealed class StoragePath : IAsyncDisposable
{
    private readonly string _directory;
    private readonly IReadingSpool _spool;
    private readonly InfluxV2ReadingSink _database;
    private readonly StorageForwarder _toSpool;
    private readonly SpoolForwarder _toDatabase;

    public StoragePath(Uri database, string sector, int batchSize, int writesInFlight)
    {
        _directory = Directory.CreateTempSubdirectory("sg-e2e-spool-").FullName;
        var options = Options.Create(new StorageOptions
        {
            Mode = StorageMode.InfluxV2, Url = database, Org = "bench", Bucket = "readings", BatchSize = batchSize,
            WritesInFlight = writesInFlight,
        });
        var lineProtocol = new LineProtocol(sector, options.Value.Precision);
        Queue = new ReadingQueue(options.Value.QueueCapacity);
        _spool = FileReadingSpool.Open(new FileSpoolOptions
        {
            Directory = Path.Combine(_directory, "spool"), FsyncPolicy = SpoolFsyncPolicy.GroupCommit,
        });
        _database = new InfluxV2ReadingSink(options, lineProtocol);
        _toSpool = new StorageForwarder(Queue, new SpoolReadingSink(_spool), options, TimeProvider.System, NullLogger<StorageForwarder>.Instance);
        _toDatabase = new SpoolForwarder(_spool, _database, new QuarantineFile(Path.Combine(_directory, "quarantine"), lineProtocol, TimeProvider.System),
            batchSize, TimeProvider.System, NullLogger<SpoolForwarder>.Instance, options.Value.WritesInFlight);
    }

    public ReadingQueue Queue { get; }

    /// <summary>Readings durable in the spool: acknowledged.</summary>
    public long Acknowledged => Queue.Stored;

    /// <summary>Readings the database confirmed.</summary>
    public long Landed => _toDatabase.Written;

    public long SpoolDepth => _spool.Counters.PendingRecords;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _toSpool.StartAsync(cancellationToken).ConfigureAwait(false);
        await _toDatabase.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Queue.Complete();
        await _toSpool.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _toDatabase.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _toSpool.Dispose();
        _toDatabase.Dispose();
        _database.Dispose();
        await _spool.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }
}
