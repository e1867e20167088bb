using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Tests.Infrastructure;

/// <summary>
/// The real SQLite store behind a gate the test controls: it records the size of every committed batch and where each
/// prune left the log, can hold a
/// commit until released, and can fail the next commits as a full disk would.
/// </summary>
internal sealed class GatedHazardStore(SqliteHazardStore inner) : IHazardStore
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _held;
    private int _failures;

    public List<int> Batches { get; } = [];

    /// <summary>After each prune, the oldest sequence left in the log.</summary>
    public List<ulong> PrunedTo { get; } = [];

    /// <summary>Completes when a commit has reached the store and waits for <see cref="Release"/>.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void HoldNextCommit()
    {
        lock (_gate)
        {
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _held?.TrySetResult();
        }
    }

    public void FailNextCommits(int count)
    {
        lock (_gate)
        {
            _failures = count;
        }
    }

    public void Append(IReadOnlyList<PendingHazardEvent> events)
    {
        Task? held;
        lock (_gate)
        {
            held = _held?.Task;
            if (_failures > 0)
            {
                _failures--;
                throw new IOException("No space left on device (simulated).");
            }
        }

        if (held is not null)
        {
            Entered.TrySetResult();
            held.GetAwaiter().GetResult();
            lock (_gate)
            {
                _held = null;
            }
        }

        inner.Append(events);
        lock (_gate)
        {
            Batches.Add(events.Count);
        }
    }

    public HazardStoreState Load() => inner.Load();

    public StoredHazardRecord? FindRecord(string id) => inner.FindRecord(id);

    public IReadOnlyList<StoredHazardRecord> PageEndedRecords(HazardQuery query, int count) => inner.PageEndedRecords(query, count);

    public IReadOnlyList<HazardEvent> Read(ulong afterSequence, ulong throughSequence, int max) => inner.Read(afterSequence, throughSequence, max);

    public HazardEvent? FindByRequestId(string requestId) => inner.FindByRequestId(requestId);

    public ulong Prune(long retain)
    {
        var oldest = inner.Prune(retain);
        lock (_gate)
        {
            PrunedTo.Add(oldest);
        }

        return oldest;
    }

    public void Dispose() => inner.Dispose();
}
