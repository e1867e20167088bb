namespace SensorGateway.Storage.Spool.Internal;

/// <summary>
/// One segment file and what the spool knows about it. Fields are guarded by the spool's state lock, except
/// that the writer alone changes <see cref="Length"/> (under that lock).
/// </summary>
internal sealed class SpoolSegment(string path, long firstId)
{
    public string Path { get; } = path;

    public string Name { get; } = System.IO.Path.GetFileName(path);

    /// <summary>The id its first record has (or would have): also its file name.</summary>
    public long FirstId { get; } = firstId;

    /// <summary>Bytes written to the file, header included.</summary>
    public long Length { get; set; }

    /// <summary>Bytes readers may read: written and, unless the policy is Never, fsynced.</summary>
    public long CommittedLength { get; set; }

    /// <summary>One past the last id written so far.</summary>
    public long WrittenEndId { get; set; }

    /// <summary>Once sealed, one past the last id the segment can hold: the next segment's first id.</summary>
    public long EndId { get; set; } = long.MaxValue;

    /// <summary>No more writes; the next segment exists.</summary>
    public bool Sealed { get; set; }

    /// <summary>Pending records stored in it (valid, not below the acknowledgement mark at open).</summary>
    public long RecordCount { get; set; }

    /// <summary>Records of <see cref="RecordCount"/> the reader has handed out.</summary>
    public long RecordsConsumed { get; set; }

    /// <summary>Offsets of damaged regions already reported by recovery, so the reader does not count them twice.</summary>
    public HashSet<long> KnownCorruptOffsets { get; } = [];
}
