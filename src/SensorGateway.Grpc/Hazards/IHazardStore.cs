using SensorGateway.Core.Hazards;
using SensorGateway.Grpc.V1;
using HazardRecord = SensorGateway.Core.Hazards.HazardRecord;

namespace SensorGateway.Grpc.Hazards;

/// <summary>
/// The durable hazard log: an append-only, gap-free event log plus the current state of every record.
/// An append is one transaction (a batch of events with their records' states) that is durable when the call returns.
/// </summary>
public interface IHazardStore : IDisposable
{
    /// <summary>What a restart needs: every record, and the first and last sequence still in the log.</summary>
    HazardStoreState Load();

    /// <summary>
    /// Appends the events (sequences already set, continuing the log without a gap) and, where given, each record's new
    /// state, all in one transaction.
    /// </summary>
    void Append(IReadOnlyList<PendingHazardEvent> events);

    /// <summary>Events with <paramref name="afterSequence"/> &lt; sequence ≤ <paramref name="throughSequence"/>, oldest first, at most <paramref name="max"/>.</summary>
    IReadOnlyList<HazardEvent> Read(ulong afterSequence, ulong throughSequence, int max);

    /// <summary>The event that recorded a command with this request id, or null.</summary>
    HazardEvent? FindByRequestId(string requestId);

    /// <summary>Deletes events so that at most <paramref name="retain"/> remain; returns the oldest sequence left (0 when empty).</summary>
    ulong Prune(long retain);
}

/// <summary>The state the store holds at start-up.</summary>
/// <param name="Records">Every record, ended ones included.</param>
/// <param name="OldestSequence">The oldest retained event's sequence; 0 when the log is empty.</param>
/// <param name="LastSequence">The newest event's sequence; 0 when none was ever written.</param>
/// <param name="RecordSequences">Per record id, the sequence of the latest event that changed it.</param>
public sealed record HazardStoreState(IReadOnlyList<HazardRecord> Records, ulong OldestSequence, ulong LastSequence,
    IReadOnlyDictionary<string, ulong> RecordSequences)
{
    /// <summary>Records by status, for start-up logging.</summary>
    public int OpenCount => Records.Count(r => r.Status is not (Core.Hazards.HazardStatus.Closed or Core.Hazards.HazardStatus.Withdrawn));
}
