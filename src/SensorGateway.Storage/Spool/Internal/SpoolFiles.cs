using System.Buffers.Binary;
using System.Globalization;

namespace SensorGateway.Storage.Spool.Internal;

/// <summary>File names and small file formats of the spool directory.</summary>
/// <remarks>
/// <code>
/// 00000000000000000000.seg   segment: header then frames; named by the id of its first record
/// cursor                     acknowledgement mark: "SGCURSR1" | acceptedBelowId:i64 | crc32c:u32 of the 16 bytes before
/// spool.lock                 held (locked) while a spool has the directory open
/// </code>
/// Segment header (16 bytes): <c>"SGSPOOL1"</c> | formatVersion:u32 (1) | reserved:u32 (0).
/// </remarks>
internal static class SpoolFiles
{
    public const string SegmentExtension = ".seg";
    public const string CursorName = "cursor";
    public const string CursorTempName = "cursor.tmp";
    public const string LockName = "spool.lock";
    public const int SegmentHeaderSize = 16;
    public const int FormatVersion = 1;

    private const int CursorSize = 20;

    private static ReadOnlySpan<byte> SegmentMagic => "SGSPOOL1"u8;

    private static ReadOnlySpan<byte> CursorMagic => "SGCURSR1"u8;

    public static string SegmentName(long firstId) => firstId.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension;

    public static bool TryParseSegmentName(string path, out long firstId)
    {
        var name = Path.GetFileName(path);
        firstId = 0;
        return name.Length == 20 + SegmentExtension.Length &&
               name.EndsWith(SegmentExtension, StringComparison.Ordinal) &&
               long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out firstId);
    }

    public static void WriteSegmentHeader(Span<byte> destination)
    {
        SegmentMagic.CopyTo(destination);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], 0);
    }

    public static bool IsSegmentHeader(ReadOnlySpan<byte> source) =>
        source.Length >= SegmentHeaderSize &&
        source.StartsWith(SegmentMagic) &&
        BinaryPrimitives.ReadInt32LittleEndian(source[8..]) == FormatVersion;

    /// <summary>Reads the acknowledgement mark; false with a reason when the file is missing or damaged.</summary>
    public static bool TryReadCursor(string directory, out long acceptedBelowId, out string problem)
    {
        acceptedBelowId = 0;
        var path = Path.Combine(directory, CursorName);
        if (!File.Exists(path))
        {
            problem = "missing";
            return false;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != CursorSize || !bytes.AsSpan().StartsWith(CursorMagic) ||
            Crc32C.Compute(bytes.AsSpan(0, 16)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)))
        {
            problem = "damaged";
            return false;
        }

        acceptedBelowId = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        problem = string.Empty;
        return acceptedBelowId >= 0;
    }

    /// <summary>Writes the mark atomically: a temporary file, fsynced unless told not to, renamed over the old one.</summary>
    public static void WriteCursor(string directory, long acceptedBelowId, bool fsync)
    {
        Span<byte> bytes = stackalloc byte[CursorSize];
        CursorMagic.CopyTo(bytes);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], acceptedBelowId);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], Crc32C.Compute(bytes[..16]));
        var temp = Path.Combine(directory, CursorTempName);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(bytes);
            if (fsync)
            {
                stream.Flush(flushToDisk: true);
            }
        }

        File.Move(temp, Path.Combine(directory, CursorName), overwrite: true);
    }
}
