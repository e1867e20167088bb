using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Spool;

/// <summary>
/// A store-and-forward spool of readings with transactional batches, after telegraf's output buffer
/// (<c>models/buffer.go</c>): append, take a batch, then accept or reject it.
/// </summary>
/// <remarks>
/// <para>Records get increasing ids in append order. <see cref="TakeAsync"/> hands out the oldest records that
/// are not in flight; <see cref="Accept"/> removes a batch for good; <see cref="Reject"/> puts it back at the
/// head, so the next take returns it again, in order. Several batches may be in flight at once; with one at a
/// time (the usual forwarder) a crash resends at most that batch.</para>
/// <para>Quota: at <c>WarningThreshold</c> of the quota <see cref="QuotaWarning"/> is raised once per crossing;
/// when full, the <see cref="SpoolFullPolicy"/> applies, the loss is counted in <see cref="Counters"/> and
/// <see cref="QuotaExceeded"/> is raised synchronously by the append or write that caused it. Event handlers
/// run on the spool's threads: keep them short and non-blocking.</para>
/// </remarks>
public interface IReadingSpool : IAsyncDisposable
{
    /// <summary>Raised when the stored bytes cross the warning threshold (80 % by default) from below.</summary>
    event EventHandler<SpoolQuotaEventArgs>? QuotaWarning;

    /// <summary>Raised each time records are dropped or refused because the quota is full.</summary>
    event EventHandler<SpoolQuotaEventArgs>? QuotaExceeded;

    /// <summary>A snapshot of the spool's depth and totals.</summary>
    SpoolCounters Counters { get; }

    /// <summary>
    /// Appends <paramref name="readings"/> in order. When the returned task completes they are stored as
    /// durably as the spool's fsync policy makes them: that is the acknowledgement point. The caller may reuse
    /// the memory afterwards.
    /// </summary>
    /// <exception cref="SpoolFullException">The quota is full under <see cref="SpoolFullPolicy.RejectNew"/>.</exception>
    ValueTask AppendAsync(ReadOnlyMemory<Reading> readings, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="maxRecords"/> of the oldest records not in flight, in order; null when there
    /// are none. Does not wait for data: see <see cref="WaitForDataAsync"/>.
    /// </summary>
    ValueTask<SpoolBatch?> TakeAsync(int maxRecords, CancellationToken cancellationToken);

    /// <summary>Removes a taken batch for good (the database confirmed it).</summary>
    /// <exception cref="InvalidOperationException">The batch is not in flight in this spool.</exception>
    void Accept(SpoolBatch batch);

    /// <summary>Returns a taken batch to the head of the spool, to be taken again before anything newer.</summary>
    /// <exception cref="InvalidOperationException">The batch is not in flight in this spool.</exception>
    void Reject(SpoolBatch batch);

    /// <summary>Completes when <see cref="TakeAsync"/> has something to return (at once if it has now).</summary>
    ValueTask WaitForDataAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads every pending record (including those in flight) in record order, without taking them: for
    /// export to line protocol or for inspection. Records appended after the call began may be left out.
    /// </summary>
    IAsyncEnumerable<Reading> ReadPendingAsync(CancellationToken cancellationToken);
}
