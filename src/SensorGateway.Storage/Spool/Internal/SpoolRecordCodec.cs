using System.Buffers.Binary;
using System.Text;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Spool.Internal;

/// <summary>
/// The on-disk record format. All integers little-endian.
/// <code>
/// frame   = magic:u32 (0x53475244, "DRGS" on disk) | payloadLength:u32 | recordId:u64 | crc32c:u32 | payload
///           crc32c covers payloadLength, recordId and payload (bytes 4..16 and 20..)
/// payload = site | device | channel | quantity | unit      each u16 byte count + UTF-8
///           value:f64 | qualityStatus:u8 | qualityReason:u8
///           sourceTicks:i64 | sourceOffsetMinutes:i16 | receivedTicks:i64 | receivedOffsetMinutes:i16
///           sequence:i64
/// </code>
/// Every record is self-contained (no string table across records), so a damaged record never takes the
/// records after it down; the magic lets a reader resynchronise on the next frame after damage, and the id
/// tells how many records the damage cost. Repeated strings cost little anyway: the writer caches each
/// series' encoded strings (<see cref="SeriesEncoder"/>) and the reader maps them back to shared instances
/// (<see cref="SeriesDecoder"/>).
/// </summary>
internal static class SpoolRecordCodec
{
    public const uint Magic = 0x53475244;
    public const int HeaderSize = 20;
    public const int FixedPayloadSize = 8 + 1 + 1 + 8 + 2 + 8 + 2 + 8;
    public const int MinPayloadSize = (5 * 2) + FixedPayloadSize;

    /// <summary>Upper bound on a payload: five strings of at most 65,535 bytes plus the fixed part.</summary>
    public const int MaxPayloadSize = (5 * (2 + ushort.MaxValue)) + FixedPayloadSize;

    public static int FrameSize(int seriesLength) => HeaderSize + seriesLength + FixedPayloadSize;

    /// <summary>Writes one frame into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteFrame(Span<byte> destination, long recordId, ReadOnlySpan<byte> series, in Reading reading)
    {
        var payloadLength = series.Length + FixedPayloadSize;
        var frame = destination[..(HeaderSize + payloadLength)];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(frame[4..], payloadLength);
        BinaryPrimitives.WriteInt64LittleEndian(frame[8..], recordId);

        var payload = frame[HeaderSize..];
        series.CopyTo(payload);
        var p = payload[series.Length..];
        BinaryPrimitives.WriteDoubleLittleEndian(p, reading.Value);
        p[8] = (byte)reading.Quality.Status;
        p[9] = (byte)reading.Quality.Reason;
        WriteTime(p[10..], reading.SourceTime);
        WriteTime(p[20..], reading.ReceivedTime);
        BinaryPrimitives.WriteInt64LittleEndian(p[30..], reading.Sequence);

        var crc = Crc32C.Append(uint.MaxValue, frame[4..16]);
        crc = ~Crc32C.Append(crc, payload);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[16..], crc);
        return frame.Length;
    }

    /// <summary>
    /// Checks whether a valid frame starts at the beginning of <paramref name="source"/>.
    /// <paramref name="source"/> is everything available; <see cref="SpoolFrameStatus.Incomplete"/> means more
    /// bytes could make it valid.
    /// </summary>
    public static SpoolFrameStatus TryReadFrame(ReadOnlySpan<byte> source, out long recordId, out int frameLength)
    {
        recordId = 0;
        frameLength = 0;
        if (source.Length < 4)
        {
            return StartsLikeMagic(source) ? SpoolFrameStatus.Incomplete : SpoolFrameStatus.Invalid;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
        {
            return SpoolFrameStatus.Invalid;
        }

        if (source.Length < HeaderSize)
        {
            return SpoolFrameStatus.Incomplete;
        }

        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(source[4..]);
        if (payloadLength is < MinPayloadSize or > MaxPayloadSize)
        {
            return SpoolFrameStatus.Invalid;
        }

        if (source.Length < HeaderSize + payloadLength)
        {
            return SpoolFrameStatus.Incomplete;
        }

        var payload = source.Slice(HeaderSize, payloadLength);
        var crc = Crc32C.Append(uint.MaxValue, source[4..16]);
        crc = ~Crc32C.Append(crc, payload);
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(source[16..]) || !SeriesLengthMatches(payload))
        {
            return SpoolFrameStatus.Invalid;
        }

        recordId = BinaryPrimitives.ReadInt64LittleEndian(source[8..]);
        frameLength = HeaderSize + payloadLength;
        return recordId >= 0 ? SpoolFrameStatus.Valid : SpoolFrameStatus.Invalid;
    }

    /// <summary>Decodes the payload of a frame that <see cref="TryReadFrame"/> found valid.</summary>
    public static Reading Decode(ReadOnlySpan<byte> frame, SeriesDecoder series)
    {
        var payload = frame[HeaderSize..];
        var seriesLength = SeriesLength(payload);
        var (channel, quantity, unit) = series.Decode(payload[..seriesLength]);
        var p = payload[seriesLength..];
        var value = BinaryPrimitives.ReadDoubleLittleEndian(p);
        var quality = new Quality((QualityStatus)p[8], (QualityReason)p[9]);
        return new Reading(channel, quantity, unit, value, quality, ReadTime(p[10..]), ReadTime(p[20..]),
            BinaryPrimitives.ReadInt64LittleEndian(p[30..]));
    }

    /// <summary>The encoded series strings of <paramref name="reading"/> (five u16-prefixed UTF-8 strings).</summary>
    public static byte[] EncodeSeries(ChannelId channel, string quantity, string unit)
    {
        ReadOnlySpan<string> parts = [channel.Site, channel.Device, channel.Channel, quantity ?? string.Empty, unit ?? string.Empty];
        var length = 0;
        foreach (var part in parts)
        {
            var count = Encoding.UTF8.GetByteCount(part);
            if (count > ushort.MaxValue)
            {
                throw new ArgumentException($"A reading's string is {count} bytes long in UTF-8; the spool stores at most {ushort.MaxValue}.");
            }

            length += 2 + count;
        }

        var bytes = new byte[length];
        var span = bytes.AsSpan();
        foreach (var part in parts)
        {
            var written = Encoding.UTF8.GetBytes(part, span[2..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)written);
            span = span[(2 + written)..];
        }

        return bytes;
    }

    /// <summary>The length of the five series strings at the start of <paramref name="payload"/>, or -1.</summary>
    public static int SeriesLength(ReadOnlySpan<byte> payload)
    {
        var offset = 0;
        for (var i = 0; i < 5; i++)
        {
            if (payload.Length < offset + 2)
            {
                return -1;
            }

            offset += 2 + BinaryPrimitives.ReadUInt16LittleEndian(payload[offset..]);
        }

        return offset;
    }

    private static bool SeriesLengthMatches(ReadOnlySpan<byte> payload) =>
        SeriesLength(payload) + FixedPayloadSize == payload.Length;

    private static bool StartsLikeMagic(ReadOnlySpan<byte> source)
    {
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, Magic);
        return magic.StartsWith(source);
    }

    private static void WriteTime(Span<byte> destination, DateTimeOffset time)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, time.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(destination[8..], (short)(time.Offset.Ticks / TimeSpan.TicksPerMinute));
    }

    private static DateTimeOffset ReadTime(ReadOnlySpan<byte> source)
    {
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(source);
        var offsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(source[8..]);
        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes));
    }
}
