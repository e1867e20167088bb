using System.Buffers;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Spool;

/// <summary>
/// Records taken from a spool by <see cref="IReadingSpool.TakeAsync"/>: the oldest ones not already in
/// flight, in order. Settle it exactly once, with <see cref="IReadingSpool.Accept"/> once the database has
/// confirmed it or <see cref="IReadingSpool.Reject"/> to have it retried first.
/// </summary>
/// <remarks>
/// <see cref="Readings"/> is valid until the batch is accepted; its memory is pooled and reused afterwards.
/// A batch covers the record-id range <see cref="StartId"/> to <see cref="EndId"/> (exclusive). Ids lost in
/// between (corrupt or dropped records) belong to the range too, so accepting every batch lets the spool's
/// acknowledgement mark move past them.
/// </remarks>
public sealed class SpoolBatch
{
    private Reading[]? _readings;
    private long[]? _ids;

    internal SpoolBatch(object owner, int capacity, long startId)
    {
        Owner = owner;
        _readings = ArrayPool<Reading>.Shared.Rent(Math.Max(1, capacity));
        _ids = ArrayPool<long>.Shared.Rent(Math.Max(1, capacity));
        StartId = startId;
        EndId = startId;
    }

    /// <summary>The readings, oldest first.</summary>
    public ReadOnlyMemory<Reading> Readings => new(ReadingArray, 0, Count);

    /// <summary>Number of readings.</summary>
    public int Count { get; private set; }

    /// <summary>Spool record id of the first reading.</summary>
    public long FirstRecordId => IdArray[0];

    /// <summary>Spool record id of the last reading.</summary>
    public long LastRecordId => IdArray[Count - 1];

    /// <summary>First id of the range this batch settles.</summary>
    public long StartId { get; private set; }

    /// <summary>One past the last id of the range this batch settles.</summary>
    public long EndId { get; private set; }

    internal object Owner { get; }

    /// <summary>Encoded size of the readings (the memory spool's byte count).</summary>
    internal long Bytes { get; private set; }

    internal ReadOnlySpan<long> Ids => new(IdArray, 0, Count);

    private Reading[] ReadingArray => _readings ?? throw new InvalidOperationException("The batch was accepted; its readings are gone.");

    private long[] IdArray => _ids ?? throw new InvalidOperationException("The batch was accepted; its readings are gone.");

    internal void Add(long id, in Reading reading, long bytes)
    {
        if (Count == ReadingArray.Length || Count == IdArray.Length)
        {
            Grow();
        }

        ReadingArray[Count] = reading;
        IdArray[Count] = id;
        Count++;
        Bytes += bytes;
        EndId = id + 1;
    }

    /// <summary>Extends the range past ids known to be lost (so accepting it settles them too).</summary>
    internal void ExtendEnd(long endId) => EndId = Math.Max(EndId, endId);

    /// <summary>
    /// Splits off the first <paramref name="count"/> readings into a new batch; this one keeps the rest.
    /// Used when a rejected batch is taken again with a smaller maximum.
    /// </summary>
    internal SpoolBatch SplitHead(int count, Func<Reading, long> sizeOf)
    {
        var head = new SpoolBatch(Owner, count, StartId);
        var readings = ReadingArray;
        var ids = IdArray;
        for (var i = 0; i < count; i++)
        {
            head.Add(ids[i], readings[i], sizeOf(readings[i]));
        }

        head.EndId = ids[count];
        RemoveHead(count, head.Bytes);
        return head;
    }

    /// <summary>Removes the first <paramref name="count"/> readings (a quota drop inside a rejected batch).</summary>
    internal void RemoveHead(int count, long headBytes)
    {
        var readings = ReadingArray;
        var ids = IdArray;
        var remaining = Count - count;
        StartId = remaining > 0 ? ids[count] : EndId;
        Array.Copy(readings, count, readings, 0, remaining);
        Array.Copy(ids, count, ids, 0, remaining);
        Array.Clear(readings, remaining, count);
        Count = remaining;
        Bytes -= headBytes;
    }

    private void Grow()
    {
        var readings = ArrayPool<Reading>.Shared.Rent(Count * 2);
        var ids = ArrayPool<long>.Shared.Rent(Count * 2);
        Array.Copy(ReadingArray, readings, Count);
        Array.Copy(IdArray, ids, Count);
        Release();
        _readings = readings;
        _ids = ids;
    }

    internal void Release()
    {
        if (_readings is { } readings)
        {
            ArrayPool<Reading>.Shared.Return(readings, clearArray: true);
        }

        if (_ids is { } ids)
        {
            ArrayPool<long>.Shared.Return(ids);
        }

        _readings = null;
        _ids = null;
    }
}
