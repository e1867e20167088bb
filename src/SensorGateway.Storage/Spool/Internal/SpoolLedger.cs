using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Spool.Internal;

/// <summary>
/// The batches a spool has handed out: those in flight and those rejected and waiting to be taken again
/// (ordered by id, ahead of everything in the store). Not thread-safe: the spool calls it under its lock.
/// </summary>
internal sealed class SpoolLedger(object owner)
{
    private readonly List<SpoolBatch> _inFlight = [];
    private readonly List<SpoolBatch> _returned = [];

    public long InFlightRecords { get; private set; }

    public long ReturnedRecords { get; private set; }

    public bool HasReturned => _returned.Count > 0;

    /// <summary>The oldest returned records, up to <paramref name="maxRecords"/>, now in flight; null if none.</summary>
    public SpoolBatch? TakeReturned(int maxRecords, Func<Reading, long> sizeOf)
    {
        if (_returned.Count == 0)
        {
            return null;
        }

        var batch = _returned[0];
        if (batch.Count <= maxRecords)
        {
            _returned.RemoveAt(0);
        }
        else
        {
            batch = batch.SplitHead(maxRecords, sizeOf);
        }

        ReturnedRecords -= batch.Count;
        AddInFlight(batch);
        return batch;
    }

    public void AddInFlight(SpoolBatch batch)
    {
        _inFlight.Add(batch);
        InFlightRecords += batch.Count;
    }

    /// <summary>Removes an in-flight batch; throws if it is not one of ours in flight.</summary>
    public void Settle(SpoolBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!ReferenceEquals(batch.Owner, owner) || !_inFlight.Remove(batch))
        {
            throw new InvalidOperationException("The batch is not in flight in this spool: it was already accepted or rejected, or taken from another spool.");
        }

        InFlightRecords -= batch.Count;
    }

    public void Return(SpoolBatch batch)
    {
        var index = _returned.FindIndex(b => b.StartId > batch.StartId);
        _returned.Insert(index < 0 ? _returned.Count : index, batch);
        ReturnedRecords += batch.Count;
    }

    /// <summary>The smallest id still live (in flight, returned or not yet handed out by the store).</summary>
    public long LowestLiveId(long storeNextId)
    {
        var lowest = storeNextId;
        foreach (var batch in _inFlight)
        {
            lowest = Math.Min(lowest, batch.StartId);
        }

        foreach (var batch in _returned)
        {
            lowest = Math.Min(lowest, batch.StartId);
        }

        return lowest;
    }

    /// <summary>The oldest reading in flight or returned.</summary>
    public bool TryGetOldest(out long id, out Reading reading)
    {
        id = long.MaxValue;
        reading = default;
        foreach (var batch in _inFlight.Concat(_returned))
        {
            if (batch.Count > 0 && batch.FirstRecordId < id)
            {
                id = batch.FirstRecordId;
                reading = batch.Readings.Span[0];
            }
        }

        return id != long.MaxValue;
    }

    /// <summary>
    /// Drops returned records with ids below <paramref name="endId"/>, oldest first, until
    /// <paramref name="bytesToFree"/> bytes are freed; returns how many records and their bytes.
    /// </summary>
    public (long Records, long Bytes) DropReturned(long endId, long bytesToFree, Func<Reading, long> sizeOf)
    {
        long records = 0;
        long bytes = 0;
        while (_returned.Count > 0 && bytes < bytesToFree)
        {
            var batch = _returned[0];
            var ids = batch.Ids;
            var count = 0;
            long batchBytes = 0;
            while (count < ids.Length && ids[count] < endId && bytes + batchBytes < bytesToFree)
            {
                batchBytes += sizeOf(batch.Readings.Span[count]);
                count++;
            }

            if (count == 0)
            {
                break;
            }

            batch.RemoveHead(count, batchBytes);
            records += count;
            bytes += batchBytes;
            ReturnedRecords -= count;
            if (batch.Count == 0)
            {
                _returned.RemoveAt(0);
                batch.Release();
            }
        }

        return (records, bytes);
    }

    /// <summary>Copies of every in-flight and returned reading with its id, ordered by id.</summary>
    public List<(long Id, Reading Reading)> Snapshot()
    {
        var list = new List<(long, Reading)>((int)(InFlightRecords + ReturnedRecords));
        foreach (var batch in _inFlight.Concat(_returned))
        {
            var ids = batch.Ids;
            var readings = batch.Readings.Span;
            for (var i = 0; i < batch.Count; i++)
            {
                list.Add((ids[i], readings[i]));
            }
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }

    /// <summary>Forgets every batch (at dispose). Their arrays are left to the collector: a caller may still read one.</summary>
    public void Clear()
    {
        _inFlight.Clear();
        _returned.Clear();
        InFlightRecords = 0;
        ReturnedRecords = 0;
    }
}
