using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Spool.Internal;

/// <summary>
/// Reads frames from one segment at a time, up to the segment's committed length, skipping damage by
/// resynchronising on the next frame magic. Not thread-safe: the spool calls it under its state lock.
/// </summary>
internal sealed class SpoolSegmentReader : IDisposable
{
    private const int ReadSize = 256 * 1024;
    private readonly SeriesDecoder _decoder = new();
    private readonly Action<SpoolSegment, long, long, long> _onCorrupt;
    private SafeFileHandle? _handle;
    private byte[] _buffer = new byte[ReadSize];
    private long _bufferStart;
    private int _bufferLength;
    private bool _hasPeek;
    private long _peekId;
    private int _peekLength;
    private Reading _peekReading;

    /// <param name="onCorrupt">Called with segment, offset, length and lost records for each damaged region found.</param>
    public SpoolSegmentReader(Action<SpoolSegment, long, long, long> onCorrupt) => _onCorrupt = onCorrupt;

    public SpoolSegment? Segment { get; private set; }

    public long Offset { get; private set; }

    /// <summary>The id the next record should have (at least).</summary>
    public long ExpectedId { get; private set; }

    public void MoveTo(SpoolSegment? segment, long offset, long expectedId)
    {
        _handle?.Dispose();
        _handle = null;
        Segment = segment;
        Offset = offset;
        ExpectedId = expectedId;
        _bufferLength = 0;
        _hasPeek = false;
    }

    /// <summary>The next valid record in the committed part of the current segment; false at its end.</summary>
    public bool TryPeek(out long id, out Reading reading)
    {
        if (_hasPeek)
        {
            id = _peekId;
            reading = _peekReading;
            return true;
        }

        id = 0;
        reading = default;
        var segment = Segment;
        if (segment is null)
        {
            return false;
        }

        var committed = segment.CommittedLength;
        long badStart = -1;
        while (Offset < committed)
        {
            var remaining = committed - Offset;
            var window = Window(Offset, (int)Math.Min(remaining, SpoolRecordCodec.HeaderSize), committed);
            var status = SpoolRecordCodec.TryReadFrame(window, out id, out var length);
            if (status == SpoolFrameStatus.Incomplete && window.Length < remaining)
            {
                var needed = window.Length < SpoolRecordCodec.HeaderSize
                    ? SpoolRecordCodec.HeaderSize
                    : SpoolRecordCodec.HeaderSize + BinaryPrimitives.ReadInt32LittleEndian(window[4..]);
                window = Window(Offset, (int)Math.Min(remaining, needed), committed);
                status = SpoolRecordCodec.TryReadFrame(window, out id, out length);
            }

            if (status == SpoolFrameStatus.Valid && id >= ExpectedId && TryDecode(window[..length], out reading))
            {
                if (badStart >= 0)
                {
                    _onCorrupt(segment, badStart, Offset - badStart, id - ExpectedId);
                }

                _hasPeek = true;
                _peekId = id;
                _peekLength = length;
                _peekReading = reading;
                return true;
            }

            if (badStart < 0)
            {
                badStart = Offset;
            }

            Offset = FindMagic(Offset + 1, committed);
        }

        if (badStart >= 0)
        {
            var lost = segment.Sealed ? Math.Max(0, segment.EndId - ExpectedId) : 0;
            _onCorrupt(segment, badStart, committed - badStart, lost);
            if (segment.Sealed)
            {
                ExpectedId = Math.Max(ExpectedId, segment.EndId);
            }
        }

        return false;
    }

    /// <summary>Moves past the record <see cref="TryPeek"/> returned.</summary>
    public void Consume()
    {
        Offset += _peekLength;
        ExpectedId = _peekId + 1;
        _hasPeek = false;
        _peekReading = default;
    }

    public void Dispose() => MoveTo(null, 0, 0);

    private bool TryDecode(ReadOnlySpan<byte> frame, out Reading reading)
    {
        try
        {
            reading = SpoolRecordCodec.Decode(frame, _decoder);
            return true;
        }
        catch (ArgumentException)
        {
            // A frame with a valid checksum that still does not decode (e.g. an empty channel name): skip it as damage.
            reading = default;
            return false;
        }
    }

    /// <summary>The buffered bytes from <paramref name="offset"/>, at least <paramref name="minBytes"/> of them.</summary>
    private ReadOnlySpan<byte> Window(long offset, int minBytes, long committed)
    {
        var bufferEnd = _bufferStart + _bufferLength;
        if (_bufferLength == 0 || offset < _bufferStart || offset + minBytes > bufferEnd)
        {
            Fill(offset, minBytes, committed);
            bufferEnd = _bufferStart + _bufferLength;
        }

        return _buffer.AsSpan((int)(offset - _bufferStart), (int)(bufferEnd - offset));
    }

    private void Fill(long offset, int minBytes, long committed)
    {
        if (_buffer.Length < minBytes)
        {
            _buffer = new byte[Math.Max(minBytes, _buffer.Length * 2)];
        }

        _handle ??= File.OpenHandle(Segment!.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var toRead = (int)Math.Min(_buffer.Length, committed - offset);
        var read = 0;
        while (read < toRead)
        {
            var n = RandomAccess.Read(_handle, _buffer.AsSpan(read, toRead - read), offset + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        _bufferStart = offset;
        _bufferLength = read;
    }

    /// <summary>The offset of the next frame magic at or after <paramref name="from"/>, or <paramref name="committed"/>.</summary>
    private long FindMagic(long from, long committed)
    {
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, SpoolRecordCodec.Magic);
        var offset = from;
        while (committed - offset >= 4)
        {
            var window = Window(offset, (int)Math.Min(committed - offset, 4), committed);
            var index = window.IndexOf(magic);
            if (index >= 0)
            {
                return offset + index;
            }

            offset += Math.Max(1, window.Length - 3);
        }

        return committed;
    }
}
