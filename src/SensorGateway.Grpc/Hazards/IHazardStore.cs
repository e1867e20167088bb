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
    /// <summary>What a restart needs: the records not yet closed or withdrawn, and the first and last sequence still in the log.</summary>
    HazardStoreState Load();

    /// <summary>A record's stored state, or null when the store has none by that id.</summary>
    StoredHazardRecord? FindRecord(string id);

    /// <summary>
    /// The ended (closed or withdrawn) records after <see cref="HazardQuery.AfterId"/> that match the query's site, sector,
    /// minimum level and statuses, in id order, at most <paramref name="count"/>.
    /// </summary>
    IReadOnlyList<StoredHazardRecord> PageEndedRecords(HazardQuery query, int count);

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
/// <param name="Records">The records not yet closed or withdrawn: the ended ones stay in the store, read when asked for.</param>
/// <param name="RecordCount">Every record in the store, ended ones included.</param>
/// <param name="LastRecordId">The newest record's id (new ids continue after it), or null when there is none.</param>
/// <param name="OldestSequence">The oldest retained event's sequence; 0 when the log is empty.</param>
/// <param name="LastSequence">The newest event's sequence; 0 when none was ever written.</param>
/// <param name="RecordSequences">Per record in <paramref name="Records"/>, the sequence of the latest event that changed it.</param>
public sealed record HazardStoreState(IReadOnlyList<HazardRecord> Records, int RecordCount, string? LastRecordId, ulong OldestSequence,
    ulong LastSequence, IReadOnlyDictionary<string, ulong> RecordSequences);

/// <summary>A record as stored, with the sequence of the latest event that changed it.</summary>
public readonly record struct StoredHazardRecord(HazardRecord Record, ulong LastSequence);
