using SensorGateway.Grpc.V1;
using HazardRecord = SensorGateway.Core.Hazards.HazardRecord;

namespace SensorGateway.Grpc.Hazards;

/// <summary>An event waiting for its commit, with the record state it saves.</summary>
public readonly record struct PendingHazardEvent(HazardEvent Event, HazardRecord? Record);

/// <summary>
/// The events appended while the previous commit was on the disk: committed together in one transaction (one fsync),
/// then published together. One task for the whole batch, so an alarm storm costs one allocation per commit.
/// </summary>
internal sealed class HazardCommitBatch
{
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<PendingHazardEvent> Events { get; } = [];

    /// <summary>Completes when every event of the batch is durable and handed to the live subscribers.</summary>
    public Task Committed => _committed.Task;

    public ulong LastSequence => Events[^1].Event.Sequence;

    public void Complete() => _committed.TrySetResult();

    public void Fail(Exception exception) => _committed.TrySetException(exception);
}
