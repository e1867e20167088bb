using System.Buffers.Binary;
using Microsoft.Extensions.Logging;

namespace SensorGateway.Storage.Spool.Internal;

/// <summary>
/// Scans a spool directory at open: validates every frame, truncates a torn tail of the newest segment,
/// records damaged regions (with the records they cost, from the gap in ids) and finds where reading resumes.
/// </summary>
internal static class SpoolRecovery
{
    internal sealed record Result(
        List<SpoolSegment> Segments,
        SpoolRecoveryReport Report,
        long NextId,
        long ReaderOffset,
        long ReaderExpectedId);

    public static Result Scan(string directory, long acceptedBelowId, bool cursorMissing, ILogger logger)
    {
        var files = Directory.EnumerateFiles(directory, "*" + SpoolFiles.SegmentExtension)
            .Select(path => SpoolFiles.TryParseSegmentName(path, out var id) ? (Path: path, FirstId: id) : (Path: path, FirstId: -1L))
            .Where(f => f.FirstId >= 0)
            .OrderBy(f => f.FirstId)
            .ToList();

        var segments = new List<SpoolSegment>();
        var regions = new List<SpoolCorruptRegion>();
        SpoolTornTail? tornTail = null;
        long pending = 0;
        var nextId = acceptedBelowId;
        long readerOffset = -1;
        long readerExpectedId = 0;
        SpoolSegment? readerSegment = null;
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, SpoolRecordCodec.Magic);

        for (var i = 0; i < files.Count; i++)
        {
            var (path, firstId) = files[i];
            var isLast = i == files.Count - 1;
            var nextFirstId = isLast ? long.MaxValue : files[i + 1].FirstId;
            var segment = new SpoolSegment(path, firstId);
            var bytes = File.ReadAllBytes(path);
            nextId = Math.Max(nextId, firstId);

            if (!SpoolFiles.IsSegmentHeader(bytes))
            {
                if (isLast && bytes.Length < SpoolFiles.SegmentHeaderSize)
                {
                    // Crashed while creating the segment: nothing was ever acknowledged in it.
                    if (bytes.Length > 0)
                    {
                        tornTail = new SpoolTornTail(segment.Name, 0, bytes.Length);
                        SpoolLog.TornTailTruncated(logger, segment.Name, 0, bytes.Length);
                    }
                }
                else
                {
                    var lost = isLast ? 0 : Math.Max(0, nextFirstId - Math.Max(firstId, acceptedBelowId));
                    regions.Add(new SpoolCorruptRegion(segment.Name, 0, bytes.Length, lost));
                    SpoolLog.SegmentHeaderInvalid(logger, segment.Name, lost);
                }

                File.Delete(path);
                continue;
            }

            long offset = SpoolFiles.SegmentHeaderSize;
            var expected = firstId;
            long badStart = -1;
            long firstPendingOffset = -1;
            long firstPendingId = 0;
            long records = 0;
            while (offset < bytes.Length)
            {
                var status = SpoolRecordCodec.TryReadFrame(bytes.AsSpan((int)offset), out var id, out var length);
                if (status == SpoolFrameStatus.Valid && id >= expected)
                {
                    if (badStart >= 0)
                    {
                        AddRegion(segment, badStart, offset - badStart, Lost(expected, id, acceptedBelowId));
                        badStart = -1;
                    }

                    if (id >= acceptedBelowId)
                    {
                        if (firstPendingOffset < 0)
                        {
                            firstPendingOffset = offset;
                            firstPendingId = id;
                        }

                        records++;
                    }

                    expected = id + 1;
                    offset += length;
                    continue;
                }

                if (badStart < 0)
                {
                    badStart = offset;
                }

                var next = bytes.AsSpan((int)offset + 1).IndexOf(magic);
                offset = next < 0 ? bytes.Length : offset + 1 + next;
            }

            var validLength = (long)bytes.Length;
            if (badStart >= 0)
            {
                if (isLast)
                {
                    validLength = badStart;
                    tornTail = new SpoolTornTail(segment.Name, badStart, bytes.Length - badStart);
                    SpoolLog.TornTailTruncated(logger, segment.Name, badStart, bytes.Length - badStart);
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
                    stream.SetLength(badStart);
                    stream.Flush(flushToDisk: true);
                }
                else
                {
                    AddRegion(segment, badStart, bytes.Length - badStart, Lost(expected, nextFirstId, acceptedBelowId));
                }
            }

            nextId = Math.Max(nextId, expected);
            segment.Length = validLength;
            segment.CommittedLength = validLength;
            segment.WrittenEndId = expected;
            segment.EndId = isLast ? expected : nextFirstId;
            segment.Sealed = true;
            segment.RecordCount = records;
            pending += records;
            if (records == 0)
            {
                // Everything in it was accepted (or lost): nothing to deliver.
                File.Delete(path);
                continue;
            }

            if (readerSegment is null)
            {
                readerSegment = segment;
                readerOffset = firstPendingOffset;
                readerExpectedId = firstPendingId;
            }

            segments.Add(segment);
        }

        if (segments.Count > 0)
        {
            segments[^1].EndId = nextId;
        }

        var report = new SpoolRecoveryReport
        {
            SegmentsScanned = files.Count,
            PendingRecords = pending,
            AcceptedBelowId = acceptedBelowId,
            CursorMissing = cursorMissing,
            CorruptRegions = regions,
            TornTail = tornTail,
        };
        return new Result(segments, report, nextId, readerOffset, readerExpectedId);

        void AddRegion(SpoolSegment segment, long start, long length, long lost)
        {
            segment.KnownCorruptOffsets.Add(start);
            regions.Add(new SpoolCorruptRegion(segment.Name, start, length, lost));
            SpoolLog.CorruptRegionSkipped(logger, segment.Name, start, length, lost);
        }
    }

    /// <summary>Pending ids in [expected, next): those at or above the acknowledgement mark.</summary>
    private static long Lost(long expected, long next, long acceptedBelowId) =>
        Math.Max(0, next - Math.Max(expected, acceptedBelowId));
}
