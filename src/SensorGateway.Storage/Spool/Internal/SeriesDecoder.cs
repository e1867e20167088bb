using System.Buffers.Binary;
using System.Text;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Spool.Internal;

/// <summary>
/// Maps the encoded series strings of a record back to a shared <see cref="ChannelId"/> and shared quantity and
/// unit strings: a direct-mapped cache keyed by the bytes, so reading a backlog allocates a reading's strings
/// once per series, not once per record. Not thread-safe.
/// </summary>
internal sealed class SeriesDecoder
{
    private const int Size = 4096;
    private readonly Entry?[] _entries = new Entry?[Size];

    public (ChannelId Channel, string Quantity, string Unit) Decode(ReadOnlySpan<byte> series)
    {
        var hash = new HashCode();
        hash.AddBytes(series);
        var slot = hash.ToHashCode() & (Size - 1);
        var entry = _entries[slot];
        if (entry is not null && series.SequenceEqual(entry.Key))
        {
            return (entry.Channel, entry.Quantity, entry.Unit);
        }

        var key = series.ToArray();
        var site = ReadString(ref series);
        var device = ReadString(ref series);
        var channel = ReadString(ref series);
        var quantity = ReadString(ref series);
        var unit = ReadString(ref series);
        entry = new Entry(key, new ChannelId(site, device, channel), quantity, unit);
        _entries[slot] = entry;
        return (entry.Channel, entry.Quantity, entry.Unit);
    }

    private static string ReadString(ref ReadOnlySpan<byte> source)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(source);
        var value = Encoding.UTF8.GetString(source.Slice(2, length));
        source = source[(2 + length)..];
        return value;
    }

    private sealed record Entry(byte[] Key, ChannelId Channel, string Quantity, string Unit);
}
